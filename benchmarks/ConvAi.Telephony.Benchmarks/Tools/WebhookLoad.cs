using System.Buffers;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using System.Text.Json.Serialization;
using ConvAi.Telephony;
using ConvAi.Telephony.AspNetCore;
using ConvAi.Telephony.Benchmarks.Webhooks;
using ConvAi.Telephony.Shared;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ConnectionMultiplexer = StackExchange.Redis.ConnectionMultiplexer;
using RedisKey = StackExchange.Redis.RedisKey;

namespace ConvAi.Telephony.Benchmarks.Tools;

/// <summary>
/// <c>--webhook-load ack-latency|burst|inline [rounds]</c>: HTTP load on 127.0.0.1 against servers hosted in this
/// process (Kestrel), one fresh server per target and round, targets interleaved within each round so that machine
/// load hits all alike; ratios are medians over the rounds. Every delivery is a signed 7.5 KB
/// <c>post_call_transcription</c> with its own conversation id (so none is a duplicate). The client is an
/// <see cref="HttpMessageInvoker"/> in the same process, the same for every target. Besides the rates (wall clock, which
/// other work on the machine disturbs), each run reports the CPU time this process spent per delivery (server and
/// client), which a shared machine disturbs much less; on loopback the rate is bound by it.
/// <list type="bullet">
/// <item><c>ack-latency</c>: 4 deliveries/s at a fixed schedule (each send on its own task, so a slow answer cannot delay
/// the next send), handler taking 200 ms; <c>Queued</c> (memory inbox, with and without the acknowledgement gate) beside
/// <c>Inline</c>; every delivery processed.</item>
/// <item><c>burst</c>: 10,000 deliveries from 32 connections against the bare endpoint, the verify floor (body read + signature
/// check, nothing kept), <c>Queued</c> with the memory inbox (also without the acknowledgement gate: <c>queued-nogate</c>) and,
/// when <c>redis-server</c> is installed, the Redis floor (the verify floor + one <c>XADD</c> of the body) and the Redis
/// inbox; then waits until the handler (reads the transcript) processed all.</item>
/// <item><c>inline</c>: 8,000 deliveries from 32 connections against the bare endpoint, a hand-written endpoint (documented
/// algorithm + reflection parse of a small DTO), the typed floor (the verify floor + <see cref="ConvAiWebhookEvent.Parse(ReadOnlyMemory{byte})"/>)
/// and <c>MapConvAiWebhooks</c> Inline, each reading the transcript.</item>
/// </list>
/// </summary>
internal static class WebhookLoad
{
    private const int Connections = 32;

    public static async Task<int> RunAsync(string scenario, int rounds)
    {
        Console.WriteLine($"machine: {Environment.ProcessorCount} cores, load average {LoadAverage()}, .NET {Environment.Version}, {(System.Runtime.GCSettings.IsServerGC ? "server" : "workstation")} GC; {rounds} interleaved rounds, one fresh in-process Kestrel server per target and round");
        var result = scenario switch
        {
            "ack-latency" => await AckLatencyAsync(rounds),
            "burst" => await BurstAsync(rounds),
            "inline" => await InlineAsync(rounds),
            "sqlite-ack" => await SqliteLoad.AckLatencyAsync(rounds),
            "sqlite-burst" => await SqliteLoad.BurstAsync(rounds),
            "sqlite-disk" => await SqliteLoad.DiskAsync(),
            _ => -1,
        };
        if (result < 0)
        {
            await Console.Error.WriteLineAsync("usage: --webhook-load ack-latency|burst|inline|sqlite-ack|sqlite-burst|sqlite-disk [rounds]");
            return 2;
        }

        Console.WriteLine($"load average after: {LoadAverage()}");
        return result;
    }

    private static async Task<int> AckLatencyAsync(int rounds)
    {
        const int PerRound = 40;
        var period = TimeSpan.FromMilliseconds(250);
        LoadHandler.Delay = TimeSpan.FromMilliseconds(200);
        var latencies = new Dictionary<string, List<double>> { ["queued"] = [], ["queued-nogate"] = [], ["inline"] = [] };
        var unprocessed = 0;
        for (var round = 0; round < rounds; round++)
        {
            foreach (var target in latencies.Keys)
            {
                await using var server = await LoadServer.StartAsync(target);
                var deliveries = Deliveries(PerRound, $"lat{round}{target}_");
                LoadHandler.Reset();
                latencies[target].AddRange(await FixedRateAsync(server.Uri, deliveries, period));
                // FixedRateAsync's first delivery opens the connection; it is processed too.
                unprocessed += PerRound + 1 - await WaitProcessedAsync(PerRound + 1);
            }
        }

        foreach (var (target, values) in latencies)
        {
            values.Sort();
            Console.WriteLine($"{target}, handler 200 ms, 4 deliveries/s: answer p50 {Percentile(values, 50):F1} ms, p99 {Percentile(values, 99):F1} ms, max {values[^1]:F1} ms ({values.Count} deliveries)");
        }

        Console.WriteLine($"  the acknowledgement gate: queued p99 {Percentile(latencies["queued"], 99):F1} ms with it, {Percentile(latencies["queued-nogate"], 99):F1} ms without it (informational)");
        var p99 = Percentile(latencies["queued"], 99);
        Console.WriteLine($"queued answer p99 {p99:F1} ms, {unprocessed} deliveries not processed (target <=20 ms, all processed): {Verdict(p99 <= 20 && unprocessed == 0)}");
        return 0;
    }

    private static async Task<int> BurstAsync(int rounds)
    {
        const int Burst = 10_000;
        LoadHandler.Delay = TimeSpan.Zero;
        await using var redis = await RedisServer.TryStartAsync();
        List<string> targets = redis is null ? ["bare", "verified", "queued", "queued-nogate"] : ["bare", "verified", "queued", "queued-nogate", "redis-floor", "queued-redis"];
        var runs = targets.ToDictionary(target => target, _ => new List<LoadRun>());
        var errors = 0;
        var unprocessed = 0;
        var drain = new List<string>();
        for (var round = 0; round < rounds; round++)
        {
            foreach (var target in targets)
            {
                await using var server = await LoadServer.StartAsync(target, redis?.Configuration, $"r{round}:");
                await WarmUpAsync(server, target, $"w{round}{target}_");
                var deliveries = Deliveries(Burst, $"b{round}{target}_");
                LoadHandler.Reset();
                var run = await ClosedLoopAsync(server.Uri, deliveries);
                runs[target].Add(run);
                errors += run.Errors;
                if (target.StartsWith("queued", StringComparison.Ordinal))
                {
                    var duringBurst = LoadHandler.Processed;
                    var burstEnded = Stopwatch.GetTimestamp();
                    var processed = await WaitProcessedAsync(Burst, TimeSpan.FromMinutes(3));
                    unprocessed += Burst - processed;
                    drain.Add($"{target}: {duringBurst} during the burst, the rest {Stopwatch.GetElapsedTime(burstEnded).TotalSeconds:F1} s after it");
                }
            }
        }

        var (rates, cpu) = PrintRates(runs);
        Console.WriteLine($"processed per burst ({string.Join("; ", drain)}); {unprocessed} not processed, {errors} errors");
        var memory = Median(Ratios(rates["queued"], rates["bare"]));
        Console.WriteLine($"queued, memory inbox, burst of {Burst}: {memory:F2}x the bare endpoint's rate (median of per-round ratios; {Median(Ratios(cpu["bare"], cpu["queued"])):F2}x by CPU time per delivery during the burst), "
            + $"{errors} errors, {unprocessed} unprocessed (target >=0.75x, 0 errors, all processed): {Verdict(memory >= 0.75 && errors == 0 && unprocessed == 0)}");
        Console.WriteLine($"  the verify floor (body read into a pooled buffer + ConvAiWebhookSignature.Verify, nothing else): {Median(Ratios(rates["verified"], rates["bare"])):F2}x the bare endpoint's rate; "
            + $"the memory inbox at {Median(Ratios(rates["queued"], rates["verified"])):F2}x the floor's rate (informational: what a receiver that checks the signature can reach)");
        Console.WriteLine($"  the acknowledgement gate: the memory inbox without it at {Median(Ratios(rates["queued-nogate"], rates["bare"])):F2}x the bare endpoint's rate, "
            + $"{Median(Ratios(rates["queued"], rates["queued-nogate"])):F2}x with it over without it (informational: what WebhookAcknowledgementGate buys a burst)");
        if (redis is not null)
        {
            var shared = Median(Ratios(rates["queued-redis"], rates["bare"]));
            Console.WriteLine($"queued, Redis inbox, burst of {Burst}: {shared:F2}x the bare endpoint's rate, {Median(Ratios(rates["queued-redis"], rates["verified"])):F2}x the verify floor's ({Median(Ratios(cpu["bare"], cpu["queued-redis"])):F2}x by CPU time per delivery, this process only: redis-server's own CPU not counted) (target >=0.5x): {Verdict(shared >= 0.5 && errors == 0 && unprocessed == 0)}");
            Console.WriteLine($"  the Redis floor (the verify floor + one XADD of the body, nothing else): {Median(Ratios(rates["redis-floor"], rates["bare"])):F2}x the bare endpoint's rate; "
                + $"the Redis inbox at {Median(Ratios(rates["queued-redis"], rates["redis-floor"])):F2}x the Redis floor's rate (informational: what a receiver that keeps each body in Redis can reach)");
        }
        else
        {
            Console.WriteLine("queued, Redis inbox: not measured (redis-server not installed)");
        }

        return 0;
    }

    private static async Task<int> InlineAsync(int rounds)
    {
        const int Count = 8_000;
        LoadHandler.Delay = TimeSpan.Zero;
        string[] targets = ["bare", "handwritten", "typed-floor", "inline"];
        var runs = targets.ToDictionary(target => target, _ => new List<LoadRun>());
        var errors = 0;
        for (var round = 0; round < rounds; round++)
        {
            foreach (var target in targets)
            {
                await using var server = await LoadServer.StartAsync(target);
                await WarmUpAsync(server, target, $"w{round}{target}_");
                var run = await ClosedLoopAsync(server.Uri, Deliveries(Count, $"i{round}{target}_"));
                runs[target].Add(run);
                errors += run.Errors;
            }
        }

        var (rates, cpu) = PrintRates(runs);
        var ratios = Ratios(rates["inline"], rates["handwritten"]);
        var ratio = Median(ratios);
        var cpuRatio = Median(Ratios(cpu["handwritten"], cpu["inline"]));
        Console.WriteLine($"inline MapConvAiWebhooks vs hand-written, handler reads the transcript: {ratio:F2}x the rate (per round {string.Join(", ", ratios.Select(r => r.ToString("F2", CultureInfo.InvariantCulture)))}), "
            + $"{cpuRatio:F2}x by CPU time per delivery (hand-written / library); {Median(Ratios(rates["inline"], rates["bare"])):F2}x the bare endpoint's rate, {errors} errors (target >=1.2x, goal 1.5x): {Verdict(ratio >= 1.2 && errors == 0)}");
        Console.WriteLine($"  the typed floor (the verify floor + ConvAiWebhookEvent.Parse + the transcript read, nothing else): {Median(Ratios(rates["typed-floor"], rates["handwritten"])):F2}x the hand-written endpoint's rate; "
            + $"Inline at {Median(Ratios(rates["inline"], rates["typed-floor"])):F2}x the typed floor's rate (informational: what a receiver that binds the typed Conversation can reach)");
        return 0;
    }

    /// <summary>Prints each target's runs; returns the rates and the CPU times per delivery by target, round by round.</summary>
    internal static (Dictionary<string, List<double>> Rates, Dictionary<string, List<double>> Cpu) PrintRates(Dictionary<string, List<LoadRun>> runs)
    {
        foreach (var (target, values) in runs)
        {
            Console.WriteLine($"{target}: {Series(values, run => run.Rate)} deliveries/s; CPU of this process (server + client) per delivery {Series(values, run => run.CpuMicroseconds)} us; "
                + $"allocated per delivery {Series(values, run => run.AllocatedKilobytes, "F1")} KB, GC pause per delivery {Series(values, run => run.GcPauseMicroseconds, "F1")} us");
        }

        return (runs.ToDictionary(pair => pair.Key, pair => pair.Value.Select(run => run.Rate).ToList()),
            runs.ToDictionary(pair => pair.Key, pair => pair.Value.Select(run => run.CpuMicroseconds).ToList()));

        static string Series(List<LoadRun> values, Func<LoadRun, double> selector, string format = "F0")
        {
            var series = values.Select(selector).ToList();
            return $"{string.Join(", ", series.Select(value => value.ToString(format, CultureInfo.InvariantCulture)))} (median {Median(series).ToString(format, CultureInfo.InvariantCulture)})";
        }
    }

    /// <summary>Signed deliveries, each for its own conversation id.</summary>
    internal static (byte[] Body, string Signature)[] Deliveries(int count, string idPrefix)
    {
        var now = DateTimeOffset.UtcNow;
        return Enumerable.Range(0, count).Select(i =>
        {
            var body = Payloads.TranscriptWebhookFor(idPrefix + i.ToString(CultureInfo.InvariantCulture));
            return (body, ConvAiWebhookSignature.CreateHeader(Payloads.WebhookSecret, body, now));
        }).ToArray();
    }

    internal static async Task WarmUpAsync(LoadServer server, string target, string idPrefix)
    {
        const int WarmUp = 1_000;
        LoadHandler.Reset();
        await ClosedLoopAsync(server.Uri, Deliveries(WarmUp, idPrefix));
        if (target.StartsWith("queued", StringComparison.Ordinal) || target.StartsWith("sqlite", StringComparison.Ordinal))
        {
            await WaitProcessedAsync(WarmUp, TimeSpan.FromMinutes(1));
        }
    }

    private static HttpMessageInvoker CreateClient() => new(new SocketsHttpHandler
    {
        MaxConnectionsPerServer = Connections,
        UseProxy = false,
        PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
    });

    private static async Task<HttpStatusCode> SendAsync(HttpMessageInvoker client, Uri uri, (byte[] Body, string Signature) delivery)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, uri) { Content = new ByteArrayContent(delivery.Body) };
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        request.Headers.TryAddWithoutValidation(ConvAiWebhookSignature.HeaderName, delivery.Signature);
        using var response = await client.SendAsync(request, CancellationToken.None);
        return response.StatusCode;
    }

    /// <summary>Sends every delivery from <see cref="Connections"/> concurrent senders; the rate counts answers of any status.</summary>
    internal static async Task<LoadRun> ClosedLoopAsync(Uri uri, (byte[] Body, string Signature)[] deliveries)
    {
        using var client = CreateClient();
        var next = -1;
        var errors = 0;
        using var process = Process.GetCurrentProcess();
        var cpu = process.TotalProcessorTime;
        var allocated = GC.GetTotalAllocatedBytes();
        var pause = GC.GetTotalPauseDuration();
        var stopwatch = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, Connections).Select(async _ =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < deliveries.Length)
            {
                try
                {
                    if (await SendAsync(client, uri, deliveries[i]) != HttpStatusCode.OK)
                    {
                        Interlocked.Increment(ref errors);
                    }
                }
                catch (HttpRequestException)
                {
                    Interlocked.Increment(ref errors);
                }
            }
        }));
        var elapsed = stopwatch.Elapsed;
        process.Refresh();

        return new LoadRun(
            deliveries.Length / elapsed.TotalSeconds,
            errors,
            (process.TotalProcessorTime - cpu).TotalMicroseconds / deliveries.Length,
            (GC.GetTotalAllocatedBytes() - allocated) / 1024.0 / deliveries.Length,
            (GC.GetTotalPauseDuration() - pause).TotalMicroseconds / deliveries.Length);
    }

    /// <summary>Sends one delivery per <paramref name="period"/>; returns each answer's latency in ms from its scheduled time.</summary>
    internal static async Task<List<double>> FixedRateAsync(Uri uri, (byte[] Body, string Signature)[] deliveries, TimeSpan period)
    {
        using var client = CreateClient();
        await SendAsync(client, uri, Deliveries(1, "connect_" + Guid.NewGuid().ToString("N"))[0]);
        var start = Stopwatch.GetTimestamp();
        var sends = new List<Task<double>>();
        for (var i = 0; i < deliveries.Length; i++)
        {
            var due = start + (long)(period.TotalSeconds * i * Stopwatch.Frequency);
            var wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), due);
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait);
            }

            // Timed from the send itself: the client's timer lateness is not the server's; at 4/s nothing queues up behind a
            // slow answer (the slowest, Inline with a 200 ms handler, answers before the next send is due).
            var delivery = deliveries[i];
            sends.Add(Task.Run(async () =>
            {
                var sent = Stopwatch.GetTimestamp();
                var status = await SendAsync(client, uri, delivery);
                return status == HttpStatusCode.OK ? Stopwatch.GetElapsedTime(sent).TotalMilliseconds : double.PositiveInfinity;
            }));
        }

        return [.. await Task.WhenAll(sends)];
    }

    internal static async Task<int> WaitProcessedAsync(int count, TimeSpan? timeout = null)
    {
        var deadline = Stopwatch.StartNew();
        while (LoadHandler.Processed < count && deadline.Elapsed < (timeout ?? TimeSpan.FromSeconds(30)))
        {
            await Task.Delay(20);
        }

        return LoadHandler.Processed;
    }

    internal static List<double> Ratios(List<double> values, List<double> baselines) => values.Zip(baselines, (value, baseline) => value / baseline).ToList();

    internal static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
    }

    internal static double Percentile(List<double> sorted, double percentile) =>
        sorted[Math.Clamp((int)Math.Ceiling(percentile / 100 * sorted.Count) - 1, 0, sorted.Count - 1)];

    internal static string Verdict(bool met) => met ? "met" : "NOT MET";

    internal static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";
}

/// <summary>
/// One closed-loop run: deliveries per second, error answers, and per delivery this process's CPU time, managed allocation
/// and GC pause time (server and client alike, so they compare between targets, not as absolute server costs).
/// </summary>
internal sealed record LoadRun(double Rate, int Errors, double CpuMicroseconds, double AllocatedKilobytes, double GcPauseMicroseconds);

/// <summary>The handler of every library target: waits <see cref="Delay"/> (a CRM call) or reads the transcript, and counts.</summary>
internal sealed class LoadHandler : ConvAiWebhookHandler
{
    private static int _processed;
    private static long _turns;

    public static TimeSpan Delay { get; set; }

    /// <summary>False with WEBHOOK_LOAD_READ=0 (a diagnostic: the library's cost without binding <c>data</c>).</summary>
    public static bool ReadsTranscript { get; } = Environment.GetEnvironmentVariable("WEBHOOK_LOAD_READ") != "0";

    public static int Processed => Volatile.Read(ref _processed);

    public static void Reset() => Volatile.Write(ref _processed, 0);

    /// <summary>Counts one processed delivery (also for the SQLite targets' handler).</summary>
    public static void CountProcessed() => Interlocked.Increment(ref _processed);

    public override async Task OnPostCallTranscriptionAsync(PostCallTranscriptionEvent webhookEvent, CancellationToken cancellationToken = default)
    {
        if (Delay > TimeSpan.Zero)
        {
            await Task.Delay(Delay, cancellationToken);
        }
        else if (ReadsTranscript)
        {
            Interlocked.Add(ref _turns, webhookEvent.GetData().Transcript?.Count ?? 0);
        }

        Interlocked.Increment(ref _processed);
    }
}

/// <summary>A Kestrel server on 127.0.0.1 and a free port, hosted in this process.</summary>
internal sealed class LoadServer : IAsyncDisposable
{
    private const string WebhookPath = "/webhooks/elevenlabs";
    private readonly WebApplication _app;
    private readonly (ConnectionMultiplexer Connection, RedisKey Stream)? _redisFloor;

    private LoadServer(WebApplication app, Uri uri, (ConnectionMultiplexer Connection, RedisKey Stream)? redisFloor)
    {
        _app = app;
        Uri = uri;
        _redisFloor = redisFloor;
    }

    public Uri Uri { get; }

    /// <summary>
    /// Starts <paramref name="target"/>: <c>bare</c>, <c>verified</c>, <c>redis-floor</c>, <c>typed-floor</c>,
    /// <c>handwritten</c>, <c>inline</c>, <c>queued</c> or <c>queued-redis</c>.
    /// </summary>
    public static async Task<LoadServer> StartAsync(string target, string? redis = null, string keyPrefix = "", Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel().UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        if (configure is not null)
        {
            configure(builder);
        }
        else if (target is "inline" or "queued" or "queued-nogate" or "queued-redis")
        {
            if (target == "queued-nogate")
            {
                // Registered before AddConvAiWebhooks (which only tries to add it): a gate whose every deferral has already
                // run out, so the processor never waits for acknowledgements in flight.
                builder.Services.AddSingleton(new WebhookAcknowledgementGate(new ExpiredClock()));
            }

            var webhooks = builder.Services.AddConvAiWebhooks(options =>
            {
                options.Secret = Payloads.WebhookSecret;
                options.Delivery.Mode = target == "inline" ? ConvAiWebhookMode.Inline : ConvAiWebhookMode.Queued;
                options.Deduplication.KeyPrefix = "convai:webhook:" + keyPrefix;
            }).AddHandler<LoadHandler>();
            if (target == "queued-redis")
            {
                webhooks.UseRedis(options =>
                {
                    options.Configuration = redis;
                    options.KeyPrefix = "convai:webhooks:" + keyPrefix;
                });
            }
        }

        var app = builder.Build();
        (ConnectionMultiplexer Connection, RedisKey Stream)? redisFloor = null;
        switch (target)
        {
            case "bare":
                app.MapPost(WebhookPath, (RequestDelegate)(context =>
                {
                    context.Response.StatusCode = StatusCodes.Status200OK;
                    return Task.CompletedTask;
                }));
                break;
            case "handwritten":
                app.MapPost(WebhookPath, (RequestDelegate)HandWrittenWebhookEndpoint.HandleAsync);
                break;
            case "verified":
                app.MapPost(WebhookPath, (RequestDelegate)VerifyFloorEndpoint.HandleAsync);
                break;
            case "redis-floor":
                // The least a receiver that keeps deliveries in Redis does: the verify floor, then one XADD of the body on
                // a connection with StackExchange.Redis' defaults (as UseRedis opens); no claim, no envelope read, no script.
                var connection = await ConnectionMultiplexer.ConnectAsync(redis!);
                var database = connection.GetDatabase();
                RedisKey stream = "convai:floor:" + keyPrefix + "inbox";
                redisFloor = (connection, stream);
                app.MapPost(WebhookPath, (RequestDelegate)(context => VerifyFloorEndpoint.HandleAsync(context, async body => await database.StreamAddAsync(stream, "body", body))));
                break;
            case "sqlite-floor":
                // The least a receiver that keeps deliveries in SQLite does: the verify floor, then one INSERT of the body in
                // a transaction of its own (WAL, synchronous=NORMAL, as UseSqlite); no claim, no envelope read, no batching.
                var floorConnectionString = "Data Source=" + redis + ";Default Timeout=30";
                SqliteLoad.CreateFloorTable(floorConnectionString);
                app.MapPost(WebhookPath, (RequestDelegate)(context => VerifyFloorEndpoint.HandleAsync(context, body => SqliteLoad.InsertFloorAsync(floorConnectionString, body))));
                break;
            case "typed-floor":
                app.MapPost(WebhookPath, (RequestDelegate)(context => VerifyFloorEndpoint.HandleAsync(context, TypedFloor.ReadTranscript)));
                break;
            default:
                app.MapConvAiWebhooks(WebhookPath);
                break;
        }

        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new LoadServer(app, new Uri(address.TrimEnd('/') + WebhookPath), redisFloor);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        if (_redisFloor is (var connection, var stream))
        {
            // The floor's stream holds every body of the round; the next round starts empty.
            await connection.GetDatabase().KeyDeleteAsync(stream);
            await connection.DisposeAsync();
        }
    }
}

/// <summary>
/// The least a verifying receiver does: read the body into a pooled buffer and check its signature with the library's
/// verifier (which costs no more than one bare HMAC); answers 200 or 401 and keeps nothing. A bound for the burst case, not a
/// receiver: it neither claims nor stores.
/// </summary>
internal static class VerifyFloorEndpoint
{
    private static readonly ConvAiWebhookSignature Verifier = new(Payloads.WebhookSecret);

    public static Task HandleAsync(HttpContext context) => HandleAsync(context, keep: null);

    /// <summary>The floor, then <paramref name="keep"/> on a verified body (still in the pooled buffer) before the 200.</summary>
    public static async Task HandleAsync(HttpContext context, Func<ReadOnlyMemory<byte>, Task>? keep)
    {
        var length = (int)(context.Request.ContentLength ?? 0);
        var buffer = ArrayPool<byte>.Shared.Rent(Math.Max(length, 1));
        try
        {
            var read = 0;
            int count;
            while (read < buffer.Length && (count = await context.Request.Body.ReadAsync(buffer.AsMemory(read), context.RequestAborted)) > 0)
            {
                read += count;
            }

            var header = context.Request.Headers[ConvAiWebhookSignature.HeaderName].ToString();
            if (Verifier.Verify(buffer.AsSpan(0, read), header) != ConvAiWebhookSignatureResult.Valid)
            {
                context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                return;
            }

            if (keep is not null)
            {
                await keep(buffer.AsMemory(0, read));
            }

            context.Response.StatusCode = StatusCodes.Status200OK;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}

/// <summary>
/// The least a receiver on the library's typed model does, beside the hand-written endpoint: after the verify floor,
/// <see cref="ConvAiWebhookEvent.Parse(ReadOnlyMemory{byte})"/> and a read of the transcript (as <see cref="LoadHandler"/>
/// does); no claim, no processed mark, no dispatch. What binding <c>data</c> to <see cref="Conversation"/> costs.
/// </summary>
internal static class TypedFloor
{
    private static long _turns;

    public static Task ReadTranscript(ReadOnlyMemory<byte> body)
    {
        if (ConvAiWebhookEvent.Parse(body) is PostCallTranscriptionEvent transcription)
        {
            Interlocked.Add(ref _turns, transcription.GetData().Transcript?.Count ?? 0);
        }

        return Task.CompletedTask;
    }
}

/// <summary>
/// What an app writes by hand from ElevenLabs' documentation: read the body, check the timestamp and the HMAC as the docs
/// describe (string concatenation, hex, <c>==</c>), reflection-deserialize a small DTO with the fields it uses, read the transcript.
/// </summary>
internal static class HandWrittenWebhookEndpoint
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.General) { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };
    private static long _turns;

    public static async Task HandleAsync(HttpContext context)
    {
        using var buffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer, context.RequestAborted);
        var body = buffer.ToArray();
        var header = context.Request.Headers["ElevenLabs-Signature"].ToString();
        var timestamp = header.Split(',').FirstOrDefault(part => part.StartsWith("t=", StringComparison.Ordinal))?[2..];
        if (!long.TryParse(timestamp, CultureInfo.InvariantCulture, out var seconds)
            || DateTimeOffset.UtcNow.ToUnixTimeSeconds() - seconds > 30 * 60
            || !WebhookVerifyBenchmarks.NaiveVerify(body, header))
        {
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            return;
        }

        var payload = JsonSerializer.Deserialize<Payload>(body, Options);
        if (payload?.Type != "post_call_transcription" || payload.Data is null)
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }

        Interlocked.Add(ref _turns, payload.Data.Transcript?.Count ?? 0);
        context.Response.StatusCode = StatusCodes.Status200OK;
    }

    internal sealed record Payload(string? Type, long? EventTimestamp, PayloadData? Data);

    internal sealed record PayloadData(string? AgentId, string? ConversationId, string? Status, List<Turn>? Transcript);

    internal sealed record Turn(string? Role, string? Message, [property: JsonPropertyName("time_in_call_secs")] double? TimeInCallSecs);
}

/// <summary>
/// A clock on which an hour passes between any two readings: the acknowledgement gate built on it finds its deferral over
/// at its first look, which is the processor without the gate (the <c>queued-nogate</c> target).
/// </summary>
internal sealed class ExpiredClock : TimeProvider
{
    private long _now;

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public override long GetTimestamp() => Interlocked.Add(ref _now, TimeSpan.TicksPerHour);
}
