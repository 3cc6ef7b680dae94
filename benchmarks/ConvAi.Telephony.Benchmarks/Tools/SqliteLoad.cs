using System.Buffers.Binary;
using System.Globalization;
using ConvAi.Telephony.AspNetCore;
using ConvAi.Telephony.Sqlite;
using Microsoft.AspNetCore.Builder;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace ConvAi.Telephony.Benchmarks.Tools;

/// <summary>
/// Issue 24's SQLite cases of <c>--webhook-load</c>, on the same harness (in-process Kestrel targets, interleaved rounds,
/// same-run baselines): Queued with the SQLite inbox and store (<c>synchronous=NORMAL</c>, WAL) beside Queued with the
/// memory inbox. The handler of both writes its result to a SQLite table: the SQLite target in the webhook file itself,
/// enlisted in the handler call's <see cref="SqliteWebhookTransaction"/> (the write and the processed mark commit
/// together), the memory target in a file of its own on its own connection (the same write, without the store).
/// <list type="bullet">
/// <item><c>sqlite-ack</c>: 4 deliveries/s at a fixed schedule, handler taking 200 ms then writing; answer p99 of each,
/// and how many WAL checkpoints the SQLite runs went through (the WAL header's checkpoint sequence number).</item>
/// <item><c>sqlite-burst</c>: 10,000 deliveries from 32 connections, bare endpoint, memory inbox, SQLite; all processed afterwards.</item>
/// <item><c>sqlite-disk</c>: 100,000 deliveries through the SQLite target (chunks of 2,000, each processed before the
/// next, as traffic spread over time would be); the file's size, pages and free pages after each 20,000.</item>
/// </list>
/// </summary>
internal static class SqliteLoad
{
    private const int Burst = 10_000;

    public static async Task<int> AckLatencyAsync(int rounds)
    {
        const int PerRound = 160; // 40 s at 4/s: long enough for the WAL to be checkpointed (every 1,000 pages by default)
        var period = TimeSpan.FromMilliseconds(250);
        LoadHandler.Delay = TimeSpan.FromMilliseconds(200);
        var latencies = new Dictionary<string, List<double>> { ["queued"] = [], ["sqlite"] = [] };
        var unprocessed = 0;
        var checkpoints = 0L;
        for (var round = 0; round < rounds; round++)
        {
            foreach (var target in latencies.Keys)
            {
                using var files = new LoadFiles();
                await using var server = await StartAsync(target, files);
                LoadHandler.Reset();
                var walBefore = files.WalCheckpointSequence();
                latencies[target].AddRange(await WebhookLoad.FixedRateAsync(server.Uri, Deliveries(PerRound, $"sl{round}{target}_"), period));
                unprocessed += PerRound + 1 - await WebhookLoad.WaitProcessedAsync(PerRound + 1);
                checkpoints += target == "sqlite" ? files.WalCheckpointSequence() - walBefore : 0;
            }
        }

        foreach (var (target, values) in latencies)
        {
            values.Sort();
            Console.WriteLine($"{target}, handler 200 ms + a write, 4 deliveries/s: answer p50 {WebhookLoad.Percentile(values, 50):F1} ms, p99 {WebhookLoad.Percentile(values, 99):F1} ms, max {values[^1]:F1} ms ({values.Count} deliveries)");
        }

        var memory = WebhookLoad.Percentile(latencies["queued"], 99);
        var sqlite = WebhookLoad.Percentile(latencies["sqlite"], 99);
        Console.WriteLine($"sqlite answer p99 {sqlite:F1} ms vs memory inbox p99 {memory:F1} ms: {sqlite / memory:F2}x, over {checkpoints} WAL checkpoints, {unprocessed} not processed "
            + $"(target <=1.5x, all processed): {WebhookLoad.Verdict(sqlite <= 1.5 * memory && unprocessed == 0)}");
        return 0;
    }

    public static async Task<int> BurstAsync(int rounds)
    {
        LoadHandler.Delay = TimeSpan.Zero;
        string[] targets = ["bare", "queued", "sqlite-floor", "sqlite"];
        var runs = targets.ToDictionary(target => target, _ => new List<LoadRun>());
        var errors = 0;
        var unprocessed = 0;
        for (var round = 0; round < rounds; round++)
        {
            foreach (var target in targets)
            {
                using var files = new LoadFiles();
                await using var server = target switch
                {
                    "bare" => await LoadServer.StartAsync(target),
                    "sqlite-floor" => await LoadServer.StartAsync(target, files.WebhookFile),
                    _ => await StartAsync(target, files),
                };
                await WarmUpAsync(server, target, $"sw{round}{target}_");
                LoadHandler.Reset();
                var run = await WebhookLoad.ClosedLoopAsync(server.Uri, Deliveries(Burst, $"sb{round}{target}_"));
                runs[target].Add(run);
                errors += run.Errors;
                if (target is "queued" or "sqlite")
                {
                    unprocessed += Burst - await WebhookLoad.WaitProcessedAsync(Burst, TimeSpan.FromMinutes(5));
                }
            }
        }

        var (rates, cpu) = WebhookLoad.PrintRates(runs);
        var ratio = WebhookLoad.Median(WebhookLoad.Ratios(rates["sqlite"], rates["queued"]));
        Console.WriteLine($"sqlite, burst of {Burst}: {ratio:F2}x the memory inbox's rate (median of per-round ratios; {WebhookLoad.Median(WebhookLoad.Ratios(cpu["queued"], cpu["sqlite"])):F2}x by CPU time per delivery), "
            + $"{WebhookLoad.Median(WebhookLoad.Ratios(rates["sqlite"], rates["bare"])):F2}x the bare endpoint's; synchronous=NORMAL; {errors} errors, {unprocessed} unprocessed "
            + $"(target >=0.5x the memory inbox, 0 errors, all processed): {WebhookLoad.Verdict(ratio >= 0.5 && errors == 0 && unprocessed == 0)}");
        Console.WriteLine($"  the SQLite floor (the verify floor + one INSERT of the body, a commit per delivery, nothing else): {WebhookLoad.Median(WebhookLoad.Ratios(rates["sqlite-floor"], rates["queued"])):F2}x the memory inbox's rate; "
            + $"the SQLite inbox at {WebhookLoad.Median(WebhookLoad.Ratios(rates["sqlite"], rates["sqlite-floor"])):F2}x the floor's rate (informational: what a receiver that keeps each body in SQLite, one commit each, can reach)");
        return 0;
    }

    public static async Task<int> DiskAsync()
    {
        const int Total = 100_000;
        const int Chunk = 2_000;
        LoadHandler.Delay = TimeSpan.Zero;
        using var files = new LoadFiles();
        await using var server = await StartAsync("sqlite", files);
        var errors = 0;
        var unprocessed = 0;
        for (var sent = 0; sent < Total; sent += Chunk)
        {
            LoadHandler.Reset();
            var run = await WebhookLoad.ClosedLoopAsync(server.Uri, Deliveries(Chunk, $"sd{sent}_"));
            errors += run.Errors;
            unprocessed += Chunk - await WebhookLoad.WaitProcessedAsync(Chunk, TimeSpan.FromMinutes(2));
            if ((sent + Chunk) % 20_000 == 0)
            {
                Console.WriteLine($"after {sent + Chunk:N0} deliveries: {files.Describe()}");
            }
        }

        Console.WriteLine($"sqlite file after {Total:N0} deliveries (default ProcessedHorizon: every processed mark still kept), {errors} errors, {unprocessed} unprocessed: {files.Describe()}");
        return 0;
    }

    private static async Task WarmUpAsync(LoadServer server, string target, string idPrefix)
    {
        const int WarmUp = 1_000;
        LoadHandler.Reset();
        await WebhookLoad.ClosedLoopAsync(server.Uri, Deliveries(WarmUp, idPrefix));
        if (target is "queued" or "sqlite")
        {
            await WebhookLoad.WaitProcessedAsync(WarmUp, TimeSpan.FromMinutes(1));
        }
    }

    private static (byte[] Body, string Signature)[] Deliveries(int count, string idPrefix) => WebhookLoad.Deliveries(count, idPrefix);

    /// <summary><c>queued</c> (memory inbox, results in a file of their own) or <c>sqlite</c> (UseSqlite, results in the webhook file, enlisted).</summary>
    private static Task<LoadServer> StartAsync(string target, LoadFiles files) => LoadServer.StartAsync(target, configure: builder =>
    {
        var results = target == "sqlite" ? files.WebhookFile : files.ResultsFile;
        CreateResultsTable(results);
        builder.Services.AddSingleton(new ResultsFile("Data Source=" + results));
        var webhooks = builder.Services.AddConvAiWebhooks(options =>
        {
            options.Secret = Payloads.WebhookSecret;
            options.Delivery.Mode = ConvAiWebhookMode.Queued;
        }).AddHandler<WritingLoadHandler>();
        if (target == "sqlite")
        {
            webhooks.UseSqlite("Data Source=" + files.WebhookFile);
        }
    });

    internal static void CreateFloorTable(string connectionString)
    {
        using var connection = new SqliteConnection(connectionString);
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode = WAL; CREATE TABLE IF NOT EXISTS floor (id INTEGER PRIMARY KEY, body BLOB NOT NULL)";
        command.ExecuteNonQuery();
    }

    internal static async Task InsertFloorAsync(string connectionString, ReadOnlyMemory<byte> body)
    {
        await using var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync();
        await using (var pragma = connection.CreateCommand())
        {
            pragma.CommandText = "PRAGMA synchronous = NORMAL";
            await pragma.ExecuteNonQueryAsync();
        }

        await using var command = connection.CreateCommand();
        command.CommandText = "INSERT INTO floor (body) VALUES ($body)";
        command.Parameters.Add("$body", SqliteType.Blob).Value = body.ToArray();
        await command.ExecuteNonQueryAsync();
    }

    private static void CreateResultsTable(string path)
    {
        using var connection = new SqliteConnection("Data Source=" + path + ";Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode = WAL; CREATE TABLE IF NOT EXISTS results (conversation_id TEXT PRIMARY KEY, turns INTEGER NOT NULL)";
        command.ExecuteNonQuery();
    }

    internal sealed record ResultsFile(string ConnectionString);

    /// <summary>
    /// Waits <see cref="LoadHandler.Delay"/> (a CRM call) or reads the transcript, then upserts the result: in the webhook
    /// file's handler transaction when there is one (SQLite), else on a connection of its own.
    /// </summary>
    internal sealed class WritingLoadHandler(ResultsFile results, SqliteWebhookTransaction? transaction = null) : ConvAiWebhookHandler
    {
        public override async Task OnPostCallTranscriptionAsync(PostCallTranscriptionEvent webhookEvent, CancellationToken cancellationToken = default)
        {
            var turns = 0;
            if (LoadHandler.Delay > TimeSpan.Zero)
            {
                await Task.Delay(LoadHandler.Delay, cancellationToken);
            }
            else
            {
                turns = webhookEvent.GetData().Transcript?.Count ?? 0;
            }

            if (transaction is { IsAvailable: true })
            {
                var enlisted = await transaction.GetTransactionAsync(cancellationToken);
                await using var command = enlisted.Connection!.CreateCommand();
                command.Transaction = enlisted;
                await UpsertAsync(command, webhookEvent.ConversationId!, turns, cancellationToken);
            }
            else
            {
                await using var connection = new SqliteConnection(results.ConnectionString);
                await connection.OpenAsync(cancellationToken);
                await using var command = connection.CreateCommand();
                await UpsertAsync(command, webhookEvent.ConversationId!, turns, cancellationToken);
            }

            LoadHandler.CountProcessed();
        }

        private static async Task UpsertAsync(SqliteCommand command, string conversationId, int turns, CancellationToken cancellationToken)
        {
            command.CommandText = "INSERT INTO results (conversation_id, turns) VALUES ($id, $turns) ON CONFLICT (conversation_id) DO UPDATE SET turns = excluded.turns";
            command.Parameters.AddWithValue("$id", conversationId);
            command.Parameters.AddWithValue("$turns", turns);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    /// <summary>A temp folder with the webhook file and the memory target's results file; deleted afterwards.</summary>
    private sealed class LoadFiles : IDisposable
    {
        private readonly string _directory = Directory.CreateTempSubdirectory("convai-sqlite-load-").FullName;

        public string WebhookFile => Path.Combine(_directory, "webhooks.db");

        public string ResultsFile => Path.Combine(_directory, "results.db");

        /// <summary>The WAL header's checkpoint sequence number: it grows by one each time a checkpoint let the WAL restart.</summary>
        public long WalCheckpointSequence()
        {
            var wal = WebhookFile + "-wal";
            if (!File.Exists(wal))
            {
                return 0;
            }

            using var stream = new FileStream(wal, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            Span<byte> header = stackalloc byte[16];
            return stream.Read(header) == 16 ? BinaryPrimitives.ReadUInt32BigEndian(header[12..]) : 0;
        }

        public string Describe()
        {
            using var connection = new SqliteConnection("Data Source=" + WebhookFile + ";Pooling=False");
            connection.Open();
            long Scalar(string sql)
            {
                using var command = connection.CreateCommand();
                command.CommandText = sql;
                return Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture);
            }

            var pageSize = Scalar("PRAGMA page_size");
            var wal = new FileInfo(WebhookFile + "-wal");
            return $"{new FileInfo(WebhookFile).Length / 1048576.0:F1} MiB file + {(wal.Exists ? wal.Length : 0) / 1048576.0:F1} MiB WAL; "
                + $"{Scalar("PRAGMA page_count")} pages of {pageSize} B, {Scalar("PRAGMA freelist_count")} free; "
                + $"{Scalar("SELECT COUNT(*) FROM convai_webhook_keys")} delivery keys, {Scalar("SELECT COUNT(*) FROM convai_webhook_inbox")} inbox rows, {Scalar("SELECT COUNT(*) FROM results")} results";
        }

        public void Dispose()
        {
            SqliteConnection.ClearAllPools();
            try
            {
                Directory.Delete(_directory, recursive: true);
            }
            catch (IOException)
            {
                // Best effort.
            }
        }
    }
}
