using Microsoft.Extensions.Http.Logging;
using Microsoft.Extensions.Logging;

namespace ConvAi.Telephony;

/// <summary>
/// Replaces HttpClientFactory's default logging on the named client. The default logger redacts header values in its
/// formatted message only: its structured state still carries them (so <c>xi-api-key</c> reached any structured log
/// sink), and it logs full URIs, whose query may hold user text (<c>search</c>, <c>user_id</c>). This one logs each
/// attempt with method, path, status and time only.
/// </summary>
internal sealed class ConvAiHttpClientLogger : IHttpClientLogger
{
    private readonly ILogger _logger;

    public ConvAiHttpClientLogger(ILogger logger) => _logger = logger;

    public object? LogRequestStart(HttpRequestMessage request)
    {
        ArgumentNullException.ThrowIfNull(request);
        Log.AttemptStarted(_logger, request.Method.Method, request.RequestUri?.AbsolutePath);
        return null;
    }

    public void LogRequestStop(object? context, HttpRequestMessage request, HttpResponseMessage response, TimeSpan elapsed)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(response);
        Log.AttemptAnswered(_logger, request.Method.Method, request.RequestUri?.AbsolutePath, (int)response.StatusCode, elapsed.TotalMilliseconds);
    }

    public void LogRequestFailed(object? context, HttpRequestMessage request, HttpResponseMessage? response, Exception exception, TimeSpan elapsed)
    {
        ArgumentNullException.ThrowIfNull(request);
        var error = exception is HttpRequestException http ? $"{nameof(HttpRequestException)} ({http.HttpRequestError})" : exception?.GetType().Name ?? "unknown";
        Log.AttemptFailed(_logger, request.Method.Method, request.RequestUri?.AbsolutePath, error, elapsed.TotalMilliseconds);
    }
}
