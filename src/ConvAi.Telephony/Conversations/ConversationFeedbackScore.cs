using System.Text.Json.Serialization;

namespace ConvAi.Telephony;

/// <summary>A like or dislike given to a conversation or a message. Unknown values are kept as they are.</summary>
[JsonConverter(typeof(ExtensibleEnumConverter<ConversationFeedbackScore>))]
public readonly struct ConversationFeedbackScore : IEquatable<ConversationFeedbackScore>, IExtensibleEnum<ConversationFeedbackScore>
{
    /// <summary>Initializes a new instance of the <see cref="ConversationFeedbackScore"/> struct.</summary>
    /// <param name="value">The wire value.</param>
    public ConversationFeedbackScore(string value) => Value = value ?? throw new ArgumentNullException(nameof(value));

    /// <summary>Positive feedback. Wire value <c>like</c>.</summary>
    public static ConversationFeedbackScore Like { get; } = new("like");

    /// <summary>Negative feedback. Wire value <c>dislike</c>.</summary>
    public static ConversationFeedbackScore Dislike { get; } = new("dislike");

    /// <summary>Gets the value as sent on the wire.</summary>
    public string Value { get; }

    /// <summary>Compares two values for equality (ordinal).</summary>
    /// <param name="left">The first value.</param>
    /// <param name="right">The second value.</param>
    public static bool operator ==(ConversationFeedbackScore left, ConversationFeedbackScore right) => left.Equals(right);

    /// <summary>Compares two values for inequality (ordinal).</summary>
    /// <param name="left">The first value.</param>
    /// <param name="right">The second value.</param>
    public static bool operator !=(ConversationFeedbackScore left, ConversationFeedbackScore right) => !left.Equals(right);

    /// <summary>Converts a wire value to a <see cref="ConversationFeedbackScore"/>.</summary>
    /// <param name="value">The wire value.</param>
    public static implicit operator ConversationFeedbackScore(string value) => new(value);

    /// <summary>Creates a <see cref="ConversationFeedbackScore"/> from a wire value.</summary>
    /// <param name="value">The wire value.</param>
    /// <returns>The value.</returns>
    public static ConversationFeedbackScore FromString(string value) => new(value);

    static ConversationFeedbackScore IExtensibleEnum<ConversationFeedbackScore>.Create(string value) => new(value);

    /// <inheritdoc/>
    public bool Equals(ConversationFeedbackScore other) => string.Equals(Value, other.Value, StringComparison.Ordinal);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is ConversationFeedbackScore other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => Value is null ? 0 : StringComparer.Ordinal.GetHashCode(Value);

    /// <inheritdoc/>
    public override string ToString() => Value ?? string.Empty;
}
