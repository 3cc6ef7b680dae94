using System.Text.Json.Serialization;

namespace ConvAi.Telephony;

/// <summary>The state of a conversation (note the hyphen in <c>in-progress</c>). Unknown values are kept as they are.</summary>
[JsonConverter(typeof(ExtensibleEnumConverter<ConversationStatus>))]
public readonly struct ConversationStatus : IEquatable<ConversationStatus>, IExtensibleEnum<ConversationStatus>
{
    /// <summary>Initializes a new instance of the <see cref="ConversationStatus"/> struct.</summary>
    /// <param name="value">The wire value.</param>
    public ConversationStatus(string value) => Value = value ?? throw new ArgumentNullException(nameof(value));

    /// <summary>The conversation was created and the call is being set up. Wire value <c>initiated</c>.</summary>
    public static ConversationStatus Initiated { get; } = new("initiated");

    /// <summary>The conversation is running. Wire value <c>in-progress</c>.</summary>
    public static ConversationStatus InProgress { get; } = new("in-progress");

    /// <summary>The conversation ended and is being analysed. Wire value <c>processing</c>.</summary>
    public static ConversationStatus Processing { get; } = new("processing");

    /// <summary>The conversation is finished and analysed. Wire value <c>done</c>.</summary>
    public static ConversationStatus Done { get; } = new("done");

    /// <summary>The conversation failed. Wire value <c>failed</c>.</summary>
    public static ConversationStatus Failed { get; } = new("failed");

    /// <summary>Gets the value as sent on the wire.</summary>
    public string Value { get; }

    /// <summary>Compares two values for equality (ordinal).</summary>
    /// <param name="left">The first value.</param>
    /// <param name="right">The second value.</param>
    public static bool operator ==(ConversationStatus left, ConversationStatus right) => left.Equals(right);

    /// <summary>Compares two values for inequality (ordinal).</summary>
    /// <param name="left">The first value.</param>
    /// <param name="right">The second value.</param>
    public static bool operator !=(ConversationStatus left, ConversationStatus right) => !left.Equals(right);

    /// <summary>Converts a wire value to a <see cref="ConversationStatus"/>.</summary>
    /// <param name="value">The wire value.</param>
    public static implicit operator ConversationStatus(string value) => new(value);

    /// <summary>Creates a <see cref="ConversationStatus"/> from a wire value.</summary>
    /// <param name="value">The wire value.</param>
    /// <returns>The value.</returns>
    public static ConversationStatus FromString(string value) => new(value);

    static ConversationStatus IExtensibleEnum<ConversationStatus>.Create(string value) => new(value);

    /// <inheritdoc/>
    public bool Equals(ConversationStatus other) => string.Equals(Value, other.Value, StringComparison.Ordinal);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is ConversationStatus other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => Value is null ? 0 : StringComparer.Ordinal.GetHashCode(Value);

    /// <inheritdoc/>
    public override string ToString() => Value ?? string.Empty;
}
