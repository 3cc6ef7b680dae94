using System.Text.Json.Serialization;

namespace ConvAi.Telephony;

/// <summary>Whether ElevenLabs received or sent a SIP message. Unknown values are kept as they are.</summary>
[JsonConverter(typeof(ExtensibleEnumConverter<SipMessageDirection>))]
public readonly struct SipMessageDirection : IEquatable<SipMessageDirection>, IExtensibleEnum<SipMessageDirection>
{
    /// <summary>Initializes a new instance of the <see cref="SipMessageDirection"/> struct.</summary>
    /// <param name="value">The wire value.</param>
    public SipMessageDirection(string value) => Value = value ?? throw new ArgumentNullException(nameof(value));

    /// <summary>A message ElevenLabs received. Wire value <c>in</c>.</summary>
    public static SipMessageDirection In { get; } = new("in");

    /// <summary>A message ElevenLabs sent. Wire value <c>out</c>.</summary>
    public static SipMessageDirection Out { get; } = new("out");

    /// <summary>Gets the value as sent on the wire.</summary>
    public string Value { get; }

    /// <summary>Compares two values for equality (ordinal).</summary>
    /// <param name="left">The first value.</param>
    /// <param name="right">The second value.</param>
    public static bool operator ==(SipMessageDirection left, SipMessageDirection right) => left.Equals(right);

    /// <summary>Compares two values for inequality (ordinal).</summary>
    /// <param name="left">The first value.</param>
    /// <param name="right">The second value.</param>
    public static bool operator !=(SipMessageDirection left, SipMessageDirection right) => !left.Equals(right);

    /// <summary>Converts a wire value to a <see cref="SipMessageDirection"/>.</summary>
    /// <param name="value">The wire value.</param>
    public static implicit operator SipMessageDirection(string value) => new(value);

    /// <summary>Creates a <see cref="SipMessageDirection"/> from a wire value.</summary>
    /// <param name="value">The wire value.</param>
    /// <returns>The value.</returns>
    public static SipMessageDirection FromString(string value) => new(value);

    static SipMessageDirection IExtensibleEnum<SipMessageDirection>.Create(string value) => new(value);

    /// <inheritdoc/>
    public bool Equals(SipMessageDirection other) => string.Equals(Value, other.Value, StringComparison.Ordinal);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is SipMessageDirection other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => Value is null ? 0 : StringComparer.Ordinal.GetHashCode(Value);

    /// <inheritdoc/>
    public override string ToString() => Value ?? string.Empty;
}
