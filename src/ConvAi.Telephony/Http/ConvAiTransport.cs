using Microsoft.Extensions.Logging;
using Refit;

namespace ConvAi.Telephony;

/// <summary>Builds the pieces of the HTTP pipeline shared by the DI and the non-DI paths.</summary>
internal static class ConvAiTransport
{
    /// <summary>The Refit settings: source-generated System.Text.Json, and our own exceptions passed through unchanged.</summary>
    public static RefitSettings CreateRefitSettings() => new(new SystemTextJsonContentSerializer(ConvAiJson.Options))
    {
        // ApiErrorHandler already turned error answers into ConvAiApiException; let them and transport errors through as they are.
        ExceptionFactory = static _ => ValueTask.FromResult<Exception?>(null),
        TransportExceptionFactory = static (_, exception, _) => exception,
        DeserializationExceptionFactory = static (_, exception) => ValueTask.FromResult<Exception?>(
            new ConvAiException("The ElevenLabs API answered with a body this client could not read.", exception)),
    };

    /// <summary>Creates the handlers in order: error mapping (outermost), then the API key.</summary>
    public static DelegatingHandler[] CreateHandlers(Func<string?> apiKey, TimeProvider timeProvider, ILogger logger)
        => [new ApiErrorHandler(apiKey, timeProvider, logger), new ApiKeyHandler(apiKey)];

    /// <summary>Applies the base address and timeout to an HttpClient.</summary>
    public static void Configure(HttpClient client, ConvAiTelephonyOptions options)
    {
        client.BaseAddress = options.GetEffectiveBaseAddress();
        client.Timeout = options.Timeout;
    }
}
