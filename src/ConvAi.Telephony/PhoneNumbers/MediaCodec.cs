using System.Text.Json.Serialization;

namespace ConvAi.Telephony;

/// <summary>An audio codec a SIP trunk may offer. Unknown values are kept as they are.</summary>
[JsonConverter(typeof(ExtensibleEnumConverter<MediaCodec>))]
public readonly struct MediaCodec : IEquatable<MediaCodec>, IExtensibleEnum<MediaCodec>
{
    /// <summary>Initializes a new instance of the <see cref="MediaCodec"/> struct.</summary>
    /// <param name="value">The wire value.</param>
    public MediaCodec(string value) => Value = value ?? throw new ArgumentNullException(nameof(value));

    /// <summary>G.722 at 8 kHz. Wire value <c>G722/8000</c>.</summary>
    public static MediaCodec G722 { get; } = new("G722/8000");

    /// <summary>G.711 µ-law at 8 kHz. Wire value <c>PCMU/8000</c>.</summary>
    public static MediaCodec Pcmu { get; } = new("PCMU/8000");

    /// <summary>G.711 A-law at 8 kHz. Wire value <c>PCMA/8000</c>.</summary>
    public static MediaCodec Pcma { get; } = new("PCMA/8000");

    /// <summary>Gets the value as sent on the wire.</summary>
    public string Value { get; }

    /// <summary>Compares two values for equality (ordinal).</summary>
    /// <param name="left">The first value.</param>
    /// <param name="right">The second value.</param>
    public static bool operator ==(MediaCodec left, MediaCodec right) => left.Equals(right);

    /// <summary>Compares two values for inequality (ordinal).</summary>
    /// <param name="left">The first value.</param>
    /// <param name="right">The second value.</param>
    public static bool operator !=(MediaCodec left, MediaCodec right) => !left.Equals(right);

    /// <summary>Converts a wire value to a <see cref="MediaCodec"/>.</summary>
    /// <param name="value">The wire value.</param>
    public static implicit operator MediaCodec(string value) => new(value);

    /// <summary>Creates a <see cref="MediaCodec"/> from a wire value.</summary>
    /// <param name="value">The wire value.</param>
    /// <returns>The value.</returns>
    public static MediaCodec FromString(string value) => new(value);

    static MediaCodec IExtensibleEnum<MediaCodec>.Create(string value) => new(value);

    /// <inheritdoc/>
    public bool Equals(MediaCodec other) => string.Equals(Value, other.Value, StringComparison.Ordinal);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is MediaCodec other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => Value is null ? 0 : StringComparer.Ordinal.GetHashCode(Value);

    /// <inheritdoc/>
    public override string ToString() => Value ?? string.Empty;
}
