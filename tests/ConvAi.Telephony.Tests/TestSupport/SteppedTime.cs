using System.Threading.Channels;
using Microsoft.Extensions.Time.Testing;

namespace ConvAi.Telephony.Tests.TestSupport;

/// <summary>
/// A fake clock that reports the timers created after each mocked request, so a test can advance it by exactly the
/// delay the code under test asked for (no real waiting, no guessing). Call <see cref="MarkRequest"/> from the mock.
/// </summary>
internal sealed class SteppedTime : FakeTimeProvider
{
    private readonly Channel<TimeSpan> _timers = Channel.CreateUnbounded<TimeSpan>();
    private int _requests;
    private int _armed;

    public SteppedTime()
        : base(new DateTimeOffset(2026, 11, 25, 12, 0, 0, TimeSpan.Zero))
    {
    }

    /// <summary>Gets the number of requests marked so far.</summary>
    public int Requests => Volatile.Read(ref _requests);

    /// <summary>Gets the fake time of each marked request, relative to the start.</summary>
    public List<TimeSpan> RequestTimes { get; } = [];

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = base.CreateTimer(callback, state, dueTime, period);
        if (Interlocked.Exchange(ref _armed, 0) == 1)
        {
            _timers.Writer.TryWrite(dueTime);
        }

        return timer;
    }

    /// <summary>Records a request; the first timer created after it (the code's delay before its next request) is reported, the resilience pipeline's earlier ones are not.</summary>
    public bool MarkRequest()
    {
        lock (RequestTimes)
        {
            RequestTimes.Add(GetUtcNow() - Start);
        }

        Interlocked.Increment(ref _requests);
        Volatile.Write(ref _armed, 1);
        return true;
    }

    /// <summary>Waits (in real time, at most 10 s) for the next timer created after the last request and returns its due time.</summary>
    public async Task<TimeSpan> NextTimerAsync() =>
        await _timers.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10));

    /// <summary>Advances by each delay the code asks for until <paramref name="task"/> completes; returns the delays.</summary>
    public async Task<List<TimeSpan>> RunAsync(Task task, int maxSteps = 100)
    {
        var delays = new List<TimeSpan>();
        for (var i = 0; i < maxSteps; i++)
        {
            var next = _timers.Reader.ReadAsync().AsTask();
            if (await Task.WhenAny(task, next).WaitAsync(TimeSpan.FromSeconds(10)) == task)
            {
                await task;
                return delays;
            }

            var delay = await next;
            delays.Add(delay);
            Advance(delay);
        }

        throw new AssertionException($"Not finished after {maxSteps} delays: {string.Join(", ", delays)}");
    }
}
