namespace ConvAi.Telephony;

/// <summary>
/// Retry, timeout, circuit-breaker and concurrency settings (configuration section <c>ConvAi:Resilience</c>).
/// Call-placing requests are never retried after they may have reached the server, whatever these say.
/// See <c>docs/resilience.md</c> for what is retried and why.
/// </summary>
public sealed class ConvAiResilienceOptions
{
    /// <summary>Gets or sets the timeout of one attempt (default 30 seconds).</summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Gets or sets the timeout of a request with all its retries (default 2 minutes).</summary>
    public TimeSpan TotalTimeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Gets or sets the most retries after the first attempt (default 3; 0 disables retries).</summary>
    public int MaxRetryAttempts { get; set; } = 3;

    /// <summary>Gets or sets the base delay of the exponential backoff (default 1 second): about 1 s, 2 s, 4 s before jitter.</summary>
    public TimeSpan BaseDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Gets or sets the longest computed backoff delay (default 30 seconds). A <c>Retry-After</c> answer is capped by the remaining <see cref="TotalTimeout"/> instead.</summary>
    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Gets or sets a value indicating whether backoff delays are randomized (default true), so that many clients do not retry in step.</summary>
    public bool UseJitter { get; set; } = true;

    /// <summary>Gets or sets the failure ratio that opens the circuit (default 0.5).</summary>
    public double CircuitBreakerFailureRatio { get; set; } = 0.5;

    /// <summary>Gets or sets the fewest requests in a sampling window before the circuit can open (default 10).</summary>
    public int CircuitBreakerMinimumThroughput { get; set; } = 10;

    /// <summary>Gets or sets the sampling window of the circuit breaker (default 30 seconds).</summary>
    public TimeSpan CircuitBreakerSamplingDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Gets or sets how long the circuit stays open (default 15 seconds).</summary>
    public TimeSpan CircuitBreakerBreakDuration { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>
    /// Gets or sets the most requests in flight at once, e.g. the plan's <c>maximum-concurrent-requests</c>; null (the default) sets no limit.
    /// Requests over the limit wait in a queue (oldest first) instead of failing.
    /// </summary>
    public int? MaxConcurrentRequests { get; set; }

    /// <summary>
    /// Gets or sets how many requests may wait for a slot when <see cref="MaxConcurrentRequests"/> is set (default 1000).
    /// A request that finds the queue full fails at once with <c>Polly.RateLimiting.RateLimiterRejectedException</c>, without being sent.
    /// </summary>
    public int MaxQueuedRequests { get; set; } = 1000;
}
