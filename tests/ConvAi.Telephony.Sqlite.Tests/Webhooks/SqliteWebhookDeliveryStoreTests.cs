using Microsoft.Extensions.Time.Testing;

namespace ConvAi.Telephony.Sqlite.Tests.Webhooks;

/// <summary>The SQLite store against the <see cref="IConvAiWebhookDeliveryStore"/> contract, and what a file adds: restarts, processes, cleanup.</summary>
public class SqliteWebhookDeliveryStoreTests : SharedWebhookDeliveryStoreContractTests
{
    private FakeTimeProvider _time = null!;
    private SqliteTestFile _file = null!;

    protected override TimeSpan ShortLifetime => TimeSpan.FromMinutes(1);

    [SetUp]
    public void SetUp()
    {
        _time = new FakeTimeProvider(WebhookFixtures.Now);
        _file = new SqliteTestFile();
        Store = new SqliteWebhookDeliveryStore(_file.ConnectionString, _time);
    }

    [TearDown]
    public void TearDown() => _file.Dispose();

    protected override IConvAiWebhookDeliveryStore OpenOtherProcess() => new SqliteWebhookDeliveryStore(_file.ConnectionString, _time);

    protected override Task LetExpireAsync(string key)
    {
        _time.Advance(ShortLifetime);
        return Task.CompletedTask;
    }

    [Test]
    public async Task NewInstance_SameFile_SeesClaimsAndMarksOfTheFirst()
    {
        var processed = NewKey();
        var claimed = NewKey();
        await Store.TryClaimAsync(claimed, TimeSpan.FromHours(1));
        await Store.MarkProcessedAsync(processed, TimeSpan.FromDays(7));

        // What a restarted process sees: a new store over the same file.
        var restarted = new SqliteWebhookDeliveryStore(_file.ConnectionString, _time);

        Assert.Multiple(async () =>
        {
            Assert.That(await restarted.IsProcessedAsync(processed), Is.True);
            Assert.That(await restarted.TryClaimAsync(processed, TimeSpan.FromHours(1)), Is.False);
            Assert.That(await restarted.TryClaimAsync(claimed, TimeSpan.FromHours(1)), Is.False);
        });
    }

    [Test]
    public async Task NewInstance_SameFile_ReadsTheCheckpointOfTheFirst()
    {
        var checkpoint = DateTimeOffset.FromUnixTimeMilliseconds(1739537297456);
        await Store.SetCheckpointAsync("convai:webhook:reconcile:agent_1", checkpoint);

        var restarted = new SqliteWebhookDeliveryStore(_file.ConnectionString, _time);

        Assert.That(await restarted.GetCheckpointAsync("convai:webhook:reconcile:agent_1"), Is.EqualTo(checkpoint));
    }

    [Test]
    public async Task TryClaimAsync_TwoInstancesConcurrently_ExactlyOneWins()
    {
        var other = new SqliteWebhookDeliveryStore(_file.ConnectionString, _time);
        var keys = Enumerable.Range(0, 20).Select(_ => NewKey()).ToArray();

        var results = await Task.WhenAll(keys.Select(key => Task.Run(async () =>
        {
            var claims = await Task.WhenAll(
                Task.Run(async () => await Store.TryClaimAsync(key, TimeSpan.FromMinutes(1))),
                Task.Run(async () => await other.TryClaimAsync(key, TimeSpan.FromMinutes(1))));
            return claims.Count(claimed => claimed);
        })));

        Assert.That(results, Is.All.EqualTo(1));
    }

    [Test]
    public async Task MarkProcessedAsync_AfterHorizon_RowDeletedByALaterWrite()
    {
        var expired = NewKey();
        var kept = NewKey();
        await Store.MarkProcessedAsync(expired, TimeSpan.FromMinutes(5));
        await Store.MarkProcessedAsync(kept, TimeSpan.FromDays(7));

        _time.Advance(TimeSpan.FromMinutes(10));
        await Store.TryClaimAsync(NewKey(), TimeSpan.FromMinutes(1));

        Assert.Multiple(() =>
        {
            Assert.That(_file.Scalar($"SELECT COUNT(*) FROM convai_webhook_keys WHERE key = '{expired}'"), Is.Zero);
            Assert.That(_file.Scalar($"SELECT COUNT(*) FROM convai_webhook_keys WHERE key = '{kept}'"), Is.EqualTo(1));
        });
    }

    [Test]
    public async Task Schema_FirstUse_FileIsInWalMode()
    {
        await Store.IsProcessedAsync(NewKey());

        using var connection = new Microsoft.Data.Sqlite.SqliteConnection(_file.ConnectionString + ";Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode";
        Assert.That(command.ExecuteScalar(), Is.EqualTo("wal"));
    }
}
