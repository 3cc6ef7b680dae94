using ConvAi.Telephony.AspNetCore.Tests.Webhooks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace ConvAi.Telephony.Redis.Tests.Crash;

/// <summary>
/// A webhook receiver in queued mode on the Redis inbox and store, as an app would run it, on Kestrel 127.0.0.1. Its
/// handler counts each processing in Redis (<c>{prefix}processed:{conversation id}</c>, an <c>INCR</c>), so a test can
/// tell how often each delivery was processed across instances and processes. Started with <see cref="StopInHandler"/>
/// (Inline mode) its handler announces <see cref="StoppedLine"/> after its write and waits to be killed there.
/// </summary>
public static class CrashReceiver
{
    public const string Command = "crash-receiver";
    public const string ListeningPrefix = "listening ";
    public const string StoppedLine = "stopped in the handler";

    /// <summary>The child's fifth argument: Inline mode, and the handler stops after its write until the process is killed.</summary>
    public const string StopInHandler = "stop-in-handler";

    /// <summary>How long the handler works before its write: long enough for a backlog, so a kill lands mid-stream.</summary>
    public static readonly TimeSpan HandlerWork = TimeSpan.FromMilliseconds(10);

    /// <summary>After this long without renewal a killed instance's leases are reclaimed by the survivor.</summary>
    public static readonly TimeSpan ClaimIdleTime = TimeSpan.FromSeconds(2);

    /// <summary>After this long without renewal the claim of a handler killed mid-call ends, and a redelivery is processed.</summary>
    public static readonly TimeSpan ClaimLease = TimeSpan.FromSeconds(2);

    public const int ProcessorConcurrency = 4;

    public static string CounterKey(string prefix, string conversationId) => $"{prefix}processed:{conversationId}";

    public static async Task<WebApplication> StartAsync(string redis, string prefix, string consumer, ConvAiWebhookMode mode = ConvAiWebhookMode.Queued, bool stopInHandler = false)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel().UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var connection = await ConnectionMultiplexer.ConnectAsync(redis);
        builder.Services.AddSingleton<IConnectionMultiplexer>(connection);
        builder.Services.AddSingleton(new CrashCounter(prefix, stopInHandler));
        builder.Services
            .AddConvAiWebhooks(options =>
            {
                options.Secret = WebhookFixtures.Secret;
                options.Delivery.Mode = mode;
                options.Deduplication.KeyPrefix = prefix;
                options.Deduplication.ClaimLease = ClaimLease;
                options.Delivery.ProcessorConcurrency = ProcessorConcurrency;
            })
            .AddHandler<CountingHandler>()
            .UseRedis(services => services.GetRequiredService<IConnectionMultiplexer>());
        builder.Services.Configure<ConvAiWebhookRedisOptions>(options =>
        {
            options.KeyPrefix = prefix;
            options.ConsumerName = consumer;
            options.ClaimIdleTime = ClaimIdleTime;
            options.PollInterval = TimeSpan.FromMilliseconds(50);
        });
        var app = builder.Build();
        app.MapConvAiWebhooks("/webhooks/elevenlabs");
        await app.StartAsync();
        return app;
    }

    public static string Address(WebApplication app) =>
        app.Services.GetRequiredService<Microsoft.AspNetCore.Hosting.Server.IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();

    public sealed record CrashCounter(string Prefix, bool StopInHandler);

    /// <summary>Works a little, then records the processing (the app's own write, keyed by conversation id).</summary>
    public sealed class CountingHandler(IConnectionMultiplexer redis, CrashCounter counter) : ConvAiWebhookHandler
    {
        public override async Task OnPostCallTranscriptionAsync(PostCallTranscriptionEvent webhookEvent, CancellationToken cancellationToken = default)
        {
            await Task.Delay(HandlerWork, cancellationToken);
            await redis.GetDatabase().StringIncrementAsync(CounterKey(counter.Prefix, webhookEvent.ConversationId!));
            if (counter.StopInHandler)
            {
                Console.WriteLine(StoppedLine);
                Thread.Sleep(Timeout.Infinite); // killed here: the claim is neither renewed nor released, nothing is marked
            }
        }
    }
}
