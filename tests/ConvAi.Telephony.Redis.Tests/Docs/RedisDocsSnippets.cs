using ConvAi.Telephony.AspNetCore.Tests.Webhooks;
using ConvAi.Telephony.Shared;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using StackExchange.Redis;
using StackExchange.Redis.Profiling;

namespace ConvAi.Telephony.Redis.Tests.Docs;

/// <summary>The C# of docs/webhooks.md §12, docs/resilience.md (Redis) and the package README, compiled.</summary>
internal static class RedisDocsSnippets
{
    // 12. Redis
    public static void UseRedis(WebApplicationBuilder builder)
    {
        builder.Services.AddConvAiWebhooks().AddHandler<CallResultsHandler>()
            .UseRedis();   // ConvAi:Webhooks:Redis:* (or ConnectionStrings:Redis for the connection)
    }

    // 12. Redis: a connection of your own on the .NET thread pool
    public static void UseRedisOnTheThreadPool(WebApplicationBuilder builder)
    {
        var redis = ConfigurationOptions.Parse(builder.Configuration.GetConnectionString("Redis")!);
        redis.SocketManager = SocketManager.ThreadPool;
        builder.Services.AddSingleton<IConnectionMultiplexer>(ConnectionMultiplexer.Connect(redis));
        builder.Services.AddConvAiWebhooks().AddHandler<CallResultsHandler>()
            .UseRedis();   // uses the IConnectionMultiplexer registered above
    }

    // docs/resilience.md: "Share the limit across instances (Redis)", and the package README
    public static void UseRedisConcurrencyLimiter(WebApplicationBuilder builder)
    {
        // Every instance registers the same limit and key. The connection is the app's IConnectionMultiplexer, else ConnectionStrings:Redis.
        builder.Services.AddConvAiTelephony(builder.Configuration.GetSection("ConvAi"))
            .UseRedisConcurrencyLimiter(planConcurrencyLimit: 20, o => o.Key = "convai:workspace-a");
    }

    private sealed class CallResultsHandler(WebhookRecorder recorder) : ConvAiWebhookHandler
    {
        public override Task OnPostCallTranscriptionAsync(PostCallTranscriptionEvent webhookEvent, CancellationToken cancellationToken = default) =>
            recorder.RecordAsync(webhookEvent, cancellationToken);
    }
}

/// <summary>Runs the documented registration: where the connection comes from, and the start-up error without one.</summary>
public class RedisDocsSnippetsTests
{
    private static WebApplicationBuilder Builder(params (string Key, string Value)[] settings)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Configuration.AddInMemoryCollection(
            settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value)).Append(new("WEBHOOK_SECRET", WebhookFixtures.Secret)));
        builder.Services.AddSingleton<WebhookRecorder>();
        return builder;
    }

    [TestCase("ConnectionStrings:Redis")]
    [TestCase("ConvAi:Webhooks:Redis:Configuration")]
    public async Task UseRedis_ConnectionConfigured_RegistersRedisStoreAndInbox(string key)
    {
        var builder = Builder((key, "127.0.0.1:1,abortConnect=false"), ("ConvAi:Webhooks:Redis:ConsumerName", "web-1"));
        RedisDocsSnippets.UseRedis(builder);
        await using var app = builder.Build();

        var options = app.Services.GetRequiredService<IOptions<ConvAiWebhookRedisOptions>>().Value;
        Assert.Multiple(() =>
        {
            Assert.That(app.Services.GetRequiredService<IConvAiWebhookDeliveryStore>(), Is.TypeOf<RedisWebhookDeliveryStore>());
            Assert.That(app.Services.GetRequiredService<IConvAiWebhookInbox>(), Is.TypeOf<RedisWebhookInbox>());
            Assert.That(options.Configuration, Is.EqualTo("127.0.0.1:1,abortConnect=false"));
            Assert.That(options.ConsumerName, Is.EqualTo("web-1"));
        });
    }

    [Test]
    public async Task UseRedis_NoConnection_StartFailsNamingTheKeys()
    {
        var builder = Builder();
        RedisDocsSnippets.UseRedis(builder);
        await using var app = builder.Build();

        var exception = Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync());

        Assert.That(exception!.Message, Does.Contain("ConvAi:Webhooks:Redis:Configuration").And.Contain("ConnectionStrings:Redis"));
    }

    [Test]
    public async Task UseRedisOnTheThreadPool_ClaimsGoThroughTheRegisteredConnection()
    {
        await using var redis = await RedisServer.StartAsync();
        var builder = Builder(("ConnectionStrings:Redis", redis.Configuration));
        RedisDocsSnippets.UseRedisOnTheThreadPool(builder);
        await using var app = builder.Build();
        await using var connection = app.Services.GetRequiredService<IConnectionMultiplexer>(); // registered as an instance: the container does not dispose it
        var profiling = new ProfilingSession();
        connection.RegisterProfiler(() => profiling);
        var key = "convai:webhook:docs:" + Guid.NewGuid().ToString("N");

        var claimed = await app.Services.GetRequiredService<IConvAiWebhookDeliveryStore>().TryClaimAsync(key, TimeSpan.FromMinutes(1));

        Assert.Multiple(() =>
        {
            Assert.That(claimed, Is.True);
            Assert.That(profiling.FinishProfiling().Select(command => command.Command), Does.Contain("SET"), "the claim went through the connection the app registered");
            Assert.That(redis.Connection.GetDatabase().KeyExists(key), Is.True);
        });
    }

    [TestCase("ConvAi:Webhooks:Redis:ClaimIdleTime", "00:00:00")]
    [TestCase("ConvAi:Webhooks:Redis:MaxLength", "0")]
    [TestCase("ConvAi:Webhooks:Redis:ConsumerGroup", " ")]
    public async Task UseRedis_InvalidSetting_StartFailsNamingIt(string key, string value)
    {
        var builder = Builder(("ConnectionStrings:Redis", "127.0.0.1:1,abortConnect=false"), (key, value));
        RedisDocsSnippets.UseRedis(builder);
        await using var app = builder.Build();

        var exception = Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync());

        Assert.That(exception!.Message, Does.Contain(key));
    }
}
