
namespace ConvAi.Telephony.Tests.Webhooks;

/// <summary>
/// The <see cref="IConvAiWebhookDeliveryStore"/> contract, run against every store: the in-memory one here, the Redis one (on
/// a real redis-server) in ConvAi.Telephony.Redis.Tests, which links this file.
/// </summary>
public abstract class WebhookDeliveryStoreContractTests
{
    /// <summary>The store under test, new for each test.</summary>
    protected IConvAiWebhookDeliveryStore Store { get; set; } = null!;

    /// <summary>A claim expiry or processed horizon short enough for <see cref="LetExpireAsync"/> to pass it.</summary>
    protected abstract TimeSpan ShortLifetime { get; }

    /// <summary>Lets <see cref="ShortLifetime"/> pass for <paramref name="key"/> (a fake clock, or Redis' own expiry).</summary>
    protected abstract Task LetExpireAsync(string key);

    protected static string NewKey() => "test:" + Guid.NewGuid().ToString("N");

    [Test]
    public async Task TryClaimAsync_NewKey_Claims()
    {
        Assert.That(await Store.TryClaimAsync(NewKey(), TimeSpan.FromMinutes(1)), Is.True);
    }

    [Test]
    public async Task TryClaimAsync_ClaimedKey_Refused()
    {
        var key = NewKey();
        await Store.TryClaimAsync(key, TimeSpan.FromMinutes(1));

        Assert.That(await Store.TryClaimAsync(key, TimeSpan.FromMinutes(1)), Is.False);
    }

    [Test]
    public async Task ReleaseAsync_ClaimedKey_CanBeClaimedAgain()
    {
        var key = NewKey();
        await Store.TryClaimAsync(key, TimeSpan.FromMinutes(1));

        await Store.ReleaseAsync(key);

        Assert.That(await Store.TryClaimAsync(key, TimeSpan.FromMinutes(1)), Is.True);
    }

    [Test]
    public async Task TryClaimAsync_ConcurrentClaimsOfOneKey_ExactlyOneWins()
    {
        var key = NewKey();

        var results = await Task.WhenAll(Enumerable.Range(0, 64).Select(_ => Task.Run(async () => await Store.TryClaimAsync(key, TimeSpan.FromMinutes(1)))));

        Assert.That(results.Count(claimed => claimed), Is.EqualTo(1));
    }

    [Test]
    public async Task TryClaimAsync_AfterExpiry_ClaimsAgain()
    {
        var key = NewKey();
        await Store.TryClaimAsync(key, ShortLifetime);
        var whileClaimed = await Store.TryClaimAsync(key, TimeSpan.FromMinutes(1));

        await LetExpireAsync(key);

        Assert.Multiple(async () =>
        {
            Assert.That(whileClaimed, Is.False);
            Assert.That(await Store.TryClaimAsync(key, TimeSpan.FromMinutes(1)), Is.True);
        });
    }

    [Test]
    public async Task MarkProcessedAsync_ClaimedKey_RefusesClaimsAndSurvivesRelease()
    {
        var key = NewKey();
        await Store.TryClaimAsync(key, TimeSpan.FromMinutes(1));
        var processedWhileClaimed = await Store.IsProcessedAsync(key);

        await Store.MarkProcessedAsync(key, TimeSpan.FromDays(7));
        await Store.ReleaseAsync(key);

        Assert.Multiple(async () =>
        {
            Assert.That(processedWhileClaimed, Is.False, "a claim alone is not processed");
            Assert.That(await Store.IsProcessedAsync(key), Is.True);
            Assert.That(await Store.TryClaimAsync(key, TimeSpan.FromMinutes(1)), Is.False);
        });
    }

    [Test]
    public async Task MarkProcessedAsync_UnclaimedKey_Marks()
    {
        var key = NewKey();

        await Store.MarkProcessedAsync(key, TimeSpan.FromDays(7));

        Assert.Multiple(async () =>
        {
            Assert.That(await Store.IsProcessedAsync(key), Is.True);
            Assert.That(await Store.IsProcessedAsync(NewKey()), Is.False);
        });
    }

    [Test]
    public async Task MarkProcessedAsync_AfterHorizon_ForgottenAndClaimableAgain()
    {
        var key = NewKey();
        await Store.MarkProcessedAsync(key, ShortLifetime);

        await LetExpireAsync(key);

        Assert.Multiple(async () =>
        {
            Assert.That(await Store.IsProcessedAsync(key), Is.False);
            Assert.That(await Store.TryClaimAsync(key, TimeSpan.FromMinutes(1)), Is.True);
        });
    }

    [Test]
    public void TryClaimAsync_EmptyKey_ThrowsArgumentException()
    {
        var exception = Assert.ThrowsAsync<ArgumentException>(async () => await Store.TryClaimAsync("", TimeSpan.FromMinutes(1)));

        Assert.That(exception!.ParamName, Is.EqualTo("key"));
    }

    [Test]
    public async Task GetCheckpointAsync_NeverSet_ReturnsNull()
    {
        Assert.That(await Store.GetCheckpointAsync(NewKey()), Is.Null);
    }

    [Test]
    public async Task SetCheckpointAsync_ThenAnEarlierValue_GetReturnsTheLastSetToTheMillisecond()
    {
        var name = NewKey();
        var later = DateTimeOffset.FromUnixTimeMilliseconds(1739537297123);
        var earlier = later - TimeSpan.FromHours(1);

        await Store.SetCheckpointAsync(name, later);
        var first = await Store.GetCheckpointAsync(name);
        await Store.SetCheckpointAsync(name, earlier);

        Assert.Multiple(async () =>
        {
            Assert.That(first, Is.EqualTo(later));
            Assert.That(await Store.GetCheckpointAsync(name), Is.EqualTo(earlier));
            Assert.That(await Store.GetCheckpointAsync(NewKey()), Is.Null, "checkpoints are kept per name");
        });
    }

    [Test]
    public async Task SetCheckpointAsync_SameNameAsAClaim_BothKept()
    {
        var name = NewKey();
        await Store.SetCheckpointAsync(name + ":checkpoint", DateTimeOffset.FromUnixTimeMilliseconds(1739537297000));

        var claimed = await Store.TryClaimAsync(name, TimeSpan.FromMinutes(1));

        Assert.Multiple(async () =>
        {
            Assert.That(claimed, Is.True);
            Assert.That(await Store.GetCheckpointAsync(name + ":checkpoint"), Is.EqualTo(DateTimeOffset.FromUnixTimeMilliseconds(1739537297000)));
        });
    }
}
