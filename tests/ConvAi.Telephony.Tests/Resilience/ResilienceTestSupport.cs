using System.Collections.Concurrent;
using System.Net.Http;
using Microsoft.Extensions.Time.Testing;
using Polly.Retry;
using Polly.Telemetry;

namespace ConvAi.Telephony.Tests.Resilience;

/// <summary>
/// A fake clock that lets retry waits pass at once: when the pipeline announces a retry delay (through
/// <see cref="RetryRecorder"/>), the next timer created for that delay is advanced to its due time. Nothing else moves
/// the clock, so attempt and total timeouts fire only when a test advances time itself.
/// </summary>
internal sealed class SteppingTimeProvider : FakeTimeProvider
{
    private readonly object _gate = new();
    private TimeSpan? _armed;

    public SteppingTimeProvider()
        : base(new DateTimeOffset(2026, 11, 25, 12, 0, 0, TimeSpan.Zero))
    {
    }

    public void ArmRetryDelay(TimeSpan delay)
    {
        lock (_gate)
        {
            _armed = delay > TimeSpan.Zero ? delay : null;
        }
    }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = base.CreateTimer(callback, state, dueTime, period);
        TimeSpan? step = null;
        lock (_gate)
        {
            if (_armed is { } armed && Math.Abs((dueTime - armed).TotalMilliseconds) <= 1)
            {
                step = dueTime;
                _armed = null;
            }
        }

        if (step is { } due)
        {
            Advance(due);
        }

        return timer;
    }
}

/// <summary>Records every retry delay the pipeline takes (Polly's OnRetry telemetry event) and lets the clock skip it.</summary>
internal sealed class RetryRecorder(SteppingTimeProvider? clock = null) : TelemetryListener
{
    public ConcurrentQueue<TimeSpan> Delays { get; } = new();

    /// <summary>Every Polly event with the name of the strategy that raised it (the <c>strategy_name</c> of Polly's telemetry).</summary>
    public ConcurrentQueue<(string Event, string? Strategy)> Events { get; } = new();

    public override void Write<TResult, TArgs>(in TelemetryEventArguments<TResult, TArgs> args)
    {
        Events.Enqueue((args.Event.EventName, args.Source.StrategyName));
        if (args.Arguments is OnRetryArguments<HttpResponseMessage> retry)
        {
            Delays.Enqueue(retry.RetryDelay);
            clock?.ArmRetryDelay(retry.RetryDelay);
        }
    }
}
