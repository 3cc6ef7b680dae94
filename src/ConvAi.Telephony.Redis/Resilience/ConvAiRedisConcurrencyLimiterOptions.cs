using StackExchange.Redis;

namespace ConvAi.Telephony.Redis;

/// <summary>
/// Settings of the concurrency limit that several app instances share through Redis (<c>UseRedisConcurrencyLimiter</c>).
/// Every instance that shares one limit uses the same <see cref="Key"/>, <see cref="PlanConcurrencyLimit"/> and
/// <see cref="QueueLimit"/>.
/// </summary>
public sealed class ConvAiRedisConcurrencyLimiterOptions
{
    /// <summary>
    /// The lifetime of a permit in Redis: RedisRateLimiting drops a permit this old on the next acquire by any instance,
    /// so a crashed instance's permits come back after it. A request must not hold a permit longer, so
    /// <see cref="ConvAiResilienceOptions.AttemptTimeout"/> must be shorter (it is checked when the client is created).
    /// </summary>
    public static readonly TimeSpan PermitLifetime = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Gets or sets the plan's concurrency limit: the most requests in flight at once across every instance that shares
    /// <see cref="Key"/>. Required, at least 1.
    /// </summary>
    public int PlanConcurrencyLimit { get; set; }

    /// <summary>
    /// Gets or sets how many requests may wait for a permit (default 1000). The queue is in Redis and shared: the limit counts
    /// the waiting requests of every instance. One more fails at once, unsent, with <c>Polly.RateLimiting.RateLimiterRejectedException</c>.
    /// </summary>
    public int QueueLimit { get; set; } = 1000;

    /// <summary>
    /// Gets or sets the name of the shared limit (default <c>convai-telephony</c>). Instances that use the same key share one
    /// limit; give each workspace (API key) its own. The Redis keys are <c>rl:cc:{key}</c> (permits in flight),
    /// <c>rl:cc:{key}:q</c> (waiting requests) and <c>rl:cc:{key}:stats</c>; the braces make them one Redis Cluster slot.
    /// </summary>
    public string Key { get; set; } = "convai-telephony";

    /// <summary>
    /// Gets or sets how often an instance with waiting requests asks Redis for a free permit (default 250 milliseconds).
    /// A permit released elsewhere is taken at the next poll.
    /// </summary>
    public TimeSpan QueuePollInterval { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>
    /// Gets or sets a function that returns the connection to use, called once per container; the app keeps owning that
    /// connection. When null (the default), an <see cref="IConnectionMultiplexer"/> registered in DI is used, else one opened
    /// from <see cref="Configuration"/>.
    /// </summary>
    public Func<IServiceProvider, IConnectionMultiplexer>? Connection { get; set; }

    /// <summary>
    /// Gets or sets the StackExchange.Redis configuration string, e.g. <c>localhost:6379</c>, used only when
    /// <see cref="Connection"/> is null and no <see cref="IConnectionMultiplexer"/> is registered; <c>ConnectionStrings:Redis</c>
    /// when empty. The limiter opens that connection once, closes it with the container, and does not fail at start-up while
    /// Redis is down (requests do, until it connects).
    /// </summary>
    public string? Configuration { get; set; }
}
