namespace ConvAi.Telephony;

/// <summary>
/// The default <see cref="IConvAiWebhookDeliveryStore"/> for a single instance: claims and processed marks are atomic within
/// the process and expire by <see cref="TimeProvider"/>. Use a shared store (Redis) when several instances receive
/// webhooks. Everything is lost when the process stops.
/// </summary>
/// <remarks>
/// The store is bounded: it holds at most <see cref="Capacity"/> keys (default 100,000, about 20 MB). When a new key
/// would exceed that, the key stored longest ago is forgotten first, whatever its expiry; a redelivery of a forgotten
/// key is dispatched again (reconciliation never dispatches a conversation it finds processed within the horizon, so
/// size the capacity above the deliveries expected within <c>ProcessedHorizon</c>).
/// </remarks>
public sealed class InMemoryWebhookDeliveryStore : IConvAiWebhookDeliveryStore
{
    /// <summary>The default <see cref="Capacity"/>: 100,000 keys.</summary>
    public const int DefaultCapacity = 100_000;

    // Expired entries are swept at most once a minute: a sweep walks every entry, so sweeping on every call would cost
    // O(entries) per request and slow a busy receiver down as the store fills.
    private static readonly TimeSpan SweepInterval = TimeSpan.FromMinutes(1);

    private readonly Dictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly Dictionary<string, DateTimeOffset> _checkpoints = new(StringComparer.Ordinal);

    // Keys in the order they were stored, with the version stored, so that an entry replaced later is not evicted early.
    private readonly Queue<(string Key, long Version)> _order = new();
    private readonly TimeProvider _timeProvider;
    private readonly object _lock = new();
    private DateTimeOffset _nextSweep;
    private long _version;

    /// <summary>Creates an empty store.</summary>
    /// <param name="timeProvider">The clock used for expiry; <see cref="TimeProvider.System"/> when null.</param>
    /// <param name="capacity">The most keys held; the oldest are forgotten first beyond it. Default <see cref="DefaultCapacity"/>.</param>
    public InMemoryWebhookDeliveryStore(TimeProvider? timeProvider = null, int capacity = DefaultCapacity)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(capacity);
        _timeProvider = timeProvider ?? TimeProvider.System;
        Capacity = capacity;
    }

    /// <summary>The most keys held; beyond it the key stored longest ago is forgotten first.</summary>
    public int Capacity { get; }

    /// <summary>The length of the eviction order, stale entries of replaced keys included (for tests: it stays bounded).</summary>
    internal int OrderLength
    {
        get
        {
            lock (_lock)
            {
                return _order.Count;
            }
        }
    }

    /// <summary>The number of keys held, expired ones not yet swept included (for tests).</summary>
    internal int Count
    {
        get
        {
            lock (_lock)
            {
                return _entries.Count;
            }
        }
    }

    /// <inheritdoc />
    public ValueTask<bool> TryClaimAsync(string key, TimeSpan expiry, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        var now = _timeProvider.GetUtcNow();
        lock (_lock)
        {
            SweepIfDue(now);
            if (_entries.TryGetValue(key, out var existing) && existing.ExpiresAt > now)
            {
                return ValueTask.FromResult(false);
            }

            Store(key, now + expiry, processed: false);
            return ValueTask.FromResult(true);
        }
    }

    /// <inheritdoc />
    /// <remarks>The store lives in one process, so every claim it holds is its own.</remarks>
    public ValueTask<bool> RenewClaimAsync(string key, TimeSpan expiry, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        var now = _timeProvider.GetUtcNow();
        lock (_lock)
        {
            if (!_entries.TryGetValue(key, out var existing) || existing.Processed || existing.ExpiresAt <= now)
            {
                return ValueTask.FromResult(false);
            }

            // Same key and version: the eviction order stays where the claim was made.
            _entries[key] = existing with { ExpiresAt = now + expiry };
            return ValueTask.FromResult(true);
        }
    }

    /// <inheritdoc />
    public ValueTask ReleaseAsync(string key, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        lock (_lock)
        {
            if (_entries.TryGetValue(key, out var existing) && !existing.Processed)
            {
                _entries.Remove(key);
            }
        }

        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public ValueTask MarkProcessedAsync(string key, TimeSpan horizon, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        var now = _timeProvider.GetUtcNow();
        lock (_lock)
        {
            SweepIfDue(now);
            Store(key, now + horizon, processed: true);
        }

        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public ValueTask<bool> IsProcessedAsync(string key, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        var now = _timeProvider.GetUtcNow();
        lock (_lock)
        {
            return ValueTask.FromResult(_entries.TryGetValue(key, out var entry) && entry.Processed && entry.ExpiresAt > now);
        }
    }

    /// <inheritdoc />
    public ValueTask<DateTimeOffset?> GetCheckpointAsync(string name, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        lock (_lock)
        {
            return ValueTask.FromResult(_checkpoints.TryGetValue(name, out var value) ? value : (DateTimeOffset?)null);
        }
    }

    /// <inheritdoc />
    public ValueTask SetCheckpointAsync(string name, DateTimeOffset value, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        lock (_lock)
        {
            // Kept to the millisecond, as the durable stores keep it.
            _checkpoints[name] = DateTimeOffset.FromUnixTimeMilliseconds(value.ToUnixTimeMilliseconds());
        }

        return ValueTask.CompletedTask;
    }

    private void Store(string key, DateTimeOffset expiresAt, bool processed)
    {
        var version = ++_version;
        _entries[key] = new Entry(expiresAt, processed, version);
        _order.Enqueue((key, version));
        while (_entries.Count > Capacity && _order.TryDequeue(out var oldest))
        {
            if (_entries.TryGetValue(oldest.Key, out var entry) && entry.Version == oldest.Version)
            {
                _entries.Remove(oldest.Key);
            }
        }

        // Replaced and removed keys leave stale order entries behind; drop them once they outnumber live keys.
        if (_order.Count > 2 * Math.Max(_entries.Count, 1024))
        {
            var live = _order.Where(item => _entries.TryGetValue(item.Key, out var entry) && entry.Version == item.Version).ToArray();
            _order.Clear();
            foreach (var item in live)
            {
                _order.Enqueue(item);
            }
        }
    }

    private void SweepIfDue(DateTimeOffset now)
    {
        if (now < _nextSweep)
        {
            return;
        }

        _nextSweep = now + SweepInterval;
        List<string>? expired = null;
        foreach (var (key, entry) in _entries)
        {
            if (entry.ExpiresAt <= now)
            {
                (expired ??= []).Add(key);
            }
        }

        expired?.ForEach(key => _entries.Remove(key));
    }

    private readonly record struct Entry(DateTimeOffset ExpiresAt, bool Processed, long Version);
}
