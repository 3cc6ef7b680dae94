using Microsoft.Extensions.Time.Testing;

namespace ConvAi.Telephony.Tests.Webhooks;

/// <summary>
/// The <see cref="IConvAiWebhookInbox"/> contract, run against every inbox: the in-memory one here, the SQLite one in
/// ConvAi.Telephony.Sqlite.Tests and the Redis one (on a real redis-server) in ConvAi.Telephony.Redis.Tests, which link
/// this file.
/// </summary>
public abstract class WebhookInboxContractTests
{
    /// <summary>The fake clock every inbox of the test uses for due times.</summary>
    protected FakeTimeProvider Time { get; private set; } = null!;

    /// <summary>
    /// True when a second instance from <see cref="CreateInbox"/> sees what the first stored (a shared or durable inbox);
    /// false for an inbox that lives in its process only, for which the test asserts that nothing is shared.
    /// </summary>
    protected virtual bool SharedAcrossInstances => true;

    /// <summary>Creates an instance of the inbox under test over this test's storage; called again, a second instance over the same storage.</summary>
    protected abstract IConvAiWebhookInbox CreateInbox();

    [SetUp]
    public void SetUpClock() => Time = new FakeTimeProvider(WebhookFixtures.Now);

    protected ConvAiWebhookDelivery Delivery(string conversationId, byte[]? body = null) => new()
    {
        DeliveryKey = "post_call_transcription:" + conversationId,
        EventType = ConvAiWebhookEventType.PostCallTranscription,
        ConversationId = conversationId,
        EventTimestamp = WebhookFixtures.Now.AddSeconds(-5),
        ReceivedAt = Time.GetUtcNow(),
        Body = body ?? WebhookFixtures.Utf8($$$"""{"type":"post_call_transcription","data":{"conversation_id":"{{{conversationId}}}"}}"""),
    };

    /// <summary>Leases the next item, failing the test (instead of hanging) when none comes within 10 seconds.</summary>
    protected static async Task<ConvAiWebhookInboxItem> LeaseAsync(IConvAiWebhookInbox inbox)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        return await inbox.LeaseAsync(timeout.Token);
    }

    [Test]
    public async Task LeaseAsync_EnqueuedDelivery_CarriesEnvelopeAndBody()
    {
        var inbox = CreateInbox();
        var delivery = Delivery("conv-1");

        Assert.That(await inbox.TryEnqueueAsync(delivery), Is.True);
        var item = await LeaseAsync(inbox);

        Assert.Multiple(() =>
        {
            Assert.That(item.Id, Is.Not.Empty);
            Assert.That(item.Delivery.DeliveryKey, Is.EqualTo(delivery.DeliveryKey));
            Assert.That(item.Delivery.EventType, Is.EqualTo(ConvAiWebhookEventType.PostCallTranscription));
            Assert.That(item.Delivery.ConversationId, Is.EqualTo("conv-1"));
            Assert.That(item.Delivery.EventTimestamp, Is.EqualTo(delivery.EventTimestamp));
            Assert.That(item.Delivery.ReceivedAt, Is.EqualTo(delivery.ReceivedAt));
            Assert.That(item.Delivery.Attempts, Is.Zero);
            Assert.That(item.Delivery.LastFailure, Is.Null);
            Assert.That(item.Delivery.Body.ToArray(), Is.EqualTo(delivery.Body.ToArray()));
        });
    }

    [Test]
    public async Task CompleteAsync_LeasedItem_IsGoneAndTheNextIsLeased()
    {
        var inbox = CreateInbox();
        await inbox.TryEnqueueAsync(Delivery("first"));
        var first = await LeaseAsync(inbox);

        await inbox.CompleteAsync(first);
        await inbox.TryEnqueueAsync(Delivery("second"));
        var next = await LeaseAsync(inbox);

        Assert.Multiple(async () =>
        {
            Assert.That(next.Delivery.ConversationId, Is.EqualTo("second"));
            Assert.That(await inbox.ListDeadLettersAsync(), Is.Empty);
        });
    }

    [Test]
    public async Task RetryLaterAsync_WithFailure_LeasedAgainOnlyWhenDueWithOneMoreAttempt()
    {
        var inbox = CreateInbox();
        await inbox.TryEnqueueAsync(Delivery("retried"));
        var item = await LeaseAsync(inbox);
        var failedAt = Time.GetUtcNow();

        await inbox.RetryLaterAsync(item, failedAt + TimeSpan.FromMinutes(1), "TimeoutException");
        await inbox.TryEnqueueAsync(Delivery("later"));
        var beforeDue = await LeaseAsync(inbox);
        await inbox.CompleteAsync(beforeDue);
        Time.Advance(TimeSpan.FromMinutes(1));
        var again = await LeaseAsync(inbox);

        Assert.Multiple(() =>
        {
            Assert.That(beforeDue.Delivery.ConversationId, Is.EqualTo("later"), "a retry is not leased before it is due");
            Assert.That(again.Delivery.ConversationId, Is.EqualTo("retried"));
            Assert.That(again.Delivery.Attempts, Is.EqualTo(1));
            Assert.That(again.Delivery.LastFailure, Is.EqualTo("TimeoutException"));
            Assert.That(again.Delivery.LastFailedAt, Is.EqualTo(failedAt));
            Assert.That(again.Delivery.Body.ToArray(), Is.EqualTo(item.Delivery.Body.ToArray()));
        });
    }

    [Test]
    public async Task RetryLaterAsync_WithoutFailure_GivesTheLeaseBackWithoutCountingAnAttempt()
    {
        var inbox = CreateInbox();
        await inbox.TryEnqueueAsync(Delivery("given-back"));
        var item = await LeaseAsync(inbox);

        await inbox.RetryLaterAsync(item, Time.GetUtcNow(), failure: null);
        var again = await LeaseAsync(inbox);

        Assert.Multiple(() =>
        {
            Assert.That(again.Delivery.ConversationId, Is.EqualTo("given-back"));
            Assert.That(again.Delivery.Attempts, Is.Zero);
            Assert.That(again.Delivery.LastFailure, Is.Null);
        });
    }

    [Test]
    public async Task DeadLetterAsync_LeasedItem_ListedWithTheFailedAttemptCounted()
    {
        var inbox = CreateInbox();
        await inbox.TryEnqueueAsync(Delivery("dead"));
        var item = await LeaseAsync(inbox);
        await inbox.RetryLaterAsync(item, Time.GetUtcNow(), "HttpRequestException");
        item = await LeaseAsync(inbox);

        await inbox.DeadLetterAsync(item, "InvalidOperationException");
        var dead = await inbox.ListDeadLettersAsync();

        Assert.That(dead, Has.Count.EqualTo(1));
        Assert.Multiple(() =>
        {
            Assert.That(dead[0].Delivery.ConversationId, Is.EqualTo("dead"));
            Assert.That(dead[0].Delivery.DeliveryKey, Is.EqualTo(item.Delivery.DeliveryKey));
            Assert.That(dead[0].Delivery.Attempts, Is.EqualTo(2));
            Assert.That(dead[0].Delivery.LastFailure, Is.EqualTo("InvalidOperationException"));
            Assert.That(dead[0].Delivery.LastFailedAt, Is.EqualTo(Time.GetUtcNow()));
        });
    }

    [Test]
    public async Task AddDeadLetterAsync_Delivery_ListedUnderTheReturnedIdOldestFirst()
    {
        var inbox = CreateInbox();

        var first = await inbox.AddDeadLetterAsync(Delivery("endpoint-1"), "InvalidOperationException");
        var second = await inbox.AddDeadLetterAsync(Delivery("endpoint-2"), "TimeoutException");
        var dead = await inbox.ListDeadLettersAsync();

        Assert.Multiple(() =>
        {
            Assert.That(dead.Select(item => item.Id), Is.EqualTo(new[] { first, second }));
            Assert.That(dead.Select(item => item.Delivery.ConversationId), Is.EqualTo(new[] { "endpoint-1", "endpoint-2" }));
            Assert.That(dead.Select(item => item.Delivery.Attempts), Is.EqualTo(new[] { 1, 1 }));
            Assert.That(dead[1].Delivery.LastFailure, Is.EqualTo("TimeoutException"));
        });
    }

    [Test]
    public async Task RedriveAsync_DeadLetter_LeasedAgainWithAttemptsResetAndItsBody()
    {
        var inbox = CreateInbox();
        var delivery = Delivery("redriven", WebhookFixtures.RandomBytes(4096, seed: 7));
        var id = await inbox.AddDeadLetterAsync(delivery, "InvalidOperationException");

        var redriven = await inbox.RedriveAsync(id);
        var again = await inbox.RedriveAsync(id);
        var item = await LeaseAsync(inbox);

        Assert.Multiple(async () =>
        {
            Assert.That(redriven, Is.True);
            Assert.That(again, Is.False, "a dead letter is re-driven once");
            Assert.That(await inbox.ListDeadLettersAsync(), Is.Empty);
            Assert.That(item.Delivery.ConversationId, Is.EqualTo("redriven"));
            Assert.That(item.Delivery.Attempts, Is.Zero);
            Assert.That(item.Delivery.Body.ToArray(), Is.EqualTo(delivery.Body.ToArray()));
        });
    }

    [TestCase(1)]
    [TestCase(64 * 1024)]
    [TestCase(5 * 1024 * 1024)]
    public async Task LeaseAsync_Body_RoundTripsByteForByte(int length)
    {
        var inbox = CreateInbox();
        var body = WebhookFixtures.RandomBytes(length, seed: length);

        await inbox.TryEnqueueAsync(Delivery("sized", body));
        var item = await LeaseAsync(inbox);

        Assert.That(item.Delivery.Body.ToArray(), Is.EqualTo(body));
    }

    [Test]
    public async Task TryEnqueueAsync_CallersBufferReusedAfterwards_StoredBodyUnchanged()
    {
        var inbox = CreateInbox();
        var buffer = WebhookFixtures.RandomBytes(1024, seed: 3);
        var original = buffer.ToArray();

        await inbox.TryEnqueueAsync(Delivery("copied", buffer));
        Array.Clear(buffer);
        var item = await LeaseAsync(inbox);

        Assert.That(item.Delivery.Body.ToArray(), Is.EqualTo(original));
    }

    [Test]
    public async Task SecondInstance_SameStorage_SeesWhatTheFirstStoredWhenShared()
    {
        var first = CreateInbox();
        await first.TryEnqueueAsync(Delivery("queued-by-first"));
        await first.AddDeadLetterAsync(Delivery("dead-by-first"), "InvalidOperationException");

        var second = CreateInbox();
        var dead = await second.ListDeadLettersAsync();

        if (SharedAcrossInstances)
        {
            var item = await LeaseAsync(second);
            Assert.Multiple(() =>
            {
                Assert.That(item.Delivery.ConversationId, Is.EqualTo("queued-by-first"));
                Assert.That(dead.Select(d => d.Delivery.ConversationId), Is.EqualTo(new[] { "dead-by-first" }));
            });
        }
        else
        {
            Assert.That(dead, Is.Empty, "this inbox lives in its instance only: a second instance starts empty");
        }
    }
}
