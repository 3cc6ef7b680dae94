using Microsoft.Extensions.Time.Testing;

namespace ConvAi.Telephony.Tests.Webhooks;

/// <summary>Behaviour of the in-memory store beyond the shared contract: expired claims are swept on a clock.</summary>
public class InMemoryWebhookDeliveryStoreTests
{
    [Test]
    public async Task TryClaimAsync_ClaimsExpiredBeforeTheNextSweep_RemovedOnceTheMinuteHasPassed()
    {
        var time = new FakeTimeProvider(WebhookFixtures.Now);
        var store = new InMemoryWebhookDeliveryStore(time);
        await store.TryClaimAsync("a", TimeSpan.FromSeconds(30));
        await store.TryClaimAsync("b", TimeSpan.FromSeconds(30));

        time.Advance(TimeSpan.FromSeconds(45));
        await store.TryClaimAsync("c", TimeSpan.FromMinutes(5));
        var beforeSweep = store.Count;

        time.Advance(TimeSpan.FromSeconds(20));
        await store.TryClaimAsync("d", TimeSpan.FromMinutes(5));

        Assert.Multiple(() =>
        {
            Assert.That(beforeSweep, Is.EqualTo(3), "a and b expired, but the sweep is not due for a minute");
            Assert.That(store.Count, Is.EqualTo(2), "the sweep a minute later removed a and b and kept c and d");
        });
    }

    [Test]
    public async Task TryClaimAsync_ExpiredClaimNotYetSwept_CanBeClaimedAgain()
    {
        var time = new FakeTimeProvider(WebhookFixtures.Now);
        var store = new InMemoryWebhookDeliveryStore(time);
        await store.TryClaimAsync("a", TimeSpan.FromSeconds(10));
        time.Advance(TimeSpan.FromSeconds(11));

        Assert.That(await store.TryClaimAsync("a", TimeSpan.FromSeconds(10)), Is.True);
    }

    [Test]
    public async Task TryClaimAsync_OverCapacity_ForgetsOldestKeyFirst()
    {
        var store = new InMemoryWebhookDeliveryStore(new FakeTimeProvider(WebhookFixtures.Now), capacity: 3);
        await store.MarkProcessedAsync("a", TimeSpan.FromDays(7));
        await store.TryClaimAsync("b", TimeSpan.FromHours(1));
        await store.MarkProcessedAsync("c", TimeSpan.FromDays(7));

        await store.TryClaimAsync("d", TimeSpan.FromHours(1));

        Assert.Multiple(async () =>
        {
            Assert.That(store.Count, Is.EqualTo(3));
            Assert.That(await store.IsProcessedAsync("a"), Is.False, "a was stored first, so it went first");
            Assert.That(await store.TryClaimAsync("b", TimeSpan.FromHours(1)), Is.False);
            Assert.That(await store.IsProcessedAsync("c"), Is.True);
        });
    }

    [Test]
    public async Task MarkProcessedAsync_KeyStoredAgain_CountsFromItsLatestStore()
    {
        var store = new InMemoryWebhookDeliveryStore(new FakeTimeProvider(WebhookFixtures.Now), capacity: 2);
        await store.TryClaimAsync("a", TimeSpan.FromHours(1));
        await store.TryClaimAsync("b", TimeSpan.FromHours(1));
        await store.MarkProcessedAsync("a", TimeSpan.FromDays(7));

        await store.TryClaimAsync("c", TimeSpan.FromHours(1));

        Assert.Multiple(async () =>
        {
            Assert.That(await store.IsProcessedAsync("a"), Is.True, "a was stored again after b");
            Assert.That(await store.TryClaimAsync("b", TimeSpan.FromHours(1)), Is.True, "b was the oldest");
        });
    }

    [TestCase(0)]
    [TestCase(-1)]
    public void Constructor_CapacityBelowOne_Throws(int capacity)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => _ = new InMemoryWebhookDeliveryStore(capacity: capacity));
    }

    public static IEnumerable<TestCaseData> EmptyKeyCalls()
    {
        yield return new TestCaseData((Func<InMemoryWebhookDeliveryStore, ValueTask>)(async s => await s.TryClaimAsync("", TimeSpan.FromMinutes(1)))).SetArgDisplayNames("TryClaimAsync");
        yield return new TestCaseData((Func<InMemoryWebhookDeliveryStore, ValueTask>)(async s => await s.RenewClaimAsync("", TimeSpan.FromMinutes(1)))).SetArgDisplayNames("RenewClaimAsync");
        yield return new TestCaseData((Func<InMemoryWebhookDeliveryStore, ValueTask>)(s => s.ReleaseAsync(""))).SetArgDisplayNames("ReleaseAsync");
        yield return new TestCaseData((Func<InMemoryWebhookDeliveryStore, ValueTask>)(s => s.MarkProcessedAsync("", TimeSpan.FromDays(1)))).SetArgDisplayNames("MarkProcessedAsync");
        yield return new TestCaseData((Func<InMemoryWebhookDeliveryStore, ValueTask>)(async s => await s.IsProcessedAsync(""))).SetArgDisplayNames("IsProcessedAsync");
        yield return new TestCaseData((Func<InMemoryWebhookDeliveryStore, ValueTask>)(async s => await s.GetCheckpointAsync(""))).SetArgDisplayNames("GetCheckpointAsync");
        yield return new TestCaseData((Func<InMemoryWebhookDeliveryStore, ValueTask>)(s => s.SetCheckpointAsync("", WebhookFixtures.Now))).SetArgDisplayNames("SetCheckpointAsync");
    }

    [TestCaseSource(nameof(EmptyKeyCalls))]
    public void EveryOperation_EmptyKeyOrName_ThrowsArgumentException(Func<InMemoryWebhookDeliveryStore, ValueTask> call)
    {
        var store = new InMemoryWebhookDeliveryStore(new FakeTimeProvider(WebhookFixtures.Now));

        Assert.ThrowsAsync<ArgumentException>(async () => await call(store));
    }

    [Test]
    public async Task Sweep_AtExactlyItsTime_RemovesWhatExpiresThen()
    {
        var time = new FakeTimeProvider(WebhookFixtures.Now);
        var store = new InMemoryWebhookDeliveryStore(time);
        await store.TryClaimAsync("a", TimeSpan.FromMinutes(1)); // the first call sweeps, the next sweep is due a minute later

        time.Advance(TimeSpan.FromMinutes(1));
        await store.TryClaimAsync("b", TimeSpan.FromMinutes(5));

        Assert.That(store.Count, Is.EqualTo(1), "the sweep due now removed a, which expired now");
    }

    [Test]
    public async Task MarkProcessedAsync_SweepDue_RemovesExpiredClaims()
    {
        var time = new FakeTimeProvider(WebhookFixtures.Now);
        var store = new InMemoryWebhookDeliveryStore(time);
        await store.TryClaimAsync("a", TimeSpan.FromSeconds(30));

        time.Advance(TimeSpan.FromMinutes(2));
        await store.MarkProcessedAsync("b", TimeSpan.FromDays(7));

        Assert.That(store.Count, Is.EqualTo(1));
    }

    [Test]
    public async Task Store_OneKeyReplacedManyTimes_EvictionOrderStaysBounded()
    {
        var store = new InMemoryWebhookDeliveryStore(new FakeTimeProvider(WebhookFixtures.Now));
        for (var i = 0; i < 5_000; i++)
        {
            await store.MarkProcessedAsync("a", TimeSpan.FromDays(7));
        }

        Assert.Multiple(() =>
        {
            Assert.That(store.Count, Is.EqualTo(1));
            Assert.That(store.OrderLength, Is.InRange(1, 2 * 1024 + 1), "stale entries are dropped once they outnumber live keys (at least 1,024)");
        });
    }

    [Test]
    public async Task Store_AfterTheEvictionOrderWasCompacted_OldestLiveKeyStillEvictedFirst()
    {
        var store = new InMemoryWebhookDeliveryStore(new FakeTimeProvider(WebhookFixtures.Now), capacity: 2_000);
        await store.MarkProcessedAsync("oldest", TimeSpan.FromDays(7));
        for (var i = 0; i < 3_000; i++)
        {
            await store.MarkProcessedAsync("replaced", TimeSpan.FromDays(7)); // compacts the order past 2,048 entries
        }

        for (var i = 0; i < 1_999; i++)
        {
            await store.MarkProcessedAsync($"new_{i}", TimeSpan.FromDays(7)); // one over the capacity
        }

        Assert.Multiple(async () =>
        {
            Assert.That(store.Count, Is.EqualTo(2_000));
            Assert.That(await store.IsProcessedAsync("oldest"), Is.False, "the compaction kept the oldest key first in the order");
            Assert.That(await store.IsProcessedAsync("replaced"), Is.True);
            Assert.That(await store.IsProcessedAsync("new_0"), Is.True);
        });
    }
}
