using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace ConvAi.Telephony;

/// <summary>
/// Turns every non-success answer into a <see cref="ConvAiApiException"/> (or
/// <see cref="ConvAiRateLimitException"/> for 429) before the transport layer sees it.
/// It sits outside the resilience handler, so retries see the raw answers.
/// </summary>
internal sealed class ApiErrorHandler : DelegatingHandler
{
    /// <summary>The most characters of an error body kept in exceptions.</summary>
    public const int MaxBodyLength = 4096;

    private const int MaxBodyBytesRead = 64 * 1024;

    private readonly Func<string?> _apiKey;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;

    public ApiErrorHandler(Func<string?> apiKey, TimeProvider timeProvider, ILogger logger)
    {
        _apiKey = apiKey;
        _timeProvider = timeProvider;
        _logger = logger;
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (response.IsSuccessStatusCode)
        {
            return response;
        }

        using (response)
        {
            var body = await ReadBodyAsync(response, cancellationToken).ConfigureAwait(false);
            var exception = CreateException(response, body);
            Log.ApiError(_logger, request.Method.Method, request.RequestUri?.AbsolutePath, (int)response.StatusCode, exception.ErrorCode, exception.RequestId);
            throw exception;
        }
    }

    internal ConvAiApiException CreateException(HttpResponseMessage response, string? body)
    {
        body = Redact(body);
        var error = ParseErrorBody(body);
        var requestId = error.RequestId ?? GetHeader(response, "request-id") ?? GetHeader(response, "x-request-id");
        var status = response.StatusCode;
        var truncated = body is null ? null : (body.Length > MaxBodyLength ? body[..MaxBodyLength] + "…" : body);
        var message = BuildMessage(status, response.ReasonPhrase, error, requestId, body);

        if (status == HttpStatusCode.TooManyRequests)
        {
            return new ConvAiRateLimitException(
                message,
                error.Code,
                error.Message,
                requestId,
                truncated,
                GetIntHeader(response, "current-concurrent-requests"),
                GetIntHeader(response, "maximum-concurrent-requests"),
                RetryAfter.Get(response, _timeProvider));
        }

        return new ConvAiApiException(message, status, error.Code, error.Message, requestId, error.ValidationErrors, truncated);
    }

    private static async Task<string?> ReadBodyAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (response.Content is null)
        {
            return null;
        }

        var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            var buffer = new byte[MaxBodyBytesRead];
            var total = 0;
            int read;
            while (total < buffer.Length && (read = await stream.ReadAsync(buffer.AsMemory(total), cancellationToken).ConfigureAwait(false)) > 0)
            {
                total += read;
            }

            return total == 0 ? null : Encoding.UTF8.GetString(buffer, 0, total);
        }
    }

    private string? Redact(string? body)
    {
        var key = _apiKey();
        return body is null || string.IsNullOrEmpty(key) ? body : body.Replace(key, "[redacted]", StringComparison.Ordinal);
    }

    private static ParsedError ParseErrorBody(string? body)
    {
        if (string.IsNullOrWhiteSpace(body))
        {
            return default;
        }

        try
        {
            using var document = JsonDocument.Parse(body);
            if (document.RootElement.ValueKind != JsonValueKind.Object
                || !document.RootElement.TryGetProperty("detail", out var detail))
            {
                return default;
            }

            switch (detail.ValueKind)
            {
                case JsonValueKind.Array:
                    return new ParsedError(null, null, null, ParseValidationErrors(detail));
                case JsonValueKind.Object:
                    var code = GetString(detail, "code") ?? GetString(detail, "status");
                    return new ParsedError(code, GetString(detail, "message"), GetString(detail, "request_id"), null);
                case JsonValueKind.String:
                    return new ParsedError(null, detail.GetString(), null, null);
                default:
                    return default;
            }
        }
        catch (JsonException)
        {
            return default;
        }
    }

    private static List<ValidationError> ParseValidationErrors(JsonElement detail)
    {
        var errors = new List<ValidationError>();
        foreach (var item in detail.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Object)
            {
                continue;
            }

            var location = new List<string>();
            if (item.TryGetProperty("loc", out var loc) && loc.ValueKind == JsonValueKind.Array)
            {
                foreach (var part in loc.EnumerateArray())
                {
                    location.Add(part.ValueKind == JsonValueKind.String ? part.GetString()! : part.GetRawText());
                }
            }

            errors.Add(new ValidationError(location, GetString(item, "msg") ?? string.Empty, GetString(item, "type") ?? string.Empty));
        }

        return errors;
    }

    private static string? GetString(JsonElement element, string name)
        => element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static string BuildMessage(HttpStatusCode status, string? reason, ParsedError error, string? requestId, string? body)
    {
        var builder = new StringBuilder();
        builder.Append(CultureInfo.InvariantCulture, $"The ElevenLabs API answered {(int)status}");
        if (!string.IsNullOrEmpty(reason))
        {
            builder.Append(CultureInfo.InvariantCulture, $" ({reason})");
        }

        if (error.Code is not null)
        {
            builder.Append(CultureInfo.InvariantCulture, $" [{error.Code}]");
        }

        if (error.Message is not null)
        {
            builder.Append(CultureInfo.InvariantCulture, $": {error.Message}");
        }
        else if (error.ValidationErrors is { Count: > 0 } errors)
        {
            builder.Append(": ").AppendJoin("; ", errors.Take(5));
        }
        else if (string.IsNullOrWhiteSpace(body))
        {
            builder.Append(" with an empty body");
        }

        if (requestId is not null)
        {
            builder.Append(CultureInfo.InvariantCulture, $" (request id {requestId})");
        }

        return builder.Append('.').ToString();
    }

    private static string? GetHeader(HttpResponseMessage response, string name)
        => response.Headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;

    private static int? GetIntHeader(HttpResponseMessage response, string name)
        => int.TryParse(GetHeader(response, name), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value : null;

    private readonly record struct ParsedError(string? Code, string? Message, string? RequestId, IReadOnlyList<ValidationError>? ValidationErrors);
}
