using Microsoft.Extensions.Time.Testing;

namespace ConvAi.Telephony.Tests.Webhooks;

/// <summary>The in-memory inbox against the <see cref="IConvAiWebhookInbox"/> contract, on a fake clock.</summary>
public class InMemoryWebhookInboxTests
{
    private FakeTimeProvider _time = null!;
    private string _spool = null!;
    private InMemoryWebhookInbox _inbox = null!;

    [SetUp]
    public void SetUp()
    {
        _time = new FakeTimeProvider(WebhookFixtures.Now);
        _spool = Path.Combine(Path.GetTempPath(), "convai-inbox-tests", Guid.NewGuid().ToString("N"));
        _inbox = new InMemoryWebhookInbox(_time, capacity: 2, spoolThreshold: 64, spoolDirectory: _spool);
    }

    [TearDown]
    public void TearDown() => _inbox.Dispose();

    private static ConvAiWebhookDelivery Delivery(string conversationId, int bodyLength = 16) => new()
    {
        DeliveryKey = "convai:webhook:post_call_transcription:" + conversationId,
        EventType = ConvAiWebhookEventType.PostCallTranscription,
        ConversationId = conversationId,
        Body = WebhookFixtures.RandomBytes(bodyLength, seed: bodyLength),
        ReceivedAt = WebhookFixtures.Now,
    };

    [Test]
    public async Task TryEnqueueAsync_CopiesBody_LeaseReturnsSameBytes()
    {
        var body = WebhookFixtures.RandomBytes(16, seed: 1);
        await _inbox.TryEnqueueAsync(Delivery("a") with { Body = body });
        var original = body.ToArray();
        Array.Clear(body);

        var item = await _inbox.LeaseAsync();

        Assert.Multiple(() =>
        {
            Assert.That(item.Delivery.Body.ToArray(), Is.EqualTo(original));
            Assert.That(item.Delivery.ConversationId, Is.EqualTo("a"));
            Assert.That(item.Delivery.Attempts, Is.Zero);
        });
    }

    [Test]
    public async Task TryEnqueueAsync_Full_RefusedUntilOneCompletes()
    {
        var first = await _inbox.TryEnqueueAsync(Delivery("a"));
        var second = await _inbox.TryEnqueueAsync(Delivery("b"));
        var third = await _inbox.TryEnqueueAsync(Delivery("c"));
        await _inbox.CompleteAsync(await _inbox.LeaseAsync());
        var afterComplete = await _inbox.TryEnqueueAsync(Delivery("c"));

        Assert.Multiple(() =>
        {
            Assert.That(new[] { first, second, third, afterComplete }, Is.EqualTo(new[] { true, true, false, true }));
            Assert.That(_inbox.Count, Is.EqualTo(2));
        });
    }

    [Test]
    public async Task TryEnqueueAsync_BodyOverThreshold_SpooledToFileUntilCompleted()
    {
        var delivery = Delivery("big", bodyLength: 1000);
        await _inbox.TryEnqueueAsync(delivery);
        var spooled = Directory.GetFiles(_spool).Select(file => new FileInfo(file).Length).ToArray();

        var item = await _inbox.LeaseAsync();
        await _inbox.CompleteAsync(item);

        Assert.Multiple(() =>
        {
            Assert.That(spooled, Is.EqualTo(new[] { 1000L }));
            Assert.That(item.Delivery.Body.ToArray(), Is.EqualTo(delivery.Body.ToArray()));
            Assert.That(Directory.GetFiles(_spool), Is.Empty);
        });
    }

    [Test]
    public async Task RetryLaterAsync_WithFailure_DueOnlyAtDueTimeWithOneMoreAttempt()
    {
        await _inbox.TryEnqueueAsync(Delivery("a"));
        var item = await _inbox.LeaseAsync();

        await _inbox.RetryLaterAsync(item, WebhookFixtures.Now.AddSeconds(10), "System.TimeoutException");
        var early = _inbox.TryLeaseDue(out _);
        _time.Advance(TimeSpan.FromSeconds(10));
        var again = await _inbox.LeaseAsync();

        Assert.Multiple(() =>
        {
            Assert.That(early, Is.False);
            Assert.That(again.Id, Is.EqualTo(item.Id));
            Assert.That(again.Delivery.Attempts, Is.EqualTo(1));
            Assert.That(again.Delivery.LastFailure, Is.EqualTo("System.TimeoutException"));
            Assert.That(again.Delivery.LastFailedAt, Is.EqualTo(WebhookFixtures.Now));
            Assert.That(_inbox.Count, Is.EqualTo(1), "a delivery waiting for a retry still counts");
        });
    }

    [Test]
    public async Task RetryLaterAsync_WithoutFailure_NotCounted()
    {
        await _inbox.TryEnqueueAsync(Delivery("a"));

        await _inbox.RetryLaterAsync(await _inbox.LeaseAsync(), WebhookFixtures.Now, failure: null);

        Assert.That((await _inbox.LeaseAsync()).Delivery.Attempts, Is.Zero);
    }

    [Test]
    public async Task DeadLetterAsync_ListedThenRedrivenWithAttemptsReset()
    {
        await _inbox.TryEnqueueAsync(Delivery("a"));
        var item = await _inbox.LeaseAsync();

        await _inbox.DeadLetterAsync(item, "System.InvalidOperationException");
        var listed = await _inbox.ListDeadLettersAsync();
        var countWhileDead = _inbox.Count;
        var redriven = await _inbox.RedriveAsync(item.Id);
        var unknown = await _inbox.RedriveAsync(item.Id);
        var again = await _inbox.LeaseAsync();

        Assert.Multiple(async () =>
        {
            Assert.That(listed.Select(dead => (dead.Id, dead.Delivery.ConversationId, dead.Delivery.Attempts, dead.Delivery.LastFailure)),
                Is.EqualTo(new[] { (item.Id, (string?)"a", 1, (string?)"System.InvalidOperationException") }));
            Assert.That(countWhileDead, Is.Zero, "dead letters do not take capacity");
            Assert.That(redriven, Is.True);
            Assert.That(unknown, Is.False);
            Assert.That(again.Delivery.Attempts, Is.Zero);
            Assert.That(again.Delivery.Body.ToArray(), Is.EqualTo(item.Delivery.Body.ToArray()));
            Assert.That(await _inbox.ListDeadLettersAsync(), Is.Empty);
        });
    }

    [Test]
    public async Task CompleteAsync_ItemNotLeased_Throws()
    {
        await _inbox.TryEnqueueAsync(Delivery("a"));
        var item = await _inbox.LeaseAsync();
        await _inbox.CompleteAsync(item);

        Assert.ThrowsAsync<InvalidOperationException>(async () => await _inbox.CompleteAsync(item));
    }

    [Test]
    public void LeaseAsync_Empty_WaitsUntilCancelled()
    {
        using var cancellation = new CancellationTokenSource();
        var lease = _inbox.LeaseAsync(cancellation.Token).AsTask();
        var waiting = !lease.IsCompleted;
        cancellation.Cancel();

        Assert.Multiple(() =>
        {
            Assert.That(waiting, Is.True);
            Assert.CatchAsync<OperationCanceledException>(async () => await lease);
        });
    }
}
