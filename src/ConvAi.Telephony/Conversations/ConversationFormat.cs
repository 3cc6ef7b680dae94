using System.Text.Json.Serialization;

namespace ConvAi.Telephony;

/// <summary>The format of a conversation returned by the get endpoint. Unknown values are kept as they are.</summary>
[JsonConverter(typeof(ExtensibleEnumConverter<ConversationFormat>))]
public readonly struct ConversationFormat : IEquatable<ConversationFormat>, IExtensibleEnum<ConversationFormat>
{
    /// <summary>Initializes a new instance of the <see cref="ConversationFormat"/> struct.</summary>
    /// <param name="value">The wire value.</param>
    public ConversationFormat(string value) => Value = value ?? throw new ArgumentNullException(nameof(value));

    /// <summary>Plain JSON (the default). Wire value <c>json</c>.</summary>
    public static ConversationFormat Json { get; } = new("json");

    /// <summary>JSON with OpenTelemetry traces in <c>otlp_traces</c>. Wire value <c>opentelemetry</c>.</summary>
    public static ConversationFormat OpenTelemetry { get; } = new("opentelemetry");

    /// <summary>Gets the value as sent on the wire.</summary>
    public string Value { get; }

    /// <summary>Compares two values for equality (ordinal).</summary>
    /// <param name="left">The first value.</param>
    /// <param name="right">The second value.</param>
    public static bool operator ==(ConversationFormat left, ConversationFormat right) => left.Equals(right);

    /// <summary>Compares two values for inequality (ordinal).</summary>
    /// <param name="left">The first value.</param>
    /// <param name="right">The second value.</param>
    public static bool operator !=(ConversationFormat left, ConversationFormat right) => !left.Equals(right);

    /// <summary>Converts a wire value to a <see cref="ConversationFormat"/>.</summary>
    /// <param name="value">The wire value.</param>
    public static implicit operator ConversationFormat(string value) => new(value);

    /// <summary>Creates a <see cref="ConversationFormat"/> from a wire value.</summary>
    /// <param name="value">The wire value.</param>
    /// <returns>The value.</returns>
    public static ConversationFormat FromString(string value) => new(value);

    static ConversationFormat IExtensibleEnum<ConversationFormat>.Create(string value) => new(value);

    /// <inheritdoc/>
    public bool Equals(ConversationFormat other) => string.Equals(Value, other.Value, StringComparison.Ordinal);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is ConversationFormat other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => Value is null ? 0 : StringComparer.Ordinal.GetHashCode(Value);

    /// <inheritdoc/>
    public override string ToString() => Value ?? string.Empty;
}
