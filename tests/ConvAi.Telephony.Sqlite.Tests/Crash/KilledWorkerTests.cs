using System.Diagnostics;
using ConvAi.Telephony.Sqlite.Tests.Webhooks;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace ConvAi.Telephony.Sqlite.Tests.Crash;

/// <summary>
/// Crash tests that kill a real child process (SIGKILL) over one SQLite file, and a restarted worker that finishes.
/// Issue 24's crash scenario: 30 accepted deliveries wait in the SQLite inbox; a worker process drains it and is killed
/// (SIGKILL) with handlers in flight; a restarted worker over the same file finishes. Every delivery must be stored; a
/// second processing is possible only when the kill fell between a handler's write and its processed mark, so there
/// are at most as many as the killed worker had handlers running.
/// </summary>
[NonParallelizable]
public class KilledWorkerTests
{
    private const int Deliveries = 30;
    private const int KillAfterStored = 5;

    [Test]
    [CancelAfter(120_000)]
    public async Task Inbox_WorkerKilledMidStream_RestartedWorkerStoresEveryDelivery(CancellationToken cancellationToken)
    {
        using var file = new SqliteTestFile();
        Execute(file, CrashWorker.ResultsTable);
        await AcceptAsync(file, cancellationToken);

        using var child = StartChildWorker(file.FilePath);
        await PollAsync(() => file.Scalar("SELECT COUNT(*) FROM crash_results") >= KillAfterStored, cancellationToken);
        child.Kill(entireProcessTree: true); // SIGKILL: no shutdown, no drain, no lease given back
        await child.WaitForExitAsync(cancellationToken);
        var storedAtKill = file.Scalar("SELECT COUNT(*) FROM crash_results");
        var leasedAtKill = file.Scalar("SELECT COUNT(*) FROM convai_webhook_inbox WHERE state = 1");

        using (var restarted = CrashWorker.Build(file.FilePath))
        {
            await restarted.StartAsync(cancellationToken);
            await PollAsync(
                () => file.Scalar("SELECT COUNT(*) FROM crash_results") == Deliveries && file.Scalar("SELECT COUNT(*) FROM convai_webhook_inbox") == 0,
                cancellationToken);
            await restarted.StopAsync(cancellationToken);
        }

        var stored = file.Scalar("SELECT COUNT(*) FROM crash_results");
        var processedTwice = file.Scalar("SELECT COUNT(*) FROM crash_results WHERE processed_count > 1");
        var leftInInbox = file.Scalar("SELECT COUNT(*) FROM convai_webhook_inbox");
        TestContext.Progress.WriteLine(
            $"sqlite crash: {Deliveries} accepted; worker killed with {storedAtKill} stored and {leasedAtKill} leased; after the restart {stored}/{Deliveries} stored, " +
            $"{processedTwice} processed twice, {leftInInbox} left in the inbox");

        Assert.Multiple(() =>
        {
            Assert.That(child.HasExited, Is.True);
            Assert.That(stored, Is.EqualTo(Deliveries), "every accepted delivery is stored");
            Assert.That(processedTwice, Is.LessThanOrEqualTo(Math.Min(leasedAtKill, CrashWorker.ProcessorConcurrency)), "only handlers in flight at the kill can run twice");
            Assert.That(leftInInbox, Is.Zero);
        });
    }

    /// <summary>
    /// Moment 1, after the 200 and before processing: the child answers 200 for five deliveries (Queued: claimed and in
    /// the inbox) and is killed before anything processed them. A restarted worker processes each once, without
    /// reconciliation.
    /// </summary>
    [Test]
    [CancelAfter(120_000)]
    public async Task KilledAfterTheAnswer_RestartProcessesEveryAcknowledgedDeliveryOnce(CancellationToken cancellationToken)
    {
        const int Acknowledged = 5;
        using var file = new SqliteTestFile();
        Execute(file, CrashWorker.ResultsTable);

        var stopped = KillAt(file, new CrashScenario { StopAt = CrashMoment.Acknowledged, Deliveries = Acknowledged }, cancellationToken);
        var queuedAtKill = file.Scalar("SELECT COUNT(*) FROM convai_webhook_inbox WHERE state = 0");
        await RestartAndDrainAsync(file, expectedResults: Acknowledged, cancellationToken);

        Assert.Multiple(() =>
        {
            Assert.That(stopped, Is.EqualTo("answered 200,200,200,200,200"));
            Assert.That(queuedAtKill, Is.EqualTo(Acknowledged), "all five waited in the file at the kill");
            Assert.That(file.Scalar("SELECT COUNT(*) FROM crash_results WHERE processed_count = 1"), Is.EqualTo(Acknowledged), "each processed once after the restart");
        });
    }

    /// <summary>
    /// Moment 2, during the handler: the child (Inline mode) is killed inside the handler, after the handler's own write.
    /// Its claim is not renewed any more, so a redelivery is a duplicate only until the lease ends, then processed (not
    /// blocked for ClaimLifetime, an hour). With the enlisted transaction the killed write was never committed: the
    /// delivery is stored once; with a write of its own it is stored by both processes (the documented window).
    /// </summary>
    [TestCase(true, 1)]
    [TestCase(false, 2)]
    [CancelAfter(120_000)]
    public async Task KilledInTheHandler_RedeliveryProcessedOnceTheLeaseEnded(bool enlist, int expectedCount, CancellationToken cancellationToken)
    {
        using var file = new SqliteTestFile();
        Execute(file, CrashWorker.ResultsTable);

        var stopped = KillAt(file, new CrashScenario { StopAt = CrashMoment.InHandler, Mode = ConvAiWebhookMode.Inline, Enlist = enlist }, cancellationToken);
        var storedAtKill = file.Scalar("SELECT COUNT(*) FROM crash_results");
        var killedAt = Stopwatch.StartNew();

        // The sender's retry (or the reconciler) reaches a restarted process over the same file.
        using var restarted = CrashWorker.Build(file.FilePath, new CrashScenario { Mode = ConvAiWebhookMode.Inline, Enlist = enlist });
        var receiver = restarted.Services.GetRequiredService<ConvAiWebhookReceiver>();
        var duplicates = 0;
        ConvAiWebhookReceiptStatus status;
        while (true)
        {
            var (body, signature) = CrashWorker.Delivery("conv_00");
            using var receipt = await receiver.ProcessAsync(new MemoryStream(body), signature, cancellationToken: cancellationToken);
            status = receipt.Status;
            if (status != ConvAiWebhookReceiptStatus.Duplicate || killedAt.Elapsed > TimeSpan.FromSeconds(60))
            {
                break;
            }

            duplicates++;
            await Task.Delay(TimeSpan.FromMilliseconds(100), cancellationToken);
        }

        TestContext.Progress.WriteLine(
            $"sqlite crash in the handler (enlisted: {enlist}): {storedAtKill} stored at the kill; {duplicates} redeliveries refused as duplicates, then {status} {killedAt.Elapsed.TotalSeconds:F1} s after the kill (lease {CrashWorker.LeaseTime.TotalSeconds} s)");
        Assert.Multiple(() =>
        {
            Assert.That(stopped, Is.EqualTo("in the handler of conv_00 after its write"));
            Assert.That(storedAtKill, Is.EqualTo(enlist ? 0 : 1), enlist ? "the enlisted write was not committed" : "the handler's own write was committed");
            Assert.That(duplicates, Is.GreaterThan(0), "the dead process's claim held until its lease ended");
            Assert.That(status, Is.EqualTo(ConvAiWebhookReceiptStatus.Processed), "then the redelivery was processed");
            Assert.That(file.Scalar("SELECT processed_count FROM crash_results WHERE conversation_id = 'conv_00'"), Is.EqualTo(expectedCount));
        });
    }

    /// <summary>
    /// Moment 3, after the handler and before the processed mark: the worker (Queued) is killed once a handler returned.
    /// With the enlisted transaction the write and the mark commit together, so neither happened: the restarted worker
    /// processes the delivery once. With a write of its own, the write happened and the mark did not: the restarted
    /// worker processes it again (the documented window, harmless with an upsert keyed by conversation id).
    /// </summary>
    [TestCase(true, 1)]
    [TestCase(false, 2)]
    [CancelAfter(120_000)]
    public async Task KilledBeforeTheMark_EnlistedProcessedOnceOwnWriteProcessedAgain(bool enlist, int expectedCount, CancellationToken cancellationToken)
    {
        const int Queued = 3;
        using var file = new SqliteTestFile();
        Execute(file, CrashWorker.ResultsTable);
        await AcceptAsync(file, Queued, cancellationToken);

        var stopped = KillAt(file, new CrashScenario { StopAt = CrashMoment.BeforeMark, Enlist = enlist }, cancellationToken);
        var storedAtKill = file.Scalar("SELECT COUNT(*) FROM crash_results");
        await RestartAndDrainAsync(file, expectedResults: Queued, cancellationToken);

        Assert.Multiple(() =>
        {
            Assert.That(stopped, Is.EqualTo("after a handler returned, before its processed mark"));
            Assert.That(storedAtKill, Is.EqualTo(enlist ? 0 : 1));
            Assert.That(file.Scalar("SELECT processed_count FROM crash_results WHERE conversation_id = 'conv_00'"), Is.EqualTo(expectedCount));
            Assert.That(file.Scalar("SELECT COUNT(*) FROM crash_results WHERE processed_count = 1"), Is.EqualTo(enlist ? Queued : Queued - 1), "the others once");
        });
    }

    /// <summary>Starts a child worker that stops at <paramref name="scenario"/>'s moment, kills it there (SIGKILL), and returns what it said when it stopped.</summary>
    private static string KillAt(SqliteTestFile file, CrashScenario scenario, CancellationToken cancellationToken)
    {
        var environment = new Dictionary<string, string>
        {
            [CrashWorker.MomentVariable] = scenario.StopAt switch
            {
                CrashMoment.Acknowledged => "acknowledged",
                CrashMoment.InHandler => "handler",
                CrashMoment.BeforeMark => "mark",
                _ => "",
            },
            [CrashWorker.EnlistVariable] = scenario.Enlist ? "1" : "0",
            [CrashWorker.DeliveriesVariable] = scenario.Deliveries.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        using var child = StartChildWorker(file.FilePath, environment);
        using var registration = cancellationToken.Register(() => child.Kill(entireProcessTree: true));
        var stopped = ReadUntil(child, CrashWorker.StoppedLine + " ")
            ?? throw new InvalidOperationException("The child worker exited before it reached the moment: " + child.StandardError.ReadToEnd());
        child.Kill(entireProcessTree: true); // SIGKILL at the moment: no shutdown, no rollback by the process, no lease given back
        child.WaitForExit();
        return stopped[(CrashWorker.StoppedLine.Length + 1)..];
    }

    /// <summary>Runs a restarted worker over the file until <paramref name="expectedResults"/> conversations are stored and the inbox is empty.</summary>
    private static async Task RestartAndDrainAsync(SqliteTestFile file, int expectedResults, CancellationToken cancellationToken)
    {
        using var restarted = CrashWorker.Build(file.FilePath);
        await restarted.StartAsync(cancellationToken);
        await PollAsync(
            () => file.Scalar("SELECT COUNT(*) FROM crash_results") == expectedResults && file.Scalar("SELECT COUNT(*) FROM convai_webhook_inbox") == 0,
            cancellationToken);
        await restarted.StopAsync(cancellationToken);
    }

    /// <summary>What the receiver does for each delivery it answers 200 in Queued mode: claim, then enqueue.</summary>
    private static async Task AcceptAsync(SqliteTestFile file, CancellationToken cancellationToken) => await AcceptAsync(file, Deliveries, cancellationToken);

    /// <summary>What the receiver does for each delivery it answers 200 in Queued mode: claim, then enqueue.</summary>
    private static async Task AcceptAsync(SqliteTestFile file, int deliveries, CancellationToken cancellationToken)
    {
        var store = new SqliteWebhookDeliveryStore(file.ConnectionString);
        using var inbox = new SqliteWebhookInbox(new ConvAiWebhookSqliteOptions { ConnectionString = file.ConnectionString });
        for (var i = 0; i < deliveries; i++)
        {
            var conversationId = $"conv_{i:D2}";
            var key = "convai:webhook:post_call_transcription:" + conversationId;
            Assert.That(await store.TryClaimAsync(key, TimeSpan.FromHours(1), cancellationToken), Is.True);
            Assert.That(await inbox.TryEnqueueAsync(
                new ConvAiWebhookDelivery
                {
                    DeliveryKey = key,
                    EventType = ConvAiWebhookEventType.PostCallTranscription,
                    ConversationId = conversationId,
                    ReceivedAt = TimeProvider.System.GetUtcNow(),
                    Body = WebhookFixtures.Utf8($$$"""{"type":"post_call_transcription","event_timestamp":1739537297,"data":{"agent_id":"agent_1","conversation_id":"{{{conversationId}}}","status":"done"}}"""),
                },
                cancellationToken), Is.True);
        }
    }

    private static void Execute(SqliteTestFile file, string sql)
    {
        using var connection = new SqliteConnection(file.ConnectionString + ";Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    /// <summary>Polls every 50 ms until <paramref name="done"/>, failing after 60 seconds.</summary>
    private static async Task PollAsync(Func<bool> done, CancellationToken cancellationToken)
    {
        for (var i = 0; i < 1200; i++)
        {
            if (done())
            {
                return;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(50), cancellationToken);
        }

        Assert.Fail("the condition was not met within 60 seconds");
    }

    private static Process StartChildWorker(string path, IReadOnlyDictionary<string, string>? environment = null)
    {
        var assembly = typeof(Program).Assembly.Location;
        var appHost = Path.ChangeExtension(assembly, null);
        var start = File.Exists(appHost)
            ? new ProcessStartInfo(appHost)
            : new ProcessStartInfo("dotnet") { ArgumentList = { assembly } };
        start.ArgumentList.Add(CrashWorker.Command);
        start.ArgumentList.Add(path);
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.UseShellExecute = false;
        var process = Process.Start(start)!;
        if (ReadUntil(process, CrashWorker.ReadyLine) is not null)
        {
            return process;
        }

        var error = process.StandardError.ReadToEnd();
        process.Dispose();
        throw new InvalidOperationException("The child worker exited before it was ready: " + error);
    }

    /// <summary>Reads the child's output until a line starting with <paramref name="prefix"/> (returned), or its end (null).</summary>
    private static string? ReadUntil(Process process, string prefix)
    {
        while (process.StandardOutput.ReadLine() is { } line)
        {
            if (line.StartsWith(prefix, StringComparison.Ordinal))
            {
                return line;
            }
        }

        return null;
    }
}
