using System.Net;
using ConvAi.Telephony.Redis.Tests.Docs;
using ConvAi.Telephony.Shared;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Polly.RateLimiting;
using RedisRateLimiting;
using StackExchange.Redis;

namespace ConvAi.Telephony.Redis.Tests.Resilience;

/// <summary>
/// Two independent clients (two containers, two connections) sharing one concurrency limit through one real redis-server,
/// against one fake API that holds every request until the test answers it.
/// </summary>
[NonParallelizable]
public class RedisConcurrencyLimiterTests
{
    private static readonly TimeSpan WaitLimit = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(20);

    private RedisServer _redis = null!;
    private IConnectionMultiplexer _observerConnection = null!;
    private List<IConnectionMultiplexer> _ownedByTest = [];

    /// <summary>How each way of supplying the connection is wired.</summary>
    public enum ConnectionSource
    {
        /// <summary>An <see cref="IConnectionMultiplexer"/> registered in the container.</summary>
        Registered,

        /// <summary><see cref="ConvAiRedisConcurrencyLimiterOptions.Connection"/>.</summary>
        Option,

        /// <summary><see cref="ConvAiRedisConcurrencyLimiterOptions.Configuration"/>: the limiter opens and owns it.</summary>
        Configuration,

        /// <summary><c>ConnectionStrings:Redis</c>: the limiter opens and owns it.</summary>
        ConnectionString,
    }

    /// <summary>How a request that holds a permit ends without a placed call.</summary>
    public enum Failure
    {
        ServerError,
        ConnectionLost,
        Cancelled,
    }

    [OneTimeSetUp]
    public async Task StartRedis()
    {
        _redis = await RedisServer.StartAsync();
        _observerConnection = await _redis.ConnectAsync();
    }

    [OneTimeTearDown]
    public async Task StopRedis()
    {
        if (_observerConnection is not null)
        {
            await _observerConnection.DisposeAsync();
        }

        if (_redis is not null)
        {
            await _redis.DisposeAsync();
        }
    }

    [TearDown]
    public async Task CloseConnections()
    {
        foreach (var connection in _ownedByTest)
        {
            await connection.DisposeAsync();
        }

        _ownedByTest = [];
    }

    [TestCase(ConnectionSource.Registered, 3)]
    [TestCase(ConnectionSource.Option, 2)]
    [TestCase(ConnectionSource.Configuration, 1)]
    [TestCase(ConnectionSource.ConnectionString, 3)]
    public async Task TwoClients_ThreeTimesTheLimitEach_NeverExceedTheLimitTogether(ConnectionSource source, int limit)
    {
        var api = new GatedApi();
        var key = NewKey();
        await using var a = Client(api, "a", key, limit, queueLimit: 100, source);
        await using var b = Client(api, "b", key, limit, queueLimit: 100, source);
        var perClient = 3 * limit;

        var calls = Enumerable.Range(0, perClient).SelectMany(i => new[] { PlaceCall(a), PlaceCall(b) }).ToList();
        var answered = new List<string>();
        for (var done = 0; done < calls.Count; done++)
        {
            // Wait until the limit is used up (or all that is left is in), then answer the oldest request.
            var held = await api.WaitForHeldAsync(Math.Min(limit, calls.Count - done));
            answered.Add("conv_" + held[0].Id);
            Assert.That(held[0].Route, Is.EqualTo("POST /v1/convai/twilio/outbound-call"));
            api.Answer(held[0]);
        }

        var results = await Task.WhenAll(calls).WaitAsync(WaitLimit);
        Assert.Multiple(() =>
        {
            Assert.That(api.MaxInFlight, Is.EqualTo(limit), "the two clients together never had more than the plan's limit in flight");
            Assert.That(results.Select(r => r.ConversationId), Is.EquivalentTo(answered), "every call completed once answered");
            Assert.That(api.Requests, Is.EqualTo(new Dictionary<string, int> { ["a"] = perClient, ["b"] = perClient }), "each call sent once");
        });
        await AssertAllPermitsReturnedAsync(key, limit);
    }

    [TestCase(Failure.ServerError, typeof(ConvAiOutcomeUnknownException))]
    [TestCase(Failure.ConnectionLost, typeof(ConvAiOutcomeUnknownException))]
    [TestCase(Failure.Cancelled, typeof(OperationCanceledException))]
    public async Task PermitOfAFailedRequest_GoesToTheOtherClient(Failure failure, Type expected)
    {
        var api = new GatedApi();
        var key = NewKey();
        await using var a = Client(api, "a", key, limit: 1, queueLimit: 10, ConnectionSource.Registered);
        await using var b = Client(api, "b", key, limit: 1, queueLimit: 10, ConnectionSource.Registered);
        using var cancel = new CancellationTokenSource();

        var first = PlaceCall(a, cancel.Token);
        var held = (await api.WaitForHeldAsync(1)).Single();
        var second = PlaceCall(b);
        await WaitForAsync(() => Statistics(key, 1).CurrentQueuedCount == 1, "the second call waits in the shared queue");

        switch (failure)
        {
            case Failure.ServerError:
                api.Answer(held, HttpStatusCode.InternalServerError);
                break;
            case Failure.ConnectionLost:
                api.Drop(held);
                break;
            case Failure.Cancelled:
                api.Abandon(held);
                await cancel.CancelAsync();
                break;
        }

        Assert.That(async () => await first.WaitAsync(WaitLimit), Throws.InstanceOf(expected));
        var next = (await api.WaitForHeldAsync(1)).Single();
        api.Answer(next);
        var result = await second.WaitAsync(WaitLimit);
        Assert.Multiple(() =>
        {
            Assert.That((held.Client, next.Client), Is.EqualTo(("a", "b")));
            Assert.That(result.ConversationId, Is.EqualTo("conv_" + next.Id), "the freed permit was reused");
            Assert.That(api.MaxInFlight, Is.EqualTo(1));
            Assert.That(api.Requests, Is.EqualTo(new Dictionary<string, int> { ["a"] = 1, ["b"] = 1 }), "the failed call was not repeated");
        });
        await AssertAllPermitsReturnedAsync(key, 1);
    }

    [Test]
    public async Task QueueFull_FailsAtOnceUnsent_WithTheRejectionOfTheInProcessLimiter()
    {
        var api = new GatedApi();
        var key = NewKey();
        await using var a = Client(api, "a", key, limit: 1, queueLimit: 1, ConnectionSource.Registered);
        await using var b = Client(api, "b", key, limit: 1, queueLimit: 1, ConnectionSource.Registered);

        var first = PlaceCall(a);
        var held = (await api.WaitForHeldAsync(1)).Single();
        var queued = PlaceCall(b);
        await WaitForAsync(() => Statistics(key, 1).CurrentQueuedCount == 1, "the second call waits in the shared queue");

        Assert.That(async () => await PlaceCall(a).WaitAsync(WaitLimit), Throws.InstanceOf<RateLimiterRejectedException>(), "the queue is shared: a's own queue is empty");
        Assert.That(async () => await PlaceCall(b).WaitAsync(WaitLimit), Throws.InstanceOf<RateLimiterRejectedException>());

        api.Answer(held);
        api.Answer((await api.WaitForHeldAsync(1)).Single());
        await Task.WhenAll(first, queued).WaitAsync(WaitLimit);
        Assert.Multiple(() =>
        {
            Assert.That(api.Requests, Is.EqualTo(new Dictionary<string, int> { ["a"] = 1, ["b"] = 1 }), "a rejected call is never sent");
            Assert.That(api.MaxInFlight, Is.EqualTo(1));
        });
    }

    [Test]
    public async Task DocumentedRegistration_TakesPermitsUnderItsKeyThroughConnectionStringsRedis()
    {
        var api = new GatedApi();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Configuration.AddInMemoryCollection([new("ConnectionStrings:Redis", _redis.Configuration), new("ConvAi:ApiKey", "sk_docs")]);
        RedisDocsSnippets.UseRedisConcurrencyLimiter(builder);
        builder.Services.AddHttpClient("ConvAi.Telephony").ConfigurePrimaryHttpMessageHandler(() => api.For("docs"));
        await using var app = builder.Build();

        var call = PlaceCall(app.Services);
        var held = (await api.WaitForHeldAsync(1)).Single();
        var whileHeld = Statistics("convai:workspace-a", 20).CurrentAvailablePermits;
        api.Answer(held);
        await call.WaitAsync(WaitLimit);

        Assert.That(whileHeld, Is.EqualTo(19), "one of the plan's 20 permits taken in Redis under the documented key");
        await AssertAllPermitsReturnedAsync("convai:workspace-a", 20);
    }

    [Test]
    public async Task RedisDown_RequestFailsUnsent()
    {
        var api = new GatedApi();
        var services = new ServiceCollection();
        services.AddConvAiTelephony(o => o.ApiKey = "sk_a")
            .UseRedisConcurrencyLimiter(2, o => o.Configuration = $"127.0.0.1:{RedisServer.FreePort()},connectTimeout=1000")
            .HttpClientBuilder.ConfigurePrimaryHttpMessageHandler(() => api.For("a"));
        await using var provider = services.BuildServiceProvider();

        Assert.That(async () => await PlaceCall(provider).WaitAsync(WaitLimit), Throws.InstanceOf<RedisException>());
        Assert.That(api.Requests, Is.Empty, "without a permit nothing is sent");
    }

    [Test]
    public void NoConnection_CreatingTheClientFailsNamingTheSettings()
    {
        var services = new ServiceCollection();
        services.AddConvAiTelephony(o => o.ApiKey = "sk_a").UseRedisConcurrencyLimiter(2);
        using var provider = services.BuildServiceProvider();

        Assert.That(
            () => PlaceCall(provider),
            Throws.InvalidOperationException.With.Message.Contains("ConnectionStrings:Redis").And.Message.Contains("IConnectionMultiplexer"));
    }

    [Test]
    public void AttemptTimeoutNotShorterThanAPermitsLifetime_CreatingTheClientFails()
    {
        var services = new ServiceCollection();
        services.AddConvAiTelephony(o =>
            {
                o.ApiKey = "sk_a";
                o.Resilience.AttemptTimeout = ConvAiRedisConcurrencyLimiterOptions.PermitLifetime;
            })
            .UseRedisConcurrencyLimiter(2, o => o.Connection = _ => _observerConnection);
        using var provider = services.BuildServiceProvider();

        Assert.That(() => PlaceCall(provider), Throws.InvalidOperationException.With.Message.Contains("AttemptTimeout"));
    }

    [TestCase(0, 0, 1, "k")]
    [TestCase(1, -1, 1, "k")]
    [TestCase(1, 0, 0, "k")]
    [TestCase(1, 0, 1, " ")]
    public void UseRedisConcurrencyLimiter_OptionOutOfRange_Throws(int limit, int queueLimit, int pollMilliseconds, string key)
    {
        var builder = new ServiceCollection().AddConvAiTelephony(o => o.ApiKey = "sk_a");

        Assert.That(
            () => builder.UseRedisConcurrencyLimiter(limit, o =>
            {
                o.QueueLimit = queueLimit;
                o.QueuePollInterval = TimeSpan.FromMilliseconds(pollMilliseconds);
                o.Key = key;
            }),
            Throws.InstanceOf<ArgumentException>());
    }

    private static string NewKey() => "test-" + Guid.NewGuid().ToString("N");

    private static Task<TwilioCallResult> PlaceCall(IServiceProvider client, CancellationToken cancellationToken = default)
        => client.GetRequiredService<IConvAiTelephonyClient>().Calls.StartTwilioCallAsync(
            new StartTwilioCallRequest { AgentId = "agent_1", AgentPhoneNumberId = "phnum_1", ToNumber = "+15555550100" }, cancellationToken);

    private static async Task WaitForAsync(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + WaitLimit;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"Waited {WaitLimit}: {what}.");
            }

            await Task.Delay(Poll); // polling Redis for a state another client reaches, not a timing assertion
        }
    }

    private ServiceProvider Client(GatedApi api, string name, string key, int limit, int queueLimit, ConnectionSource source)
    {
        var services = new ServiceCollection();
        if (source == ConnectionSource.ConnectionString)
        {
            services.AddSingleton<IConfiguration>(new ConfigurationBuilder()
                .AddInMemoryCollection([new("ConnectionStrings:Redis", _redis.Configuration)]).Build());
        }

        if (source == ConnectionSource.Registered)
        {
            services.AddSingleton<IConnectionMultiplexer>(_ => ConnectionMultiplexer.Connect(_redis.Configuration));
        }

        var connection = source == ConnectionSource.Option ? ConnectionMultiplexer.Connect(_redis.Configuration) : null;
        if (connection is not null)
        {
            _ownedByTest.Add(connection); // the app keeps owning a connection it passes in
        }

        services.AddConvAiTelephony(o =>
            {
                o.ApiKey = "sk_" + name;
                o.Resilience.MaxRetryAttempts = 0;
            })
            .UseRedisConcurrencyLimiter(limit, o =>
            {
                o.Key = key;
                o.QueueLimit = queueLimit;
                o.QueuePollInterval = Poll;
                o.Connection = connection is null ? null : _ => connection;
                o.Configuration = source == ConnectionSource.Configuration ? _redis.Configuration : null;
            })
            .HttpClientBuilder.ConfigurePrimaryHttpMessageHandler(() => api.For(name));
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }

    /// <summary>The shared limit as Redis holds it, read through a third limiter on the same key.</summary>
    private System.Threading.RateLimiting.RateLimiterStatistics Statistics(string key, int limit)
    {
        using var observer = new RedisConcurrencyRateLimiter<string>(key, new RedisConcurrencyRateLimiterOptions
        {
            ConnectionMultiplexerFactory = () => _observerConnection,
            PermitLimit = limit,
            QueueLimit = 0,
        });
        return observer.GetStatistics()!;
    }

    /// <summary>Releases are sent without waiting for Redis: poll (bounded) until every permit is back.</summary>
    private Task AssertAllPermitsReturnedAsync(string key, int limit)
        => WaitForAsync(
            () => Statistics(key, limit) is { CurrentAvailablePermits: var available, CurrentQueuedCount: 0 } && available == limit,
            "every permit returned to Redis and nothing left waiting");

}
