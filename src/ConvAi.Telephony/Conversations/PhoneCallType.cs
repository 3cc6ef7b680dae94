using System.Text.Json.Serialization;

namespace ConvAi.Telephony;

/// <summary>The telephony integration of a call in conversation metadata (note <c>sip_trunking</c>). Unknown values are kept as they are.</summary>
[JsonConverter(typeof(ExtensibleEnumConverter<PhoneCallType>))]
public readonly struct PhoneCallType : IEquatable<PhoneCallType>, IExtensibleEnum<PhoneCallType>
{
    /// <summary>Initializes a new instance of the <see cref="PhoneCallType"/> struct.</summary>
    /// <param name="value">The wire value.</param>
    public PhoneCallType(string value) => Value = value ?? throw new ArgumentNullException(nameof(value));

    /// <summary>A Twilio call. Wire value <c>twilio</c>.</summary>
    public static PhoneCallType Twilio { get; } = new("twilio");

    /// <summary>A SIP-trunk call. Wire value <c>sip_trunking</c>.</summary>
    public static PhoneCallType SipTrunking { get; } = new("sip_trunking");

    /// <summary>An Exotel call. Wire value <c>exotel</c>.</summary>
    public static PhoneCallType Exotel { get; } = new("exotel");

    /// <summary>Gets the value as sent on the wire.</summary>
    public string Value { get; }

    /// <summary>Compares two values for equality (ordinal).</summary>
    /// <param name="left">The first value.</param>
    /// <param name="right">The second value.</param>
    public static bool operator ==(PhoneCallType left, PhoneCallType right) => left.Equals(right);

    /// <summary>Compares two values for inequality (ordinal).</summary>
    /// <param name="left">The first value.</param>
    /// <param name="right">The second value.</param>
    public static bool operator !=(PhoneCallType left, PhoneCallType right) => !left.Equals(right);

    /// <summary>Converts a wire value to a <see cref="PhoneCallType"/>.</summary>
    /// <param name="value">The wire value.</param>
    public static implicit operator PhoneCallType(string value) => new(value);

    /// <summary>Creates a <see cref="PhoneCallType"/> from a wire value.</summary>
    /// <param name="value">The wire value.</param>
    /// <returns>The value.</returns>
    public static PhoneCallType FromString(string value) => new(value);

    static PhoneCallType IExtensibleEnum<PhoneCallType>.Create(string value) => new(value);

    /// <inheritdoc/>
    public bool Equals(PhoneCallType other) => string.Equals(Value, other.Value, StringComparison.Ordinal);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is PhoneCallType other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => Value is null ? 0 : StringComparer.Ordinal.GetHashCode(Value);

    /// <inheritdoc/>
    public override string ToString() => Value ?? string.Empty;
}
