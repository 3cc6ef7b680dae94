using System.Diagnostics;
using ConvAi.Telephony.Sqlite.Tests.Webhooks;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Hosting;

namespace ConvAi.Telephony.Sqlite.Tests.Crash;

/// <summary>
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

    /// <summary>What the receiver does for each delivery it answers 200 in Queued mode: claim, then enqueue.</summary>
    private static async Task AcceptAsync(SqliteTestFile file, CancellationToken cancellationToken)
    {
        var store = new SqliteWebhookDeliveryStore(file.ConnectionString);
        using var inbox = new SqliteWebhookInbox(new ConvAiWebhookSqliteOptions { ConnectionString = file.ConnectionString });
        for (var i = 0; i < Deliveries; i++)
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

    private static Process StartChildWorker(string path)
    {
        var assembly = typeof(Program).Assembly.Location;
        var appHost = Path.ChangeExtension(assembly, null);
        var start = File.Exists(appHost)
            ? new ProcessStartInfo(appHost)
            : new ProcessStartInfo("dotnet") { ArgumentList = { assembly } };
        start.ArgumentList.Add(CrashWorker.Command);
        start.ArgumentList.Add(path);
        start.RedirectStandardOutput = true;
        start.UseShellExecute = false;
        var process = Process.Start(start)!;
        while (process.StandardOutput.ReadLine() is { } line)
        {
            if (line == CrashWorker.ReadyLine)
            {
                return process;
            }
        }

        process.Dispose();
        throw new InvalidOperationException("The child worker exited before it was ready.");
    }
}
