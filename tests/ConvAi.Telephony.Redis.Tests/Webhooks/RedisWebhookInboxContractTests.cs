using ConvAi.Telephony.Shared;

namespace ConvAi.Telephony.Redis.Tests.Webhooks;

/// <summary>The Redis Streams inbox against the shared <see cref="IConvAiWebhookInbox"/> contract, on a real redis-server.</summary>
[NonParallelizable]
public class RedisWebhookInboxContractTests : WebhookInboxContractTests
{
    private readonly List<RedisWebhookInbox> _inboxes = [];
    private RedisServer _redis = null!;
    private string _prefix = null!;

    [OneTimeSetUp]
    public async Task StartRedis() => _redis = await RedisServer.StartAsync();

    [OneTimeTearDown]
    public async Task StopRedis() => await (_redis?.DisposeAsync() ?? ValueTask.CompletedTask);

    [SetUp]
    public void SetUp() => _prefix = $"contract:{Guid.NewGuid():N}:";

    [TearDown]
    public async Task TearDown()
    {
        foreach (var inbox in _inboxes)
        {
            await inbox.DisposeAsync();
        }

        _inboxes.Clear();
    }

    /// <summary>An instance of the shared inbox (same prefix and group, its own consumer name).</summary>
    protected override IConvAiWebhookInbox CreateInbox()
    {
        var inbox = new RedisWebhookInbox(
            _redis.Connection,
            new ConvAiWebhookRedisOptions
            {
                KeyPrefix = _prefix,
                ConsumerName = "consumer-" + _inboxes.Count,
                ClaimIdleTime = TimeSpan.FromMinutes(10),
                PollInterval = TimeSpan.FromMilliseconds(20),
            },
            Time);
        _inboxes.Add(inbox);
        return inbox;
    }
}
