using System.Text.Json.Serialization;

namespace ConvAi.Telephony.AspNetCore;

/// <summary>Why an outbound call could not be connected (<c>failure_reason</c>; note the hyphen in <c>no-answer</c>). Unknown values are kept as they are.</summary>
[JsonConverter(typeof(ExtensibleEnumConverter<CallInitiationFailureReason>))]
public readonly struct CallInitiationFailureReason : IEquatable<CallInitiationFailureReason>, IExtensibleEnum<CallInitiationFailureReason>
{
    /// <summary>Initializes a new instance of the <see cref="CallInitiationFailureReason"/> struct.</summary>
    /// <param name="value">The wire value.</param>
    public CallInitiationFailureReason(string value) => Value = value ?? throw new ArgumentNullException(nameof(value));

    /// <summary>The callee's line was busy. Wire value <c>busy</c>.</summary>
    public static CallInitiationFailureReason Busy { get; } = new("busy");

    /// <summary>The callee did not pick up. Wire value <c>no-answer</c>.</summary>
    public static CallInitiationFailureReason NoAnswer { get; } = new("no-answer");

    /// <summary>Any other failure, such as a connection error. Wire value <c>unknown</c>.</summary>
    public static CallInitiationFailureReason Unknown { get; } = new("unknown");

    /// <summary>Gets the value as sent on the wire.</summary>
    public string Value { get; }

    /// <summary>Compares two values for equality (ordinal).</summary>
    /// <param name="left">The first value.</param>
    /// <param name="right">The second value.</param>
    public static bool operator ==(CallInitiationFailureReason left, CallInitiationFailureReason right) => left.Equals(right);

    /// <summary>Compares two values for inequality (ordinal).</summary>
    /// <param name="left">The first value.</param>
    /// <param name="right">The second value.</param>
    public static bool operator !=(CallInitiationFailureReason left, CallInitiationFailureReason right) => !left.Equals(right);

    /// <summary>Converts a wire value to a <see cref="CallInitiationFailureReason"/>.</summary>
    /// <param name="value">The wire value.</param>
    public static implicit operator CallInitiationFailureReason(string value) => new(value);

    /// <summary>Creates a <see cref="CallInitiationFailureReason"/> from a wire value.</summary>
    /// <param name="value">The wire value.</param>
    /// <returns>The value.</returns>
    public static CallInitiationFailureReason FromString(string value) => new(value);

    static CallInitiationFailureReason IExtensibleEnum<CallInitiationFailureReason>.Create(string value) => new(value);

    /// <inheritdoc/>
    public bool Equals(CallInitiationFailureReason other) => string.Equals(Value, other.Value, StringComparison.Ordinal);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is CallInitiationFailureReason other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => Value is null ? 0 : StringComparer.Ordinal.GetHashCode(Value);

    /// <inheritdoc/>
    public override string ToString() => Value ?? string.Empty;
}
