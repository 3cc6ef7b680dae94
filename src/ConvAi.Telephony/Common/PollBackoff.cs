using Polly.CircuitBreaker;
using Polly.RateLimiting;
using Polly.Timeout;

namespace ConvAi.Telephony;

/// <summary>
/// The delays between polls of a long wait (call outcomes, batch progress): they start at an interval and grow by a
/// factor up to a cap, and a 429's <c>Retry-After</c> stretches the next one. All waiting goes through a <see cref="TimeProvider"/>.
/// </summary>
internal sealed class PollBackoff(TimeSpan interval, double factor, TimeSpan maxInterval)
{
    private readonly TimeSpan _first = interval;
    private TimeSpan _next = interval;

    /// <summary>Starts the delays over from the first interval, e.g. after a poll saw progress.</summary>
    public void Reset() => _next = _first;

    /// <summary>Returns the delay before the next poll and grows the one after it.</summary>
    /// <param name="failure">The failure of the poll that just ran, if any; a rate limit's <c>Retry-After</c> is honoured.</param>
    public TimeSpan Next(Exception? failure = null)
    {
        var delay = _next;
        if (failure is ConvAiRateLimitException { RetryAfter: { } retryAfter } && retryAfter > delay)
        {
            delay = retryAfter;
        }

        _next = TimeSpan.FromTicks((long)Math.Min(_next.Ticks * factor, maxInterval.Ticks));
        return delay;
    }

    /// <summary>
    /// Whether a failed poll is worth repeating later: a transient API answer (408, 429, 5xx) after the resilience
    /// layer's own retries, a connection failure, an attempt timeout, an open circuit or a full concurrency queue.
    /// </summary>
    public static bool IsTransient(Exception exception) => exception
        is ConvAiApiException { IsTransient: true }
        or HttpRequestException
        or TimeoutRejectedException
        or BrokenCircuitException
        or RateLimiterRejectedException;

    /// <summary>Waits for <paramref name="delay"/> or until <paramref name="wakeUp"/> completes, whichever is first.</summary>
    /// <returns>True when <paramref name="wakeUp"/> completed.</returns>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled first.</exception>
    public static async Task<bool> DelayAsync(TimeSpan delay, Task? wakeUp, TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        var sleep = Task.Delay(delay, timeProvider, cancellationToken);
        if (wakeUp is null)
        {
            await sleep.ConfigureAwait(false);
            return false;
        }

        var first = await Task.WhenAny(sleep, wakeUp).ConfigureAwait(false);
        if (first == wakeUp)
        {
            return true;
        }

        await sleep.ConfigureAwait(false);
        return false;
    }
}
