using ConvAi.Telephony;
using ConvAi.Telephony.Testing;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Points a client registered with <c>AddConvAiTelephony</c> at a <see cref="ConvAiEmulator"/>.</summary>
public static class ConvAiEmulatorTelephonyBuilderExtensions
{
    /// <summary>
    /// Sends the client's requests to <paramref name="emulator"/> by making its handler the named HttpClient's primary
    /// handler (the base address stays as configured), and sets the client's API key to the emulator's after every
    /// other configuration. The client's own handlers (API key, errors, resilience) still run. Live conversations
    /// (<c>Conversations.StartSessionAsync</c>) open their socket on the emulator as well, never on the real API. The emulator starts on
    /// the first request; dispose it after the service provider.
    /// </summary>
    /// <param name="builder">The builder returned by <c>AddConvAiTelephony</c>.</param>
    /// <param name="emulator">The emulator to send requests to.</param>
    /// <returns>The same builder, for further configuration.</returns>
    public static IConvAiTelephonyBuilder UseConvAiEmulator(this IConvAiTelephonyBuilder builder, ConvAiEmulator emulator)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(emulator);
        builder.Services.PostConfigure<ConvAiTelephonyOptions>(options => options.ApiKey = emulator.ApiKey);
        builder.HttpClientBuilder.ConfigurePrimaryHttpMessageHandler(emulator.CreateHandler);
        // Live conversations: the agent socket's HTTP upgrade goes to the emulator too, whatever host the URL names.
        builder.Services.AddHttpClient(ConversationSession.HttpClientName).ConfigurePrimaryHttpMessageHandler(emulator.CreateHandler);
        return builder;
    }
}
