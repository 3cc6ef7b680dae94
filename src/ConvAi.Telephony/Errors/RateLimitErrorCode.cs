using System.Text.Json.Serialization;

namespace ConvAi.Telephony;

/// <summary>The error code of a 429 answer. Unknown values are kept as they are.</summary>
[JsonConverter(typeof(ExtensibleEnumConverter<RateLimitErrorCode>))]
public sealed partial class RateLimitErrorCode
{
    /// <summary>The plan's concurrency limit was exceeded (older docs). Wire value <c>too_many_concurrent_requests</c>.</summary>
    public static RateLimitErrorCode TooManyConcurrentRequests { get; } = new("too_many_concurrent_requests");

    /// <summary>The platform is overloaded; back off exponentially (older docs). Wire value <c>system_busy</c>.</summary>
    public static RateLimitErrorCode SystemBusy { get; } = new("system_busy");

    /// <summary>A rate limit was exceeded (newer docs). Wire value <c>rate_limit_exceeded</c>.</summary>
    public static RateLimitErrorCode RateLimitExceeded { get; } = new("rate_limit_exceeded");

    /// <summary>The concurrency limit was exceeded (newer docs). Wire value <c>concurrent_limit_exceeded</c>.</summary>
    public static RateLimitErrorCode ConcurrentLimitExceeded { get; } = new("concurrent_limit_exceeded");
}
