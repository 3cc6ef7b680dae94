using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using ConvAi.Telephony.AspNetCore.Tests.Webhooks;
using ConvAi.Telephony.Shared;
using Microsoft.Extensions.DependencyInjection;
using StackExchange.Redis;

namespace ConvAi.Telephony.Redis.Tests.Crash;

/// <summary>
/// Issue 10's proof: two receiver instances share one real Redis; one runs as a child process and is killed (SIGKILL)
/// mid-stream while 1,000 signed deliveries arrive, and the sender never retries. Every delivery answered 200 must be
/// processed; a second processing is possible only when the kill fell between a handler's write and its processed
/// mark, so there are at most as many as the killed instance had handlers running.
/// </summary>
[NonParallelizable]
public class KilledReceiverTests
{
    private const int Deliveries = 1000;
    private const int KillAfter = 300;
    private const int Concurrency = 20;

    [Test]
    [CancelAfter(90_000)]
    public async Task Deliveries_OneOfTwoReceiversKilledMidStream_EveryAcknowledgedDeliveryProcessed(CancellationToken cancellationToken)
    {
        await using var redis = await RedisServer.StartAsync();
        var prefix = $"crash:{Guid.NewGuid():N}:";
        using var child = StartChildReceiver(redis.Configuration, prefix, out var childAddress);
        await using var survivor = await CrashReceiver.StartAsync(redis.Configuration, prefix, "survivor");
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        var template = WebhookFixtures.Load("post_call_transcription.json");
        var targets = new[] { childAddress, CrashReceiver.Address(survivor) };

        var database = (await redis.ConnectAsync()).GetDatabase();
        var acknowledged = new List<string>();
        var refused = 0;
        long leasedAtKill = 0, unreadAtKill = 0;
        var stopwatch = Stopwatch.StartNew();
        for (var batch = 0; batch < Deliveries; batch += Concurrency)
        {
            if (batch == KillAfter)
            {
                child.Kill(entireProcessTree: true); // SIGKILL: no shutdown, no drain, no acknowledgement
                await child.WaitForExitAsync(cancellationToken);
                leasedAtKill = (await database.StreamPendingAsync(prefix + "inbox", "convai-webhooks")).Consumers
                    .Where(consumer => consumer.Name == "child").Sum(consumer => (long)consumer.PendingMessageCount);
                unreadAtKill = await database.StreamLengthAsync(prefix + "inbox") - (await database.StreamPendingAsync(prefix + "inbox", "convai-webhooks")).PendingMessageCount;
            }

            // A burst at a time, so deliveries arrive faster than the handlers finish and the kill finds work in flight.
            var sent = Enumerable.Range(batch, Concurrency).Select(i => $"conv_{i:D4}").ToArray();
            var statuses = await Task.WhenAll(sent.Select((id, i) => PostAsync(client, targets[(batch + i) % 2], template, id, cancellationToken)));
            acknowledged.AddRange(sent.Where((_, i) => statuses[i] == HttpStatusCode.OK));
            refused += statuses.Count(status => status != HttpStatusCode.OK);
        }

        var counts = await WaitForProcessingAsync(database, prefix, acknowledged, cancellationToken);
        var unprocessed = acknowledged.Where((_, index) => counts[index] == 0).ToArray();
        var secondProcessings = counts.Count(count => count > 1);
        var leftInInbox = await database.StreamLengthAsync(prefix + "inbox");
        TestContext.Progress.WriteLine(
            $"crash proof: {Deliveries} deliveries, child killed after {KillAfter} sent holding {leasedAtKill} leased ({unreadAtKill} unread in the inbox); {acknowledged.Count} answered 200, {refused} got no 200 " +
            $"(sent to the dead instance; recovered by reconciliation); unprocessed {unprocessed.Length}; second processings {secondProcessings}; " +
            $"left in inbox {leftInInbox}; {stopwatch.Elapsed.TotalSeconds:F1} s");

        Assert.Multiple(() =>
        {
            Assert.That(child.HasExited, Is.True);
            Assert.That(acknowledged, Has.Count.GreaterThanOrEqualTo(Deliveries / 2 + KillAfter / 2), "the survivor answers all of its half, the child its half until the kill");
            Assert.That(unprocessed, Is.Empty, "every delivery answered 200 is processed");
            Assert.That(secondProcessings, Is.LessThanOrEqualTo(CrashReceiver.ProcessorConcurrency), "only handlers in flight at the kill can run twice");
            Assert.That(leftInInbox, Is.Zero);
        });
    }

    /// <summary>
    /// Issue 24: an instance killed inside its handler (Inline, after the handler's own write) holds the delivery's claim
    /// only until its lease ends (<c>ClaimLease</c>, 2 s here), not for <c>ClaimLifetime</c> (an hour): the sender's
    /// redelivery to the survivor is a duplicate until then, and processed after. The handler's write is its own, apart
    /// from the processed mark, so the delivery is processed twice (the documented window; an upsert keyed by the
    /// conversation id makes it harmless).
    /// </summary>
    [Test]
    [CancelAfter(90_000)]
    public async Task ReceiverKilledInTheHandler_SurvivorProcessesTheRedeliveryOnceTheClaimLeaseEnded(CancellationToken cancellationToken)
    {
        const string ConversationId = "conv_killed";
        await using var redis = await RedisServer.StartAsync();
        var prefix = $"crash:{Guid.NewGuid():N}:";
        using var child = StartChildReceiver(redis.Configuration, prefix, out var childAddress, CrashReceiver.StopInHandler);
        await using var survivor = await CrashReceiver.StartAsync(redis.Configuration, prefix, "survivor", ConvAiWebhookMode.Inline);
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(60) };
        var template = WebhookFixtures.Load("post_call_transcription.json");
        var database = (await redis.ConnectAsync()).GetDatabase();

        var firstDelivery = PostAsync(client, childAddress, template, ConversationId, cancellationToken);
        var stopped = ReadUntil(child, CrashReceiver.StoppedLine);
        child.Kill(entireProcessTree: true); // SIGKILL in the handler: the claim is neither renewed nor released
        await child.WaitForExitAsync(cancellationToken);
        var killedAt = Stopwatch.StartNew();
        var answerToFirst = await firstDelivery;
        var countAtKill = (long)await database.StringGetAsync(CrashReceiver.CounterKey(prefix, ConversationId));

        // The sender retries (it got no 200); the survivor refuses the redelivery while the dead claim's lease runs.
        var receiver = survivor.Services.GetRequiredService<ConvAiWebhookReceiver>();
        var body = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(template).Replace("\"conversation_id\":\"abc\"", $"\"conversation_id\":\"{ConversationId}\"", StringComparison.Ordinal));
        var duplicates = 0;
        ConvAiWebhookReceiptStatus status;
        while (true)
        {
            using var receipt = await receiver.ProcessAsync(new MemoryStream(body), WebhookFixtures.Sign(body, at: TimeProvider.System.GetUtcNow()), cancellationToken: cancellationToken);
            status = receipt.Status;
            if (status != ConvAiWebhookReceiptStatus.Duplicate || killedAt.Elapsed > TimeSpan.FromSeconds(60))
            {
                break;
            }

            duplicates++;
            await Task.Delay(TimeSpan.FromMilliseconds(100), cancellationToken);
        }

        var countAfter = (long)await database.StringGetAsync(CrashReceiver.CounterKey(prefix, ConversationId));
        TestContext.Progress.WriteLine(
            $"redis crash in the handler: {duplicates} redeliveries refused as duplicates, then {status} {killedAt.Elapsed.TotalSeconds:F1} s after the kill " +
            $"(ClaimLease {CrashReceiver.ClaimLease.TotalSeconds} s, ClaimLifetime 1 h); processed {countAfter} times");
        Assert.Multiple(() =>
        {
            Assert.That(stopped, Is.Not.Null, "the child reached its handler");
            Assert.That(answerToFirst, Is.Null, "the killed instance never answered the first delivery");
            Assert.That(countAtKill, Is.EqualTo(1), "the handler's own write was done at the kill");
            Assert.That(duplicates, Is.GreaterThan(0), "the dead instance's claim held until its lease ended");
            Assert.That(status, Is.EqualTo(ConvAiWebhookReceiptStatus.Processed), "then the survivor processed the redelivery");
            Assert.That(countAfter, Is.EqualTo(2), "a handler's own write and the processed mark are separate: at least once");
        });
    }

    private static async Task<HttpStatusCode?> PostAsync(HttpClient client, string address, byte[] template, string conversationId, CancellationToken cancellationToken)
    {
        var body = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(template).Replace("\"conversation_id\":\"abc\"", $"\"conversation_id\":\"{conversationId}\"", StringComparison.Ordinal));
        using var request = new HttpRequestMessage(HttpMethod.Post, address + "/webhooks/elevenlabs") { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse("application/json");
        request.Headers.TryAddWithoutValidation(ConvAiWebhookSignature.HeaderName, WebhookFixtures.Sign(body, at: TimeProvider.System.GetUtcNow()));
        try
        {
            using var response = await client.SendAsync(request, cancellationToken);
            return response.StatusCode;
        }
        catch (HttpRequestException)
        {
            return null; // the killed instance: no answer, so the sender knows nothing was taken
        }
    }

    /// <summary>Waits (bounded) until every acknowledged delivery was processed, then a little longer for stragglers.</summary>
    private static async Task<long[]> WaitForProcessingAsync(IDatabase database, string prefix, List<string> conversationIds, CancellationToken cancellationToken)
    {
        var keys = conversationIds.Select(id => (RedisKey)CrashReceiver.CounterKey(prefix, id)).ToArray();
        long[] counts = [];
        for (var i = 0; i < 300; i++)
        {
            counts = (await database.StringGetAsync(keys)).Select(value => value.IsNull ? 0L : (long)value).ToArray();
            if (counts.All(count => count > 0) && await database.StreamLengthAsync(prefix + "inbox") == 0)
            {
                break;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(100), cancellationToken);
        }

        return counts;
    }

    private static Process StartChildReceiver(string redis, string prefix, out string address, params string[] extra)
    {
        var assembly = typeof(Program).Assembly.Location;
        var appHost = Path.ChangeExtension(assembly, null);
        var start = File.Exists(appHost)
            ? new ProcessStartInfo(appHost)
            : new ProcessStartInfo("dotnet") { ArgumentList = { assembly } };
        foreach (var argument in new[] { CrashReceiver.Command, redis, prefix, "child" }.Concat(extra))
        {
            start.ArgumentList.Add(argument);
        }

        start.RedirectStandardOutput = true;
        start.UseShellExecute = false;
        var process = Process.Start(start)!;
        while (process.StandardOutput.ReadLine() is { } line)
        {
            if (line.StartsWith(CrashReceiver.ListeningPrefix, StringComparison.Ordinal))
            {
                address = line[CrashReceiver.ListeningPrefix.Length..];
                return process;
            }
        }

        process.Dispose();
        throw new InvalidOperationException("The child receiver exited before listening.");
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
