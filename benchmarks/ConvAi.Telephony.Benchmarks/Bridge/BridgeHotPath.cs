using System.Buffers;
using System.Diagnostics;
using System.Globalization;
using System.Net.WebSockets;
using ConvAi.Telephony.AspNetCore;

namespace ConvAi.Telephony.Benchmarks.Bridge;

/// <summary>
/// The bridge's hot path in one process, both sockets in memory (<see cref="FrameSocket"/>), beside a bare relay over the same sockets
/// (two loops, each receiving into one buffer and sending the bytes on: the floor of any bridge):
/// <list type="bullet">
/// <item><c>--bridge-frames [frames] [rounds]</c>: one frame at a time, each awaited on the far side (as frames arrive, 20 ms apart, in a
/// call): up = a Twilio <c>media</c> frame in, the agent's <c>user_audio_chunk</c> out; down = an agent <c>audio</c> message in, Twilio's
/// <c>media</c> and <c>mark</c> out, then Twilio's mark answer in. Per frame: CPU time of the process, wall time, bytes allocated (all
/// threads). Rounds interleave ours and the relay; medians and ratios are printed.</item>
/// <item><c>--bridge-memory [calls]</c>: that many live calls (started, audio flowed both ways, then idle between frames, as a call is
/// most of the time), a full collection, the managed heap's growth divided by the calls; the test doubles' own share (sockets, counters,
/// frames) is measured alone and taken off. Then every call is stopped and what is left is counted (buffers, sessions, streams).</item>
/// </list>
/// </summary>
internal static class BridgeHotPath
{
    public static async Task<int> RunFramesAsync(int frames, int rounds)
    {
        PrintMachine();
        var shared = new BridgeRig.Shared();
        var ours = await BridgeRig.StartAsync(shared, 1);
        var bare = new BareRelay();

        // Warm-up: every path JIT-compiled to its last tier.
        for (var i = 0; i < 3; i++)
        {
            await MeasureAsync(frames, f => OursUpAsync(ours, f));
            await MeasureAsync(frames, f => OursDownAsync(ours, f));
            await MeasureAsync(frames, f => BareUpAsync(bare, f));
            await MeasureAsync(frames, f => BareDownAsync(bare, f));
        }

        var samples = new Dictionary<string, List<Sample>> { ["ours up"] = [], ["relay up"] = [], ["ours down"] = [], ["relay down"] = [] };
        for (var round = 0; round < rounds; round++)
        {
            // Alternate which goes first, so a disturbance falls on both.
            var oursFirst = round % 2 == 0;
            for (var turn = 0; turn < 2; turn++)
            {
                if ((turn == 0) == oursFirst)
                {
                    samples["ours up"].Add(await MeasureAsync(frames, f => OursUpAsync(ours, f)));
                    samples["ours down"].Add(await MeasureAsync(frames, f => OursDownAsync(ours, f)));
                }
                else
                {
                    samples["relay up"].Add(await MeasureAsync(frames, f => BareUpAsync(bare, f)));
                    samples["relay down"].Add(await MeasureAsync(frames, f => BareDownAsync(bare, f)));
                }
            }
        }

        await ours.StopAsync();
        await bare.StopAsync();
        Console.WriteLine($"bridge hot path, in memory: {frames} frames per sample, one at a time, {rounds} rounds (ours and the bare relay interleaved); medians");
        foreach (var (name, list) in samples)
        {
            Console.WriteLine(
                $"  {name,-10}: CPU {Median(list, s => s.CpuMicros):F2} us/frame (samples {string.Join(" ", list.Select(s => s.CpuMicros.ToString("F2", CultureInfo.InvariantCulture)))}), "
                + $"wall {Median(list, s => s.WallMicros):F2} us/frame, allocated {Median(list, s => s.Bytes):F1} B/frame");
        }

        foreach (var direction in new[] { "up", "down" })
        {
            var o = samples["ours " + direction];
            var r = samples["relay " + direction];
            var ratios = o.Zip(r, (a, b) => a.CpuMicros / b.CpuMicros).ToList();
            Console.WriteLine(
                $"  {direction}: ours {Median(ratios, x => x):F2}x the relay's CPU per frame (per round {string.Join(" ", ratios.Select(x => x.ToString("F2", CultureInfo.InvariantCulture)))}), "
                + $"{Median(o, s => s.Bytes) - Median(r, s => s.Bytes):F1} B/frame allocated beyond the relay's");
        }

        Console.WriteLine($"  left behind: {MediaStreamBuffers.Outstanding} bridge buffers, {RealtimeBuffers.Outstanding} session buffers, {ConversationSession.OpenCount} sessions, {shared.Registry.StreamCount} streams");
        return 0;
    }

    public static async Task<int> RunMemoryAsync(int calls)
    {
        PrintMachine();
        var shared = new BridgeRig.Shared();

        // Warm-up: one call end to end (JIT, pools, statics), then nothing of it is live.
        var warm = await BridgeRig.StartAsync(shared, 0);
        await OursUpAsync(warm, 200);
        await OursDownAsync(warm, 200);

        await warm.StopAsync();
        var warmBare = new BareRelay();
        await BareUpAsync(warmBare, 5);
        await BareDownAsync(warmBare, 5);
        await warmBare.StopAsync();

        var doubles = Retained(calls, () => new object[] { new FrameSocket(), new FrameSocket(), new CountSignal(), new CountSignal(), new byte[BridgeRig.AgentAudio.Length], new byte[300], new byte[100] });

        var before = Heap();
        var rigs = new BridgeRig[calls];
        for (var i = 0; i < calls; i++)
        {
            rigs[i] = await BridgeRig.StartAsync(shared, i + 1);
        }

        // Some audio both ways, as in a call; then every loop waits for its next frame.
        for (var i = 0; i < calls; i++)
        {
            await OursUpAsync(rigs[i], 5);
            await OursDownAsync(rigs[i], 5);
        }

        await Task.Delay(500);
        var after = Heap();
        var ours = (double)(after - before) / calls;
        if (Environment.GetEnvironmentVariable("BRIDGE_MEMORY_PAUSE") is { } pause)
        {
            // For a heap snapshot of the live calls (dotnet-gcdump collect -p PID) before they are stopped.
            Console.WriteLine($"pid {Environment.ProcessId}: {calls} calls live, pausing {pause} s");
            await Task.Delay(TimeSpan.FromSeconds(int.Parse(pause, CultureInfo.InvariantCulture)));
        }

        var streams = shared.Registry.Count;
        var oursBuffers = MediaStreamBuffers.Outstanding + RealtimeBuffers.Outstanding;

        var bareBefore = Heap();
        var relays = new BareRelay[calls];
        for (var i = 0; i < calls; i++)
        {
            relays[i] = new BareRelay();
            await BareUpAsync(relays[i], 5);
            await BareDownAsync(relays[i], 5);
        }

        await Task.Delay(500);
        var bareAfter = Heap();
        var bare = (double)(bareAfter - bareBefore) / calls;

        foreach (var rig in rigs)
        {
            await rig.StopAsync();
        }

        foreach (var relay in relays)
        {
            await relay.StopAsync();
        }

        GC.KeepAlive(rigs);
        GC.KeepAlive(relays);
        Console.WriteLine($"bridge retained heap per live call, in memory: {calls} calls ({streams} calls live), idle between frames, after a full collection");
        Console.WriteLine($"  ours: {ours / 1024:F1} KB per call including the test doubles; the doubles alone {doubles / 1024:F1} KB; ours without them {(ours - doubles) / 1024:F1} KB ({oursBuffers} pooled arrays rented by the live calls, {(double)oursBuffers / calls:F1} per call)");
        Console.WriteLine($"  bare relay: {bare / 1024:F1} KB per call including the doubles; without them {(bare - doubles) / 1024:F1} KB");
        Console.WriteLine($"  left behind after stopping every call: {MediaStreamBuffers.Outstanding} bridge buffers, {RealtimeBuffers.Outstanding} session buffers, {ConversationSession.OpenCount} sessions, {shared.Registry.StreamCount} streams, {shared.Registry.Count} calls");
        return MediaStreamBuffers.Outstanding == 0 && RealtimeBuffers.Outstanding == 0 && ConversationSession.OpenCount == 0 ? 0 : 1;
    }

    private static double Retained(int count, Func<object> make)
    {
        var before = Heap();
        var keep = new object[count];
        for (var i = 0; i < count; i++)
        {
            keep[i] = make();
        }

        var after = Heap();
        GC.KeepAlive(keep);
        return (double)(after - before) / count;
    }

    private static long Heap()
    {
        for (var i = 0; i < 3; i++)
        {
            GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
            GC.WaitForPendingFinalizers();
        }

        return GC.GetTotalMemory(forceFullCollection: true);
    }

    // Each loop runs all frames of a sample in one async method, so the driver allocates nothing per frame.
    private static async Task<long> OursUpAsync(BridgeRig rig, int frames)
    {
        for (var n = 0; n < frames; n++)
        {
            var target = rig.AgentReceived.Count + 1;
            rig.Twilio.Push(rig.MediaFrame);
            await rig.AgentReceived.WaitForAsync(target);
        }

        return 0;
    }

    private static async Task<long> OursDownAsync(BridgeRig rig, int frames)
    {
        for (var n = 0; n < frames; n++)
        {
            var target = rig.TwilioReceived.Count + 2;
            rig.Agent.Push(BridgeRig.AgentAudio);
            await rig.TwilioReceived.WaitForAsync(target);
            rig.Twilio.Push(rig.MarkEcho);
        }

        return 0;
    }

    private static async Task<long> BareUpAsync(BareRelay relay, int frames)
    {
        for (var n = 0; n < frames; n++)
        {
            var target = relay.AgentReceived.Count + 1;
            relay.Twilio.Push(BareRelay.MediaFrame);
            await relay.AgentReceived.WaitForAsync(target);
        }

        return 0;
    }

    private static async Task<long> BareDownAsync(BareRelay relay, int frames)
    {
        for (var n = 0; n < frames; n++)
        {
            var target = relay.TwilioReceived.Count + 1;
            relay.Agent.Push(BridgeRig.AgentAudio);
            await relay.TwilioReceived.WaitForAsync(target);
        }

        return 0;
    }

    private static async Task<Sample> MeasureAsync(int frames, Func<int, Task<long>> run)
    {
        GC.Collect();
        var process = Process.GetCurrentProcess();
        var cpu = process.TotalProcessorTime;
        var allocated = GC.GetTotalAllocatedBytes(precise: true);
        var wall = Stopwatch.GetTimestamp();
        var last = await run(frames);
        var elapsed = Stopwatch.GetElapsedTime(wall);
        var bytes = GC.GetTotalAllocatedBytes(precise: true) - allocated;
        process.Refresh();
        var cpuUsed = process.TotalProcessorTime - cpu;
        return new Sample(cpuUsed.TotalMicroseconds / frames, elapsed.TotalMicroseconds / frames, (double)bytes / frames, last);
    }

    private static double Median<T>(List<T> values, Func<T, double> selector)
    {
        var sorted = values.Select(selector).Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }

    private static void PrintMachine() => Console.WriteLine(
        $"machine: {Environment.ProcessorCount} cores, .NET {Environment.Version}, load average {File.ReadAllText("/proc/loadavg").Trim()}, server GC {System.Runtime.GCSettings.IsServerGC}");

    private readonly record struct Sample(double CpuMicros, double WallMicros, double Bytes, long Last);

    /// <summary>The floor: two loops that forward each message's bytes unchanged, one buffer each, over the same in-memory sockets.</summary>
    private sealed class BareRelay
    {
        public static readonly byte[] MediaFrame = System.Text.Encoding.UTF8.GetBytes(
            $$$"""{"event":"media","sequenceNumber":"3","media":{"track":"inbound","chunk":"1","timestamp":"20","payload":"{{{BridgeRig.Payload}}}"},"streamSid":"MZ00000000000000000000000000000001"}""");

        private readonly CancellationTokenSource _stop = new();
        private readonly Task _up;
        private readonly Task _down;

        public BareRelay()
        {
            Twilio.Tag = this;
            Agent.Tag = this;
            Twilio.Sent = static (socket, _) => ((BareRelay)socket.Tag!).TwilioReceived.Increment();
            Agent.Sent = static (socket, _) => ((BareRelay)socket.Tag!).AgentReceived.Increment();
            _up = Task.Run(() => RelayAsync(Twilio, Agent, _stop.Token));
            _down = Task.Run(() => RelayAsync(Agent, Twilio, _stop.Token));
        }

        public FrameSocket Twilio { get; } = new();

        public FrameSocket Agent { get; } = new();

        public CountSignal TwilioReceived { get; } = new();

        public CountSignal AgentReceived { get; } = new();

        public async Task StopAsync()
        {
            await _stop.CancelAsync();
            try
            {
                await Task.WhenAll(_up, _down);
            }
            catch (OperationCanceledException)
            {
            }
        }

        private static async Task RelayAsync(WebSocket from, WebSocket to, CancellationToken cancellationToken)
        {
            var buffer = ArrayPool<byte>.Shared.Rent(4096);
            try
            {
                while (true)
                {
                    var count = 0;
                    ValueWebSocketReceiveResult result;
                    do
                    {
                        result = await from.ReceiveAsync(buffer.AsMemory(count), cancellationToken);
                        count += result.Count;
                    }
                    while (!result.EndOfMessage);

                    await to.SendAsync(buffer.AsMemory(0, count), WebSocketMessageType.Text, true, cancellationToken);
                }
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }
    }
}
