namespace ConvAi.Telephony.Sqlite.Tests.Webhooks;

/// <summary>The SQLite inbox against the <see cref="IConvAiWebhookInbox"/> contract, and what a file adds: restarts, leases, size.</summary>
public class SqliteWebhookInboxTests : WebhookInboxContractTests
{
    private readonly List<SqliteWebhookInbox> _inboxes = [];
    private SqliteTestFile _file = null!;

    [SetUp]
    public void SetUp() => _file = new SqliteTestFile();

    [TearDown]
    public void TearDown()
    {
        _inboxes.ForEach(inbox => inbox.Dispose());
        _inboxes.Clear();
        _file.Dispose();
    }

    protected override IConvAiWebhookInbox CreateInbox() => Instance();

    private SqliteWebhookInbox Instance(TimeSpan? leaseTime = null, int maxLength = 100)
    {
        var inbox = new SqliteWebhookInbox(
            new ConvAiWebhookSqliteOptions
            {
                ConnectionString = _file.ConnectionString,
                LeaseTime = leaseTime ?? TimeSpan.FromMinutes(10),
                PollInterval = TimeSpan.FromMilliseconds(20),
                MaxLength = maxLength,
            },
            Time);
        _inboxes.Add(inbox);
        return inbox;
    }

    [Test]
    public async Task NewInstance_SameFile_LeasesWhatWasQueuedAndKeepsRetriesAndDeadLetters()
    {
        var before = Instance();
        await before.TryEnqueueAsync(Delivery("retry"));
        await before.TryEnqueueAsync(Delivery("queued"));
        var retry = await LeaseAsync(before);
        await before.RetryLaterAsync(retry, Time.GetUtcNow() + TimeSpan.FromMinutes(5), "TimeoutException");
        await before.AddDeadLetterAsync(Delivery("dead"), "InvalidOperationException");
        before.Dispose();

        // What a restarted process sees: a new inbox over the same file.
        var restarted = Instance();
        var queued = await LeaseAsync(restarted);
        Time.Advance(TimeSpan.FromMinutes(5));
        var due = await LeaseAsync(restarted);

        Assert.Multiple(async () =>
        {
            Assert.That(queued.Delivery.ConversationId, Is.EqualTo("queued"));
            Assert.That(due.Delivery.ConversationId, Is.EqualTo("retry"));
            Assert.That(due.Delivery.Attempts, Is.EqualTo(1));
            Assert.That((await restarted.ListDeadLettersAsync()).Select(d => d.Delivery.ConversationId), Is.EqualTo(new[] { "dead" }));
        });
    }

    [Test]
    public async Task LeaseAsync_LeaseOfADeadProcessEnds_LeasedAgainWithoutCountingAnAttempt()
    {
        var crashed = Instance(leaseTime: TimeSpan.FromMinutes(1));
        await crashed.TryEnqueueAsync(Delivery("orphaned"));
        await LeaseAsync(crashed);
        crashed.Dispose(); // stops renewing, as a killed process does

        var survivor = Instance(leaseTime: TimeSpan.FromMinutes(1));
        await survivor.TryEnqueueAsync(Delivery("fresh"));
        var beforeExpiry = await LeaseAsync(survivor);
        Time.Advance(TimeSpan.FromMinutes(1));
        var reclaimed = await LeaseAsync(survivor);

        Assert.Multiple(() =>
        {
            Assert.That(beforeExpiry.Delivery.ConversationId, Is.EqualTo("fresh"), "a live lease is not taken over");
            Assert.That(reclaimed.Delivery.ConversationId, Is.EqualTo("orphaned"));
            Assert.That(reclaimed.Delivery.Attempts, Is.Zero);
        });
    }

    [Test]
    public async Task LeaseAsync_LiveProcessPastTheLeaseTime_KeepsItsLeaseByRenewing()
    {
        var holder = Instance(leaseTime: TimeSpan.FromMinutes(1));
        var other = Instance(leaseTime: TimeSpan.FromMinutes(1));
        await holder.TryEnqueueAsync(Delivery("slow"));
        await LeaseAsync(holder);

        for (var i = 0; i < 6; i++)
        {
            Time.Advance(TimeSpan.FromSeconds(20));
            await holder.RenewLeasesAsync();
        }

        await other.TryEnqueueAsync(Delivery("next"));
        var item = await LeaseAsync(other);

        Assert.That(item.Delivery.ConversationId, Is.EqualTo("next"));
    }

    [Test]
    public async Task TryEnqueueAsync_Full_RefusesUntilADeliveryCompletes()
    {
        var inbox = Instance(maxLength: 2);
        await inbox.TryEnqueueAsync(Delivery("a"));
        await inbox.TryEnqueueAsync(Delivery("b"));

        var whenFull = await inbox.TryEnqueueAsync(Delivery("c"));
        await inbox.CompleteAsync(await LeaseAsync(inbox));

        Assert.Multiple(async () =>
        {
            Assert.That(whenFull, Is.False);
            Assert.That(await inbox.TryEnqueueAsync(Delivery("c")), Is.True);
        });
    }

    [Test]
    public async Task CompleteAsync_ManyCycles_FilePagesAreReused()
    {
        var inbox = Instance();
        var body = WebhookFixtures.RandomBytes(16 * 1024, seed: 1);
        for (var i = 0; i < 20; i++)
        {
            await inbox.TryEnqueueAsync(Delivery("warm-" + i, body));
            await inbox.CompleteAsync(await LeaseAsync(inbox));
        }

        var pagesAfterWarmUp = _file.Scalar("PRAGMA page_count");
        for (var i = 0; i < 300; i++)
        {
            await inbox.TryEnqueueAsync(Delivery("cycle-" + i, body));
            await inbox.CompleteAsync(await LeaseAsync(inbox));
        }

        // 300 × 16 KB went through the file; without page reuse it would have grown by about 1,200 pages.
        Assert.Multiple(() =>
        {
            Assert.That(_file.Scalar("SELECT COUNT(*) FROM convai_webhook_inbox"), Is.Zero);
            Assert.That(_file.Scalar("PRAGMA page_count"), Is.LessThanOrEqualTo(pagesAfterWarmUp + 16));
        });
    }
}
