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
/// duplicate delivery (200 without dispatch), and in Queued mode the append to the inbox (200, or 503 when full). Shared by <c>MapConvAiWebhooks</c> and every marked endpoint (<c>RequireConvAiWebhookSignature()</c>, <c>[ConvAiWebhook]</c>).
/// </summary>
internal sealed class ConvAiWebhookReceiver
{
    private const int InitialBufferSize = 16 * 1024;

    private readonly ConvAiWebhookOptions _options;
    private readonly ConvAiWebhookSignature _signature;
    private readonly SourceIpAllowlist? _allowlist;
    private readonly IWebhookDeliveryStore _store;
    private readonly IConvAiWebhookInbox _inbox;
    private readonly WebhookDispatcher _dispatcher;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly ICallEventSink[] _callEventSinks;
    private readonly WebhookAcknowledgementGate _acknowledgements;

    public ConvAiWebhookReceiver(
        IOptions<ConvAiWebhookOptions> options,
        IWebhookDeliveryStore store,
        IConvAiWebhookInbox inbox,
        WebhookDispatcher dispatcher,
        TimeProvider timeProvider,
        ILogger<ConvAiWebhookReceiver> logger,
        IEnumerable<ICallEventSink> callEventSinks,
        WebhookAcknowledgementGate acknowledgements)
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
        _inbox = inbox;
        _dispatcher = dispatcher;
        _timeProvider = timeProvider;
        _logger = logger;
        _callEventSinks = callEventSinks.ToArray();
        _acknowledgements = acknowledgements;
    }

    /// <summary>Whether <c>MapConvAiWebhooks</c> queues deliveries instead of dispatching them before the answer.</summary>
    public bool IsQueued => _options.Mode == ConvAiWebhookMode.Queued;

    /// <summary>
    /// Reads, verifies, parses and claims the request's webhook. With <paramref name="queue"/>, reads only the envelope and
    /// appends the claimed delivery to the inbox instead (the receipt then only carries the status). Dispose the receipt
    /// when the request is done.
    /// </summary>
    public async Task<WebhookReceipt> ReceiveAsync(HttpContext context, bool queue = false)
    {
        // Queued: the inbox processor holds off while deliveries are being acknowledged (answers first).
        using var acknowledging = queue ? _acknowledgements.Enter() : default;
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

        var receipt = WebhookReceipt.ForBody(buffer, length);
        try
        {
            var body = receipt.Body;
            var verification = _signature.Verify(body.Span, header);
            if (verification != WebhookSignatureResult.Valid)
            {
                receipt.Dispose();
                return Reject(StatusCodes.Status401Unauthorized, verification.ToString());
            }

            if (!ConvAiWebhookEventParser.TryReadEnvelope(body.Span, out var envelope, out var error, stopEarly: true))
            {
                receipt.Dispose();
                return Reject(StatusCodes.Status400BadRequest, error);
            }

            // Inline: type the event before claiming, so that a bad payload is answered 400 without a claim to undo. A
            // transcription's data is only checked to be an object here: it binds when the handler first reads Data.
            ConvAiWebhookEvent? webhookEvent = null;
            if (!queue && !ConvAiWebhookEventParser.TryParse(body, envelope, receipt, bindLazily: true, out webhookEvent, out error))
            {
                receipt.Dispose();
                return Reject(StatusCodes.Status400BadRequest, error);
            }

            var key = WebhookDeliveryKey.For(_options.DeliveryKeyPrefix, envelope.Type, envelope.ConversationId, body.Span);
            bool claimed;
            try
            {
                claimed = await _store.TryClaimAsync(key, _options.ClaimLifetime, context.RequestAborted).ConfigureAwait(false);
            }
            catch (Exception exception) when (!context.RequestAborted.IsCancellationRequested)
            {
                // Not the sender's fault: 503 makes ElevenLabs retry once the store is back.
                receipt.Dispose();
                WebhookLog.StoreUnavailable(_logger, envelope.Type.Value, envelope.ConversationId, exception.GetType().FullName!);
                return WebhookReceipt.Answer(StatusCodes.Status503ServiceUnavailable);
            }

            if (!claimed)
            {
                receipt.Dispose();
                WebhookLog.Duplicate(_logger, envelope.Type.Value, envelope.ConversationId);
                return WebhookReceipt.Answer(StatusCodes.Status200OK);
            }

            receipt.Claim(key, envelope);
            if (webhookEvent is null)
            {
                var queued = await EnqueueAsync(receipt, attempts: 0, failure: null, context.RequestAborted).ConfigureAwait(false);
                receipt.Dispose();
                return WebhookReceipt.Answer(queued);
            }

            WebhookLog.Accepted(_logger, envelope.Type.Value, envelope.ConversationId);
            CallEventPublisher.Publish(_callEventSinks, webhookEvent); // completes WaitForOutcomeAsync in this app
            return receipt.Accept(webhookEvent);
        }
        catch
        {
            receipt.Dispose();
            throw;
        }
    }

    /// <summary>Records that the handler processed an accepted delivery, so that no redelivery or reconciliation dispatches it again.</summary>
    public async Task MarkProcessedAsync(WebhookReceipt receipt)
    {
        if (receipt.ClaimKey is { } key)
        {
            await _dispatcher.MarkProcessedAsync(key, receipt.Envelope.ConversationId).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// After the handler threw in <c>Inline</c> mode: hands the delivery to the inbox, which retries it (answer 200); when
    /// the inbox refuses it, releases the claim (answer 500) so that a retry by the sender is processed.
    /// </summary>
    /// <returns>The status to answer.</returns>
    public async Task<int> QueueAfterFailureAsync(WebhookReceipt receipt, Exception exception)
    {
        var status = await EnqueueAsync(receipt, attempts: 1, exception.GetType().FullName, CancellationToken.None).ConfigureAwait(false);
        if (status == StatusCodes.Status200OK)
        {
            WebhookLog.HandlerFailedQueued(_logger, receipt.Envelope.Type.Value, receipt.Envelope.ConversationId, exception.GetType().FullName!);
            return status;
        }

        await ReleaseAfterFailureAsync(receipt, exception).ConfigureAwait(false);
        return StatusCodes.Status500InternalServerError;
    }

    /// <summary>
    /// After a marked endpoint (the app's own handler) failed: keeps the verified delivery as a dead letter, listable and
    /// re-drivable through the registered handler, and keeps the claim so that a redelivery is not processed beside it.
    /// When the inbox refuses it, releases the claim instead, so that a retry by the sender is processed.
    /// </summary>
    /// <returns>True when the delivery is kept as a dead letter.</returns>
    public async Task<bool> DeadLetterAfterFailureAsync(WebhookReceipt receipt, string failure)
    {
        var envelope = receipt.Envelope;
        var delivery = new ConvAiWebhookDelivery
        {
            DeliveryKey = receipt.ClaimKey!,
            EventType = envelope.Type,
            ConversationId = envelope.ConversationId,
            EventTimestamp = envelope.Timestamp,
            Body = receipt.Body,
            ReceivedAt = _timeProvider.GetUtcNow(),
        };
        try
        {
            var id = await _inbox.AddDeadLetterAsync(delivery, failure, CancellationToken.None).ConfigureAwait(false);
            WebhookLog.EndpointFailedDeadLettered(_logger, envelope.Type.Value, envelope.ConversationId, failure, id);
            return true;
        }
#pragma warning disable CA1031 // The inbox failed too: release the claim (logged) so that a retry by the sender is processed.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            WebhookLog.InboxRefused(_logger, envelope.Type.Value, envelope.ConversationId, exception.GetType().FullName!);
            await ReleaseAfterFailureAsync(receipt, exception: null, failure).ConfigureAwait(false);
            return false;
        }
    }

    /// <summary>Logs a failed dispatch (ids and exception type only) and forgets the delivery, so that a sender's retry is processed.</summary>
    public async Task ReleaseAfterFailureAsync(WebhookReceipt receipt, Exception? exception, string? failure = null)
    {
        if (receipt.ClaimKey is { } claimKey)
        {
            WebhookLog.HandlerFailed(
                _logger,
                receipt.Envelope.Type.Value,
                receipt.Envelope.ConversationId,
                exception?.GetType().FullName ?? failure ?? "status 500 or above");
            await _store.ReleaseAsync(claimKey, CancellationToken.None).ConfigureAwait(false);
        }
    }

    /// <summary>Appends a claimed delivery to the inbox: 200 when stored; 503 (claim released) when the inbox is full or fails.</summary>
    private async Task<int> EnqueueAsync(WebhookReceipt receipt, int attempts, string? failure, CancellationToken cancellationToken)
    {
        var envelope = receipt.Envelope;
        var delivery = new ConvAiWebhookDelivery
        {
            DeliveryKey = receipt.ClaimKey!,
            EventType = envelope.Type,
            ConversationId = envelope.ConversationId,
            EventTimestamp = envelope.Timestamp,
            Body = receipt.Body,
            ReceivedAt = _timeProvider.GetUtcNow(),
            Attempts = attempts,
            LastFailure = failure,
            LastFailedAt = failure is null ? null : _timeProvider.GetUtcNow(),
        };
        string? refusal;
        try
        {
            refusal = await _inbox.TryEnqueueAsync(delivery, cancellationToken).ConfigureAwait(false) ? null : "the inbox is full";
        }
        catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
        {
            refusal = exception.GetType().FullName!;
        }

        if (refusal is null)
        {
            WebhookLog.Queued(_logger, envelope.Type.Value, envelope.ConversationId);
            return StatusCodes.Status200OK;
        }

        WebhookLog.InboxRefused(_logger, envelope.Type.Value, envelope.ConversationId, refusal);
        await _store.ReleaseAsync(receipt.ClaimKey!, CancellationToken.None).ConfigureAwait(false);
        return StatusCodes.Status503ServiceUnavailable;
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
