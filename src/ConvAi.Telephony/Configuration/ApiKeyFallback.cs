using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ConvAi.Telephony;

/// <summary>
/// Uses the top-level <c>ELEVENLABS_API_KEY</c> key of the registered <see cref="IConfiguration"/> (a host reads it
/// from the environment) when no API key was configured otherwise. A configured key always wins.
/// </summary>
internal sealed class ApiKeyFallback(IServiceProvider services) : IPostConfigureOptions<ConvAiTelephonyOptions>
{
    public void PostConfigure(string? name, ConvAiTelephonyOptions options)
    {
        if (string.IsNullOrWhiteSpace(options.ApiKey)
            && services.GetService<IConfiguration>()?[ConvAiTelephonyOptions.ApiKeyFallbackKey] is { Length: > 0 } apiKey)
        {
            options.ApiKey = apiKey;
        }
    }
}
