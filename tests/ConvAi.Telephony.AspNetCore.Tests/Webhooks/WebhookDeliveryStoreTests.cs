using System.Net;
using ConvAi.Telephony.AspNetCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using StackExchange.Redis;

namespace ConvAi.Telephony.AspNetCore.Tests.Webhooks;

/// <summary>The same contract for the in-memory store and the Redis store (against a real redis-server).</summary>
[TestFixture("memory")]
[TestFixture("redis")]
[NonParallelizable]
public class WebhookDeliveryStoreTests(string kind)
{
    private RedisServer? _redis;
    private IConnectionMultiplexer? _connection;
    private FakeTimeProvider _time = null!;
    private IWebhookDeliveryStore _store = null!;

    [OneTimeSetUp]
    public async Task StartRedis()
    {
        if (kind == "redis")
        {
            _redis = await RedisServer.StartAsync();
            _connection = await _redis.ConnectAsync();
        }
    }

    [OneTimeTearDown]
    public async Task StopRedis()
    {
        if (_connection is not null)
        {
            await _connection.DisposeAsync();
        }

        if (_redis is not null)
        {
            await _redis.DisposeAsync();
        }
    }

    [SetUp]
    public void SetUp()
    {
        _time = new FakeTimeProvider(WebhookFixtures.Now);
        _store = kind == "redis" ? new RedisWebhookDeliveryStore(_connection!) : new InMemoryWebhookDeliveryStore(_time);
    }

    private static string NewKey() => "test:" + Guid.NewGuid().ToString("N");

    private async Task WaitUntilRedisExpiredAsync(string key)
    {
        var database = _connection!.GetDatabase();
        for (var i = 0; i < 100 && await database.KeyExistsAsync(key); i++)
        {
            await Task.Delay(20);
        }
    }

    [Test]
    public async Task TryClaimAsync_NewKey_Claims()
    {
        Assert.That(await _store.TryClaimAsync(NewKey(), TimeSpan.FromMinutes(1)), Is.True);
    }

    [Test]
    public async Task TryClaimAsync_ClaimedKey_Refused()
    {
        var key = NewKey();
        await _store.TryClaimAsync(key, TimeSpan.FromMinutes(1));

        Assert.That(await _store.TryClaimAsync(key, TimeSpan.FromMinutes(1)), Is.False);
    }

    [Test]
    public async Task ReleaseAsync_ClaimedKey_CanBeClaimedAgain()
    {
        var key = NewKey();
        await _store.TryClaimAsync(key, TimeSpan.FromMinutes(1));

        await _store.ReleaseAsync(key);

        Assert.That(await _store.TryClaimAsync(key, TimeSpan.FromMinutes(1)), Is.True);
    }

    [Test]
    public async Task TryClaimAsync_ConcurrentClaimsOfOneKey_ExactlyOneWins()
    {
        var key = NewKey();

        var results = await Task.WhenAll(Enumerable.Range(0, 64).Select(_ => Task.Run(async () => await _store.TryClaimAsync(key, TimeSpan.FromMinutes(1)))));

        Assert.That(results.Count(claimed => claimed), Is.EqualTo(1));
    }

    [Test]
    public async Task TryClaimAsync_AfterExpiry_ClaimsAgain()
    {
        var key = NewKey();
        if (kind == "redis")
        {
            // Redis keeps its own clock: use its real expiry and wait for the key to vanish.
            await _store.TryClaimAsync(key, TimeSpan.FromMilliseconds(50));
            await WaitUntilRedisExpiredAsync(key);
        }
        else
        {
            await _store.TryClaimAsync(key, TimeSpan.FromMinutes(1));
            Assert.That(await _store.TryClaimAsync(key, TimeSpan.FromMinutes(1)), Is.False);
            _time.Advance(TimeSpan.FromMinutes(1));
        }

        Assert.That(await _store.TryClaimAsync(key, TimeSpan.FromMinutes(1)), Is.True);
    }

    [Test]
    public async Task MarkProcessedAsync_ClaimedKey_RefusesClaimsAndSurvivesRelease()
    {
        var key = NewKey();
        await _store.TryClaimAsync(key, TimeSpan.FromMinutes(1));
        var processedWhileClaimed = await _store.IsProcessedAsync(key);

        await _store.MarkProcessedAsync(key, TimeSpan.FromDays(7));
        await _store.ReleaseAsync(key);

        Assert.Multiple(async () =>
        {
            Assert.That(processedWhileClaimed, Is.False, "a claim alone is not processed");
            Assert.That(await _store.IsProcessedAsync(key), Is.True);
            Assert.That(await _store.TryClaimAsync(key, TimeSpan.FromMinutes(1)), Is.False);
        });
    }

    [Test]
    public async Task MarkProcessedAsync_UnclaimedKey_Marks()
    {
        var key = NewKey();

        await _store.MarkProcessedAsync(key, TimeSpan.FromDays(7));

        Assert.Multiple(async () =>
        {
            Assert.That(await _store.IsProcessedAsync(key), Is.True);
            Assert.That(await _store.IsProcessedAsync(NewKey()), Is.False);
        });
    }

    [Test]
    public async Task MarkProcessedAsync_AfterHorizon_ForgottenAndClaimableAgain()
    {
        var key = NewKey();
        if (kind == "redis")
        {
            await _store.MarkProcessedAsync(key, TimeSpan.FromMilliseconds(50));
            await WaitUntilRedisExpiredAsync(key);
        }
        else
        {
            await _store.MarkProcessedAsync(key, TimeSpan.FromDays(7));
            _time.Advance(TimeSpan.FromDays(7) - TimeSpan.FromSeconds(1));
            Assert.That(await _store.IsProcessedAsync(key), Is.True, "kept until the horizon");
            _time.Advance(TimeSpan.FromSeconds(1));
        }

        Assert.Multiple(async () =>
        {
            Assert.That(await _store.IsProcessedAsync(key), Is.False);
            Assert.That(await _store.TryClaimAsync(key, TimeSpan.FromMinutes(1)), Is.True);
        });
    }

    [Test]
    public void TryClaimAsync_EmptyKey_ThrowsArgumentException()
    {
        var exception = Assert.ThrowsAsync<ArgumentException>(async () => await _store.TryClaimAsync("", TimeSpan.FromMinutes(1)));

        Assert.That(exception!.ParamName, Is.EqualTo("key"));
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
    public async Task StopRedis() => await _redis.DisposeAsync();

    private string _prefix = null!;

    /// <summary>Each test gets its own key prefix: the tests share one Redis and post the same events.</summary>
    [SetUp]
    public void NewPrefix() => _prefix = $"test:{Guid.NewGuid():N}:";

    [TestCase(WebhookSurface.Endpoint)]
    [TestCase(WebhookSurface.Middleware)]
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
    public async Task Post_HandlerFailsOnOneInstance_ItsInboxRetriesAndOtherInstanceIgnoresRedelivery()
    {
        await using var first = await StartInstanceAsync(WebhookSurface.Endpoint);
        await using var second = await StartInstanceAsync(WebhookSurface.Endpoint);
        var body = WebhookFixtures.Load("call_initiation_failure_twilio.json");
        first.Recorder.FailuresToThrow = 1;

        var failed = await first.PostAsync(body, WebhookFixtures.Sign(body));
        await first.WaitForEventsAsync(1);
        var resigned = await second.PostAsync(body, WebhookFixtures.Sign(body, at: WebhookFixtures.Now.AddSeconds(30)));

        Assert.Multiple(() =>
        {
            Assert.That(failed, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(resigned, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(first.Recorder.Events, Has.Count.EqualTo(1));
            Assert.That(second.Recorder.Events, Is.Empty);
        });
    }

    [Test]
    public async Task UseRedisDeliveryStore_ConnectionMultiplexerInDi_UsesIt()
    {
        var connection = await _redis.ConnectAsync();
        await using var host = await WebhookTestHost.StartAsync(
            WebhookSurface.Endpoint,
            webhooks: builder => builder.UseRedisDeliveryStore(),
            services: services => services.AddSingleton(connection));
        var body = WebhookFixtures.Load("unknown_type.json");

        await host.PostAsync(body, WebhookFixtures.Sign(body));

        var keys = _redis is null ? [] : connection.GetServer($"127.0.0.1:{_redis.Port}").Keys(pattern: "convai:webhook:voice_removal_notice:jkl").ToArray();
        Assert.Multiple(() =>
        {
            Assert.That(host.Services.GetRequiredService<IWebhookDeliveryStore>(), Is.TypeOf<RedisWebhookDeliveryStore>());
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
            webhooks: builder => builder.UseRedisDeliveryStore(options => options.Configuration = $"127.0.0.1:{port},connectTimeout=1000,connectRetry=0"));
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
            options => options.DeliveryKeyPrefix = _prefix,
            webhooks: builder => builder.UseRedisDeliveryStore(options => options.Configuration = _redis.Configuration));
}
