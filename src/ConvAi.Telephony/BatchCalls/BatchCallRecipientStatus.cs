using System.Text.Json.Serialization;

namespace ConvAi.Telephony;

/// <summary>The state of one recipient of a batch call. Unknown values are kept as they are.</summary>
[JsonConverter(typeof(ExtensibleEnumConverter<BatchCallRecipientStatus>))]
public readonly struct BatchCallRecipientStatus : IEquatable<BatchCallRecipientStatus>, IExtensibleEnum<BatchCallRecipientStatus>
{
    /// <summary>Initializes a new instance of the <see cref="BatchCallRecipientStatus"/> struct.</summary>
    /// <param name="value">The wire value.</param>
    public BatchCallRecipientStatus(string value) => Value = value ?? throw new ArgumentNullException(nameof(value));

    /// <summary>Not dialled yet. Wire value <c>pending</c>.</summary>
    public static BatchCallRecipientStatus Pending { get; } = new("pending");

    /// <summary>Handed to the telephony provider. Wire value <c>dispatched</c>.</summary>
    public static BatchCallRecipientStatus Dispatched { get; } = new("dispatched");

    /// <summary>The call is being set up. Wire value <c>initiated</c>.</summary>
    public static BatchCallRecipientStatus Initiated { get; } = new("initiated");

    /// <summary>The call is running. Wire value <c>in_progress</c>.</summary>
    public static BatchCallRecipientStatus InProgress { get; } = new("in_progress");

    /// <summary>The call finished. Wire value <c>completed</c>.</summary>
    public static BatchCallRecipientStatus Completed { get; } = new("completed");

    /// <summary>The call failed. Wire value <c>failed</c>.</summary>
    public static BatchCallRecipientStatus Failed { get; } = new("failed");

    /// <summary>The call was cancelled. Wire value <c>cancelled</c>.</summary>
    public static BatchCallRecipientStatus Cancelled { get; } = new("cancelled");

    /// <summary>The call reached voicemail. Wire value <c>voicemail</c>.</summary>
    public static BatchCallRecipientStatus Voicemail { get; } = new("voicemail");

    /// <summary>Gets the value as sent on the wire.</summary>
    public string Value { get; }

    /// <summary>Compares two values for equality (ordinal).</summary>
    /// <param name="left">The first value.</param>
    /// <param name="right">The second value.</param>
    public static bool operator ==(BatchCallRecipientStatus left, BatchCallRecipientStatus right) => left.Equals(right);

    /// <summary>Compares two values for inequality (ordinal).</summary>
    /// <param name="left">The first value.</param>
    /// <param name="right">The second value.</param>
    public static bool operator !=(BatchCallRecipientStatus left, BatchCallRecipientStatus right) => !left.Equals(right);

    /// <summary>Converts a wire value to a <see cref="BatchCallRecipientStatus"/>.</summary>
    /// <param name="value">The wire value.</param>
    public static implicit operator BatchCallRecipientStatus(string value) => new(value);

    /// <summary>Creates a <see cref="BatchCallRecipientStatus"/> from a wire value.</summary>
    /// <param name="value">The wire value.</param>
    /// <returns>The value.</returns>
    public static BatchCallRecipientStatus FromString(string value) => new(value);

    static BatchCallRecipientStatus IExtensibleEnum<BatchCallRecipientStatus>.Create(string value) => new(value);

    /// <inheritdoc/>
    public bool Equals(BatchCallRecipientStatus other) => string.Equals(Value, other.Value, StringComparison.Ordinal);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is BatchCallRecipientStatus other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => Value is null ? 0 : StringComparer.Ordinal.GetHashCode(Value);

    /// <inheritdoc/>
    public override string ToString() => Value ?? string.Empty;
}
