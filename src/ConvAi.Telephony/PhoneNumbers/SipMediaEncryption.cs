using System.Text.Json.Serialization;

namespace ConvAi.Telephony;

/// <summary>Whether a SIP trunk encrypts media (SRTP). Unknown values are kept as they are.</summary>
[JsonConverter(typeof(ExtensibleEnumConverter<SipMediaEncryption>))]
public readonly struct SipMediaEncryption : IEquatable<SipMediaEncryption>, IExtensibleEnum<SipMediaEncryption>
{
    /// <summary>Initializes a new instance of the <see cref="SipMediaEncryption"/> struct.</summary>
    /// <param name="value">The wire value.</param>
    public SipMediaEncryption(string value) => Value = value ?? throw new ArgumentNullException(nameof(value));

    /// <summary>Media is never encrypted. Wire value <c>disabled</c>.</summary>
    public static SipMediaEncryption Disabled { get; } = new("disabled");

    /// <summary>Media is encrypted when the other side supports it. Wire value <c>allowed</c>.</summary>
    public static SipMediaEncryption Allowed { get; } = new("allowed");

    /// <summary>Media must be encrypted. Wire value <c>required</c>.</summary>
    public static SipMediaEncryption Required { get; } = new("required");

    /// <summary>Gets the value as sent on the wire.</summary>
    public string Value { get; }

    /// <summary>Compares two values for equality (ordinal).</summary>
    /// <param name="left">The first value.</param>
    /// <param name="right">The second value.</param>
    public static bool operator ==(SipMediaEncryption left, SipMediaEncryption right) => left.Equals(right);

    /// <summary>Compares two values for inequality (ordinal).</summary>
    /// <param name="left">The first value.</param>
    /// <param name="right">The second value.</param>
    public static bool operator !=(SipMediaEncryption left, SipMediaEncryption right) => !left.Equals(right);

    /// <summary>Converts a wire value to a <see cref="SipMediaEncryption"/>.</summary>
    /// <param name="value">The wire value.</param>
    public static implicit operator SipMediaEncryption(string value) => new(value);

    /// <summary>Creates a <see cref="SipMediaEncryption"/> from a wire value.</summary>
    /// <param name="value">The wire value.</param>
    /// <returns>The value.</returns>
    public static SipMediaEncryption FromString(string value) => new(value);

    static SipMediaEncryption IExtensibleEnum<SipMediaEncryption>.Create(string value) => new(value);

    /// <inheritdoc/>
    public bool Equals(SipMediaEncryption other) => string.Equals(Value, other.Value, StringComparison.Ordinal);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is SipMediaEncryption other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => Value is null ? 0 : StringComparer.Ordinal.GetHashCode(Value);

    /// <inheritdoc/>
    public override string ToString() => Value ?? string.Empty;
}
