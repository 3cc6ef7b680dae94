using System.Threading.RateLimiting;

namespace ConvAi.Telephony;

/// <summary>
/// A concurrency limiter sized from the plan's concurrency limit and the workspace's live conversation count
/// (<c>GET /v1/convai/analytics/live-count</c>), for use with <c>UseLiveCallCountLimiter</c> or on its own.
/// </summary>
/// <remarks>
/// <para>
/// The limit is <c>PlanConcurrencyLimit − live conversations</c>, never less than <see cref="LiveCallCountLimiterOptions.MinimumPermits"/>
/// nor more than <see cref="LiveCallCountLimiterOptions.PlanConcurrencyLimit"/>. The live count is the server's: it includes
/// conversations placed by other apps, other instances and the dashboard, and this app's own calls in progress (they hold
/// plan slots too). It is read at once, then every <see cref="LiveCallCountLimiterOptions.RefreshInterval"/> on the
/// <see cref="TimeProvider"/>; a failed read keeps the last limit. Until the first read completes the limit is the plan's.
/// </para>
/// <para>
/// Each request holds one permit while it is in flight. Requests over the limit wait in a queue (oldest first) of at most
/// <see cref="LiveCallCountLimiterOptions.QueueLimit"/>; when the limit grows, waiting requests proceed; when it shrinks,
/// requests in flight finish and new ones wait.
/// </para>
/// </remarks>
public sealed class LiveCallCountLimiter : RateLimiter
{
    private readonly Func<CancellationToken, Task<int>> _readLiveCount;
    private readonly LiveCallCountLimiterOptions _options;
    private readonly object _gate = new();
    private readonly LinkedList<Waiter> _queue = new();
    private readonly ITimer _timer;
    private readonly CancellationTokenSource _disposing = new();
    private int _limit;
    private int _inUse;
    private Task<bool>? _refresh;
    private long _successfulLeases;
    private long _failedLeases;
    private DateTimeOffset? _idleSince;
    private bool _disposed;

    /// <summary>Initializes a new instance of the <see cref="LiveCallCountLimiter"/> class and starts reading the live count.</summary>
    /// <param name="readLiveCount">Reads the live conversation count, e.g. <c>ct =&gt; client.Conversations.GetLiveCountAsync(null, ct)</c>.</param>
    /// <param name="options">The plan limit, refresh interval, minimum and queue size.</param>
    /// <param name="timeProvider">The clock that schedules the refreshes; null uses the system clock.</param>
    /// <exception cref="ArgumentException">An option is out of range.</exception>
    public LiveCallCountLimiter(Func<CancellationToken, Task<int>> readLiveCount, LiveCallCountLimiterOptions options, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(readLiveCount);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.PlanConcurrencyLimit, 1, nameof(options));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MinimumPermits, 1, nameof(options));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(options.MinimumPermits, options.PlanConcurrencyLimit, nameof(options));
        ArgumentOutOfRangeException.ThrowIfNegative(options.QueueLimit, nameof(options));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(options.RefreshInterval, TimeSpan.Zero, nameof(options));
        _readLiveCount = readLiveCount;
        _options = options;
        _limit = options.PlanConcurrencyLimit;
        TimeProvider = timeProvider ?? TimeProvider.System;
        _idleSince = TimeProvider.GetUtcNow();
        _timer = TimeProvider.CreateTimer(static state => _ = ((LiveCallCountLimiter)state!).RefreshAsync(), this, TimeSpan.Zero, options.RefreshInterval);
    }

    /// <summary>Gets the clock that schedules the refreshes.</summary>
    public TimeProvider TimeProvider { get; }

    /// <summary>Gets the current limit: how many requests may be in flight at once.</summary>
    public int CurrentLimit
    {
        get
        {
            lock (_gate)
            {
                return _limit;
            }
        }
    }

    /// <inheritdoc/>
    public override TimeSpan? IdleDuration
    {
        get
        {
            lock (_gate)
            {
                return _idleSince is { } since ? TimeProvider.GetUtcNow() - since : null;
            }
        }
    }

    /// <summary>Reads the live count now and resizes the limit; a failed read keeps the last limit. Joins a read already in progress.</summary>
    /// <param name="cancellationToken">A token to cancel the read (when this call starts it).</param>
    /// <returns>True when the limit was updated from a fresh count.</returns>
    public Task<bool> RefreshAsync(CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            if (_refresh is { IsCompleted: false } running)
            {
                return running;
            }

            _refresh = ReadAndResizeAsync(cancellationToken);
            return _refresh;
        }
    }

    private async Task<bool> ReadAndResizeAsync(CancellationToken cancellationToken)
    {
        try
        {
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _disposing.Token);
            var live = await _readLiveCount(linked.Token).ConfigureAwait(false);
            List<Waiter> granted;
            lock (_gate)
            {
                _limit = Math.Clamp(_options.PlanConcurrencyLimit - Math.Max(0, live), _options.MinimumPermits, _options.PlanConcurrencyLimit);
                granted = GrantWaiters();
            }

            Complete(granted);
            return true;
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // Keep the last limit: a failed read must not stop or flood the client.
            return false;
        }
    }

    /// <inheritdoc/>
    public override RateLimiterStatistics? GetStatistics()
    {
        lock (_gate)
        {
            return new RateLimiterStatistics
            {
                CurrentAvailablePermits = Math.Max(0, _limit - _inUse),
                CurrentQueuedCount = _queue.Count,
                TotalSuccessfulLeases = _successfulLeases,
                TotalFailedLeases = _failedLeases,
            };
        }
    }

    /// <inheritdoc/>
    protected override RateLimitLease AttemptAcquireCore(int permitCount)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return TryLease(permitCount) ?? Failed();
        }
    }

    /// <inheritdoc/>
    protected override ValueTask<RateLimitLease> AcquireAsyncCore(int permitCount, CancellationToken cancellationToken)
    {
        Waiter waiter;
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (TryLease(permitCount) is { } lease)
            {
                return new ValueTask<RateLimitLease>(lease);
            }

            if (_queue.Count >= _options.QueueLimit || permitCount > _options.PlanConcurrencyLimit)
            {
                return new ValueTask<RateLimitLease>(Failed());
            }

            waiter = new Waiter(permitCount);
            waiter.Node = _queue.AddLast(waiter);
        }

        if (cancellationToken.CanBeCanceled)
        {
            waiter.Registration = cancellationToken.Register(() =>
            {
                lock (_gate)
                {
                    if (waiter.Node?.List is null)
                    {
                        return;
                    }

                    _queue.Remove(waiter.Node);
                }

                waiter.Completion.TrySetCanceled(cancellationToken);
            });
        }

        return new ValueTask<RateLimitLease>(waiter.Completion.Task);
    }

    /// <inheritdoc/>
    protected override void Dispose(bool disposing)
    {
        if (!disposing)
        {
            return;
        }

        List<Waiter> waiting;
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            waiting = [.. _queue];
            _queue.Clear();
        }

        _timer.Dispose();
        _disposing.Cancel();
        _disposing.Dispose();
        foreach (var waiter in waiting)
        {
            waiter.Registration.Dispose();
            waiter.Completion.TrySetException(new ObjectDisposedException(nameof(LiveCallCountLimiter)));
        }
    }

    /// <summary>Takes permits when they are free and no one is waiting before. Call under the lock.</summary>
    private Lease? TryLease(int permitCount)
    {
        if (permitCount == 0 || (_queue.Count == 0 && _inUse + permitCount <= _limit))
        {
            _inUse += permitCount;
            _successfulLeases++;
            _idleSince = null;
            return new Lease(this, permitCount);
        }

        return null;
    }

    private Lease Failed()
    {
        _failedLeases++;
        return new Lease(null, 0);
    }

    private void Release(int permitCount)
    {
        List<Waiter> granted;
        lock (_gate)
        {
            _inUse -= permitCount;
            if (_inUse == 0)
            {
                _idleSince = TimeProvider.GetUtcNow();
            }

            granted = GrantWaiters();
        }

        Complete(granted);
    }

    /// <summary>Takes permits for the waiters at the head of the queue that now fit. Call under the lock.</summary>
    private List<Waiter> GrantWaiters()
    {
        var granted = new List<Waiter>();
        while (_queue.First is { } first && _inUse + first.Value.PermitCount <= _limit)
        {
            _queue.RemoveFirst();
            _inUse += first.Value.PermitCount;
            _successfulLeases++;
            _idleSince = null;
            granted.Add(first.Value);
        }

        return granted;
    }

    /// <summary>Completes granted waiters outside the lock; a waiter cancelled meanwhile gives its permits back.</summary>
    private void Complete(List<Waiter> granted)
    {
        foreach (var waiter in granted)
        {
            waiter.Registration.Dispose();
            if (!waiter.Completion.TrySetResult(new Lease(this, waiter.PermitCount)))
            {
                Release(waiter.PermitCount);
            }
        }
    }

    private sealed class Waiter(int permitCount)
    {
        public int PermitCount { get; } = permitCount;

        public TaskCompletionSource<RateLimitLease> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public LinkedListNode<Waiter>? Node { get; set; }

        public CancellationTokenRegistration Registration { get; set; }
    }

    private sealed class Lease(LiveCallCountLimiter? owner, int permitCount) : RateLimitLease
    {
        private readonly bool _acquired = owner is not null;
        private LiveCallCountLimiter? _owner = owner;

        public override bool IsAcquired => _acquired;

        public override IEnumerable<string> MetadataNames => [];

        public override bool TryGetMetadata(string metadataName, out object? metadata)
        {
            metadata = null;
            return false;
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                Interlocked.Exchange(ref _owner, null)?.Release(permitCount);
            }
        }
    }
}

/// <summary>Settings of <see cref="LiveCallCountLimiter"/>.</summary>
public sealed class LiveCallCountLimiterOptions
{
    /// <summary>Gets or sets the plan's concurrency limit (the most conversations the workspace may run at once); required, at least 1.</summary>
    public int PlanConcurrencyLimit { get; set; }

    /// <summary>Gets or sets how often the live count is read (default 15 seconds).</summary>
    public TimeSpan RefreshInterval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Gets or sets the smallest limit (default 1), so the client can still read, e.g. the live count itself, when the plan is full.</summary>
    public int MinimumPermits { get; set; } = 1;

    /// <summary>Gets or sets how many requests may wait for a permit (default 1000); one more fails at once without being sent.</summary>
    public int QueueLimit { get; set; } = 1000;
}
