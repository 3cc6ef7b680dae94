using System.Buffers;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ConvAi.Telephony;

/// <summary>
/// The one path every webhook delivery takes, whatever hosts it (the ASP.NET Core endpoint, a marked endpoint of the
/// app, a worker or a function with no ASP.NET Core): verify the <c>ElevenLabs-Signature</c>, read the envelope,
/// claim the delivery by its identity (a duplicate or a re-signed redelivery is acknowledged, not processed twice),
/// then hand it to a handler or to the inbox. Registered as a singleton by <c>AddConvAiWebhooks</c>.
/// </summary>
/// <remarks>
/// <see cref="ProcessAsync"/> does the whole job with the registered <see cref="ConvAiWebhookHandler"/>, by
/// <see cref="ConvAiWebhookDeliveryOptions.Mode"/>. <see cref="ReceiveAsync"/> stops after the claim and gives you the event;
/// <see cref="ConvAiWebhookReceipt.HandleAsync"/> then runs your own code as its handler. The body is the raw request
/// body, exactly as signed; the receipt holds it in a pooled buffer until it is disposed.
/// </remarks>
public sealed class ConvAiWebhookReceiver
{
    private const int InitialBufferSize = 16 * 1024;

    private readonly ConvAiWebhookOptions _options;
    private readonly ConvAiWebhookSignature _signature;
    private readonly SourceIpAllowlist? _allowlist;
    private readonly IConvAiWebhookDeliveryStore _store;
    private readonly IConvAiWebhookInbox _inbox;
    private readonly WebhookDispatcher _dispatcher;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly WebhookAcknowledgementGate _acknowledgements;

    internal ConvAiWebhookReceiver(
        IOptions<ConvAiWebhookOptions> options,
        IConvAiWebhookDeliveryStore store,
        IConvAiWebhookInbox inbox,
        WebhookDispatcher dispatcher,
        TimeProvider timeProvider,
        ILogger<ConvAiWebhookReceiver> logger,
        WebhookAcknowledgementGate acknowledgements)
    {
        _options = options.Value;
        _signature = new ConvAiWebhookSignature(
            _options.EffectiveSecrets,
            _options.Verification.TimestampTolerance,
            ConvAiWebhookSignature.DefaultFutureTolerance,
            timeProvider);
        _allowlist = _options.Verification.EnableSourceIpAllowlist
            ? new SourceIpAllowlist(_options.Verification.AllowedSourceIps.Count > 0 ? _options.Verification.AllowedSourceIps : ConvAiWebhookOptions.PublishedSourceIps)
            : null;
        _store = store;
        _inbox = inbox;
        _dispatcher = dispatcher;
        _timeProvider = timeProvider;
        _logger = logger;
        _acknowledgements = acknowledgements;
    }

    /// <summary>Gets the options the receiver runs with.</summary>
    public ConvAiWebhookOptions Options => _options;

    /// <summary>
    /// Tells whether a request from <paramref name="remoteAddress"/> may deliver webhooks: always true unless
    /// <see cref="ConvAiWebhookVerificationOptions.EnableSourceIpAllowlist"/> is on; then only the allowed (or published) addresses.
    /// </summary>
    /// <param name="remoteAddress">The sender's address as the host sees it (after forwarded-header processing, if any).</param>
    /// <returns>True when the address may deliver webhooks.</returns>
    public bool IsAllowedSource(System.Net.IPAddress? remoteAddress) => _allowlist?.IsAllowed(remoteAddress) ?? true;

    /// <summary>
    /// Verifies, parses and claims a delivery, and hands it to the registered <see cref="ConvAiWebhookHandler"/> by
    /// <see cref="ConvAiWebhookDeliveryOptions.Mode"/>: <see cref="ConvAiWebhookMode.Inline"/> runs the handler before
    /// returning (a handler that throws hands the delivery to the inbox for retries), <see cref="ConvAiWebhookMode.Queued"/>
    /// reads only the envelope and appends the delivery to the inbox.
    /// </summary>
    /// <param name="body">The raw body, exactly as signed; read to its end (up to the size limit) into a pooled buffer.</param>
    /// <param name="signatureHeader">The <c>ElevenLabs-Signature</c> header; null or empty when absent (then the body is not read).</param>
    /// <param name="bodyLength">The body's length when known (e.g. <c>Content-Length</c>), so that it is read into one buffer of that size.</param>
    /// <param name="maxBodySize">The largest accepted body in bytes; <see cref="ConvAiWebhookVerificationOptions.MaxRequestBodySize"/> when null.</param>
    /// <param name="cancellationToken">Cancels the read, the store and the handler calls (e.g. the request was aborted).</param>
    /// <returns>
    /// What became of the delivery, with the status to answer: 200 when processed, queued or a duplicate; 401, 400, 413
    /// or 503 as in <see cref="ConvAiWebhookReceipt.StatusCode"/>; 500 only when the handler threw and the inbox refused
    /// the delivery (400 if the handler's read of malformed data threw), with the claim released. Dispose it.
    /// </returns>
    public async Task<ConvAiWebhookReceipt> ProcessAsync(Stream body, string? signatureHeader, long? bodyLength = null, long? maxBodySize = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(body);
        if (_options.Delivery.Mode == ConvAiWebhookMode.Queued)
        {
            // The inbox processor holds off while deliveries are being acknowledged, reading included (answers first).
            using var acknowledging = _acknowledgements.Enter();
            var queued = await ReceiveCoreAsync(body, signatureHeader, bodyLength, maxBodySize, queue: true, cancellationToken).ConfigureAwait(false);
            queued.Dispose();
            return queued;
        }

        var receipt = await ReceiveCoreAsync(body, signatureHeader, bodyLength, maxBodySize, queue: false, cancellationToken).ConfigureAwait(false);
        if (receipt.Event is not { } webhookEvent)
        {
            return receipt;
        }

        bool marked;
        try
        {
            marked = await _dispatcher.DispatchAsync(webhookEvent, receipt.ClaimKey!, cancellationToken).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // Any handler failure hands the delivery to the inbox for retries instead of losing it.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            await receipt.StopRenewalAsync().ConfigureAwait(false);
            // Malformed data (thrown when the handler read it) goes to the inbox too, whose processor dead-letters it
            // without retries; only when the inbox refuses it is it answered, as the sender's fault: 400, never 500.
            var status = await QueueAfterFailureAsync(receipt, exception).ConfigureAwait(false);
            return status == 200
                ? receipt.Settle(ConvAiWebhookReceiptStatus.Queued, status)
                : receipt.Settle(ConvAiWebhookReceiptStatus.Unavailable, webhookEvent.HasMalformedData ? 400 : 500);
        }

        await receipt.StopRenewalAsync().ConfigureAwait(false);
        if (!marked)
        {
            await _dispatcher.MarkProcessedAsync(receipt.ClaimKey!, receipt.Envelope.ConversationId).ConfigureAwait(false);
        }

        return receipt.Settle(ConvAiWebhookReceiptStatus.Processed, 200);
    }

    /// <summary>
    /// Verifies, parses and claims a delivery for handling by your own code: when the receipt is
    /// <see cref="ConvAiWebhookReceiptStatus.Accepted"/>, run your code through <see cref="ConvAiWebhookReceipt.HandleAsync"/>
    /// (which marks it processed or keeps it as a dead letter); otherwise answer <see cref="ConvAiWebhookReceipt.StatusCode"/>.
    /// A transcription's data is bound when it is first read.
    /// </summary>
    /// <param name="body">The raw body, exactly as signed; read to its end (up to the size limit) into a pooled buffer.</param>
    /// <param name="signatureHeader">The <c>ElevenLabs-Signature</c> header; null or empty when absent (then the body is not read).</param>
    /// <param name="bodyLength">The body's length when known (e.g. <c>Content-Length</c>), so that it is read into one buffer of that size.</param>
    /// <param name="maxBodySize">The largest accepted body in bytes; <see cref="ConvAiWebhookVerificationOptions.MaxRequestBodySize"/> when null.</param>
    /// <param name="cancellationToken">Cancels the read and the store call.</param>
    /// <returns>The receipt; dispose it when done.</returns>
    public Task<ConvAiWebhookReceipt> ReceiveAsync(Stream body, string? signatureHeader, long? bodyLength = null, long? maxBodySize = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(body);
        return ReceiveCoreAsync(body, signatureHeader, bodyLength, maxBodySize, queue: false, cancellationToken).AsTask();
    }

    /// <summary>
    /// Reconciliation: processes an event rebuilt from the API through the same claim, handler and processed mark as a
    /// delivery. Returns null when it was processed or is being processed already, true when dispatched, and throws when
    /// the handler did (with the claim released, so that a later pass tries again).
    /// </summary>
    internal async Task<bool> ProcessReconciledAsync(PostCallTranscriptionEvent webhookEvent, CancellationToken cancellationToken)
    {
        var key = WebhookDeliveryKey.For(_options.Deduplication.KeyPrefix, webhookEvent.Type, webhookEvent.ConversationId, default);
        var lease = _options.Deduplication.ClaimLease;
        if (!await _store.TryClaimAsync(key, lease, cancellationToken).ConfigureAwait(false))
        {
            return false;
        }

        var renewal = WebhookClaimRenewal.Start(_store, key, lease, webhookEvent.Type, webhookEvent.ConversationId, _timeProvider, _logger);
        bool marked;
        try
        {
            marked = await _dispatcher.DispatchAsync(webhookEvent, key, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await renewal.DisposeAsync().ConfigureAwait(false);
            await _store.ReleaseAsync(key, CancellationToken.None).ConfigureAwait(false);
            throw;
        }

        await renewal.DisposeAsync().ConfigureAwait(false);
        if (!marked)
        {
            await _dispatcher.MarkProcessedAsync(key, webhookEvent.ConversationId).ConfigureAwait(false);
        }

        return true;
    }

    /// <summary>Whether a delivery of this event was processed within the horizon (reconciliation skips it without fetching).</summary>
    internal ValueTask<bool> IsProcessedAsync(ConvAiWebhookEventType type, string conversationId, CancellationToken cancellationToken) =>
        _store.IsProcessedAsync(WebhookDeliveryKey.For(_options.Deduplication.KeyPrefix, type, conversationId, default), cancellationToken);

    internal async Task<bool> HandleAcceptedAsync(
        ConvAiWebhookReceipt receipt,
        ConvAiWebhookEvent webhookEvent,
        Func<ConvAiWebhookEvent, CancellationToken, Task<string?>> handler,
        CancellationToken cancellationToken)
    {
        Exception? thrown = null;
        string? failure;
        try
        {
            failure = await _dispatcher.DispatchAsync(webhookEvent, handler, cancellationToken).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // The failure is kept as a dead letter; the exception is rethrown when it cannot be.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            thrown = exception;
            failure = exception.GetType().FullName!;
        }

        await receipt.StopRenewalAsync().ConfigureAwait(false);
        if (failure is null)
        {
            await _dispatcher.MarkProcessedAsync(receipt.ClaimKey!, receipt.Envelope.ConversationId).ConfigureAwait(false);
            return true;
        }

        receipt.Settle(ConvAiWebhookReceiptStatus.Queued, 200);
        if (await DeadLetterAfterFailureAsync(receipt, failure).ConfigureAwait(false) || thrown is null)
        {
            return false;
        }

        receipt.Settle(ConvAiWebhookReceiptStatus.Unavailable, 500);
        System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(thrown);
        return false;
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<ConvAiWebhookReceipt> ReceiveCoreAsync(Stream stream, string? header, long? bodyLength, long? maxBodySize, bool queue, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(header))
        {
            return Reject(ConvAiWebhookReceiptStatus.SignatureRejected, 401, nameof(ConvAiWebhookSignatureResult.MissingHeader), ConvAiWebhookSignatureResult.MissingHeader);
        }

        var limit = maxBodySize ?? _options.Verification.MaxRequestBodySize;
        var (buffer, length) = await ReadBodyAsync(stream, bodyLength, limit, cancellationToken).ConfigureAwait(false);
        if (buffer is null)
        {
            return Reject(ConvAiWebhookReceiptStatus.TooLarge, 413, "the body is larger than the limit");
        }

        var receipt = ConvAiWebhookReceipt.ForBody(buffer, length, this);
        try
        {
            return await AcceptAsync(receipt, header, queue, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            receipt.Dispose();
            throw;
        }
    }

    /// <summary>Verifies, reads the envelope (and types the event unless queuing) and claims; a rejected receipt is disposed.</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<ConvAiWebhookReceipt> AcceptAsync(ConvAiWebhookReceipt receipt, string header, bool queue, CancellationToken cancellationToken)
    {
        var body = receipt.Body;
        var verification = _signature.Verify(body.Span, header);
        if (verification != ConvAiWebhookSignatureResult.Valid)
        {
            receipt.Dispose();
            return Reject(ConvAiWebhookReceiptStatus.SignatureRejected, 401, verification.ToString(), verification);
        }

        if (!ConvAiWebhookEventParser.TryReadEnvelope(body.Span, out var envelope, out var error, stopEarly: true))
        {
            receipt.Dispose();
            return Reject(ConvAiWebhookReceiptStatus.PayloadRejected, 400, error);
        }

        // Inline: type the event before claiming, so that a bad payload is answered 400 without a claim to undo. A
        // transcription's data is only checked to be an object here: it binds when the handler first reads it.
        ConvAiWebhookEvent? webhookEvent = null;
        if (!queue && !ConvAiWebhookEventParser.TryParse(body, envelope, receipt.Lease, bindLazily: true, out webhookEvent, out error))
        {
            receipt.Dispose();
            return Reject(ConvAiWebhookReceiptStatus.PayloadRejected, 400, error);
        }

        var key = WebhookDeliveryKey.For(_options.Deduplication.KeyPrefix, envelope.Type, envelope.ConversationId, body.Span);
        bool claimed;
        try
        {
            // A lease, renewed while the handler runs (or extended when the inbox takes the delivery): the claim of a
            // process that dies now ends within ClaimLease instead of blocking the delivery for ClaimLifetime.
            claimed = await _store.TryClaimAsync(key, _options.Deduplication.ClaimLease, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
        {
            // Not the sender's fault: 503 makes ElevenLabs retry once the store is back.
            receipt.Dispose();
            WebhookLog.StoreUnavailable(_logger, envelope.Type.Value, envelope.ConversationId, exception.GetType().FullName!);
            return ConvAiWebhookReceipt.Answer(ConvAiWebhookReceiptStatus.Unavailable, 503);
        }

        if (!claimed)
        {
            receipt.Dispose();
            WebhookLog.Duplicate(_logger, envelope.Type.Value, envelope.ConversationId);
            return ConvAiWebhookReceipt.Answer(ConvAiWebhookReceiptStatus.Duplicate, 200);
        }

        if (webhookEvent is null)
        {
            receipt.Claim(key, envelope);
            var queued = await EnqueueAsync(receipt, attempts: 0, failure: null, cancellationToken).ConfigureAwait(false);
            return receipt.Settle(queued == 200 ? ConvAiWebhookReceiptStatus.Queued : ConvAiWebhookReceiptStatus.Unavailable, queued);
        }

        receipt.Claim(key, envelope, WebhookClaimRenewal.Start(_store, key, _options.Deduplication.ClaimLease, envelope.Type, envelope.ConversationId, _timeProvider, _logger));
        WebhookLog.Accepted(_logger, envelope.Type.Value, envelope.ConversationId);
        return receipt.Accept(webhookEvent);
    }

    /// <summary>
    /// After the handler threw in <c>Inline</c> mode: hands the delivery to the inbox, which retries it (answer 200); when
    /// the inbox refuses it, releases the claim (answer 500) so that a retry by the sender is processed.
    /// </summary>
    private async Task<int> QueueAfterFailureAsync(ConvAiWebhookReceipt receipt, Exception exception)
    {
        var status = await EnqueueAsync(receipt, attempts: 1, exception.GetType().FullName, CancellationToken.None).ConfigureAwait(false);
        if (status == 200)
        {
            WebhookLog.HandlerFailedQueued(_logger, receipt.Envelope.Type.Value, receipt.Envelope.ConversationId, exception.GetType().FullName!);
            return status;
        }

        await ReleaseAfterFailureAsync(receipt, exception.GetType().FullName!).ConfigureAwait(false);
        return 500;
    }

    /// <summary>
    /// After the delivery's own handler failed: keeps the verified delivery as a dead letter, and keeps the claim so that a
    /// redelivery is not processed beside it. When the inbox refuses it, releases the claim instead.
    /// </summary>
    private async Task<bool> DeadLetterAfterFailureAsync(ConvAiWebhookReceipt receipt, string failure)
    {
        try
        {
            var id = await _inbox.AddDeadLetterAsync(NewDelivery(receipt, attempts: 0, failure: null), failure, CancellationToken.None).ConfigureAwait(false);
            await HandClaimToInboxAsync(receipt).ConfigureAwait(false);
            WebhookLog.EndpointFailedDeadLettered(_logger, receipt.Envelope.Type.Value, receipt.Envelope.ConversationId, failure, id);
            return true;
        }
#pragma warning disable CA1031 // The inbox failed too: release the claim (logged) so that a retry by the sender is processed.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            WebhookLog.InboxRefused(_logger, receipt.Envelope.Type.Value, receipt.Envelope.ConversationId, exception.GetType().FullName!);
            await ReleaseAfterFailureAsync(receipt, failure).ConfigureAwait(false);
            return false;
        }
    }

    /// <summary>Logs a failed dispatch (ids and exception type only) and forgets the delivery, so that a sender's retry is processed.</summary>
    private async Task ReleaseAfterFailureAsync(ConvAiWebhookReceipt receipt, string failure)
    {
        WebhookLog.HandlerFailed(_logger, receipt.Envelope.Type.Value, receipt.Envelope.ConversationId, failure);
        await _store.ReleaseAsync(receipt.ClaimKey!, CancellationToken.None).ConfigureAwait(false);
    }

    /// <summary>Appends a claimed delivery to the inbox: 200 when stored; 503 (claim released) when the inbox is full or fails.</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<int> EnqueueAsync(ConvAiWebhookReceipt receipt, int attempts, string? failure, CancellationToken cancellationToken)
    {
        var envelope = receipt.Envelope;
        string? refusal;
        try
        {
            refusal = await _inbox.TryEnqueueAsync(NewDelivery(receipt, attempts, failure), cancellationToken).ConfigureAwait(false) ? null : "the inbox is full";
        }
        catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
        {
            refusal = exception.GetType().FullName!;
        }

        if (refusal is null)
        {
            await HandClaimToInboxAsync(receipt).ConfigureAwait(false);
            WebhookLog.Queued(_logger, envelope.Type.Value, envelope.ConversationId);
            return 200;
        }

        WebhookLog.InboxRefused(_logger, envelope.Type.Value, envelope.ConversationId, refusal);
        await _store.ReleaseAsync(receipt.ClaimKey!, CancellationToken.None).ConfigureAwait(false);
        return 503;
    }

    /// <summary>
    /// The inbox holds the delivery now: its claim lasts <see cref="ConvAiWebhookDeduplicationOptions.ClaimLifetime"/>
    /// instead of the lease, so that a redelivery or the reconciler leaves it to the inbox processor. Best effort: when
    /// the store fails, the claim ends with its lease and the processor still finds the delivery processed or not.
    /// </summary>
    private async Task HandClaimToInboxAsync(ConvAiWebhookReceipt receipt)
    {
        try
        {
            await _store.RenewClaimAsync(receipt.ClaimKey!, _options.Deduplication.ClaimLifetime, CancellationToken.None).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // The delivery is in the inbox; a shorter claim costs at most a duplicate in the inbox.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            WebhookLog.ClaimRenewalFailed(_logger, receipt.Envelope.Type.Value, receipt.Envelope.ConversationId, exception.GetType().FullName!);
        }
    }

    /// <summary>Reads the whole body into a pooled buffer, stopping as soon as it exceeds <paramref name="limit"/> (then null).</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private static async ValueTask<(byte[]? Buffer, int Length)> ReadBodyAsync(Stream stream, long? bodyLength, long limit, CancellationToken cancellationToken)
    {
        var known = bodyLength ?? (stream.CanSeek ? stream.Length - stream.Position : null);
        if (known > limit)
        {
            return (null, 0);
        }

        var expected = known ?? InitialBufferSize;

        var buffer = ArrayPool<byte>.Shared.Rent((int)Math.Clamp(expected, 1, limit + 1));
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

                var read = await stream.ReadAsync(buffer.AsMemory(length), cancellationToken).ConfigureAwait(false);
                if (read == 0)
                {
                    return (buffer, length);
                }

                length += read;
                if (length > limit)
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                    return (null, 0);
                }
            }
        }
        catch
        {
            ArrayPool<byte>.Shared.Return(buffer);
            throw;
        }
    }

    private ConvAiWebhookDelivery NewDelivery(ConvAiWebhookReceipt receipt, int attempts, string? failure) => new()
    {
        DeliveryKey = receipt.ClaimKey!,
        EventType = receipt.Envelope.Type,
        ConversationId = receipt.Envelope.ConversationId,
        EventTimestamp = receipt.Envelope.Timestamp,
        Body = receipt.Body,
        ReceivedAt = _timeProvider.GetUtcNow(),
        Attempts = attempts,
        LastFailure = failure,
        LastFailedAt = failure is null ? null : _timeProvider.GetUtcNow(),
    };

    private ConvAiWebhookReceipt Reject(ConvAiWebhookReceiptStatus status, int statusCode, string reason, ConvAiWebhookSignatureResult signature = ConvAiWebhookSignatureResult.Valid)
    {
        WebhookLog.Rejected(_logger, statusCode, reason);
        return ConvAiWebhookReceipt.Answer(status, statusCode, signature);
    }
}
