namespace ConvAi.Telephony;

/// <summary>What <see cref="ConvAiWebhookReceiver"/> made of one delivery.</summary>
public enum ConvAiWebhookReceiptStatus
{
    /// <summary>Verified, parsed and claimed: <see cref="ConvAiWebhookReceipt.Event"/> is yours to handle (see <see cref="ConvAiWebhookReceipt.HandleAsync"/>).</summary>
    Accepted,

    /// <summary>Verified and handled (by the registered <see cref="ConvAiWebhookHandler"/> or through <see cref="ConvAiWebhookReceipt.HandleAsync"/>).</summary>
    Processed,

    /// <summary>Verified, claimed and stored in the inbox for the processor (Queued mode, a failed handler's retries, or a dead letter).</summary>
    Queued,

    /// <summary>Verified, but the same event was processed or is being processed already: acknowledge it, do nothing.</summary>
    Duplicate,

    /// <summary>The signature header is missing, malformed, stale or wrong (<see cref="ConvAiWebhookReceipt.Signature"/> says which).</summary>
    SignatureRejected,

    /// <summary>Verified, but not a readable webhook (not JSON, no <c>type</c>, no <c>data</c>).</summary>
    PayloadRejected,

    /// <summary>The body is larger than the limit (<see cref="ConvAiWebhookVerificationOptions.MaxRequestBodySize"/> or the caller's); nothing was verified.</summary>
    TooLarge,

    /// <summary>The delivery store or the inbox failed or is full: nothing was kept, and a retry by the sender will be processed.</summary>
    Unavailable,
}

/// <summary>
/// One delivery as <see cref="ConvAiWebhookReceiver"/> received it: the status, the HTTP status the library answers
/// for it, and, when accepted, the event to handle. It holds the body in a pooled buffer: dispose it when done (an
/// event that reads from the body, such as a <c>post_call_audio</c>'s audio, fails afterwards).
/// </summary>
public sealed class ConvAiWebhookReceipt : IDisposable
{
    private readonly ConvAiWebhookReceiver? _receiver;
    private byte[]? _buffer;
    private int _length;
    private WebhookClaimRenewal? _renewal;

    private ConvAiWebhookReceipt(ConvAiWebhookReceiptStatus status, int statusCode, ConvAiWebhookSignatureResult signature, ConvAiWebhookReceiver? receiver)
    {
        Status = status;
        StatusCode = statusCode;
        Signature = signature;
        _receiver = receiver;
    }

    /// <summary>Gets what became of the delivery.</summary>
    public ConvAiWebhookReceiptStatus Status { get; private set; }

    /// <summary>
    /// Gets the HTTP status to answer the sender: 200 (accepted, processed, queued or duplicate), 401 (signature), 400
    /// (payload), 413 (too large) or 503 (store or inbox unavailable).
    /// </summary>
    public int StatusCode { get; private set; }

    /// <summary>Gets the result of the signature check (<see cref="ConvAiWebhookSignatureResult.Valid"/> for every status past it).</summary>
    public ConvAiWebhookSignatureResult Signature { get; }

    /// <summary>Gets the verified event while <see cref="Status"/> is <see cref="ConvAiWebhookReceiptStatus.Accepted"/>; otherwise null.</summary>
    public ConvAiWebhookEvent? Event { get; private set; }

    /// <summary>The delivery-store key claimed for the delivery; null until claimed.</summary>
    internal string? ClaimKey { get; private set; }

    /// <summary>The envelope of the claimed delivery.</summary>
    internal WebhookEnvelope Envelope { get; private set; }

    /// <summary>Gets the verified body, exactly as signed, while the delivery is accepted or handled; empty once disposed or rejected.</summary>
    public ReadOnlyMemory<byte> Body => _buffer is { } buffer ? buffer.AsMemory(0, _length) : default;

    /// <summary>Tells events that read from the body whether it is still valid.</summary>
    internal WebhookBodyLease Lease { get; } = new();

    /// <summary>
    /// Runs <paramref name="handler"/> as the accepted delivery's own handler (an endpoint of the app, a function): the
    /// call's outcome is published to <c>WaitForOutcomeAsync</c>, then the delivery is marked processed when the handler
    /// returns null, or kept as a dead letter (listed and re-driven to the registered <see cref="ConvAiWebhookHandler"/>
    /// through <see cref="IConvAiWebhookInbox"/>) when it returns a failure or throws. The exception is rethrown only
    /// when the dead letter could not be kept; the claim is then released, so that a retry by the sender is processed.
    /// </summary>
    /// <param name="handler">Handles the event; returns null on success, or a short failure description (never payload text).</param>
    /// <param name="cancellationToken">Passed to the handler.</param>
    /// <returns>True when the delivery was processed; false when it was kept as a dead letter.</returns>
    /// <exception cref="InvalidOperationException">The receipt is not <see cref="ConvAiWebhookReceiptStatus.Accepted"/> (or was handled already).</exception>
    public Task<bool> HandleAsync(Func<ConvAiWebhookEvent, CancellationToken, Task<string?>> handler, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(handler);
        if (Status != ConvAiWebhookReceiptStatus.Accepted || Event is not { } webhookEvent || _receiver is null)
        {
            throw new InvalidOperationException($"Only an accepted delivery is handled; this one is {Status}.");
        }

        Status = ConvAiWebhookReceiptStatus.Processed;
        return _receiver.HandleAcceptedAsync(this, webhookEvent, handler, cancellationToken);
    }

    /// <summary>Returns the body's pooled buffer (events that read from it fail afterwards) and stops renewing an unhandled delivery's claim.</summary>
    public void Dispose()
    {
        Lease.Release();
        if (Interlocked.Exchange(ref _renewal, null) is { } renewal)
        {
            // Accepted but never handled: the claim ends within one lease, so the delivery can be processed again.
            _ = renewal.DisposeAsync().AsTask();
        }

        if (Interlocked.Exchange(ref _buffer, null) is { } buffer)
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    internal static ConvAiWebhookReceipt Answer(ConvAiWebhookReceiptStatus status, int statusCode, ConvAiWebhookSignatureResult signature = ConvAiWebhookSignatureResult.Valid) =>
        new(status, statusCode, signature, receiver: null);

    /// <summary>A receipt that owns <paramref name="buffer"/> (rented from the shared pool) holding <paramref name="length"/> body bytes.</summary>
    internal static ConvAiWebhookReceipt ForBody(byte[] buffer, int length, ConvAiWebhookReceiver receiver) =>
        new(ConvAiWebhookReceiptStatus.Accepted, 200, ConvAiWebhookSignatureResult.Valid, receiver) { _buffer = buffer, _length = length };

    internal void Claim(string claimKey, WebhookEnvelope envelope, WebhookClaimRenewal? renewal = null)
    {
        ClaimKey = claimKey;
        Envelope = envelope;
        _renewal = renewal;
    }

    /// <summary>Stops renewing the claim (the handler returned or threw): the caller's next write to it is the last one.</summary>
    internal ValueTask StopRenewalAsync() =>
        Interlocked.Exchange(ref _renewal, null) is { } renewal ? renewal.DisposeAsync() : ValueTask.CompletedTask;

    internal ConvAiWebhookReceipt Accept(ConvAiWebhookEvent webhookEvent)
    {
        Event = webhookEvent;
        return this;
    }

    internal ConvAiWebhookReceipt Settle(ConvAiWebhookReceiptStatus status, int statusCode)
    {
        Status = status;
        StatusCode = statusCode;
        Event = null;
        return this;
    }
}
