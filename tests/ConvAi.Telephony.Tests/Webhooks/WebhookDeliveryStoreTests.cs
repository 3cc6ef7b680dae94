using Microsoft.Extensions.Time.Testing;

namespace ConvAi.Telephony.Tests.Webhooks;

/// <summary>The in-memory store against the contract, on a fake clock.</summary>
public class InMemoryWebhookDeliveryStoreContractTests : WebhookDeliveryStoreContractTests
{
    private FakeTimeProvider _time = null!;

    protected override TimeSpan ShortLifetime => TimeSpan.FromMinutes(1);

    [SetUp]
    public void SetUp()
    {
        _time = new FakeTimeProvider(WebhookFixtures.Now);
        Store = new InMemoryWebhookDeliveryStore(_time);
    }

    protected override Task LetExpireAsync(string key)
    {
        _time.Advance(ShortLifetime);
        return Task.CompletedTask;
    }

    [Test]
    public async Task MarkProcessedAsync_DefaultHorizon_KeptUntilSevenDaysPassed()
    {
        var key = NewKey();
        await Store.MarkProcessedAsync(key, TimeSpan.FromDays(7));

        _time.Advance(TimeSpan.FromDays(7) - TimeSpan.FromSeconds(1));
        var beforeHorizon = await Store.IsProcessedAsync(key);
        _time.Advance(TimeSpan.FromSeconds(1));

        Assert.Multiple(async () =>
        {
            Assert.That(beforeHorizon, Is.True);
            Assert.That(await Store.IsProcessedAsync(key), Is.False);
        });
    }
}
