namespace ConvAi.Telephony;

/// <summary>
/// Holds verified webhook deliveries until the handler has processed them: the receiver appends, a processor leases,
/// dispatches and then completes, retries later or dead-letters each delivery. Resolve it from DI to list and re-drive
/// dead letters.
/// </summary>
/// <remarks>
/// <para>
/// <b>At-least-once.</b> A delivery that <see cref="TryEnqueueAsync"/> accepted stays in the inbox until a processor
/// calls <see cref="CompleteAsync"/> (after the handler returned and the delivery was marked processed in the
/// <see cref="IConvAiWebhookDeliveryStore"/>) or <see cref="DeadLetterAsync"/>. The handler may therefore see a delivery more
/// than once: when the processor stopped between the handler's return and the processed mark. Handlers should write
/// with an upsert keyed by <see cref="ConvAiWebhookEvent.ConversationId"/>.
/// </para>
/// <para>
/// <b>Leases.</b> <see cref="LeaseAsync"/> hands an item to one processor. The lease ends with exactly one of
/// <see cref="CompleteAsync"/>, <see cref="RetryLaterAsync"/> or <see cref="DeadLetterAsync"/>. A lease that never
/// ends (the consumer crashed) makes the item leasable again in a shared inbox after the inbox's idle time (Redis
/// Streams: <c>XAUTOCLAIM</c>); an in-memory inbox loses it with the process, which reconciliation recovers.
/// </para>
/// <para>
/// <b>Attempts.</b> <see cref="ConvAiWebhookDelivery.Attempts"/> counts failed handler calls.
/// <see cref="RetryLaterAsync"/> with a failure and <see cref="DeadLetterAsync"/> store the delivery with one more
/// attempt; the processor decides the backoff and when the last attempt is reached. A lease ended by a crash is not
/// counted.
/// </para>
/// <para>
/// <b>Bodies.</b> The inbox copies the body before <see cref="TryEnqueueAsync"/> returns (the caller's buffer is
/// pooled). A leased item carries the whole body; <see cref="ListDeadLettersAsync"/> may leave bodies empty.
/// </para>
/// </remarks>
public interface IConvAiWebhookInbox
{
    /// <summary>Appends a verified, claimed delivery. Never drops silently: a full or failing inbox says so.</summary>
    /// <param name="delivery">The delivery; its body is copied before the call returns.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>True when the delivery is stored; false when the inbox is full (the receiver answers 503).</returns>
    ValueTask<bool> TryEnqueueAsync(ConvAiWebhookDelivery delivery, CancellationToken cancellationToken = default);

    /// <summary>Waits until a delivery is due and leases it to the caller.</summary>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <returns>The leased item.</returns>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was signalled while waiting.</exception>
    ValueTask<ConvAiWebhookInboxItem> LeaseAsync(CancellationToken cancellationToken = default);

    /// <summary>Ends a lease after the handler processed the delivery: removes it from the inbox (Redis: <c>XACK</c>).</summary>
    /// <param name="item">The leased item.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>A task that completes when the delivery is gone.</returns>
    ValueTask CompleteAsync(ConvAiWebhookInboxItem item, CancellationToken cancellationToken = default);

    /// <summary>Ends a lease by putting the delivery back, to be leased again at <paramref name="dueAt"/> or later.</summary>
    /// <param name="item">The leased item.</param>
    /// <param name="dueAt">The earliest time the delivery is leased again.</param>
    /// <param name="failure">
    /// Why the attempt failed (an exception type name, never a message that could hold transcript text); counted as an
    /// attempt. Null gives the lease back without counting one (e.g. at shutdown).
    /// </param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>A task that completes when the delivery is back in the inbox.</returns>
    ValueTask RetryLaterAsync(ConvAiWebhookInboxItem item, DateTimeOffset dueAt, string? failure, CancellationToken cancellationToken = default);

    /// <summary>Ends a lease by moving the delivery to the dead-letter list, counting the failed attempt.</summary>
    /// <param name="item">The leased item.</param>
    /// <param name="failure">Why the last attempt failed (an exception type name).</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>A task that completes when the delivery is dead-lettered.</returns>
    ValueTask DeadLetterAsync(ConvAiWebhookInboxItem item, string failure, CancellationToken cancellationToken = default);

    /// <summary>
    /// Stores a verified delivery that failed outside the inbox (an endpoint marked with <c>RequireConvAiWebhookSignature()</c>
    /// or <c>[ConvAiWebhook]</c> that threw) directly as a dead letter, counting the failed attempt. It is listed and
    /// re-driven like any other dead letter.
    /// </summary>
    /// <param name="delivery">The delivery; its body is copied before the call returns.</param>
    /// <param name="failure">Why the attempt failed (an exception type name).</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The inbox's id of the dead letter.</returns>
    ValueTask<string> AddDeadLetterAsync(ConvAiWebhookDelivery delivery, string failure, CancellationToken cancellationToken = default);

    /// <summary>Lists dead-lettered deliveries, oldest first.</summary>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The dead letters; their bodies may be empty.</returns>
    ValueTask<IReadOnlyList<ConvAiWebhookInboxItem>> ListDeadLettersAsync(CancellationToken cancellationToken = default);

    /// <summary>Moves a dead letter back into the inbox, due now, with its attempts reset to zero.</summary>
    /// <param name="id">The <see cref="ConvAiWebhookInboxItem.Id"/> of the dead letter.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>True when the dead letter was found and re-driven; false when no dead letter has that id.</returns>
    ValueTask<bool> RedriveAsync(string id, CancellationToken cancellationToken = default);
}
