namespace ConvAi.Telephony;

/// <summary>
/// Remembers which webhook deliveries are being processed (claims) and which were processed ("processed" marks), so
/// that a duplicate, a re-signed redelivery or a reconciled conversation is acknowledged but not dispatched twice.
/// </summary>
/// <remarks>
/// <para>
/// A key is the delivery's identity, never its signature: <c>{prefix}{event type}:{conversation id}</c>, or
/// <c>{prefix}{event type}:sha256:{body hash}</c> for an event that names no conversation. A key is in one of three
/// states: free, claimed (until the claim's expiry) or processed (until the horizon passed to
/// <see cref="MarkProcessedAsync"/>). <see cref="TryClaimAsync"/> succeeds only on a free key; the operations must be
/// atomic: of several concurrent claims of one key (from any instance sharing the store) exactly one succeeds.
/// </para>
/// <para>
/// A claim has an owner: the store instance that made it (one per process). Only the owner renews
/// (<see cref="RenewClaimAsync"/>) or releases it, so that a process whose claim ended (it stopped renewing, e.g. it was
/// killed) cannot extend or remove the claim another process took since.
/// </para>
/// <para>
/// Who calls what: the receiver claims before it dispatches or queues a delivery, for
/// <c>Deduplication:ClaimLease</c>, and renews the claim every third of that while the handler runs; a claim handed to
/// the inbox is extended to <c>Deduplication:ClaimLifetime</c>. Whoever finishes the handler call (the endpoint in
/// <c>Inline</c> mode, the inbox processor in <c>Queued</c> mode, the reconciler) marks the key processed after the
/// handler returned; a claim is released only when the delivery is neither dispatched nor queued, so that a retry by
/// the sender is processed.
/// </para>
/// <para>
/// The store also keeps the reconciler's checkpoints (<see cref="GetCheckpointAsync"/>, <see cref="SetCheckpointAsync"/>):
/// where the last reconciliation pass stopped, so that a restarted process continues there instead of listing the
/// whole look-back window again. A checkpoint never expires.
/// </para>
/// </remarks>
public interface IConvAiWebhookDeliveryStore
{
    /// <summary>Claims <paramref name="key"/> for <paramref name="expiry"/> unless it holds a live claim or a processed mark.</summary>
    /// <param name="key">The delivery key (event type and conversation id, or event type and body hash).</param>
    /// <param name="expiry">How long the claim lasts; after that the same key can be claimed again.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>True when this call made the claim; false when the delivery is claimed or processed already.</returns>
    ValueTask<bool> TryClaimAsync(string key, TimeSpan expiry, CancellationToken cancellationToken = default);

    /// <summary>
    /// Extends this store instance's live claim of <paramref name="key"/> to <paramref name="expiry"/> from now: the
    /// lease renewal while a handler runs, and the hand-over of a queued delivery's claim to the inbox.
    /// </summary>
    /// <param name="key">The key passed to <see cref="TryClaimAsync"/>.</param>
    /// <param name="expiry">How long the claim lasts from now.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>
    /// True when the claim was extended; false when <paramref name="key"/> holds no live claim of this instance (it
    /// expired, was taken by another instance since, was released or was marked processed), which it leaves unchanged.
    /// </returns>
    ValueTask<bool> RenewClaimAsync(string key, TimeSpan expiry, CancellationToken cancellationToken = default);

    /// <summary>
    /// Removes this store instance's claim, so that a retry of a delivery that was neither dispatched nor queued is
    /// processed. A processed mark, and a claim another instance holds, are kept.
    /// </summary>
    /// <param name="key">The key passed to <see cref="TryClaimAsync"/>.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>A task that completes when the claim is gone.</returns>
    ValueTask ReleaseAsync(string key, CancellationToken cancellationToken = default);

    /// <summary>
    /// Records that the handler processed the delivery: replaces any claim of <paramref name="key"/> by a processed mark
    /// that lasts <paramref name="horizon"/>, during which <see cref="TryClaimAsync"/> refuses the key.
    /// </summary>
    /// <param name="key">The delivery key.</param>
    /// <param name="horizon">How long the mark is kept (<c>ConvAi:Webhooks:Deduplication:ProcessedHorizon</c>, default 7 days).</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>A task that completes when the mark is stored.</returns>
    ValueTask MarkProcessedAsync(string key, TimeSpan horizon, CancellationToken cancellationToken = default);

    /// <summary>Tells whether <paramref name="key"/> holds a live processed mark (a claim alone is not processed).</summary>
    /// <param name="key">The delivery key.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>True when the delivery was processed within the horizon.</returns>
    ValueTask<bool> IsProcessedAsync(string key, CancellationToken cancellationToken = default);

    /// <summary>Reads a checkpoint stored by <see cref="SetCheckpointAsync"/>.</summary>
    /// <param name="name">The checkpoint's name, e.g. <c>{prefix}reconcile:{agent id}</c>.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The stored time (to the millisecond), or null when none was stored under <paramref name="name"/>.</returns>
    ValueTask<DateTimeOffset?> GetCheckpointAsync(string name, CancellationToken cancellationToken = default);

    /// <summary>Stores a checkpoint, replacing any stored under <paramref name="name"/> (also by a later or earlier value); it never expires.</summary>
    /// <param name="name">The checkpoint's name, e.g. <c>{prefix}reconcile:{agent id}</c>.</param>
    /// <param name="value">The time to store; kept to the millisecond.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>A task that completes when the checkpoint is stored.</returns>
    ValueTask SetCheckpointAsync(string name, DateTimeOffset value, CancellationToken cancellationToken = default);
}
