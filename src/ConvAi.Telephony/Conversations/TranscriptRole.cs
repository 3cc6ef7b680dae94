using System.Text.Json.Serialization;

namespace ConvAi.Telephony;

/// <summary>Who spoke a transcript entry. Unknown values are kept as they are.</summary>
[JsonConverter(typeof(ExtensibleEnumConverter<TranscriptRole>))]
public readonly struct TranscriptRole : IEquatable<TranscriptRole>, IExtensibleEnum<TranscriptRole>
{
    /// <summary>Initializes a new instance of the <see cref="TranscriptRole"/> struct.</summary>
    /// <param name="value">The wire value.</param>
    public TranscriptRole(string value) => Value = value ?? throw new ArgumentNullException(nameof(value));

    /// <summary>The person on the phone. Wire value <c>user</c>.</summary>
    public static TranscriptRole User { get; } = new("user");

    /// <summary>The AI agent. Wire value <c>agent</c>.</summary>
    public static TranscriptRole Agent { get; } = new("agent");

    /// <summary>Gets the value as sent on the wire.</summary>
    public string Value { get; }

    /// <summary>Compares two values for equality (ordinal).</summary>
    /// <param name="left">The first value.</param>
    /// <param name="right">The second value.</param>
    public static bool operator ==(TranscriptRole left, TranscriptRole right) => left.Equals(right);

    /// <summary>Compares two values for inequality (ordinal).</summary>
    /// <param name="left">The first value.</param>
    /// <param name="right">The second value.</param>
    public static bool operator !=(TranscriptRole left, TranscriptRole right) => !left.Equals(right);

    /// <summary>Converts a wire value to a <see cref="TranscriptRole"/>.</summary>
    /// <param name="value">The wire value.</param>
    public static implicit operator TranscriptRole(string value) => new(value);

    /// <summary>Creates a <see cref="TranscriptRole"/> from a wire value.</summary>
    /// <param name="value">The wire value.</param>
    /// <returns>The value.</returns>
    public static TranscriptRole FromString(string value) => new(value);

    static TranscriptRole IExtensibleEnum<TranscriptRole>.Create(string value) => new(value);

    /// <inheritdoc/>
    public bool Equals(TranscriptRole other) => string.Equals(Value, other.Value, StringComparison.Ordinal);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is TranscriptRole other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => Value is null ? 0 : StringComparer.Ordinal.GetHashCode(Value);

    /// <inheritdoc/>
    public override string ToString() => Value ?? string.Empty;
}
