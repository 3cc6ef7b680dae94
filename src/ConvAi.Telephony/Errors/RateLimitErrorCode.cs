using System.Text.Json.Serialization;

namespace ConvAi.Telephony;

/// <summary>The error code of a 429 answer. Unknown values are kept as they are.</summary>
[JsonConverter(typeof(ExtensibleEnumConverter<RateLimitErrorCode>))]
public readonly struct RateLimitErrorCode : IEquatable<RateLimitErrorCode>, IExtensibleEnum<RateLimitErrorCode>
{
    /// <summary>Initializes a new instance of the <see cref="RateLimitErrorCode"/> struct.</summary>
    /// <param name="value">The wire value.</param>
    public RateLimitErrorCode(string value) => Value = value ?? throw new ArgumentNullException(nameof(value));

    /// <summary>The plan's concurrency limit was exceeded (older docs). Wire value <c>too_many_concurrent_requests</c>.</summary>
    public static RateLimitErrorCode TooManyConcurrentRequests { get; } = new("too_many_concurrent_requests");

    /// <summary>The platform is overloaded; back off exponentially (older docs). Wire value <c>system_busy</c>.</summary>
    public static RateLimitErrorCode SystemBusy { get; } = new("system_busy");

    /// <summary>A rate limit was exceeded (newer docs). Wire value <c>rate_limit_exceeded</c>.</summary>
    public static RateLimitErrorCode RateLimitExceeded { get; } = new("rate_limit_exceeded");

    /// <summary>The concurrency limit was exceeded (newer docs). Wire value <c>concurrent_limit_exceeded</c>.</summary>
    public static RateLimitErrorCode ConcurrentLimitExceeded { get; } = new("concurrent_limit_exceeded");

    /// <summary>Gets the value as sent on the wire.</summary>
    public string Value { get; }

    /// <summary>Compares two values for equality (ordinal).</summary>
    /// <param name="left">The first value.</param>
    /// <param name="right">The second value.</param>
    public static bool operator ==(RateLimitErrorCode left, RateLimitErrorCode right) => left.Equals(right);

    /// <summary>Compares two values for inequality (ordinal).</summary>
    /// <param name="left">The first value.</param>
    /// <param name="right">The second value.</param>
    public static bool operator !=(RateLimitErrorCode left, RateLimitErrorCode right) => !left.Equals(right);

    /// <summary>Converts a wire value to a <see cref="RateLimitErrorCode"/>.</summary>
    /// <param name="value">The wire value.</param>
    public static implicit operator RateLimitErrorCode(string value) => new(value);

    /// <summary>Creates a <see cref="RateLimitErrorCode"/> from a wire value.</summary>
    /// <param name="value">The wire value.</param>
    /// <returns>The value.</returns>
    public static RateLimitErrorCode FromString(string value) => new(value);

    static RateLimitErrorCode IExtensibleEnum<RateLimitErrorCode>.Create(string value) => new(value);

    /// <inheritdoc/>
    public bool Equals(RateLimitErrorCode other) => string.Equals(Value, other.Value, StringComparison.Ordinal);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is RateLimitErrorCode other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => Value is null ? 0 : StringComparer.Ordinal.GetHashCode(Value);

    /// <inheritdoc/>
    public override string ToString() => Value ?? string.Empty;
}
