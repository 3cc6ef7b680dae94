using System.Globalization;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ConvAi.Telephony.Sqlite.Tests.Crash;

/// <summary>
/// A worker that processes webhooks over one SQLite file as an app would run it (a generic host, four handlers at a
/// time). Its handler works a little, then writes its result to a table of the same file with an upsert keyed by the
/// conversation id that counts the writes, so a test can tell how often each delivery was processed across processes.
/// As a child process (<see cref="Program"/>) it can stop at one of the moments a crash matters, named by the
/// <see cref="MomentVariable"/> environment variable: it prints <see cref="StoppedLine"/> there and waits to be killed.
/// </summary>
public static class CrashWorker
{
    public const string Command = "crash-worker";
    public const string ReadyLine = "ready";
    public const string StoppedLine = "stopped";
    public const int ProcessorConcurrency = 4;

    /// <summary>Where the child stops: <c>acknowledged</c>, <c>handler</c> or <c>mark</c> (see <see cref="CrashMoment"/>); unset runs normally.</summary>
    public const string MomentVariable = "CONVAI_CRASH_AT";

    /// <summary>When <c>1</c>, the handler writes in the handler call's <see cref="SqliteWebhookTransaction"/>; otherwise on a connection of its own.</summary>
    public const string EnlistVariable = "CONVAI_CRASH_ENLIST";

    /// <summary>How many deliveries the child acknowledges itself (moments <c>acknowledged</c> and <c>handler</c>).</summary>
    public const string DeliveriesVariable = "CONVAI_CRASH_DELIVERIES";

    /// <summary>A killed worker's inbox leases and claims end after this long, and the restarted worker takes the deliveries.</summary>
    public static readonly TimeSpan LeaseTime = TimeSpan.FromSeconds(2);

    /// <summary>How long the handler works before its write: long enough that the kill lands with handlers in flight.</summary>
    public static readonly TimeSpan HandlerWork = TimeSpan.FromMilliseconds(100);

    public const string ResultsTable = """
        CREATE TABLE IF NOT EXISTS crash_results (conversation_id TEXT NOT NULL PRIMARY KEY, processed_count INTEGER NOT NULL)
        """;

    /// <summary>The worker as configured for a child process by its environment.</summary>
    public static CrashScenario FromEnvironment() => new()
    {
        StopAt = Environment.GetEnvironmentVariable(MomentVariable) switch
        {
            null or "" => CrashMoment.None,
            "acknowledged" => CrashMoment.Acknowledged,
            "handler" => CrashMoment.InHandler,
            "mark" => CrashMoment.BeforeMark,
            var other => throw new ArgumentException($"{MomentVariable}={other} is not a crash moment."),
        },
        Mode = Environment.GetEnvironmentVariable(MomentVariable) == "handler" ? ConvAiWebhookMode.Inline : ConvAiWebhookMode.Queued,
        Enlist = Environment.GetEnvironmentVariable(EnlistVariable) == "1",
        Deliveries = int.Parse(Environment.GetEnvironmentVariable(DeliveriesVariable) ?? "1", CultureInfo.InvariantCulture),
    };

    public static IHost Build(string path, CrashScenario? scenario = null)
    {
        scenario ??= new CrashScenario();
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton(new CrashFile(path));
        builder.Services.AddSingleton(scenario);
        builder.Services
            .AddConvAiWebhooks(options =>
            {
                options.Secret = WebhookFixtures.Secret;
                options.Delivery.Mode = scenario.Mode;
                // Stopping at a moment: one delivery at a time, so that exactly one is at that moment when the kill lands.
                options.Delivery.ProcessorConcurrency = scenario.StopAt == CrashMoment.None ? ProcessorConcurrency : 1;
                options.Deduplication.ClaimLease = LeaseTime;
            })
            .AddHandler<CountingHandler>()
            .UseSqlite(options =>
            {
                options.ConnectionString = "Data Source=" + path;
                options.LeaseTime = LeaseTime;
                options.PollInterval = TimeSpan.FromMilliseconds(50);
            });
        if (scenario.StopAt == CrashMoment.BeforeMark)
        {
            // The moment between the handler's return and the processed mark, inside the library: the store is where it happens.
            var sqlite = builder.Services.Last(service => service.ServiceType == typeof(IConvAiWebhookDeliveryStore));
            builder.Services.Replace(ServiceDescriptor.Singleton<IConvAiWebhookDeliveryStore>(services =>
                new StopBeforeMarkStore((IConvAiWebhookTransactionalStore)sqlite.ImplementationFactory!(services))));
        }

        return builder.Build();
    }

    /// <summary>A signed <c>post_call_transcription</c> for <paramref name="conversationId"/>, as ElevenLabs sends it.</summary>
    public static (byte[] Body, string Signature) Delivery(string conversationId)
    {
        var body = WebhookFixtures.Utf8($$$"""{"type":"post_call_transcription","event_timestamp":1739537297,"data":{"agent_id":"agent_1","conversation_id":"{{{conversationId}}}","status":"done"}}""");
        return (body, WebhookFixtures.Sign(body, at: DateTimeOffset.UtcNow));
    }

    /// <summary>Runs the child: a worker, or deliveries acknowledged by the child's own receiver; then waits for the kill or the end.</summary>
    public static async Task RunChildAsync(string path)
    {
        var scenario = FromEnvironment();
        using var host = Build(path, scenario);
        if (scenario.StopAt is CrashMoment.Acknowledged or CrashMoment.InHandler)
        {
            // The receiver, without the processor: what the child answers is what it keeps before anything processes it.
            Console.WriteLine(ReadyLine);
            var receiver = host.Services.GetRequiredService<ConvAiWebhookReceiver>();
            var statuses = new List<int>();
            for (var i = 0; i < scenario.Deliveries; i++)
            {
                var (body, signature) = Delivery($"conv_{i:D2}");
                using var receipt = await receiver.ProcessAsync(new MemoryStream(body), signature);
                statuses.Add(receipt.StatusCode);
            }

            Stop($"answered {string.Join(',', statuses)}");
            return;
        }

        await host.StartAsync();
        Console.WriteLine(ReadyLine);
        await host.WaitForShutdownAsync();
    }

    /// <summary>Announces the moment and waits to be killed.</summary>
    private static void Stop(string what)
    {
        Console.WriteLine($"{StoppedLine} {what}");
        Thread.Sleep(Timeout.Infinite);
    }

    public sealed record CrashFile(string Path);

    /// <summary>Works a little, then records the processing (the app's own write, an upsert keyed by conversation id).</summary>
    public sealed class CountingHandler(CrashFile file, CrashScenario scenario, SqliteWebhookTransaction transaction) : ConvAiWebhookHandler
    {
        private const string Upsert = """
            INSERT INTO crash_results (conversation_id, processed_count) VALUES ($id, 1)
            ON CONFLICT (conversation_id) DO UPDATE SET processed_count = processed_count + 1
            """;

        public override async Task OnPostCallTranscriptionAsync(PostCallTranscriptionEvent webhookEvent, CancellationToken cancellationToken = default)
        {
            await Task.Delay(HandlerWork, cancellationToken);
            if (scenario.Enlist)
            {
                var enlisted = await transaction.GetTransactionAsync(cancellationToken);
                await using var command = enlisted.Connection!.CreateCommand();
                command.Transaction = enlisted;
                await WriteAsync(command, webhookEvent.ConversationId!, cancellationToken);
            }
            else
            {
                await using var connection = new SqliteConnection($"Data Source={file.Path};Default Timeout=30");
                await connection.OpenAsync(cancellationToken);
                await using var command = connection.CreateCommand();
                await WriteAsync(command, webhookEvent.ConversationId!, cancellationToken);
            }

            if (scenario.StopAt == CrashMoment.InHandler)
            {
                Stop($"in the handler of {webhookEvent.ConversationId} after its write");
            }
        }

        private static async Task WriteAsync(SqliteCommand command, string conversationId, CancellationToken cancellationToken)
        {
            command.CommandText = Upsert;
            command.Parameters.AddWithValue("$id", conversationId);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    /// <summary>The SQLite store, stopping the process once a handler returned and before its processed mark is written.</summary>
    private sealed class StopBeforeMarkStore(IConvAiWebhookTransactionalStore inner) : IConvAiWebhookTransactionalStore
    {
        public ValueTask<bool> TryClaimAsync(string key, TimeSpan expiry, CancellationToken cancellationToken = default) => inner.TryClaimAsync(key, expiry, cancellationToken);

        public ValueTask<bool> RenewClaimAsync(string key, TimeSpan expiry, CancellationToken cancellationToken = default) => inner.RenewClaimAsync(key, expiry, cancellationToken);

        public ValueTask ReleaseAsync(string key, CancellationToken cancellationToken = default) => inner.ReleaseAsync(key, cancellationToken);

        public ValueTask MarkProcessedAsync(string key, TimeSpan horizon, CancellationToken cancellationToken = default) => inner.MarkProcessedAsync(key, horizon, cancellationToken);

        public ValueTask<bool> IsProcessedAsync(string key, CancellationToken cancellationToken = default) => inner.IsProcessedAsync(key, cancellationToken);

        public ValueTask<DateTimeOffset?> GetCheckpointAsync(string name, CancellationToken cancellationToken = default) => inner.GetCheckpointAsync(name, cancellationToken);

        public ValueTask SetCheckpointAsync(string name, DateTimeOffset value, CancellationToken cancellationToken = default) => inner.SetCheckpointAsync(name, value, cancellationToken);

        public void PrepareHandlerCall(IServiceProvider services, string key) => inner.PrepareHandlerCall(services, key);

        public ValueTask<bool> TryCompleteHandlerCallAsync(IServiceProvider services, TimeSpan horizon, CancellationToken cancellationToken = default)
        {
            Stop("after a handler returned, before its processed mark");
            return inner.TryCompleteHandlerCallAsync(services, horizon, cancellationToken);
        }
    }
}

/// <summary>Where a child worker stops to be killed.</summary>
public enum CrashMoment
{
    /// <summary>Runs normally.</summary>
    None,

    /// <summary>After answering 200 (Queued: the delivery is in the inbox), before any processing.</summary>
    Acknowledged,

    /// <summary>During the handler (Inline), after the handler's own write.</summary>
    InHandler,

    /// <summary>After the handler returned (Queued worker), before the processed mark.</summary>
    BeforeMark,
}

/// <summary>How a worker runs: where it stops, whether its handler enlists in the webhook transaction, how many deliveries the child sends itself.</summary>
public sealed record CrashScenario
{
    public CrashMoment StopAt { get; init; }

    /// <summary>Queued (a worker draining the inbox) unless stopping in the handler, which runs Inline (the claim's lease matters there).</summary>
    public ConvAiWebhookMode Mode { get; init; } = ConvAiWebhookMode.Queued;

    public bool Enlist { get; init; }

    public int Deliveries { get; init; } = 1;
}
