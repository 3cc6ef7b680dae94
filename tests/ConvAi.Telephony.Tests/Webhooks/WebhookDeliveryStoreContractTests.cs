
namespace ConvAi.Telephony.Tests.Webhooks;

/// <summary>
/// The <see cref="IConvAiWebhookDeliveryStore"/> contract, run against every store: the in-memory one here, the Redis one (on
/// a real redis-server) in ConvAi.Telephony.Redis.Tests and the SQLite one in ConvAi.Telephony.Sqlite.Tests, which link
/// this file. What a store shared by several processes adds is <see cref="SharedWebhookDeliveryStoreContractTests"/>.
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

    [Test]
    public async Task RenewClaimAsync_OwnLiveClaim_OutlivesItsFirstExpiry()
    {
        var key = NewKey();
        await Store.TryClaimAsync(key, ShortLifetime);

        var renewed = await Store.RenewClaimAsync(key, TimeSpan.FromHours(1));
        await LetExpireAsync(key);

        Assert.Multiple(async () =>
        {
            Assert.That(renewed, Is.True);
            Assert.That(await Store.TryClaimAsync(key, TimeSpan.FromMinutes(1)), Is.False, "the renewed claim still holds");
            Assert.That(await Store.RenewClaimAsync(key, TimeSpan.FromMinutes(1)), Is.True, "and is renewed again");
        });
    }

    [Test]
    public async Task RenewClaimAsync_ExpiredClaim_FalseAndNotRevived()
    {
        var key = NewKey();
        await Store.TryClaimAsync(key, ShortLifetime);
        await LetExpireAsync(key);

        var renewed = await Store.RenewClaimAsync(key, TimeSpan.FromMinutes(1));

        Assert.Multiple(async () =>
        {
            Assert.That(renewed, Is.False);
            Assert.That(await Store.TryClaimAsync(key, TimeSpan.FromMinutes(1)), Is.True);
        });
    }

    [Test]
    public async Task RenewClaimAsync_ProcessedReleasedOrUnknownKey_FalseAndNothingChanges()
    {
        var processed = NewKey();
        var released = NewKey();
        await Store.TryClaimAsync(processed, TimeSpan.FromMinutes(1));
        await Store.MarkProcessedAsync(processed, TimeSpan.FromDays(7));
        await Store.TryClaimAsync(released, TimeSpan.FromMinutes(1));
        await Store.ReleaseAsync(released);

        Assert.Multiple(async () =>
        {
            Assert.That(await Store.RenewClaimAsync(processed, TimeSpan.FromMinutes(1)), Is.False);
            Assert.That(await Store.IsProcessedAsync(processed), Is.True, "the mark is kept");
            Assert.That(await Store.RenewClaimAsync(released, TimeSpan.FromMinutes(1)), Is.False);
            Assert.That(await Store.TryClaimAsync(released, TimeSpan.FromMinutes(1)), Is.True, "a renewal does not bring a released claim back");
            Assert.That(await Store.RenewClaimAsync(NewKey(), TimeSpan.FromMinutes(1)), Is.False);
        });
    }
}

/// <summary>
/// What a store shared by several processes (SQLite on one machine, Redis across machines) adds to the contract: claims
/// have an owner. A process that dies stops renewing, and after the lease another process claims the delivery; while
/// the holder renews, nobody else can; a process whose claim ended cannot renew or release the claim another took.
/// </summary>
public abstract class SharedWebhookDeliveryStoreContractTests : WebhookDeliveryStoreContractTests
{
    /// <summary>A second store over the same data, with its own identity, as another process (or a restart) opens it.</summary>
    protected abstract IConvAiWebhookDeliveryStore OpenOtherProcess();

    [Test]
    public async Task TryClaimAsync_HolderStopsRenewing_OtherProcessClaimsAfterTheLease()
    {
        var key = NewKey();
        var other = OpenOtherProcess();
        await Store.TryClaimAsync(key, ShortLifetime);
        var duringLease = await other.TryClaimAsync(key, TimeSpan.FromMinutes(1));

        await LetExpireAsync(key); // the holder died: nothing renews its claim

        Assert.Multiple(async () =>
        {
            Assert.That(duringLease, Is.False, "the lease keeps the other process out");
            Assert.That(await other.TryClaimAsync(key, TimeSpan.FromMinutes(1)), Is.True, "after the lease the other process claims it");
            Assert.That(await Store.RenewClaimAsync(key, TimeSpan.FromMinutes(1)), Is.False, "the first holder cannot renew the new claim");
            Assert.That(await other.RenewClaimAsync(key, TimeSpan.FromMinutes(1)), Is.True);
        });
    }

    [Test]
    public async Task TryClaimAsync_HolderRenews_OtherProcessRefusedPastTheFirstLease()
    {
        var key = NewKey();
        var other = OpenOtherProcess();
        await Store.TryClaimAsync(key, ShortLifetime);

        await Store.RenewClaimAsync(key, TimeSpan.FromHours(1));
        await LetExpireAsync(key);

        Assert.Multiple(async () =>
        {
            Assert.That(await other.TryClaimAsync(key, TimeSpan.FromMinutes(1)), Is.False, "a renewed claim still excludes others");
            Assert.That(await other.RenewClaimAsync(key, TimeSpan.FromMinutes(1)), Is.False, "only the holder renews");
        });
    }

    [Test]
    public async Task ReleaseAsync_AnotherProcessesClaim_Kept()
    {
        var key = NewKey();
        var other = OpenOtherProcess();
        await Store.TryClaimAsync(key, TimeSpan.FromMinutes(1));

        await other.ReleaseAsync(key);

        Assert.Multiple(async () =>
        {
            Assert.That(await other.TryClaimAsync(key, TimeSpan.FromMinutes(1)), Is.False);
            Assert.That(await Store.RenewClaimAsync(key, TimeSpan.FromMinutes(1)), Is.True);
        });
    }
}
