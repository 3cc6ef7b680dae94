using System.Text.Json.Serialization;

namespace ConvAi.Telephony;

/// <summary>The direction of a phone call. Unknown values are kept as they are.</summary>
[JsonConverter(typeof(ExtensibleEnumConverter<TelephonyDirection>))]
public readonly struct TelephonyDirection : IEquatable<TelephonyDirection>, IExtensibleEnum<TelephonyDirection>
{
    /// <summary>Initializes a new instance of the <see cref="TelephonyDirection"/> struct.</summary>
    /// <param name="value">The wire value.</param>
    public TelephonyDirection(string value) => Value = value ?? throw new ArgumentNullException(nameof(value));

    /// <summary>A call that the agent receives. Wire value <c>inbound</c>.</summary>
    public static TelephonyDirection Inbound { get; } = new("inbound");

    /// <summary>A call that the agent places. Wire value <c>outbound</c>.</summary>
    public static TelephonyDirection Outbound { get; } = new("outbound");

    /// <summary>Gets the value as sent on the wire.</summary>
    public string Value { get; }

    /// <summary>Compares two values for equality (ordinal).</summary>
    /// <param name="left">The first value.</param>
    /// <param name="right">The second value.</param>
    public static bool operator ==(TelephonyDirection left, TelephonyDirection right) => left.Equals(right);

    /// <summary>Compares two values for inequality (ordinal).</summary>
    /// <param name="left">The first value.</param>
    /// <param name="right">The second value.</param>
    public static bool operator !=(TelephonyDirection left, TelephonyDirection right) => !left.Equals(right);

    /// <summary>Converts a wire value to a <see cref="TelephonyDirection"/>.</summary>
    /// <param name="value">The wire value.</param>
    public static implicit operator TelephonyDirection(string value) => new(value);

    /// <summary>Creates a <see cref="TelephonyDirection"/> from a wire value.</summary>
    /// <param name="value">The wire value.</param>
    /// <returns>The value.</returns>
    public static TelephonyDirection FromString(string value) => new(value);

    static TelephonyDirection IExtensibleEnum<TelephonyDirection>.Create(string value) => new(value);

    /// <inheritdoc/>
    public bool Equals(TelephonyDirection other) => string.Equals(Value, other.Value, StringComparison.Ordinal);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is TelephonyDirection other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => Value is null ? 0 : StringComparer.Ordinal.GetHashCode(Value);

    /// <inheritdoc/>
    public override string ToString() => Value ?? string.Empty;
}
