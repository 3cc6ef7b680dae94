using ConvAi.Telephony.AspNetCore.Tests.Webhooks;
using ConvAi.Telephony.Shared;
using Microsoft.Extensions.Time.Testing;
using StackExchange.Redis;

namespace ConvAi.Telephony.Redis.Tests.Webhooks;

/// <summary>The Redis Streams inbox against the <see cref="IConvAiWebhookInbox"/> contract, on a real redis-server.</summary>
[NonParallelizable]
public class RedisWebhookInboxTests
{
    private RedisServer _redis = null!;
    private FakeTimeProvider _time = null!;
    private readonly List<RedisWebhookInbox> _inboxes = [];
    private string _prefix = null!;

    [OneTimeSetUp]
    public async Task StartRedis() => _redis = await RedisServer.StartAsync();

    [OneTimeTearDown]
    public async Task StopRedis() => await (_redis?.DisposeAsync() ?? ValueTask.CompletedTask);

    [SetUp]
    public void SetUp()
    {
        _time = new FakeTimeProvider(WebhookFixtures.Now);
        _prefix = $"test:{Guid.NewGuid():N}:";
    }

    [TearDown]
    public async Task TearDown()
    {
        foreach (var inbox in _inboxes)
        {
            await inbox.DisposeAsync();
        }

        _inboxes.Clear();
    }

    /// <summary>An instance of the shared inbox (same prefix and group, its own consumer name).</summary>
    private RedisWebhookInbox Instance(string consumer = "a", TimeSpan? claimIdleTime = null, int maxLength = 100)
    {
        var inbox = new RedisWebhookInbox(
            _redis.Connection,
            new ConvAiWebhookRedisOptions
            {
                KeyPrefix = _prefix,
                ConsumerName = consumer,
                ClaimIdleTime = claimIdleTime ?? TimeSpan.FromMinutes(10),
                PollInterval = TimeSpan.FromMilliseconds(20),
                MaxLength = maxLength,
            },
            _time);
        _inboxes.Add(inbox);
        return inbox;
    }

    private static ConvAiWebhookDelivery Delivery(string conversationId, int bodyLength = 16) => new()
    {
        DeliveryKey = "convai:webhook:post_call_transcription:" + conversationId,
        EventType = ConvAiWebhookEventType.PostCallTranscription,
        ConversationId = conversationId,
        EventTimestamp = WebhookFixtures.Now.AddMinutes(-1),
        Body = WebhookFixtures.RandomBytes(bodyLength, seed: bodyLength),
        ReceivedAt = WebhookFixtures.Now,
    };

    /// <summary>Leases with a bound (real time), so a missing entry fails the test instead of hanging it.</summary>
    private static async Task<ConvAiWebhookInboxItem> LeaseWithinAsync(IConvAiWebhookInbox inbox, int seconds = 10)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(seconds), TimeProvider.System);
        return await inbox.LeaseAsync(timeout.Token);
    }

    [TestCase(16)]
    [TestCase(20 * 1024 * 1024)]
    public async Task TryEnqueueAsync_ThenLease_ReturnsTheDeliveryWithItsBodyCopied(int bodyLength)
    {
        var inbox = Instance();
        var delivery = Delivery("a", bodyLength);
        var body = delivery.Body.ToArray();

        var accepted = await inbox.TryEnqueueAsync(delivery with { Body = body });
        var original = body.ToArray();
        Array.Clear(body);
        var item = await LeaseWithinAsync(inbox);

        Assert.Multiple(() =>
        {
            Assert.That(accepted, Is.True);
            Assert.That(item.Delivery.Body.Length, Is.EqualTo(bodyLength));
            Assert.That(item.Delivery.Body.ToArray().SequenceEqual(original), Is.True, "the same bytes");
            Assert.That(item.Delivery with { Body = default }, Is.EqualTo(delivery with { Body = default }));
            Assert.That(item.Id, Does.Match(@"^\d+-\d+$"), "a stream entry id");
        });
    }

    [Test]
    public async Task TryEnqueueAsync_AtMaxLength_RefusedUntilOneCompletes()
    {
        var inbox = Instance(maxLength: 2);

        var first = await inbox.TryEnqueueAsync(Delivery("a"));
        var second = await inbox.TryEnqueueAsync(Delivery("b"));
        var third = await inbox.TryEnqueueAsync(Delivery("c"));
        await inbox.CompleteAsync(await LeaseWithinAsync(inbox));
        var afterComplete = await inbox.TryEnqueueAsync(Delivery("c"));

        Assert.That(new[] { first, second, third, afterComplete }, Is.EqualTo(new[] { true, true, false, true }));
    }

    [Test]
    public async Task CompleteAsync_DeletesTheEntry_NothingLeftToLeaseOrTrim()
    {
        var inbox = Instance();
        await inbox.TryEnqueueAsync(Delivery("a"));

        await inbox.CompleteAsync(await LeaseWithinAsync(inbox));

        var database = _redis.Connection.GetDatabase();
        Assert.Multiple(async () =>
        {
            Assert.That(await database.StreamLengthAsync(_prefix + "inbox"), Is.Zero);
            Assert.That((await database.StreamPendingAsync(_prefix + "inbox", "convai-webhooks")).PendingMessageCount, Is.Zero);
            Assert.That(await inbox.TryLeaseAsync(CancellationToken.None), Is.Null);
        });
    }

    [Test]
    public async Task RetryLaterAsync_WithFailure_DueOnlyAtDueTimeWithOneMoreAttempt()
    {
        var inbox = Instance();
        await inbox.TryEnqueueAsync(Delivery("a"));
        var item = await LeaseWithinAsync(inbox);

        await inbox.RetryLaterAsync(item, WebhookFixtures.Now.AddSeconds(10), "System.TimeoutException");
        var early = await inbox.TryLeaseAsync(CancellationToken.None);
        _time.Advance(TimeSpan.FromSeconds(10));
        var again = await inbox.TryLeaseAsync(CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(early, Is.Null);
            Assert.That(again, Is.Not.Null);
            Assert.That(again!.Delivery.ConversationId, Is.EqualTo("a"));
            Assert.That(again.Delivery.Attempts, Is.EqualTo(1));
            Assert.That(again.Delivery.LastFailure, Is.EqualTo("System.TimeoutException"));
            Assert.That(again.Delivery.LastFailedAt, Is.EqualTo(WebhookFixtures.Now));
            Assert.That(again.Delivery.Body.ToArray(), Is.EqualTo(item.Delivery.Body.ToArray()));
        });
    }

    [Test]
    public async Task RetryLaterAsync_WithoutFailure_NotCounted()
    {
        var inbox = Instance();
        await inbox.TryEnqueueAsync(Delivery("a"));

        await inbox.RetryLaterAsync(await LeaseWithinAsync(inbox), WebhookFixtures.Now, failure: null);

        Assert.That((await LeaseWithinAsync(inbox)).Delivery.Attempts, Is.Zero);
    }

    [Test]
    public async Task DeadLetterAsync_ListedThenRedrivenWithAttemptsReset()
    {
        var inbox = Instance();
        await inbox.TryEnqueueAsync(Delivery("a") with { Attempts = 7 });
        await inbox.TryEnqueueAsync(Delivery("b"));
        var first = await LeaseWithinAsync(inbox);

        await inbox.DeadLetterAsync(first, "System.InvalidOperationException");
        var listed = await inbox.ListDeadLettersAsync();
        var redriven = await inbox.RedriveAsync(listed[0].Id);
        var listedAfter = await inbox.ListDeadLettersAsync();
        var leased = new[] { await LeaseWithinAsync(inbox), await LeaseWithinAsync(inbox) };

        Assert.Multiple(() =>
        {
            Assert.That(listed, Has.Count.EqualTo(1));
            Assert.That(listed[0].Delivery.ConversationId, Is.EqualTo("a"));
            Assert.That(listed[0].Delivery.Attempts, Is.EqualTo(8));
            Assert.That(listed[0].Delivery.LastFailure, Is.EqualTo("System.InvalidOperationException"));
            Assert.That(listed[0].Delivery.Body.ToArray(), Is.EqualTo(first.Delivery.Body.ToArray()));
            Assert.That(redriven, Is.True);
            Assert.That(listedAfter, Is.Empty);
            Assert.That(leased.Select(i => (i.Delivery.ConversationId, i.Delivery.Attempts)), Is.EquivalentTo(new[] { ("a", 0), ("b", 0) }));
        });
    }

    [TestCase("0-1")]
    [TestCase("not-an-id")]
    [TestCase("12")]
    public async Task RedriveAsync_UnknownId_ReturnsFalse(string id)
    {
        Assert.That(await Instance().RedriveAsync(id), Is.False);
    }

    [Test]
    public async Task LeaseAsync_TwoConsumers_EachDeliveryLeasedByExactlyOne()
    {
        var a = Instance("a");
        var b = Instance("b");
        for (var i = 0; i < 40; i++)
        {
            await (i % 2 == 0 ? a : b).TryEnqueueAsync(Delivery($"c{i}"));
        }

        var leasedByA = new List<string>();
        var leasedByB = new List<string>();
        for (var i = 0; i < 20; i++)
        {
            leasedByA.Add((await LeaseWithinAsync(a)).Delivery.ConversationId!);
            leasedByB.Add((await LeaseWithinAsync(b)).Delivery.ConversationId!);
        }

        Assert.Multiple(async () =>
        {
            Assert.That(leasedByA.Concat(leasedByB), Is.EquivalentTo(Enumerable.Range(0, 40).Select(i => $"c{i}")));
            Assert.That(await a.TryLeaseAsync(CancellationToken.None), Is.Null);
            Assert.That(await b.TryLeaseAsync(CancellationToken.None), Is.Null);
        });
    }

    [Test]
    public async Task LeaseAsync_ConsumerDiesWithoutAck_OtherReclaimsAfterIdleTime()
    {
        var dying = Instance("dying");
        var patient = Instance("patient", claimIdleTime: TimeSpan.FromMinutes(10));
        var survivor = Instance("survivor", claimIdleTime: TimeSpan.FromMilliseconds(300));
        await dying.TryEnqueueAsync(Delivery("a"));
        var lost = await LeaseWithinAsync(dying);
        await dying.DisposeAsync(); // stops renewing; never acknowledges

        var notIdleLongEnough = await patient.TryLeaseAsync(CancellationToken.None);
        var reclaimed = await LeaseWithinAsync(survivor);
        await survivor.CompleteAsync(reclaimed);

        var database = _redis.Connection.GetDatabase();
        Assert.Multiple(async () =>
        {
            Assert.That(notIdleLongEnough, Is.Null);
            Assert.That(reclaimed.Id, Is.EqualTo(lost.Id));
            Assert.That(reclaimed.Delivery.Attempts, Is.Zero, "a crash is not a failed attempt");
            Assert.That(await database.StreamLengthAsync(_prefix + "inbox"), Is.Zero);
        });
    }

    [Test]
    public async Task LeaseAsync_LiveConsumerRenewsItsLease_NotReclaimed()
    {
        var slow = Instance("slow", claimIdleTime: TimeSpan.FromMilliseconds(600));
        var other = Instance("other", claimIdleTime: TimeSpan.FromMilliseconds(600));
        await slow.TryEnqueueAsync(Delivery("a"));
        await LeaseWithinAsync(slow);

        // Wait, on Redis's own clock (it measures idle time), until the lease is older than the idle time and Redis says
        // the inbox's renewal timer renewed it meanwhile: then the other consumer must find nothing.
        var database = _redis.Connection.GetDatabase();
        var leasedFor = System.Diagnostics.Stopwatch.StartNew();
        var renewed = false;
        while (!renewed && leasedFor.Elapsed < TimeSpan.FromSeconds(10))
        {
            var pending = await database.StreamPendingMessagesAsync(_prefix + "inbox", "convai-webhooks", 1, "slow");
            renewed = leasedFor.Elapsed > TimeSpan.FromMilliseconds(900) && pending.Length == 1 && pending[0].IdleTimeInMilliseconds < 600;
            await Task.Delay(50); // a poll of the condition, not a wait that the test's outcome depends on
        }

        var stolen = await other.TryLeaseAsync(CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(renewed, Is.True, "Redis saw the lease renewed after the idle time passed");
            Assert.That(stolen, Is.Null);
            Assert.That(slow.LeasedCount, Is.EqualTo(1));
        });
    }

    [Test]
    public async Task LeaseAsync_Cancelled_ThrowsOperationCanceled()
    {
        var inbox = Instance();
        using var cancel = new CancellationTokenSource();
        var lease = inbox.LeaseAsync(cancel.Token).AsTask();

        await cancel.CancelAsync();

        Assert.That(async () => await lease, Throws.InstanceOf<OperationCanceledException>());
    }

    [Test]
    public async Task TryLeaseAsync_StreamDeletedUnderneath_RecreatesGroup()
    {
        var inbox = Instance();
        await inbox.TryEnqueueAsync(Delivery("a"));
        await _redis.Connection.GetDatabase().KeyDeleteAsync(_prefix + "inbox");

        var empty = await inbox.TryLeaseAsync(CancellationToken.None);
        await inbox.TryEnqueueAsync(Delivery("b"));
        var item = await LeaseWithinAsync(inbox);

        Assert.Multiple(() =>
        {
            Assert.That(empty, Is.Null);
            Assert.That(item.Delivery.ConversationId, Is.EqualTo("b"));
        });
    }
}
