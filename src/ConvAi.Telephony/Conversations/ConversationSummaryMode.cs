using System.Text.Json.Serialization;

namespace ConvAi.Telephony;

/// <summary>Whether the conversation list includes transcript summaries. Unknown values are kept as they are.</summary>
[JsonConverter(typeof(ExtensibleEnumConverter<ConversationSummaryMode>))]
public readonly struct ConversationSummaryMode : IEquatable<ConversationSummaryMode>, IExtensibleEnum<ConversationSummaryMode>
{
    /// <summary>Initializes a new instance of the <see cref="ConversationSummaryMode"/> struct.</summary>
    /// <param name="value">The wire value.</param>
    public ConversationSummaryMode(string value) => Value = value ?? throw new ArgumentNullException(nameof(value));

    /// <summary>Summaries are left out (the default). Wire value <c>exclude</c>.</summary>
    public static ConversationSummaryMode Exclude { get; } = new("exclude");

    /// <summary>Summaries are included. Wire value <c>include</c>.</summary>
    public static ConversationSummaryMode Include { get; } = new("include");

    /// <summary>Gets the value as sent on the wire.</summary>
    public string Value { get; }

    /// <summary>Compares two values for equality (ordinal).</summary>
    /// <param name="left">The first value.</param>
    /// <param name="right">The second value.</param>
    public static bool operator ==(ConversationSummaryMode left, ConversationSummaryMode right) => left.Equals(right);

    /// <summary>Compares two values for inequality (ordinal).</summary>
    /// <param name="left">The first value.</param>
    /// <param name="right">The second value.</param>
    public static bool operator !=(ConversationSummaryMode left, ConversationSummaryMode right) => !left.Equals(right);

    /// <summary>Converts a wire value to a <see cref="ConversationSummaryMode"/>.</summary>
    /// <param name="value">The wire value.</param>
    public static implicit operator ConversationSummaryMode(string value) => new(value);

    /// <summary>Creates a <see cref="ConversationSummaryMode"/> from a wire value.</summary>
    /// <param name="value">The wire value.</param>
    /// <returns>The value.</returns>
    public static ConversationSummaryMode FromString(string value) => new(value);

    static ConversationSummaryMode IExtensibleEnum<ConversationSummaryMode>.Create(string value) => new(value);

    /// <inheritdoc/>
    public bool Equals(ConversationSummaryMode other) => string.Equals(Value, other.Value, StringComparison.Ordinal);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is ConversationSummaryMode other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => Value is null ? 0 : StringComparer.Ordinal.GetHashCode(Value);

    /// <inheritdoc/>
    public override string ToString() => Value ?? string.Empty;
}
