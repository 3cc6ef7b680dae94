namespace ConvAi.Telephony;

/// <summary>
/// Hands call outcomes from post-call events to the waits of
/// <see cref="CallsClient.WaitForOutcomeAsync(string, CallOutcomeWaitOptions?, CancellationToken)"/>, correlated by
/// conversation id. An event that arrives before its wait starts (a webhook can beat the outbound call's HTTP answer) is
/// kept for <see cref="Retention"/>, at most <see cref="Capacity"/> of them (the oldest go first), so memory stays bounded.
/// <c>AddConvAiTelephony</c> registers one as a singleton, also as <see cref="ICallEventSink"/>; thread-safe.
/// </summary>
public sealed class CallOutcomeTracker : ICallEventSink
{
    /// <summary>The default for <see cref="Capacity"/>: 1,000 outcomes.</summary>
    public const int DefaultCapacity = 1_000;

    private readonly object _gate = new();
    private readonly TimeProvider _timeProvider;
    private readonly Dictionary<string, TaskCompletionSource<CallOutcome>> _waiting = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _waiterCounts = new(StringComparer.Ordinal);
    private readonly Dictionary<string, CallOutcome> _held = new(StringComparer.Ordinal);
    private readonly Queue<(string ConversationId, DateTimeOffset ExpiresAt)> _heldOrder = new();

    /// <summary>Initializes a new instance of the <see cref="CallOutcomeTracker"/> class with the system clock and the default bounds.</summary>
    public CallOutcomeTracker()
        : this(TimeProvider.System)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="CallOutcomeTracker"/> class.</summary>
    /// <param name="timeProvider">The clock that expires held outcomes.</param>
    /// <param name="capacity">The most outcomes held for waits that have not started; the default is <see cref="DefaultCapacity"/>.</param>
    /// <param name="retention">How long such an outcome is held; the default is <see cref="DefaultRetention"/>.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="capacity"/> is below 1 or <paramref name="retention"/> is not positive.</exception>
    public CallOutcomeTracker(TimeProvider timeProvider, int capacity = DefaultCapacity, TimeSpan? retention = null)
    {
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        Retention = retention ?? DefaultRetention;
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(Retention, TimeSpan.Zero, nameof(retention));
        _timeProvider = timeProvider;
        Capacity = capacity;
    }

    /// <summary>Gets the default for <see cref="Retention"/>: 10 minutes.</summary>
    public static TimeSpan DefaultRetention { get; } = TimeSpan.FromMinutes(10);

    /// <summary>Gets the most outcomes held for waits that have not started yet.</summary>
    public int Capacity { get; }

    /// <summary>Gets how long an outcome is held for a wait that has not started yet.</summary>
    public TimeSpan Retention { get; }

    /// <summary>Gets the number of outcomes held now (at most <see cref="Capacity"/>).</summary>
    public int HeldCount
    {
        get
        {
            lock (_gate)
            {
                Expire(_timeProvider.GetUtcNow());
                return _held.Count;
            }
        }
    }

    /// <summary>Gets the number of conversations with at least one wait in progress.</summary>
    public int WaitingCount
    {
        get
        {
            lock (_gate)
            {
                return _waiting.Count;
            }
        }
    }

    /// <inheritdoc/>
    public void OnPostCallTranscription(Conversation conversation)
    {
        ArgumentNullException.ThrowIfNull(conversation);
        if (CallOutcome.FromConversation(conversation, acceptProcessing: true) is { } outcome && outcome.ConversationId.Length > 0)
        {
            Publish(outcome);
        }
    }

    /// <inheritdoc/>
    public void OnCallInitiationFailure(string conversationId, string? failureReason, string? callId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(conversationId);
        Publish(CallOutcome.Failure(conversationId, failureReason, callId));
    }

    /// <summary>Starts watching a conversation; the task completes with its outcome once one is published. Dispose to stop.</summary>
    internal Watch Start(string conversationId)
    {
        lock (_gate)
        {
            Expire(_timeProvider.GetUtcNow());
            if (_held.TryGetValue(conversationId, out var outcome))
            {
                return new Watch(this, conversationId, Task.FromResult(outcome), registered: false);
            }

            if (!_waiting.TryGetValue(conversationId, out var source))
            {
                source = new TaskCompletionSource<CallOutcome>(TaskCreationOptions.RunContinuationsAsynchronously);
                _waiting.Add(conversationId, source);
                _waiterCounts[conversationId] = 0;
            }

            _waiterCounts[conversationId]++;
            return new Watch(this, conversationId, source.Task, registered: true);
        }
    }

    private void Publish(CallOutcome outcome)
    {
        TaskCompletionSource<CallOutcome>? source;
        lock (_gate)
        {
            var now = _timeProvider.GetUtcNow();
            Expire(now);

            // The first event for a conversation is its answer; a repeat (a sender's retry) changes nothing.
            if (_held.TryAdd(outcome.ConversationId, outcome))
            {
                _heldOrder.Enqueue((outcome.ConversationId, now + Retention));
                while (_held.Count > Capacity)
                {
                    _held.Remove(_heldOrder.Dequeue().ConversationId);
                }
            }

            if (_waiting.Remove(outcome.ConversationId, out source))
            {
                _waiterCounts.Remove(outcome.ConversationId);
            }
        }

        source?.TrySetResult(outcome);
    }

    /// <summary>Drops held outcomes past their retention; they were queued in expiry order. Call under the lock.</summary>
    private void Expire(DateTimeOffset now)
    {
        while (_heldOrder.TryPeek(out var oldest) && oldest.ExpiresAt <= now)
        {
            _heldOrder.Dequeue();
            _held.Remove(oldest.ConversationId);
        }
    }

    private void Stop(string conversationId, Task<CallOutcome> task)
    {
        lock (_gate)
        {
            if (_waiting.TryGetValue(conversationId, out var source) && source.Task == task && --_waiterCounts[conversationId] == 0)
            {
                _waiting.Remove(conversationId);
                _waiterCounts.Remove(conversationId);
            }
        }
    }

    /// <summary>One wait's interest in a conversation's outcome.</summary>
    internal sealed class Watch(CallOutcomeTracker tracker, string conversationId, Task<CallOutcome> task, bool registered) : IDisposable
    {
        private int _disposed;

        /// <summary>Gets the task that completes with the published outcome.</summary>
        public Task<CallOutcome> Task { get; } = task;

        public void Dispose()
        {
            if (registered && Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                tracker.Stop(conversationId, Task);
            }
        }
    }
}
