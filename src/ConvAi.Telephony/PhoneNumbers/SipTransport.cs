using System.Text.Json.Serialization;

namespace ConvAi.Telephony;

/// <summary>The SIP transport protocol of a trunk. Unknown values are kept as they are.</summary>
[JsonConverter(typeof(ExtensibleEnumConverter<SipTransport>))]
public readonly struct SipTransport : IEquatable<SipTransport>, IExtensibleEnum<SipTransport>
{
    /// <summary>Initializes a new instance of the <see cref="SipTransport"/> struct.</summary>
    /// <param name="value">The wire value.</param>
    public SipTransport(string value) => Value = value ?? throw new ArgumentNullException(nameof(value));

    /// <summary>The transport is chosen automatically. Wire value <c>auto</c>.</summary>
    public static SipTransport Auto { get; } = new("auto");

    /// <summary>SIP over UDP. Wire value <c>udp</c>.</summary>
    public static SipTransport Udp { get; } = new("udp");

    /// <summary>SIP over TCP. Wire value <c>tcp</c>.</summary>
    public static SipTransport Tcp { get; } = new("tcp");

    /// <summary>SIP over TLS. Wire value <c>tls</c>.</summary>
    public static SipTransport Tls { get; } = new("tls");

    /// <summary>Gets the value as sent on the wire.</summary>
    public string Value { get; }

    /// <summary>Compares two values for equality (ordinal).</summary>
    /// <param name="left">The first value.</param>
    /// <param name="right">The second value.</param>
    public static bool operator ==(SipTransport left, SipTransport right) => left.Equals(right);

    /// <summary>Compares two values for inequality (ordinal).</summary>
    /// <param name="left">The first value.</param>
    /// <param name="right">The second value.</param>
    public static bool operator !=(SipTransport left, SipTransport right) => !left.Equals(right);

    /// <summary>Converts a wire value to a <see cref="SipTransport"/>.</summary>
    /// <param name="value">The wire value.</param>
    public static implicit operator SipTransport(string value) => new(value);

    /// <summary>Creates a <see cref="SipTransport"/> from a wire value.</summary>
    /// <param name="value">The wire value.</param>
    /// <returns>The value.</returns>
    public static SipTransport FromString(string value) => new(value);

    static SipTransport IExtensibleEnum<SipTransport>.Create(string value) => new(value);

    /// <inheritdoc/>
    public bool Equals(SipTransport other) => string.Equals(Value, other.Value, StringComparison.Ordinal);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is SipTransport other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => Value is null ? 0 : StringComparer.Ordinal.GetHashCode(Value);

    /// <inheritdoc/>
    public override string ToString() => Value ?? string.Empty;
}
