namespace ConvAi.Telephony.AspNetCore;

/// <summary>
/// Remembers which webhook deliveries were accepted, so that a duplicate or replayed delivery is acknowledged but
/// not dispatched twice. Claims must be atomic: of several concurrent claims of one key exactly one succeeds.
/// </summary>
public interface IWebhookDeliveryStore
{
    /// <summary>Claims <paramref name="key"/> for <paramref name="expiry"/> unless a live claim exists.</summary>
    /// <param name="key">The delivery key (event type, conversation id and signature digest).</param>
    /// <param name="expiry">How long the claim lasts; after that the same key can be claimed again.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>True when this call made the claim; false when the delivery was already claimed.</returns>
    ValueTask<bool> TryClaimAsync(string key, TimeSpan expiry, CancellationToken cancellationToken = default);

    /// <summary>Removes a claim, so that a retry of a delivery whose handler failed is processed.</summary>
    /// <param name="key">The key passed to <see cref="TryClaimAsync"/>.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>A task that completes when the claim is gone.</returns>
    ValueTask ReleaseAsync(string key, CancellationToken cancellationToken = default);
}
