using System.Net;
using Microsoft.Extensions.Logging;
using Polly;
using Refit;

namespace ConvAi.Telephony;

/// <summary>Builds the pieces of the HTTP pipeline shared by the DI and the non-DI paths.</summary>
internal static class ConvAiTransport
{
    /// <summary>
    /// The encodings the primary handler asks for and decodes (<c>Accept-Encoding: gzip, deflate, br</c>): transcripts
    /// and lists compress well, and decoding is streamed, so the audio download still arrives as it is read.
    /// </summary>
    public const DecompressionMethods Decompression = DecompressionMethods.GZip | DecompressionMethods.Deflate | DecompressionMethods.Brotli;

    /// <summary>Creates the primary handler of a client built without a container.</summary>
    public static SocketsHttpHandler CreatePrimaryHandler()
        => new() { PooledConnectionLifetime = TimeSpan.FromMinutes(5), AutomaticDecompression = Decompression };

    /// <summary>
    /// Turns on decompression on the container's default primary handler. A handler that already decodes something, or
    /// is not a socket handler (a test handler, the emulator's), is left as it is.
    /// </summary>
    public static void EnableDecompression(HttpMessageHandler handler)
    {
        switch (handler)
        {
            case HttpClientHandler { AutomaticDecompression: DecompressionMethods.None } clientHandler:
                clientHandler.AutomaticDecompression = Decompression;
                break;
            case SocketsHttpHandler { AutomaticDecompression: DecompressionMethods.None } socketsHandler:
                socketsHandler.AutomaticDecompression = Decompression;
                break;
        }
    }

    /// <summary>The Refit settings: source-generated System.Text.Json, and our own exceptions passed through unchanged.</summary>
    public static RefitSettings CreateRefitSettings() => new(new SystemTextJsonContentSerializer(ConvAiJson.Options))
    {
        // ApiErrorHandler already turned error answers into ConvAiApiException; let them and transport errors through as they are.
        ExceptionFactory = static _ => ValueTask.FromResult<Exception?>(null),
        TransportExceptionFactory = static (_, exception, _) => exception,
        DeserializationExceptionFactory = static (_, exception) => ValueTask.FromResult<Exception?>(
            new ConvAiException("The ElevenLabs API answered with a body this client could not read.", exception)),
    };

    /// <summary>
    /// Creates the handlers that wrap the resilience handler, outermost first: telemetry (one activity per request),
    /// error mapping (so retries see raw answers), then the API key.
    /// </summary>
    public static DelegatingHandler[] CreateHandlers(Func<string?> apiKey, TimeProvider timeProvider, ILogger logger, ConvAiTelemetry telemetry)
        => [new TelemetryHandler(telemetry, timeProvider), new ApiErrorHandler(apiKey, timeProvider, logger), new ApiKeyHandler(apiKey)];

    /// <summary>Creates the whole handler chain for a client built without a container, outermost first, resilience included.</summary>
    public static DelegatingHandler[] CreateStandaloneHandlers(ConvAiTelephonyOptions options, TimeProvider timeProvider, ILogger logger, ConvAiTelemetry telemetry)
    {
        var apiKey = options.ApiKey;
        var builder = new ResiliencePipelineBuilder<HttpResponseMessage> { Name = ConvAiTelephonyInfo.Name, TimeProvider = timeProvider };
        ConvAiResiliencePipeline.Configure(builder, options.Resilience, telemetry, logger);
        return [.. CreateHandlers(() => apiKey, timeProvider, logger, telemetry), new ConvAiResilienceHandler(builder.Build()), new AttemptTelemetryHandler(telemetry, logger)];
    }

    /// <summary>
    /// Returns true for headers whose values HttpClientFactory may log. Every other value (<c>xi-api-key</c>, cookies,
    /// authorization, anything unknown) is logged as <c>*</c>.
    /// </summary>
    public static bool IsLoggableHeader(string name) => LoggableHeaders.Contains(name);

    private static readonly HashSet<string> LoggableHeaders = new(StringComparer.OrdinalIgnoreCase)
    {
        "Accept", "Content-Type", "Content-Length", "User-Agent", "Date", "Retry-After", "request-id", "x-request-id",
        "current-concurrent-requests", "maximum-concurrent-requests",
    };

    /// <summary>Applies the base address and timeout to an HttpClient.</summary>
    public static void Configure(HttpClient client, ConvAiTelephonyOptions options)
    {
        client.BaseAddress = options.GetEffectiveBaseAddress();
        client.Timeout = options.Timeout;
    }
}
