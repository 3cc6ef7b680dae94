namespace ConvAi.Telephony;

/// <summary>
/// Queued mode answers first: while this instance is acknowledging deliveries (reading, verifying, claiming and appending
/// them), the inbox processor holds off starting the next one, so that a burst is acknowledged at the rate of the endpoint
/// and processed right after it. A burst is over once no delivery has been acknowledged for <see cref="QuietPeriod"/>:
/// between two requests of a burst the count of acknowledgements in flight touches zero for microseconds, and releasing
/// the workers there would process the burst while it arrives. A worker waits at most <see cref="MaxDeferral"/> per
/// delivery, and not at all while the in-memory inbox is 90% full, so processing always moves on under sustained traffic.
/// </summary>
/// <remarks>
/// <para>
/// Why it is kept (measured 2026-12-07 with the <c>queued-nogate</c> target of <c>benchmarks/webhook-load.sh</c>, the same
/// processor without the gate, in the same runs): at a steady 4 deliveries/s it has nothing to do (answer p99 4.2 to 37.8
/// ms with it, 3.5 to 19.0 ms without, the noise of a loaded machine), but a burst of 10,000 deliveries (a
/// batch campaign ending, or ElevenLabs catching up after an outage) is acknowledged 2.2 to 3.1 times as fast with it,
/// because without it the workers bind and handle the burst on the same cores while it arrives. See
/// benchmarks/README.md, "Webhooks in one shape".
/// </para>
/// <para>
/// The gate paces the processor against live requests, so the container registers it on the system clock
/// (<see cref="TimeProvider.System"/>), not on the app's <see cref="TimeProvider"/>: a test clock that stands still
/// must not hold the processor, and retries and backoff keep using the app's clock.
/// </para>
/// </remarks>
internal sealed class WebhookAcknowledgementGate(TimeProvider timeProvider)
{
    /// <summary>The longest a worker defers a delivery to acknowledgements in flight or just ended.</summary>
    internal static readonly TimeSpan MaxDeferral = TimeSpan.FromMilliseconds(250);

    /// <summary>How long no delivery must have been acknowledged before the processor takes its turn.</summary>
    internal static readonly TimeSpan QuietPeriod = TimeSpan.FromMilliseconds(2);

    private int _acknowledging;
    private long _lastEnded = long.MinValue;

    /// <summary>The number of requests being acknowledged now.</summary>
    public int Acknowledging => Volatile.Read(ref _acknowledging);

    /// <summary>Marks a request as being acknowledged until the returned scope is disposed.</summary>
    public Scope Enter()
    {
        Interlocked.Increment(ref _acknowledging);
        return new Scope(this);
    }

    /// <summary>
    /// Completes once no request is being acknowledged and none ended within <see cref="QuietPeriod"/>, when
    /// <see cref="MaxDeferral"/> has passed, or at once when <paramref name="backlogged"/>; never throws for the
    /// deferral running out.
    /// </summary>
    /// <remarks>
    /// A held worker looks again every quiet period (or when the rest of the quiet period or of its deferral runs out):
    /// releasing it sooner than a quiet period after the last acknowledgement would be wrong anyway, and polling costs
    /// one timer per look instead of a wake-up of every worker each time the count touches zero.
    /// </remarks>
    public async ValueTask WaitForTurnAsync(bool backlogged, CancellationToken cancellationToken)
    {
        if (backlogged)
        {
            return;
        }

        var start = timeProvider.GetTimestamp();
        while (true)
        {
            var left = MaxDeferral - timeProvider.GetElapsedTime(start);
            if (left <= TimeSpan.Zero || IsQuiet(out var quietLeft))
            {
                return;
            }

            // Whole milliseconds: timers round shorter waits down to none, which would spin.
            var wait = Math.Ceiling(Math.Min(quietLeft.TotalMilliseconds, left.TotalMilliseconds));
            await Task.Delay(TimeSpan.FromMilliseconds(wait), timeProvider, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Whether nothing is being acknowledged and the quiet period after the last acknowledgement is over; otherwise
    /// <paramref name="quietLeft"/> is how long to wait before looking again.
    /// </summary>
    private bool IsQuiet(out TimeSpan quietLeft)
    {
        if (Acknowledging > 0)
        {
            quietLeft = QuietPeriod;
            return false;
        }

        var lastEnded = Volatile.Read(ref _lastEnded);
        quietLeft = lastEnded == long.MinValue ? TimeSpan.Zero : QuietPeriod - timeProvider.GetElapsedTime(lastEnded);
        return quietLeft <= TimeSpan.Zero;
    }

    private void Exit()
    {
        Volatile.Write(ref _lastEnded, timeProvider.GetTimestamp());
        Interlocked.Decrement(ref _acknowledging);
    }

    /// <summary>One request's acknowledgement; disposing it ends it.</summary>
    public readonly struct Scope(WebhookAcknowledgementGate? gate) : IDisposable
    {
        /// <summary>Ends the acknowledgement.</summary>
        public void Dispose() => gate?.Exit();
    }
}
