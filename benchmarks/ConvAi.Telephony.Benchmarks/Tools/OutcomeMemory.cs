using System.Collections.Concurrent;
using System.Globalization;
using ConvAi.Telephony.Benchmarks.Client;
using Microsoft.Extensions.DependencyInjection;

namespace ConvAi.Telephony.Benchmarks.Tools;

/// <summary>
/// <c>--outcome-memory</c>: the bytes retained per pending wait (1,000 calls awaited at once) by <c>WaitForOutcomeAsync</c>
/// and by a bare <see cref="TaskCompletionSource{TResult}"/> map, and what stays after they complete: the tracker holds at
/// most <see cref="CallOutcomeTracker.Capacity"/> early outcomes however many events arrive.
/// </summary>
internal static class OutcomeMemory
{
    private const int Calls = 1_000;

    public static async Task<int> RunAsync()
    {
        var options = new CallOutcomeWaitOptions { Poll = false, Timeout = TimeSpan.FromHours(1) };
        var ids = Enumerable.Range(0, Calls).Select(i => $"conv_mem_{i:D5}").ToArray();
        var (services, client) = ClientFactory.Create(null, ClientFactory.BaseAddress);
        await using var disposeServices = services;
        var tracker = services.GetRequiredService<CallOutcomeTracker>();

        // Warm both paths so that type loading and JIT are not counted.
        await client.Calls.WaitForOutcomeAsync("warm", options with { Timeout = TimeSpan.FromMilliseconds(1) });
        var warmMap = new ConcurrentDictionary<string, TaskCompletionSource<CallOutcome>>();
        _ = warmMap.GetOrAdd("warm", _ => new TaskCompletionSource<CallOutcome>()).Task.WaitAsync(TimeSpan.FromHours(1), TimeProvider.System);

        var before = Heap();
        var map = new ConcurrentDictionary<string, TaskCompletionSource<CallOutcome>>(StringComparer.Ordinal);
        var baselineWaits = ids.Select(id => map.GetOrAdd(id, static _ => new TaskCompletionSource<CallOutcome>(TaskCreationOptions.RunContinuationsAsynchronously))
            .Task.WaitAsync(options.Timeout, TimeProvider.System)).ToArray();
        var baselinePending = (Heap() - before) / (double)Calls;
        foreach (var (id, source) in map)
        {
            source.TrySetResult(new CallOutcome { Kind = CallOutcomeKind.Busy, ConversationId = id });
        }

        await Task.WhenAll(baselineWaits);
        map.Clear();
        baselineWaits = null;

        before = Heap();
        var waits = ids.Select(id => client.Calls.WaitForOutcomeAsync(id, options)).ToArray();
        var pending = (Heap() - before) / (double)Calls;
        foreach (var id in ids)
        {
            tracker.OnCallInitiationFailure(id, "busy", null);
        }

        await Task.WhenAll(waits);
        waits = null;
        var afterCompletion = Heap() - before;

        // Ten times the capacity in events nobody waits for: the held outcomes stay capped.
        for (var i = 0; i < tracker.Capacity * 10; i++)
        {
            tracker.OnCallInitiationFailure("conv_unawaited_" + i.ToString(CultureInfo.InvariantCulture), "no-answer", null);
        }

        var afterFlood = Heap() - before;
        Console.WriteLine($"pending wait, retained per wait: WaitForOutcomeAsync {pending:0} B, bare TaskCompletionSource map {baselinePending:0} B, ratio {pending / baselinePending:0.00}x");
        Console.WriteLine($"after 1,000 waits completed: {afterCompletion / 1024.0:0} KB retained ({tracker.HeldCount} outcomes held for late waits, {tracker.WaitingCount} waits registered)");
        Console.WriteLine($"after {tracker.Capacity * 10:N0} more unawaited events: {afterFlood / 1024.0:0} KB retained ({tracker.HeldCount} held, capacity {tracker.Capacity}, retention {tracker.Retention.TotalMinutes:0} min)");
        return 0;
    }

    private static long Heap()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        return GC.GetTotalMemory(forceFullCollection: true);
    }
}
