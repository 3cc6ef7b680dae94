using System.Net;
using Microsoft.Extensions.Logging;

namespace ConvAi.Telephony;

/// <summary>
/// Sits inside the resilience handler, so it sees every attempt: counts and logs 429 answers (the rate-limit rejections).
/// </summary>
internal sealed class AttemptTelemetryHandler : DelegatingHandler
{
    private readonly ConvAiTelemetry _telemetry;
    private readonly ILogger _logger;

    public AttemptTelemetryHandler(ConvAiTelemetry telemetry, ILogger logger)
    {
        _telemetry = telemetry;
        _logger = logger;
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.TooManyRequests)
        {
            var kind = RequestKinds.Tag(RequestKinds.Get(request));
            _telemetry.RateLimitRejections.Add(1, ConvAiTelemetry.Tags(kind, (int)response.StatusCode));
            Log.RateLimited(
                _logger,
                kind,
                request.Method.Method,
                request.RequestUri?.AbsolutePath,
                Header(response, "current-concurrent-requests"),
                Header(response, "maximum-concurrent-requests"));
        }

        return response;
    }

    private static string? Header(HttpResponseMessage response, string name)
        => response.Headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;
}
