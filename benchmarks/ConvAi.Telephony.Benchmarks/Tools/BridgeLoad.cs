using System.Buffers;
using System.Buffers.Binary;
using System.Buffers.Text;
using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Xml.Linq;

namespace ConvAi.Telephony.Benchmarks.Tools;

/// <summary>
/// <c>--bridge-load</c> (issue 26, benchmarks/bridges/run.sh): N concurrent simulated Twilio calls through a bridge process to the
/// emulator's agent socket in benchmark echo mode (its own process), for each bridge and each N, interleaved. Each call posts
/// the bridge's voice webhook (signed), opens the stream its TwiML names (signed handshake), sends <c>connected</c>,
/// <c>start</c> and a 20 ms <c>media</c> frame every 20 ms whose μ-law bytes carry a marker (call, sequence, send time);
/// the emulator writes its receive time into the bytes and echoes them as agent audio; the driver reads both times when
/// the frame comes back. All times are <see cref="Stopwatch.GetTimestamp"/> (CLOCK_MONOTONIC, one clock for every process
/// on the machine). Marks are answered at once, clears counted. The bridge process's CPU (utime + stime of its process
/// tree, /proc) over the measured window, its RSS and (when it serves GET /stats) its live heap after a forced collection,
/// idle (after one warm-up call) and loaded, and the bytes it allocated per frame over the window. The echo agent speaks first
/// (a greeting stamped with the initiation's arrival and its send time), so each call also splits Twilio's <c>start</c> → first
/// agent audio into the agent's own share and the bridge's. <c>--sequence N</c> instead places N short calls one after another
/// through one bridge process and reports what is left behind (live calls, agent sessions, sockets, live heap).
/// </summary>
internal static class BridgeLoad
{
    private const string AuthToken = "bench_auth_token_0f3a";
    private const string AgentId = "agent_bench";
    private const int FrameBytes = 160;
    private const int Groups = 4; // calls are spread over 4 phases of the 20 ms period
    private static readonly byte[] Magic = "CVAI"u8.ToArray();
    private static readonly byte[] GreetingMagic = "CVAG"u8.ToArray(); // the echo agent's greeting (AgentBenchmarkEcho)
    private static readonly long TicksPerMicrosecond = Stopwatch.Frequency / 1_000_000;

    public static async Task<int> RunAsync(string[] args)
    {
        var calls = Option(args, "--calls", "1,50,200").Split(',').Select(int.Parse).ToArray();
        var seconds = int.Parse(Option(args, "--seconds", "15"), CultureInfo.InvariantCulture);
        var warmup = int.Parse(Option(args, "--warmup", "3"), CultureInfo.InvariantCulture);
        var rounds = int.Parse(Option(args, "--rounds", "1"), CultureInfo.InvariantCulture);
        var nodeDir = Option(args, "--node-dir", "benchmarks/bridges/node");
        var servers = Option(args, "--servers", "benchmarks/ConvAi.Telephony.Benchmarks.Servers/bin/Release/net10.0/ConvAi.Telephony.Benchmarks.Servers.dll");
        var ours = Option(args, "--ours", string.Empty);
        var sequence = int.Parse(Option(args, "--sequence", "0"), CultureInfo.InvariantCulture);
        var only = Option(args, "--bridges", string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries);
        var bridges = new List<(string Name, string File, string Args)>
        {
            // --expose-gc: GET /stats?gc=1 collects before it reads the heap, as ours does.
            ("relay", "node", "--expose-gc " + Path.Combine(nodeDir, "bare-relay.js")),
            ("node", "node", "--expose-gc " + Path.Combine(nodeDir, "reference-bridge.js")),
        };
        if (ours.Length > 0 && ours != "none")
        {
            bridges.Add(("ours", "bash", "-c \"exec " + ours.Replace("\"", "\\\"", StringComparison.Ordinal) + "\""));
        }

        if (only.Length > 0)
        {
            bridges.RemoveAll(b => !only.Contains(b.Name));
        }

        var emulatorPort = FreePort();
        using var emulator = Start("dotnet", $"{servers} --target agent-echo --port {emulatorPort}", []);
        await WaitForPortAsync(emulatorPort, emulator);
        var agentUrl = $"ws://127.0.0.1:{emulatorPort}/v1/convai/conversation?agent_id={AgentId}";
        if (sequence > 0)
        {
            try
            {
                foreach (var bridge in bridges)
                {
                    await SequenceAsync(bridge.Name, bridge.File, bridge.Args, sequence, agentUrl, emulatorPort, emulator);
                }
            }
            finally
            {
                Stop(emulator);
            }

            return 0;
        }

        Console.WriteLine($"# bridge load: calls {string.Join(",", calls)}, {seconds} s measured after {warmup} s, {rounds} round(s); load average {File.ReadAllText("/proc/loadavg").Trim()}");
        var results = new List<Result>();
        try
        {
            for (var round = 0; round < rounds; round++)
            {
                foreach (var n in calls)
                {
                    // Interleaved: every bridge at this N before the next N, the order rotated each round.
                    for (var b = 0; b < bridges.Count; b++)
                    {
                        var bridge = bridges[(b + round) % bridges.Count];
                        var result = await MeasureAsync(bridge.Name, bridge.File, bridge.Args, n, agentUrl, emulatorPort, warmup, seconds, round);
                        results.Add(result);
                        Console.WriteLine(result.Line());
                    }
                }
            }
        }
        finally
        {
            Stop(emulator);
        }

        Console.WriteLine();
        Console.WriteLine($"load average after: {File.ReadAllText("/proc/loadavg").Trim()}");
        Console.WriteLine(Result.Header);
        foreach (var result in results.OrderBy(r => r.Calls).ThenBy(r => r.Round).ThenBy(r => r.Bridge, StringComparer.Ordinal))
        {
            Console.WriteLine(result.Row(results.FirstOrDefault(r => r.Bridge == "relay" && r.Calls == result.Calls && r.Round == result.Round)));
        }

        Console.WriteLine();
        Console.WriteLine("Twilio's start -> the first agent audio at the driver, per call (the calls are placed 16 at a time, before any audio flows):");
        Console.WriteLine(FirstAudio.Header);
        foreach (var result in results.OrderBy(r => r.Calls).ThenBy(r => r.Round).ThenBy(r => r.Bridge, StringComparer.Ordinal))
        {
            Console.WriteLine(result.FirstAudio.Row(result.Bridge, result.Calls, result.Round));
        }

        return 0;
    }

    /// <summary>The one-time call token lifetime ours runs with in <c>--sequence</c> (the default is 5 minutes), so the sweep of used tokens can be seen.</summary>
    private const string SequenceTokenLifetime = "00:00:20";

    private static Dictionary<string, string> BridgeEnvironment(int port, string agentUrl, int emulatorPort) => new()
    {
        ["BRIDGE_PORT"] = port.ToString(CultureInfo.InvariantCulture),
        ["AGENT_URL"] = agentUrl,
        ["EMULATOR_URL"] = $"http://127.0.0.1:{emulatorPort}/",
        ["AGENT_ID"] = AgentId,
        ["TWILIO_AUTH_TOKEN"] = AuthToken,
    };

    /// <summary>One call through a fresh bridge process for a second (JIT, pools, first connections), so idle readings are warm.</summary>
    private static async Task WarmUpAsync(HttpClient http, TwilioRequestValidator signer)
    {
        var call = await Call.StartAsync(-1, http, signer, CancellationToken.None);
        await call.FirstAudio.Task.WaitAsync(TimeSpan.FromSeconds(10));
        for (var i = 0; i < 50; i++)
        {
            await call.SendFrameAsync();
            await Task.Delay(20);
        }

        await call.HangUpAsync();
        await IgnoreAsync(call.Receiving.WaitAsync(TimeSpan.FromSeconds(10)));
        call.Dispose();
        await Task.Delay(500);
    }

    private static async Task<Result> MeasureAsync(string name, string file, string arguments, int n, string agentUrl, int emulatorPort, int warmup, int seconds, int round)
    {
        var port = FreePort();
        using var process = Start(file, arguments, BridgeEnvironment(port, agentUrl, emulatorPort));
        await WaitForPortAsync(port, process);
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/"), Timeout = TimeSpan.FromSeconds(30) };
        var signer = new TwilioRequestValidator(AuthToken);
        await WarmUpAsync(http, signer);
        var idleRss = Rss(process.Id);
        var idle = await StatsAsync(http, collect: true);
        var callList = new Call[n];
        using var stop = new CancellationTokenSource();
        await Parallel.ForEachAsync(Enumerable.Range(0, n), new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (i, ct) =>
        {
            callList[i] = await Call.StartAsync(i, http, signer, ct);
        });
        await Task.WhenAll(callList.Select(c => c.FirstAudio.Task)).WaitAsync(TimeSpan.FromSeconds(30));
        var ticker = TickAsync(callList, stop.Token);
        await Task.Delay(TimeSpan.FromSeconds(warmup));
        var windowStart = Stopwatch.GetTimestamp();
        foreach (var call in callList)
        {
            call.WindowStart = windowStart;
        }

        var cpuStart = CpuTicks(process.Id);
        var statsStart = await StatsAsync(http, collect: false);
        await Task.Delay(TimeSpan.FromSeconds(seconds / 2.0));
        var loadedRss = Rss(process.Id);
        await Task.Delay(TimeSpan.FromSeconds(seconds / 2.0));
        var windowEnd = Stopwatch.GetTimestamp();
        var cpuEnd = CpuTicks(process.Id);
        var statsEnd = await StatsAsync(http, collect: false);
        foreach (var call in callList)
        {
            call.WindowEnd = windowEnd;
        }

        // The live heap with every call still up: a full collection, read once, after the window (it would disturb it).
        var loaded = await StatsAsync(http, collect: true);
        await Task.Delay(500); // frames sent at the end of the window come back
        await stop.CancelAsync();
        await IgnoreAsync(ticker);
        await Task.WhenAll(callList.Select(c => c.HangUpAsync()));
        await Task.WhenAll(callList.Select(c => IgnoreAsync(c.Receiving.WaitAsync(TimeSpan.FromSeconds(10)))));
        Stop(process);
        foreach (var call in callList)
        {
            call.Dispose();
        }

        var up = callList.SelectMany(c => c.Up).ToArray();
        var down = callList.SelectMany(c => c.Down).ToArray();
        Array.Sort(up);
        Array.Sort(down);
        var windowSeconds = (windowEnd - windowStart) / (double)Stopwatch.Frequency;
        var sent = callList.Sum(c => c.SentInWindow);
        var framesBothWays = sent + callList.Sum(c => c.ReceivedInWindow);
        return new Result
        {
            Bridge = name,
            Calls = n,
            Frames = up.Length,
            Sent = sent,
            Up = up,
            Down = down,
            CpuMsPerCallSecond = (cpuEnd - cpuStart) * (1000.0 / ClockTicksPerSecond) / (n * windowSeconds),
            CpuMicrosecondsPerFrame = framesBothWays == 0 ? double.NaN : (cpuEnd - cpuStart) * (1_000_000.0 / ClockTicksPerSecond) / framesBothWays,
            RssPerCallKb = (loadedRss - idleRss) / 1024.0 / n,
            LiveHeapPerCallKb = loaded.LiveHeap is { } l && idle.LiveHeap is { } i0 ? (l - i0) / 1024.0 / n : null,
            AllocatedPerFrame = statsEnd.Allocated is { } a1 && statsStart.Allocated is { } a0 && framesBothWays > 0 ? (a1 - a0) / (double)framesBothWays : null,
            Marks = callList.Sum(c => c.Marks),
            Clears = callList.Sum(c => c.Clears),
            Round = round,
            FirstAudio = FirstAudio.Of(callList),
            Loaded = loaded,
        };
    }

    /// <summary>
    /// <c>--sequence N</c>: N short calls one after another through one bridge process (webhook, stream, <c>connected</c>, <c>start</c>,
    /// the agent's greeting, 5 frames and their echoes, <c>stop</c>, the bridge's close), then what is left: live calls and agent sessions
    /// (GET /stats), sockets of the bridge and of the agent process (/proc/PID/fd), live heap after a forced collection, RSS.
    /// </summary>
    private static async Task SequenceAsync(string name, string file, string arguments, int count, string agentUrl, int emulatorPort, Process emulator)
    {
        var port = FreePort();
        var environment = BridgeEnvironment(port, agentUrl, emulatorPort);
        environment["ConvAi__TwilioBridge__CallTokenLifetime"] = SequenceTokenLifetime;
        using var process = Start(file, arguments, environment);
        await WaitForPortAsync(port, process);
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/"), Timeout = TimeSpan.FromSeconds(30) };
        var signer = new TwilioRequestValidator(AuthToken);
        await WarmUpAsync(http, signer);
        var before = await StatsAsync(http, collect: true);
        var (bridgeSocketsBefore, agentSocketsBefore, rssBefore) = (Sockets(process.Id), Sockets(emulator.Id), Rss(process.Id));
        var failures = new Dictionary<string, int>(StringComparer.Ordinal);
        var firstAudio = new List<Call>(count);
        var started = Stopwatch.GetTimestamp();
        await PlaceAsync(0, count);
        var seconds = (Stopwatch.GetTimestamp() - started) / (double)Stopwatch.Frequency;
        var (after, settled) = await SettleAsync();
        var (bridgeSocketsAfter, agentSocketsAfter, rssAfter) = (Sockets(process.Id), Sockets(emulator.Id), Rss(process.Id));

        // Ours remembers each used one-time call token until it expires (replay protection; swept every 64 checks): once the last
        // token has expired, 64 more calls let the sweep run, and what remains after that is what the calls left behind.
        var lifetime = TimeSpan.Parse(SequenceTokenLifetime, CultureInfo.InvariantCulture);
        var wait = lifetime - Stopwatch.GetElapsedTime(started) + TimeSpan.FromSeconds(seconds) + TimeSpan.FromSeconds(2);
        if (wait > TimeSpan.Zero)
        {
            await Task.Delay(wait);
        }

        await PlaceAsync(count, 64);
        var (swept, _) = await SettleAsync();
        var (bridgeSocketsSwept, agentSocketsSwept, rssSwept) = (Sockets(process.Id), Sockets(emulator.Id), Rss(process.Id));
        Stop(process);

        var shares = FirstAudio.Of([.. firstAudio]);
        Console.WriteLine($"# {name}: {count} calls in sequence in {seconds:0.0} s ({seconds * 1000 / count:0.0} ms per call), load average {File.ReadAllText("/proc/loadavg").Trim()}");
        Console.WriteLine($"  failures: {(failures.Count == 0 ? "none" : string.Join(", ", failures.Select(f => $"{f.Key} x{f.Value}")))}");
        Console.WriteLine($"  live calls: {Show(before.LiveCalls)} before, {Show(after.LiveCalls)} after (settled in {settled.TotalMilliseconds:0} ms), {Show(swept.LiveCalls)} after the sweep");
        Console.WriteLine($"  agent sessions open in the bridge: {Show(before.Sessions)} before, {Show(after.Sessions)} after, {Show(swept.Sessions)} after the sweep");
        Console.WriteLine($"  sockets: bridge {bridgeSocketsBefore} before, {bridgeSocketsAfter} after, {bridgeSocketsSwept} after the sweep; agent process {agentSocketsBefore}, {agentSocketsAfter}, {agentSocketsSwept}");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  live heap after a full collection: {Kb(before.LiveHeap)} before, {Kb(after.LiveHeap)} after {count} calls ({Delta(after.LiveHeap)}), {Kb(swept.LiveHeap)} after the used call tokens expired ({SequenceTokenLifetime}) and 64 more calls swept them ({Delta(swept.LiveHeap)})"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  RSS {rssBefore / 1024.0 / 1024:0.0} MB before, {rssAfter / 1024.0 / 1024:0.0} MB after, {rssSwept / 1024.0 / 1024:0.0} MB after the sweep"));
        Console.WriteLine(FirstAudio.Header);
        Console.WriteLine(shares.Row(name, 1, -1));

        string Delta(long? value) => value is { } v && before.LiveHeap is { } b ? string.Create(CultureInfo.InvariantCulture, $"{(v - b) / 1024.0:+0.0;-0.0} KB") : "n/a";
        void Fail(string reason) => failures[reason] = failures.GetValueOrDefault(reason) + 1;

        async Task<(Stats Stats, TimeSpan Settled)> SettleAsync()
        {
            var settle = Stopwatch.StartNew();
            var stats = await StatsAsync(http, collect: false);
            while ((stats.LiveCalls > 0 || stats.Sessions > 0) && settle.Elapsed < TimeSpan.FromSeconds(10))
            {
                await Task.Delay(100);
                stats = await StatsAsync(http, collect: false);
            }

            var settled = settle.Elapsed;
            await Task.Delay(1000); // closed sockets leave the fd table
            return (await StatsAsync(http, collect: true), settled);
        }

        async Task PlaceAsync(int first, int calls)
        {
            for (var i = first; i < first + calls; i++)
            {
                Call? call = null;
                try
                {
                    call = await Call.StartAsync(i, http, signer, CancellationToken.None);
                    if (!await Within(call.FirstAudio.Task, 10))
                    {
                        Fail("no greeting");
                        continue;
                    }

                    for (var f = 0; f < 5; f++)
                    {
                        await call.SendFrameAsync(skipIfBusy: false);
                    }

                    if (!await Within(call.Echoes(5), 10))
                    {
                        Fail("echoes missing");
                    }

                    await call.HangUpAsync();
                    if (!await Within(call.Receiving, 10))
                    {
                        Fail("not closed by the bridge");
                    }

                    if (i < count)
                    {
                        firstAudio.Add(call);
                    }
                }
                catch (Exception ex) when (ex is HttpRequestException or WebSocketException or InvalidOperationException or TimeoutException)
                {
                    Fail(ex.GetType().Name);
                }
                finally
                {
                    call?.Dispose();
                }
            }
        }

        static string Show(long? value) => value is { } v ? v.ToString(CultureInfo.InvariantCulture) : "n/a";
        static string Kb(long? value) => value is { } v ? string.Create(CultureInfo.InvariantCulture, $"{v / 1024.0:0.0} KB") : "n/a";
    }

    /// <summary>Whether <paramref name="task"/> ends within the time, in any state (a receive loop that ends with the socket
    /// aborted by the other side after the hang-up has ended too).</summary>
    private static async Task<bool> Within(Task task, int seconds)
    {
        try
        {
            await task.WaitAsync(TimeSpan.FromSeconds(seconds));
        }
        catch (TimeoutException)
        {
            return false;
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
        }

        return true;
    }

    private static async Task TickAsync(Call[] calls, CancellationToken cancellationToken)
    {
        var period = Stopwatch.Frequency / 50 / Groups; // 5 ms
        var next = Stopwatch.GetTimestamp();
        var sends = new List<Task>(calls.Length);
        for (long tick = 0; !cancellationToken.IsCancellationRequested; tick++)
        {
            next += period;
            var group = (int)(tick % Groups);
            sends.Clear();
            for (var i = group; i < calls.Length; i += Groups)
            {
                sends.Add(calls[i].SendFrameAsync());
            }

            await Task.WhenAll(sends);
            var wait = next - Stopwatch.GetTimestamp();
            if (wait < -period * Groups)
            {
                // More than a frame behind (the driver was starved): skip the missed frames as a real-time source would,
                // instead of sending them in a burst.
                next = Stopwatch.GetTimestamp();
            }
            else if (wait > 0)
            {
                await Task.Delay(TimeSpan.FromTicks(wait * TimeSpan.TicksPerSecond / Stopwatch.Frequency), cancellationToken);
            }
        }
    }

    private sealed class Call
    {
        private readonly ClientWebSocket _socket;
        private readonly SemaphoreSlim _send = new(1, 1);
        private readonly int _index;
        private readonly string _streamSid;
        private readonly byte[] _frame = new byte[FrameBytes];
        private readonly ArrayBufferWriter<byte> _message = new(512);
        private int _sequence = 1;
        private int _chunk;

        private Call(int index, ClientWebSocket socket, string streamSid)
        {
            _index = index;
            _socket = socket;
            _streamSid = streamSid;
            _frame.AsSpan().Fill(0xFF);
            Magic.CopyTo(_frame, 0);
            BinaryPrimitives.WriteInt32LittleEndian(_frame.AsSpan(4), index);
        }

        public long WindowStart { get; set; } = long.MaxValue;

        public long WindowEnd { get; set; } = long.MaxValue;

        public List<int> Up { get; } = new(4096);

        public List<int> Down { get; } = new(4096);

        public int SentInWindow { get; private set; }

        public int ReceivedInWindow { get; private set; }

        /// <summary>The receive loop, started with the socket: ends when the bridge closes the stream.</summary>
        public Task Receiving { get; private set; } = Task.CompletedTask;

        /// <summary>When <c>start</c> was sent (<see cref="Stopwatch.GetTimestamp"/>).</summary>
        public long StartSent { get; private set; }

        /// <summary>Completes with (received by the driver, initiation at the agent, greeting sent by the agent) when the greeting arrives.</summary>
        public TaskCompletionSource<(long Received, long AgentInitiation, long AgentSent)> FirstAudio { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        private readonly object _echoGate = new();
        private int _echoes;
        private TaskCompletionSource? _echoWait;
        private int _echoTarget;

        /// <summary>Completes when <paramref name="count"/> echoes of this call's frames have come back in all.</summary>
        public Task Echoes(int count)
        {
            lock (_echoGate)
            {
                if (_echoes >= count)
                {
                    return Task.CompletedTask;
                }

                _echoTarget = count;
                _echoWait = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                return _echoWait.Task;
            }
        }

        public void Dispose() => _socket.Dispose();

        public int Marks { get; private set; }

        public int Clears { get; private set; }

        public static async Task<Call> StartAsync(int index, HttpClient http, TwilioRequestValidator signer, CancellationToken cancellationToken)
        {
            var callSid = "CA" + (index & 0x7FFFFFFF).ToString("x32", CultureInfo.InvariantCulture);
            var fields = new Dictionary<string, string>
            {
                ["AccountSid"] = "AC00000000000000000000000000000000", ["ApiVersion"] = "2010-04-01", ["CallSid"] = callSid, ["CallStatus"] = "ringing",
                ["Called"] = "+15005550001", ["Caller"] = "+15005550006", ["Direction"] = "inbound", ["From"] = "+15005550006", ["To"] = "+15005550001",
            };
            var voiceUrl = new Uri(http.BaseAddress!, "/twilio/voice");
            using var request = new HttpRequestMessage(HttpMethod.Post, voiceUrl) { Content = new FormUrlEncodedContent(fields) };
            request.Headers.TryAddWithoutValidation(TwilioRequestValidator.HeaderName, signer.ComputeSignature(voiceUrl.AbsoluteUri, fields));
            using var response = await http.SendAsync(request, cancellationToken);
            response.EnsureSuccessStatusCode();
            var twiml = XDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
            var stream = twiml.Descendants().First(e => e.Name.LocalName == "Stream");
            var streamUrl = stream.Attribute("url")!.Value;
            var parameters = stream.Elements().Where(e => e.Name.LocalName == "Parameter")
                .ToDictionary(e => e.Attribute("name")!.Value, e => e.Attribute("value")?.Value ?? string.Empty, StringComparer.Ordinal);

            var socket = new ClientWebSocket();
            socket.Options.SetRequestHeader(TwilioRequestValidator.HeaderName, signer.ComputeSignature(streamUrl, []));
            // A bridge that answers its public wss:// URL on this plain-http host is opened with ws:// (signed over the wss:// URL).
            var connectTo = new Uri(streamUrl);
            if (connectTo.Scheme == "wss" && connectTo.Authority == http.BaseAddress!.Authority)
            {
                connectTo = new UriBuilder(connectTo) { Scheme = "ws" }.Uri;
            }

            await socket.ConnectAsync(connectTo, cancellationToken);
            var streamSid = "MZ" + (index & 0x7FFFFFFF).ToString("x32", CultureInfo.InvariantCulture);
            var call = new Call(index, socket, streamSid);
            call.Receiving = call.ReceiveLoopAsync();
            await call.SendTextAsync("""{"event":"connected","protocol":"Call","version":"1.0.0"}""");
            var start = new Dictionary<string, object>
            {
                ["event"] = "start",
                ["sequenceNumber"] = "1",
                ["start"] = new Dictionary<string, object>
                {
                    ["accountSid"] = fields["AccountSid"], ["streamSid"] = streamSid, ["callSid"] = callSid, ["tracks"] = new[] { "inbound" },
                    ["customParameters"] = parameters,
                    ["mediaFormat"] = new Dictionary<string, object> { ["encoding"] = "audio/x-mulaw", ["sampleRate"] = 8000, ["channels"] = 1 },
                },
                ["streamSid"] = streamSid,
            };
            await call.SendTextAsync(JsonSerializer.Serialize(start), stamp: true);
            return call;
        }

        /// <summary>Sends the next frame; in real time (<paramref name="skipIfBusy"/>) a frame is skipped while the previous send (or a
        /// mark's answer) has not finished, rather than queued behind it.</summary>
        public async Task SendFrameAsync(bool skipIfBusy = true)
        {
            if (skipIfBusy ? !await _send.WaitAsync(0) : !await _send.WaitAsync(TimeSpan.FromSeconds(10)))
            {
                return;
            }

            try
            {
                var sequence = ++_sequence;
                var chunk = ++_chunk;
                BinaryPrimitives.WriteInt32LittleEndian(_frame.AsSpan(8), sequence);
                var now = Stopwatch.GetTimestamp();
                BinaryPrimitives.WriteInt64LittleEndian(_frame.AsSpan(12), now);
                _message.Clear();
                Write("{\"event\":\"media\",\"sequenceNumber\":\""u8);
                WriteNumber(sequence);
                Write("\",\"media\":{\"track\":\"inbound\",\"chunk\":\""u8);
                WriteNumber(chunk);
                Write("\",\"timestamp\":\""u8);
                WriteNumber((chunk - 1) * 20);
                Write("\",\"payload\":\""u8);
                var span = _message.GetSpan(256);
                Base64.EncodeToUtf8(_frame, span, out _, out var written);
                _message.Advance(written);
                Write("\"},\"streamSid\":\""u8);
                Write(Encoding.ASCII.GetBytes(_streamSid));
                Write("\"}"u8);
                if (now >= WindowStart && now <= WindowEnd)
                {
                    SentInWindow++;
                }

                await _socket.SendAsync(_message.WrittenMemory, WebSocketMessageType.Text, true, CancellationToken.None);
            }
            catch (Exception ex) when (ex is WebSocketException or ObjectDisposedException or InvalidOperationException)
            {
            }
            finally
            {
                _send.Release();
            }
        }

        private async Task ReceiveLoopAsync()
        {
            await Task.Yield();
            var buffer = new byte[64 * 1024];
            while (true)
            {
                var count = 0;
                ValueWebSocketReceiveResult result;
                do
                {
                    result = await _socket.ReceiveAsync(buffer.AsMemory(count), CancellationToken.None);
                    count += result.Count;
                }
                while (!result.EndOfMessage && count < buffer.Length);

                if (result.MessageType == WebSocketMessageType.Close)
                {
                    return;
                }

                var received = Stopwatch.GetTimestamp();
                Handle(buffer.AsSpan(0, count), received);
                if (_pendingMark is { } mark)
                {
                    _pendingMark = null;
                    await SendTextAsync($$$"""{"event":"mark","sequenceNumber":"{{{++_sequence}}}","streamSid":"{{{_streamSid}}}","mark":{"name":"{{{mark}}}"}}""");
                }
            }
        }

        private string? _pendingMark;

        private void Handle(ReadOnlySpan<byte> message, long received)
        {
            if (message.IndexOf("\"event\":\"media\""u8) >= 0)
            {
                var key = "\"payload\":\""u8;
                var at = message.IndexOf(key);
                if (at < 0)
                {
                    return;
                }

                var rest = message[(at + key.Length)..];
                var payload = rest[..rest.IndexOf((byte)'"')];
                Span<byte> audio = stackalloc byte[256];
                if (payload.IndexOf((byte)'\\') >= 0)
                {
                    // A JSON writer that escapes '+' or '/' (\u002B): decode the string properly.
                    using var document = JsonDocument.Parse(message.ToArray());
                    var bytes = Convert.FromBase64String(document.RootElement.GetProperty("media").GetProperty("payload").GetString()!);
                    bytes.CopyTo(audio);
                    audio = audio[..bytes.Length];
                }
                else if (Base64.DecodeFromUtf8(payload, audio, out _, out var written) == OperationStatus.Done)
                {
                    audio = audio[..written];
                }
                else
                {
                    return;
                }

                if (received >= WindowStart && received <= WindowEnd)
                {
                    ReceivedInWindow++;
                }

                if (audio.Length >= 28 && audio[..4].SequenceEqual(GreetingMagic))
                {
                    FirstAudio.TrySetResult((received, BinaryPrimitives.ReadInt64LittleEndian(audio[12..]), BinaryPrimitives.ReadInt64LittleEndian(audio[20..])));
                    return;
                }

                if (audio.Length < 28 || !audio[..4].SequenceEqual(Magic) || BinaryPrimitives.ReadInt32LittleEndian(audio[4..]) != _index)
                {
                    return;
                }

                var sent = BinaryPrimitives.ReadInt64LittleEndian(audio[12..]);
                var emulator = BinaryPrimitives.ReadInt64LittleEndian(audio[20..]);
                if (sent >= WindowStart && sent <= WindowEnd)
                {
                    Up.Add((int)((emulator - sent) / TicksPerMicrosecond));
                    Down.Add((int)((received - emulator) / TicksPerMicrosecond));
                }

                lock (_echoGate)
                {
                    if (++_echoes >= _echoTarget && _echoWait is { } wait)
                    {
                        _echoWait = null;
                        wait.TrySetResult();
                    }
                }
            }
            else if (message.IndexOf("\"event\":\"mark\""u8) >= 0)
            {
                Marks++;
                var key = "\"name\":\""u8;
                var at = message.IndexOf(key);
                if (at >= 0)
                {
                    var rest = message[(at + key.Length)..];
                    _pendingMark = Encoding.UTF8.GetString(rest[..rest.IndexOf((byte)'"')]);
                }
            }
            else if (message.IndexOf("\"event\":\"clear\""u8) >= 0)
            {
                Clears++;
            }
        }

        public async Task HangUpAsync()
        {
            try
            {
                await SendTextAsync($$$"""{"event":"stop","sequenceNumber":"{{{++_sequence}}}","streamSid":"{{{_streamSid}}}","stop":{"accountSid":"AC00000000000000000000000000000000","callSid":"CA"}}""");
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, timeout.Token);
            }
            catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or ObjectDisposedException or InvalidOperationException)
            {
                _socket.Abort();
            }
        }

        private async Task SendTextAsync(string text, bool stamp = false)
        {
            await _send.WaitAsync();
            try
            {
                var bytes = Encoding.UTF8.GetBytes(text);
                if (stamp)
                {
                    StartSent = Stopwatch.GetTimestamp();
                }

                await _socket.SendAsync(bytes, WebSocketMessageType.Text, true, CancellationToken.None);
            }
            finally
            {
                _send.Release();
            }
        }

        private void Write(ReadOnlySpan<byte> bytes)
        {
            bytes.CopyTo(_message.GetSpan(bytes.Length));
            _message.Advance(bytes.Length);
        }

        private void WriteNumber(int value)
        {
            var span = _message.GetSpan(11);
            Utf8Formatter.TryFormat(value, span, out var written);
            _message.Advance(written);
        }
    }

    private sealed class Result
    {
        public const string Header =
            "| bridge | calls | round | frames | lost | up p50 ms | up p99 ms | down p50 ms | down p99 ms | p99 vs relay (up/down) | CPU ms per call-second | vs relay | CPU µs per frame | vs relay | RSS KB per call | live heap KB per call | allocated B per frame | marks | clears |\n"
            + "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|";

        public required string Bridge { get; init; }

        public required int Calls { get; init; }

        public required int Frames { get; init; }

        public required int Sent { get; init; }

        public required int[] Up { get; init; }

        public required int[] Down { get; init; }

        public required double CpuMsPerCallSecond { get; init; }

        public required double RssPerCallKb { get; init; }

        public required double? LiveHeapPerCallKb { get; init; }

        public required double? AllocatedPerFrame { get; init; }

        /// <summary>The bridge's CPU over the window per frame it carried (sent by the driver plus media received by it): a bridge
        /// that falls behind carries fewer frames, which CPU per call-second does not show.</summary>
        public required double CpuMicrosecondsPerFrame { get; init; }

        public required FirstAudio FirstAudio { get; init; }

        /// <summary>What the bridge's /stats said with every call up (live calls; agent sessions, ours only).</summary>
        public required Stats Loaded { get; init; }

        public required int Marks { get; init; }

        public required int Clears { get; init; }

        public required int Round { get; init; }

        public string Line() => string.Create(CultureInfo.InvariantCulture,
            $"{Bridge,-6} {Calls,4} calls: {Frames} frames, up p50 {P(Up, 0.5):0.00} p99 {P(Up, 0.99):0.00} ms, down p50 {P(Down, 0.5):0.00} p99 {P(Down, 0.99):0.00} ms, CPU {CpuMsPerCallSecond:0.00} ms/call-s, RSS {RssPerCallKb:0} KB/call, live calls {Loaded.LiveCalls?.ToString(CultureInfo.InvariantCulture) ?? "n/a"}, agent sessions {Loaded.Sessions?.ToString(CultureInfo.InvariantCulture) ?? "n/a"}");

        public string Row(Result? relay)
        {
            var self = relay is null || relay == this;
            var latency = self ? "1.00 / 1.00" : $"{Ratio(P(Up, 0.99), P(relay!.Up, 0.99))} / {Ratio(P(Down, 0.99), P(relay.Down, 0.99))}";
            var cpu = self ? "1.00" : Ratio(CpuMsPerCallSecond, relay!.CpuMsPerCallSecond);
            var cpuFrame = self ? "1.00" : Ratio(CpuMicrosecondsPerFrame, relay!.CpuMicrosecondsPerFrame);
            var heap = LiveHeapPerCallKb is { } h ? h.ToString("0.0", CultureInfo.InvariantCulture) : "n/a";
            var allocated = AllocatedPerFrame is { } a ? a.ToString("0", CultureInfo.InvariantCulture) : "n/a";
            return string.Create(CultureInfo.InvariantCulture,
                $"| {Bridge} | {Calls} | {Round + 1} | {Frames} | {Math.Max(0, Sent - Frames)} | {P(Up, 0.5):0.00} | {P(Up, 0.99):0.00} | {P(Down, 0.5):0.00} | {P(Down, 0.99):0.00} | {latency} | {CpuMsPerCallSecond:0.00} | {cpu} | {CpuMicrosecondsPerFrame:0.0} | {cpuFrame} | {RssPerCallKb:0} | {heap} | {allocated} | {Marks} | {Clears} |");
        }

        private static string Ratio(double a, double b) => b <= 0 ? "n/a" : (a / b).ToString("0.00", CultureInfo.InvariantCulture);

        internal static double P(int[] sorted, double q) => sorted.Length == 0 ? double.NaN : sorted[Math.Min(sorted.Length - 1, (int)(q * sorted.Length))] / 1000.0;
    }

    /// <summary>
    /// Twilio's <c>start</c> → the agent's first audio at the driver, per call, on one clock: <c>total</c> from the driver's send of
    /// <c>start</c> to the greeting's arrival; <c>agent</c> the agent's own (initiation received → greeting sent, stamped in the
    /// greeting); <c>bridge share</c> = total − agent: the bridge's work (the agent socket if not open yet, initiation, the relay
    /// down) and the loopback transit both ways.
    /// </summary>
    private sealed class FirstAudio
    {
        public const string Header =
            "| bridge | calls | round | calls measured | total p50 ms | total p99 ms | agent's own p50 ms | agent's own p99 ms | bridge share p50 ms | bridge share p99 ms | of which start -> initiation at the agent p50 / p99 ms | greeting sent -> at the driver p50 / p99 ms |\n"
            + "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|";

        private int[] _total = [];
        private int[] _agent = [];
        private int[] _share = [];
        private int[] _up = [];
        private int[] _down = [];

        public static FirstAudio Of(Call[] calls)
        {
            var done = calls.Where(c => c.FirstAudio.Task.IsCompletedSuccessfully).Select(c => (c.StartSent, c.FirstAudio.Task.Result)).ToArray();
            var total = done.Select(d => Micro(d.Result.Received - d.StartSent)).Order().ToArray();
            var agent = done.Select(d => Micro(d.Result.AgentSent - d.Result.AgentInitiation)).Order().ToArray();
            var share = done.Select(d => Micro(d.Result.Received - d.StartSent - (d.Result.AgentSent - d.Result.AgentInitiation))).Order().ToArray();
            var up = done.Select(d => Micro(d.Result.AgentInitiation - d.StartSent)).Order().ToArray();
            var down = done.Select(d => Micro(d.Result.Received - d.Result.AgentSent)).Order().ToArray();
            return new FirstAudio { _total = total, _agent = agent, _share = share, _up = up, _down = down };
        }

        public string Row(string bridge, int calls, int round) => string.Create(CultureInfo.InvariantCulture,
            $"| {bridge} | {calls} | {(round < 0 ? "-" : (round + 1).ToString(CultureInfo.InvariantCulture))} | {_total.Length} | {Result.P(_total, 0.5):0.00} | {Result.P(_total, 0.99):0.00} | {Result.P(_agent, 0.5):0.00} | {Result.P(_agent, 0.99):0.00} | {Result.P(_share, 0.5):0.00} | {Result.P(_share, 0.99):0.00} | {Result.P(_up, 0.5):0.00} / {Result.P(_up, 0.99):0.00} | {Result.P(_down, 0.5):0.00} / {Result.P(_down, 0.99):0.00} |");

        private static int Micro(long ticks) => (int)(ticks / TicksPerMicrosecond);
    }

    private static readonly int ClockTicksPerSecond = 100; // sysconf(_SC_CLK_TCK) on Linux

    private static long CpuTicks(int root) => Tree(root).Sum(pid =>
    {
        var fields = StatFields(pid);
        return fields is null ? 0 : long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
    });

    private static long Rss(int root) => Tree(root).Sum(pid =>
    {
        try
        {
            var line = File.ReadLines($"/proc/{pid}/status").FirstOrDefault(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
            return line is null ? 0 : long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
        }
        catch (IOException)
        {
            return 0;
        }
    });

    // The fields after "(comm)": [0] state, [1] ppid, ..., [11] utime, [12] stime.
    private static string[]? StatFields(int pid)
    {
        try
        {
            var text = File.ReadAllText($"/proc/{pid}/stat");
            return text[(text.LastIndexOf(')') + 2)..].Split(' ');
        }
        catch (IOException)
        {
            return null;
        }
    }

    private static List<int> Tree(int root)
    {
        var parents = new Dictionary<int, int>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(dir), out var pid) && StatFields(pid) is { } fields)
            {
                parents[pid] = int.Parse(fields[1], CultureInfo.InvariantCulture);
            }
        }

        var tree = new List<int> { root };
        for (var i = 0; i < tree.Count; i++)
        {
            tree.AddRange(parents.Where(p => p.Value == tree[i]).Select(p => p.Key));
        }

        return tree;
    }

    private sealed record Stats(long? LiveHeap, long? Allocated, long? LiveCalls, long? Sessions);

    /// <summary>GET /stats (ours: samples/MediaStreamBridge with CONVAI_BENCH_STATS=1; the Node bridges): with <paramref name="collect"/>
    /// the bridge runs a full collection first and answers its live heap.</summary>
    private static async Task<Stats> StatsAsync(HttpClient http, bool collect)
    {
        try
        {
            using var document = JsonDocument.Parse(await http.GetStringAsync(new Uri(collect ? "/stats?gc=1" : "/stats", UriKind.Relative)));
            var root = document.RootElement;
            return new Stats(Long("liveHeap"), Long("allocatedBytes"), Long("liveCalls") ?? Long("live"), Long("sessions"));

            long? Long(string name) => root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number ? value.GetInt64() : null;
        }
        catch (Exception ex) when (ex is HttpRequestException or JsonException or TaskCanceledException)
        {
            return new Stats(null, null, null, null);
        }
    }

    /// <summary>The sockets a process tree holds open (/proc/PID/fd links to <c>socket:[…]</c>), listening sockets included.</summary>
    private static int Sockets(int root) => Tree(root).Sum(pid =>
    {
        try
        {
            return Directory.EnumerateFileSystemEntries($"/proc/{pid}/fd")
                .Count(fd => new FileInfo(fd).LinkTarget?.StartsWith("socket:", StringComparison.Ordinal) == true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return 0;
        }
    });

    private static Process Start(string file, string arguments, Dictionary<string, string> environment)
    {
        var info = new ProcessStartInfo(file, arguments) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var (name, value) in environment)
        {
            info.Environment[name] = value;
        }

        var process = Process.Start(info)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { Console.Error.WriteLine($"[{Path.GetFileName(file)}] {e.Data}"); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static void Stop(Process process)
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit(10_000);
        }
    }

    private static async Task WaitForPortAsync(int port, Process process)
    {
        var deadline = Stopwatch.GetTimestamp() + (60 * Stopwatch.Frequency);
        while (Stopwatch.GetTimestamp() < deadline)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"the process exited with {process.ExitCode} before listening on {port}");
            }

            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync("127.0.0.1", port);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(100);
            }
        }

        throw new TimeoutException($"nothing listens on {port} after 60 s");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task IgnoreAsync(Task task)
    {
        try
        {
            await task;
        }
        catch (Exception ex) when (ex is OperationCanceledException or WebSocketException or ObjectDisposedException or TimeoutException)
        {
        }
    }

    private static string Option(string[] args, string name, string fallback)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
    }
}
