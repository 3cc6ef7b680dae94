using System.Collections.Concurrent;

namespace ConvAi.Telephony.AspNetCore;

/// <summary>
/// The default <see cref="IWebhookDeliveryStore"/> for a single instance: claims are atomic within the process and
/// expire by <see cref="TimeProvider"/>. Use the Redis store when several instances receive webhooks.
/// </summary>
public sealed class InMemoryWebhookDeliveryStore : IWebhookDeliveryStore
{
    // Expired claims are swept at most once a minute: a sweep walks every claim, so sweeping every N claims
    // costs O(claims held) per N requests and slowed busy receivers down as the store filled.
    private static readonly TimeSpan SweepInterval = TimeSpan.FromMinutes(1);

    private readonly ConcurrentDictionary<string, DateTimeOffset> _claims = new(StringComparer.Ordinal);
    private readonly TimeProvider _timeProvider;
    private long _nextSweepTicks;

    /// <summary>Creates an empty store.</summary>
    /// <param name="timeProvider">The clock used for expiry; <see cref="TimeProvider.System"/> when null.</param>
    public InMemoryWebhookDeliveryStore(TimeProvider? timeProvider = null)
    {
        _timeProvider = timeProvider ?? TimeProvider.System;
    }

    /// <inheritdoc />
    public ValueTask<bool> TryClaimAsync(string key, TimeSpan expiry, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        var now = _timeProvider.GetUtcNow();
        var nextSweep = Interlocked.Read(ref _nextSweepTicks);
        if (now.UtcTicks >= nextSweep
            && Interlocked.CompareExchange(ref _nextSweepTicks, (now + SweepInterval).UtcTicks, nextSweep) == nextSweep)
        {
            RemoveExpired(now);
        }

        var expiresAt = now + expiry;
        while (true)
        {
            if (_claims.TryAdd(key, expiresAt))
            {
                return ValueTask.FromResult(true);
            }

            if (!_claims.TryGetValue(key, out var existing))
            {
                continue; // released meanwhile: try to add again
            }

            if (existing > now)
            {
                return ValueTask.FromResult(false);
            }

            // Expired: replace it only if nobody else replaced it first.
            if (_claims.TryUpdate(key, expiresAt, existing))
            {
                return ValueTask.FromResult(true);
            }
        }
    }

    /// <inheritdoc />
    public ValueTask ReleaseAsync(string key, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        _claims.TryRemove(key, out _);
        return ValueTask.CompletedTask;
    }

    /// <summary>The number of claims held, expired ones not yet swept included (for tests).</summary>
    internal int Count => _claims.Count;

    private void RemoveExpired(DateTimeOffset now)
    {
        foreach (var claim in _claims)
        {
            if (claim.Value <= now)
            {
                _claims.TryRemove(claim);
            }
        }
    }
}
