using System.Collections.Concurrent;
using BenchmarkDotNet.Attributes;
using ConvAi.Telephony.Benchmarks.Client;
using Microsoft.Extensions.DependencyInjection;

namespace ConvAi.Telephony.Benchmarks.Calls;

/// <summary>
/// 1,000 calls awaited at once, completed by their post-call events (the webhook path of <c>WaitForOutcomeAsync</c>:
/// tracker, deadline timer, cancellation link). The baseline is the least a hand-written app needs: a map of
/// <see cref="TaskCompletionSource{TResult}"/> by conversation id, completed by the webhook handler. Allocation per wait
/// is the reported allocation divided by <see cref="Calls"/>; retained memory is measured by <c>--outcome-memory</c>.
/// </summary>
[MemoryDiagnoser]
public class OutcomeWaitBenchmarks
{
    /// <summary>The number of calls awaited at once.</summary>
    public const int Calls = 1_000;

    private static readonly CallOutcomeWaitOptions EventsOnly = new() { Poll = false, Timeout = TimeSpan.FromHours(1) };
    private readonly string[] _ids = Enumerable.Range(0, Calls).Select(i => $"conv_bench_{i:D5}").ToArray();
    private ServiceProvider _services = null!;
    private IConvAiTelephonyClient _client = null!;
    private int _round;

    [GlobalSetup]
    public void Setup() => (_services, _client) = ClientFactory.Create(null, ClientFactory.BaseAddress);

    [GlobalCleanup]
    public void Cleanup() => _services.Dispose();

    [Benchmark(Baseline = true, Description = "bare TaskCompletionSource map, 1,000 waits")]
    public async Task<int> TaskCompletionSourceMap()
    {
        var map = new ConcurrentDictionary<string, TaskCompletionSource<CallOutcome>>(StringComparer.Ordinal);
        var waits = new Task<CallOutcome>[Calls];
        for (var i = 0; i < Calls; i++)
        {
            var source = map.GetOrAdd(_ids[i], static _ => new TaskCompletionSource<CallOutcome>(TaskCreationOptions.RunContinuationsAsynchronously));
            waits[i] = source.Task.WaitAsync(EventsOnly.Timeout, TimeProvider.System);
        }

        for (var i = 0; i < Calls; i++)
        {
            if (map.TryRemove(_ids[i], out var source))
            {
                source.TrySetResult(new CallOutcome { Kind = CallOutcomeKind.Busy, ConversationId = _ids[i], FailureReason = "busy" });
            }
        }

        return (await Task.WhenAll(waits)).Length;
    }

    [Benchmark(Description = "WaitForOutcomeAsync, 1,000 waits completed by events")]
    public async Task<int> WaitForOutcome()
    {
        // A fresh id set per round, so the tracker's held outcomes of the previous round do not answer at once.
        var round = Interlocked.Increment(ref _round);
        var tracker = _services.GetRequiredService<CallOutcomeTracker>();
        var waits = new Task<CallOutcome>[Calls];
        for (var i = 0; i < Calls; i++)
        {
            waits[i] = _client.Calls.WaitForOutcomeAsync(_ids[i] + "_" + round, EventsOnly);
        }

        for (var i = 0; i < Calls; i++)
        {
            tracker.OnCallInitiationFailure(_ids[i] + "_" + round, "busy", null);
        }

        return (await Task.WhenAll(waits)).Length;
    }
}
