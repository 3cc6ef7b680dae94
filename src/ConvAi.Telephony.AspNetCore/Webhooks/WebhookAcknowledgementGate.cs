namespace ConvAi.Telephony.AspNetCore;

/// <summary>
/// Queued mode answers first: while this instance is acknowledging a delivery (reading, verifying, claiming and appending
/// it), the inbox processor holds off starting the next one, so that a burst is acknowledged at the rate of the endpoint
/// and processed right after it. A worker waits at most <see cref="MaxDeferral"/> per delivery, and not at all while the
/// in-memory inbox is 90% full, so processing always moves on under sustained traffic.
/// </summary>
internal sealed class WebhookAcknowledgementGate(TimeProvider timeProvider)
{
    /// <summary>The longest a worker defers a delivery to acknowledgements in flight.</summary>
    internal static readonly TimeSpan MaxDeferral = TimeSpan.FromMilliseconds(250);

    private int _acknowledging;
    private TaskCompletionSource _idle = NewSignal();

    /// <summary>The number of requests being acknowledged now.</summary>
    public int Acknowledging => Volatile.Read(ref _acknowledging);

    /// <summary>Marks a request as being acknowledged until the returned scope is disposed.</summary>
    public Scope Enter()
    {
        Interlocked.Increment(ref _acknowledging);
        return new Scope(this);
    }

    /// <summary>
    /// Completes when no request is being acknowledged, when <see cref="MaxDeferral"/> has passed, or at once when
    /// <paramref name="backlogged"/>; never throws for the deferral running out.
    /// </summary>
    public async ValueTask WaitForTurnAsync(bool backlogged, CancellationToken cancellationToken)
    {
        if (backlogged || Acknowledging == 0)
        {
            return;
        }

        var start = timeProvider.GetTimestamp();
        while (true)
        {
            var signal = Volatile.Read(ref _idle);
            if (signal.Task.IsCompleted)
            {
                Interlocked.CompareExchange(ref _idle, NewSignal(), signal);
                continue;
            }

            // Checked after the signal was read: an Exit to zero from here on completes this signal.
            var left = MaxDeferral - timeProvider.GetElapsedTime(start);
            if (Acknowledging == 0 || left <= TimeSpan.Zero)
            {
                return;
            }

            try
            {
                await signal.Task.WaitAsync(left, timeProvider, cancellationToken).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                return;
            }
        }
    }

    private void Exit()
    {
        if (Interlocked.Decrement(ref _acknowledging) == 0)
        {
            Volatile.Read(ref _idle).TrySetResult();
        }
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>One request's acknowledgement; disposing it ends it.</summary>
    public readonly struct Scope(WebhookAcknowledgementGate? gate) : IDisposable
    {
        /// <summary>Ends the acknowledgement.</summary>
        public void Dispose() => gate?.Exit();
    }
}
