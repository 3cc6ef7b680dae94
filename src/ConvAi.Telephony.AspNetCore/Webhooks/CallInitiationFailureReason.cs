using System.Text.Json.Serialization;

namespace ConvAi.Telephony.AspNetCore;

/// <summary>
/// Why an outbound call could not be connected (<c>failure_reason</c> of <c>call_initiation_failure</c>).
/// Extensible: values this version does not know are kept as-is.
/// </summary>
[JsonConverter(typeof(StringValueJsonConverter<CallInitiationFailureReason>))]
public readonly struct CallInitiationFailureReason : IEquatable<CallInitiationFailureReason>, IStringValue<CallInitiationFailureReason>
{
    private readonly string? _value;

    /// <summary>Creates a value from its wire form.</summary>
    /// <param name="value">The wire value, e.g. <c>no-answer</c>.</param>
    public CallInitiationFailureReason(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        _value = value;
    }

    /// <summary>The callee's line was busy.</summary>
    public static CallInitiationFailureReason Busy { get; } = new("busy");

    /// <summary>The callee did not pick up (wire value <c>no-answer</c>, with a hyphen).</summary>
    public static CallInitiationFailureReason NoAnswer { get; } = new("no-answer");

    /// <summary>Any other failure, such as a connection error.</summary>
    public static CallInitiationFailureReason Unknown { get; } = new("unknown");

    /// <summary>The wire value; empty for a default instance.</summary>
    public string Value => _value ?? string.Empty;

    /// <summary>Compares two values by their wire form (ordinal).</summary>
    public static bool operator ==(CallInitiationFailureReason left, CallInitiationFailureReason right) => left.Equals(right);

    /// <summary>Compares two values by their wire form (ordinal).</summary>
    public static bool operator !=(CallInitiationFailureReason left, CallInitiationFailureReason right) => !left.Equals(right);

    /// <inheritdoc />
    public bool Equals(CallInitiationFailureReason other) => string.Equals(Value, other.Value, StringComparison.Ordinal);

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is CallInitiationFailureReason other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Value);

    /// <inheritdoc />
    public override string ToString() => Value;

    static CallInitiationFailureReason IStringValue<CallInitiationFailureReason>.FromValue(string value) => new(value);
}
