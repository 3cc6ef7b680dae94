using System.Buffers;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace ConvAi.Telephony.AspNetCore;

/// <summary>
/// The one place that turns a webhook request into an accepted event or a status: source-IP allowlist (403),
/// content type (415), signature header (401), size limit while reading (413), signature (401), payload (400),
/// duplicate delivery (200 without dispatch). Shared by <c>MapConvAiWebhooks</c> and the verification middleware.
/// </summary>
internal sealed class ConvAiWebhookReceiver
{
    private const int InitialBufferSize = 16 * 1024;

    private readonly ConvAiWebhookOptions _options;
    private readonly ConvAiWebhookSignature _signature;
    private readonly SourceIpAllowlist? _allowlist;
    private readonly IWebhookDeliveryStore _store;
    private readonly ILogger _logger;
    private readonly TimeSpan _claimExpiry;
    private readonly ICallEventSink[] _callEventSinks;

    public ConvAiWebhookReceiver(
        IOptions<ConvAiWebhookOptions> options,
        IWebhookDeliveryStore store,
        TimeProvider timeProvider,
        ILogger<ConvAiWebhookReceiver> logger,
        IEnumerable<ICallEventSink> callEventSinks)
    {
        _options = options.Value;
        _signature = new ConvAiWebhookSignature(
            _options.EffectiveSecrets,
            _options.TimestampTolerance,
            _options.FutureTimestampTolerance,
            timeProvider);
        _allowlist = _options.EnableSourceIpAllowlist
            ? new SourceIpAllowlist(_options.AllowedSourceIps.Count > 0 ? _options.AllowedSourceIps : ConvAiWebhookOptions.PublishedSourceIps)
            : null;
        _store = store;
        _logger = logger;
        _callEventSinks = callEventSinks.ToArray();

        // A replay older than the tolerance is rejected as stale, so claims need to live only that long.
        _claimExpiry = _options.TimestampTolerance + _options.FutureTimestampTolerance + TimeSpan.FromMinutes(1);
    }

    /// <summary>Reads, verifies, parses and claims the request's webhook. Dispose the receipt when the request is done.</summary>
    public async Task<WebhookReceipt> ReceiveAsync(HttpContext context)
    {
        var request = context.Request;
        if (_allowlist is not null && !_allowlist.IsAllowed(context.Connection.RemoteIpAddress))
        {
            WebhookLog.ForbiddenSource(_logger, context.Connection.RemoteIpAddress);
            return WebhookReceipt.Answer(StatusCodes.Status403Forbidden);
        }

        if (!IsJson(request.ContentType))
        {
            return Reject(StatusCodes.Status415UnsupportedMediaType, "the content type is not JSON");
        }

        var header = request.Headers[ConvAiWebhookSignature.HeaderName].ToString();
        if (string.IsNullOrWhiteSpace(header))
        {
            return Reject(StatusCodes.Status401Unauthorized, nameof(WebhookSignatureResult.MissingHeader));
        }

        var limit = GetBodyLimit(context);
        if (request.ContentLength > limit)
        {
            return Reject(StatusCodes.Status413PayloadTooLarge, "the body is larger than the limit");
        }

        var (buffer, length, status) = await ReadBodyAsync(context, limit).ConfigureAwait(false);
        if (buffer is null)
        {
            return Reject(status, status == StatusCodes.Status413PayloadTooLarge ? "the body is larger than the limit" : "the body could not be read");
        }

        var receipt = WebhookReceipt.ForBody(buffer);
        try
        {
            var body = buffer.AsMemory(0, length);
            Span<byte> digest = stackalloc byte[32];
            var verification = _signature.Verify(body.Span, header, digest);
            if (verification != WebhookSignatureResult.Valid)
            {
                receipt.Dispose();
                return Reject(StatusCodes.Status401Unauthorized, verification.ToString());
            }

            if (!ConvAiWebhookEventParser.TryParse(body, receipt, out var webhookEvent, out var error))
            {
                receipt.Dispose();
                return Reject(StatusCodes.Status400BadRequest, error);
            }

            var claimKey = $"{_options.DeliveryKeyPrefix}{webhookEvent.Type}:{webhookEvent.ConversationId}:{Convert.ToHexString(digest)}";
            bool claimed;
            try
            {
                claimed = await _store.TryClaimAsync(claimKey, _claimExpiry, context.RequestAborted).ConfigureAwait(false);
            }
            catch (Exception exception) when (!context.RequestAborted.IsCancellationRequested)
            {
                // Not the sender's fault: 503 makes ElevenLabs retry once the store is back.
                receipt.Dispose();
                WebhookLog.StoreUnavailable(_logger, webhookEvent.Type.Value, webhookEvent.ConversationId, exception.GetType().FullName!);
                return WebhookReceipt.Answer(StatusCodes.Status503ServiceUnavailable);
            }

            if (!claimed)
            {
                receipt.Dispose();
                WebhookLog.Duplicate(_logger, webhookEvent.Type.Value, webhookEvent.ConversationId);
                return WebhookReceipt.Answer(StatusCodes.Status200OK);
            }

            WebhookLog.Accepted(_logger, webhookEvent.Type.Value, webhookEvent.ConversationId);
            CallEventPublisher.Publish(_callEventSinks, webhookEvent); // completes WaitForOutcomeAsync in this app
            return receipt.Accept(webhookEvent, claimKey);
        }
        catch
        {
            receipt.Dispose();
            throw;
        }
    }

    /// <summary>Logs a failed dispatch (ids and exception type only) and forgets the delivery, so that ElevenLabs' retry is processed.</summary>
    public async Task ReleaseAfterFailureAsync(WebhookReceipt receipt, Exception? exception)
    {
        if (receipt is { Event: { } webhookEvent, ClaimKey: { } claimKey })
        {
            WebhookLog.HandlerFailed(
                _logger,
                webhookEvent.Type.Value,
                webhookEvent.ConversationId,
                exception?.GetType().FullName ?? "status 500 or above");
            await _store.ReleaseAsync(claimKey, CancellationToken.None).ConfigureAwait(false);
        }
    }

    private static bool IsJson(string? contentType) =>
        MediaTypeHeaderValue.TryParse(contentType, out var mediaType)
        && (mediaType.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase)
            || mediaType.Suffix.Equals("json", StringComparison.OrdinalIgnoreCase));

    private long GetBodyLimit(HttpContext context) =>
        context.GetEndpoint()?.Metadata.GetMetadata<IRequestSizeLimitMetadata>()?.MaxRequestBodySize
        ?? _options.MaxRequestBodySize;

    /// <summary>Reads the whole body into a pooled buffer, stopping as soon as it exceeds <paramref name="limit"/>.</summary>
    private static async Task<(byte[]? Buffer, int Length, int Status)> ReadBodyAsync(HttpContext context, long limit)
    {
        // Let the server enforce our limit instead of its own default (Kestrel: 30 MB).
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } sizeFeature)
        {
            sizeFeature.MaxRequestBodySize = limit;
        }

        var buffer = ArrayPool<byte>.Shared.Rent((int)Math.Clamp(context.Request.ContentLength ?? InitialBufferSize, 1, limit + 1));
        var length = 0;
        try
        {
            while (true)
            {
                if (length == buffer.Length)
                {
                    var larger = ArrayPool<byte>.Shared.Rent((int)Math.Min(Math.Max(buffer.Length * 2L, InitialBufferSize), limit + 1));
                    buffer.AsSpan(0, length).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = larger;
                }

                var read = await context.Request.Body.ReadAsync(buffer.AsMemory(length), context.RequestAborted).ConfigureAwait(false);
                if (read == 0)
                {
                    return (buffer, length, 0);
                }

                length += read;
                if (length > limit)
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                    return (null, 0, StatusCodes.Status413PayloadTooLarge);
                }
            }
        }
        catch (BadHttpRequestException exception)
        {
            ArrayPool<byte>.Shared.Return(buffer);
            return (null, 0, exception.StatusCode);
        }
        catch
        {
            ArrayPool<byte>.Shared.Return(buffer);
            throw;
        }
    }

    private WebhookReceipt Reject(int statusCode, string reason)
    {
        WebhookLog.Rejected(_logger, statusCode, reason);
        return WebhookReceipt.Answer(statusCode);
    }
}
