using System.Net;
using ConvAi.Telephony.AspNetCore.Tests.Webhooks;
using ConvAi.Telephony.Shared;
using Microsoft.Extensions.DependencyInjection;
using StackExchange.Redis;

namespace ConvAi.Telephony.Redis.Tests.Webhooks;

/// <summary>The Redis store against the <see cref="IConvAiWebhookDeliveryStore"/> contract, on a real redis-server.</summary>
[NonParallelizable]
public class RedisWebhookDeliveryStoreTests : SharedWebhookDeliveryStoreContractTests
{
    private RedisServer _redis = null!;

    protected override TimeSpan ShortLifetime => TimeSpan.FromMilliseconds(50);

    [OneTimeSetUp]
    public async Task StartRedis() => _redis = await RedisServer.StartAsync();

    [OneTimeTearDown]
    public async Task StopRedis() => await (_redis?.DisposeAsync() ?? ValueTask.CompletedTask);

    [SetUp]
    public void SetUp() => Store = new RedisWebhookDeliveryStore(_redis.Connection);

    protected override IConvAiWebhookDeliveryStore OpenOtherProcess() => new RedisWebhookDeliveryStore(_redis.Connection);

    /// <summary>Redis keeps its own clock: waits (polling, bounded) until Redis expired the key.</summary>
    protected override async Task LetExpireAsync(string key)
    {
        var database = _redis.Connection.GetDatabase();
        for (var i = 0; i < 100 && await database.KeyExistsAsync(key); i++)
        {
            await Task.Delay(20);
        }
    }

    [TestCase(7 * 24 * 60)]
    [TestCase(30)]
    public async Task MarkProcessedAsync_Horizon_IsTheKeysTimeToLive(int minutes)
    {
        var key = NewKey();
        await Store.TryClaimAsync(key, TimeSpan.FromMinutes(1));

        await Store.MarkProcessedAsync(key, TimeSpan.FromMinutes(minutes));

        var database = _redis.Connection.GetDatabase();
        var ttl = await database.KeyTimeToLiveAsync(key);
        Assert.Multiple(async () =>
        {
            Assert.That(ttl, Is.Not.Null);
            Assert.That(ttl!.Value, Is.LessThanOrEqualTo(TimeSpan.FromMinutes(minutes)).And.GreaterThan(TimeSpan.FromMinutes(minutes) - TimeSpan.FromMinutes(1)));
            Assert.That((string?)await database.StringGetAsync(key), Is.EqualTo("processed"));
        });
    }

    [Test]
    public async Task TryClaimAsync_Expiry_IsTheClaimsTimeToLive()
    {
        var key = NewKey();

        await Store.TryClaimAsync(key, TimeSpan.FromMinutes(10));

        var ttl = await _redis.Connection.GetDatabase().KeyTimeToLiveAsync(key);
        Assert.That(ttl!.Value, Is.LessThanOrEqualTo(TimeSpan.FromMinutes(10)).And.GreaterThan(TimeSpan.FromMinutes(9)));
    }
}

/// <summary>Two app instances sharing one Redis: each delivery is dispatched once across both.</summary>
[NonParallelizable]
public class RedisWebhookDeliveryTests
{
    private RedisServer _redis = null!;

    [OneTimeSetUp]
    public async Task StartRedis() => _redis = await RedisServer.StartAsync();

    [OneTimeTearDown]
    public async Task StopRedis() => await (_redis?.DisposeAsync() ?? ValueTask.CompletedTask);

    private string _prefix = null!;

    /// <summary>Each test gets its own key prefix: the tests share one Redis and post the same events.</summary>
    [SetUp]
    public void NewPrefix() => _prefix = $"test:{Guid.NewGuid():N}:";

    [TestCase(WebhookSurface.Endpoint)]
    [TestCase(WebhookSurface.MarkedEndpoint)]
    public async Task Post_SameDeliveryToTwoInstancesConcurrently_DispatchedOnce(WebhookSurface surface)
    {
        await using var first = await StartInstanceAsync(surface);
        await using var second = await StartInstanceAsync(surface);
        var body = WebhookFixtures.Load("post_call_transcription.json");
        var signature = WebhookFixtures.Sign(body, at: WebhookFixtures.Now.AddSeconds((int)surface));

        var statuses = await Task.WhenAll(Enumerable.Range(0, 10).Select(i => Task.Run(() => (i % 2 == 0 ? first : second).PostAsync(body, signature))));

        Assert.Multiple(() =>
        {
            Assert.That(statuses, Is.All.EqualTo(HttpStatusCode.OK));
            Assert.That(first.Recorder.Events.Count + second.Recorder.Events.Count, Is.EqualTo(1));
        });
    }

    [Test]
    public async Task Post_HandlerFailsOnOneInstance_SharedInboxRetriesOnceAndRedeliveryIgnored()
    {
        await using var first = await StartInstanceAsync(WebhookSurface.Endpoint);
        await using var second = await StartInstanceAsync(WebhookSurface.Endpoint);
        var body = WebhookFixtures.Load("call_initiation_failure_twilio.json");
        first.Recorder.FailuresToThrow = 1;

        var failed = await first.PostAsync(body, WebhookFixtures.Sign(body));
        await WebhookTestHost.EventuallyAsync(() => first.Recorder.Events.Count + second.Recorder.Events.Count >= 1);
        var resigned = await second.PostAsync(body, WebhookFixtures.Sign(body, at: WebhookFixtures.Now.AddSeconds(30)));

        Assert.Multiple(() =>
        {
            Assert.That(failed, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(resigned, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(first.Recorder.Events.Count + second.Recorder.Events.Count, Is.EqualTo(1), "retried once through the shared inbox, by either instance");
        });
    }

    [Test]
    public async Task UseRedis_ConnectionFactory_UsesItForStoreAndInbox()
    {
        var connection = await _redis.ConnectAsync();
        await using var host = await WebhookTestHost.StartAsync(
            WebhookSurface.Endpoint,
            webhooks: builder => builder.UseRedis(_ => connection),
            configure: null);
        var body = WebhookFixtures.Load("unknown_type.json");

        await host.PostAsync(body, WebhookFixtures.Sign(body));

        var keys = _redis is null ? [] : connection.GetServer($"127.0.0.1:{_redis.Port}").Keys(pattern: "convai:webhook:voice_removal_notice:jkl").ToArray();
        Assert.Multiple(() =>
        {
            Assert.That(host.Services.GetRequiredService<IConvAiWebhookDeliveryStore>(), Is.TypeOf<RedisWebhookDeliveryStore>());
            Assert.That(host.Services.GetRequiredService<IConvAiWebhookInbox>(), Is.TypeOf<RedisWebhookInbox>());
            Assert.That(keys, Has.Length.EqualTo(1));
        });
        await connection.DisposeAsync();
    }

    [Test]
    public async Task Post_RedisUnreachable_Answers503ThenRetrySucceedsOnceRedisIsBack()
    {
        var port = RedisServer.FreePort();
        await using var host = await WebhookTestHost.StartAsync(
            WebhookSurface.Endpoint,
            webhooks: builder => builder.UseRedis(options => options.Configuration = $"127.0.0.1:{port},connectTimeout=1000,connectRetry=0,abortConnect=false"));
        var body = WebhookFixtures.Load("post_call_transcription.json");
        var signature = WebhookFixtures.Sign(body);

        var whileDown = await host.PostAsync(body, signature);
        await using var redis = await RedisServer.StartAsync(port);
        var afterRecovery = await host.PostAsync(body, signature);

        Assert.Multiple(() =>
        {
            Assert.That(whileDown, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
            Assert.That(afterRecovery, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(host.Recorder.Events, Has.Count.EqualTo(1));
            Assert.That(host.Logs.GetSnapshot().Any(r => r.Id.Id == 4006), Is.True);
        });
    }

    private Task<WebhookTestHost> StartInstanceAsync(WebhookSurface surface) =>
        WebhookTestHost.StartAsync(
            surface,
            options => options.Deduplication.KeyPrefix = _prefix,
            webhooks: builder => builder.UseRedis(options =>
            {
                options.Configuration = _redis.Configuration;
                options.KeyPrefix = _prefix;
            }));
}
