using System.Text.Json.Serialization;

namespace ConvAi.Telephony;

/// <summary>The media stack that serves a SIP-trunk number. Unknown values are kept as they are.</summary>
[JsonConverter(typeof(ExtensibleEnumConverter<LivekitStack>))]
public readonly struct LivekitStack : IEquatable<LivekitStack>, IExtensibleEnum<LivekitStack>
{
    /// <summary>Initializes a new instance of the <see cref="LivekitStack"/> struct.</summary>
    /// <param name="value">The wire value.</param>
    public LivekitStack(string value) => Value = value ?? throw new ArgumentNullException(nameof(value));

    /// <summary>The standard stack. Wire value <c>standard</c>.</summary>
    public static LivekitStack Standard { get; } = new("standard");

    /// <summary>The stack with static IP addresses. Wire value <c>static</c>.</summary>
    public static LivekitStack Static { get; } = new("static");

    /// <summary>Gets the value as sent on the wire.</summary>
    public string Value { get; }

    /// <summary>Compares two values for equality (ordinal).</summary>
    /// <param name="left">The first value.</param>
    /// <param name="right">The second value.</param>
    public static bool operator ==(LivekitStack left, LivekitStack right) => left.Equals(right);

    /// <summary>Compares two values for inequality (ordinal).</summary>
    /// <param name="left">The first value.</param>
    /// <param name="right">The second value.</param>
    public static bool operator !=(LivekitStack left, LivekitStack right) => !left.Equals(right);

    /// <summary>Converts a wire value to a <see cref="LivekitStack"/>.</summary>
    /// <param name="value">The wire value.</param>
    public static implicit operator LivekitStack(string value) => new(value);

    /// <summary>Creates a <see cref="LivekitStack"/> from a wire value.</summary>
    /// <param name="value">The wire value.</param>
    /// <returns>The value.</returns>
    public static LivekitStack FromString(string value) => new(value);

    static LivekitStack IExtensibleEnum<LivekitStack>.Create(string value) => new(value);

    /// <inheritdoc/>
    public bool Equals(LivekitStack other) => string.Equals(Value, other.Value, StringComparison.Ordinal);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is LivekitStack other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => Value is null ? 0 : StringComparer.Ordinal.GetHashCode(Value);

    /// <inheritdoc/>
    public override string ToString() => Value ?? string.Empty;
}
