using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ConvAi.Telephony.Sqlite.Tests.Crash;

/// <summary>
/// A worker that drains the SQLite inbox as an app would run it (a generic host, Queued mode, four handlers at a time).
/// Its handler works a little, then writes its result to a table of the same file with an upsert keyed by the
/// conversation id that counts the writes, so a test can tell how often each delivery was processed across processes.
/// </summary>
public static class CrashWorker
{
    public const string Command = "crash-worker";
    public const string ReadyLine = "ready";
    public const int ProcessorConcurrency = 4;

    /// <summary>A killed worker's leases end after this long and the restarted worker leases the deliveries again.</summary>
    public static readonly TimeSpan LeaseTime = TimeSpan.FromSeconds(2);

    /// <summary>How long the handler works before its write: long enough that the kill lands with handlers in flight.</summary>
    public static readonly TimeSpan HandlerWork = TimeSpan.FromMilliseconds(100);

    public const string ResultsTable = """
        CREATE TABLE IF NOT EXISTS crash_results (conversation_id TEXT NOT NULL PRIMARY KEY, processed_count INTEGER NOT NULL)
        """;

    public static IHost Build(string path)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton(new CrashFile(path));
        builder.Services
            .AddConvAiWebhooks(options =>
            {
                options.Secret = WebhookFixtures.Secret;
                options.Delivery.Mode = ConvAiWebhookMode.Queued;
                options.Delivery.ProcessorConcurrency = ProcessorConcurrency;
            })
            .AddHandler<CountingHandler>()
            .UseSqlite(options =>
            {
                options.ConnectionString = "Data Source=" + path;
                options.LeaseTime = LeaseTime;
                options.PollInterval = TimeSpan.FromMilliseconds(50);
            });
        return builder.Build();
    }

    public sealed record CrashFile(string Path);

    /// <summary>Works a little, then records the processing (the app's own write, an upsert keyed by conversation id).</summary>
    public sealed class CountingHandler(CrashFile file) : ConvAiWebhookHandler
    {
        public override async Task OnPostCallTranscriptionAsync(PostCallTranscriptionEvent webhookEvent, CancellationToken cancellationToken = default)
        {
            await Task.Delay(HandlerWork, cancellationToken);
            await using var connection = new SqliteConnection($"Data Source={file.Path};Default Timeout=30");
            await connection.OpenAsync(cancellationToken);
            await using var command = connection.CreateCommand();
            command.CommandText = """
                INSERT INTO crash_results (conversation_id, processed_count) VALUES ($id, 1)
                ON CONFLICT (conversation_id) DO UPDATE SET processed_count = processed_count + 1
                """;
            command.Parameters.AddWithValue("$id", webhookEvent.ConversationId);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
    }
}
