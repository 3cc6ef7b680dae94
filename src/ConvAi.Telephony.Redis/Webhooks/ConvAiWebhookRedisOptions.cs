using System.Globalization;

namespace ConvAi.Telephony.Redis;

/// <summary>
/// Settings for the Redis delivery store and the Redis Streams inbox, bound from <c>ConvAi:Webhooks:Redis</c> by
/// <c>UseRedis</c>. Every instance that shares one inbox uses the same <see cref="KeyPrefix"/> and
/// <see cref="ConsumerGroup"/> and its own <see cref="ConsumerName"/>.
/// </summary>
public sealed class ConvAiWebhookRedisOptions
{
    /// <summary>The configuration section these options are bound from: <c>ConvAi:Webhooks:Redis</c>.</summary>
    public const string SectionName = "ConvAi:Webhooks:Redis";

    /// <summary>The connection string read when <see cref="Configuration"/> is not set: <c>ConnectionStrings:Redis</c>.</summary>
    public const string ConnectionStringName = "Redis";

    /// <summary>
    /// The StackExchange.Redis configuration string, e.g. <c>localhost:6379</c> (<c>ConvAi:Webhooks:Redis:Configuration</c>);
    /// <c>ConnectionStrings:Redis</c> when empty. Not used when <c>UseRedis</c> is given a connection.
    /// </summary>
    public string? Configuration { get; set; }

    /// <summary>
    /// The prefix of the inbox's keys: <c>{prefix}inbox</c> (the stream), <c>{prefix}delayed</c> and <c>{prefix}due</c>
    /// (deliveries waiting for a retry), <c>{prefix}dead</c> (the dead-letter stream). Default <c>convai:webhooks:</c>.
    /// On Redis Cluster put a hash tag in it (e.g. <c>{convai-webhooks}:</c>) so that the keys share one slot.
    /// </summary>
    public string KeyPrefix { get; set; } = "convai:webhooks:";

    /// <summary>The stream's consumer group, shared by every instance that processes the inbox. Default <c>convai-webhooks</c>.</summary>
    public string ConsumerGroup { get; set; } = "convai-webhooks";

    /// <summary>This instance's consumer name in the group; unique per instance. Default the machine name and process id.</summary>
    public string ConsumerName { get; set; } =
        string.Create(CultureInfo.InvariantCulture, $"{Environment.MachineName}:{Environment.ProcessId}");

    /// <summary>
    /// How long a leased delivery may go without a sign of life from its consumer before another instance reclaims it
    /// (<c>XAUTOCLAIM</c>): a crashed instance's deliveries are finished by another after this time. A live instance
    /// renews its leases every third of it, so a slow handler is not taken over. Default 15 seconds (renewed every 5).
    /// </summary>
    public TimeSpan ClaimIdleTime { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>How often an idle consumer looks for new, due or reclaimable deliveries. Default 250 milliseconds.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>
    /// The most deliveries the inbox holds (undelivered, leased or waiting for a retry); beyond it a new delivery is
    /// refused and the receiver answers 503. Default 100,000. Nothing is ever trimmed: a processed delivery is deleted
    /// from the stream, an unprocessed one stays until it is processed or dead-lettered; dead letters do not count.
    /// </summary>
    public int MaxLength { get; set; } = 100_000;
}
