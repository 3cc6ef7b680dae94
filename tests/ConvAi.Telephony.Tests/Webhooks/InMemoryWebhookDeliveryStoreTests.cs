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
}
