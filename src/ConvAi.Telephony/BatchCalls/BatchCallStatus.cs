using System.Text.Json.Serialization;

namespace ConvAi.Telephony;

/// <summary>The state of a batch call (note the underscore in <c>in_progress</c>). Unknown values are kept as they are.</summary>
[JsonConverter(typeof(ExtensibleEnumConverter<BatchCallStatus>))]
public readonly struct BatchCallStatus : IEquatable<BatchCallStatus>, IExtensibleEnum<BatchCallStatus>
{
    /// <summary>Initializes a new instance of the <see cref="BatchCallStatus"/> struct.</summary>
    /// <param name="value">The wire value.</param>
    public BatchCallStatus(string value) => Value = value ?? throw new ArgumentNullException(nameof(value));

    /// <summary>The batch waits for its scheduled time. Wire value <c>pending</c>.</summary>
    public static BatchCallStatus Pending { get; } = new("pending");

    /// <summary>The batch is dialling. Wire value <c>in_progress</c>.</summary>
    public static BatchCallStatus InProgress { get; } = new("in_progress");

    /// <summary>Every recipient was processed. Wire value <c>completed</c>.</summary>
    public static BatchCallStatus Completed { get; } = new("completed");

    /// <summary>The batch failed. Wire value <c>failed</c>.</summary>
    public static BatchCallStatus Failed { get; } = new("failed");

    /// <summary>The batch was cancelled. Wire value <c>cancelled</c>.</summary>
    public static BatchCallStatus Cancelled { get; } = new("cancelled");

    /// <summary>Gets the value as sent on the wire.</summary>
    public string Value { get; }

    /// <summary>Compares two values for equality (ordinal).</summary>
    /// <param name="left">The first value.</param>
    /// <param name="right">The second value.</param>
    public static bool operator ==(BatchCallStatus left, BatchCallStatus right) => left.Equals(right);

    /// <summary>Compares two values for inequality (ordinal).</summary>
    /// <param name="left">The first value.</param>
    /// <param name="right">The second value.</param>
    public static bool operator !=(BatchCallStatus left, BatchCallStatus right) => !left.Equals(right);

    /// <summary>Converts a wire value to a <see cref="BatchCallStatus"/>.</summary>
    /// <param name="value">The wire value.</param>
    public static implicit operator BatchCallStatus(string value) => new(value);

    /// <summary>Creates a <see cref="BatchCallStatus"/> from a wire value.</summary>
    /// <param name="value">The wire value.</param>
    /// <returns>The value.</returns>
    public static BatchCallStatus FromString(string value) => new(value);

    static BatchCallStatus IExtensibleEnum<BatchCallStatus>.Create(string value) => new(value);

    /// <inheritdoc/>
    public bool Equals(BatchCallStatus other) => string.Equals(Value, other.Value, StringComparison.Ordinal);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is BatchCallStatus other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => Value is null ? 0 : StringComparer.Ordinal.GetHashCode(Value);

    /// <inheritdoc/>
    public override string ToString() => Value ?? string.Empty;
}
