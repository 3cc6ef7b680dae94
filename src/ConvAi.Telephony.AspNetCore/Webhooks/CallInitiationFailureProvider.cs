using System.Text.Json.Serialization;

namespace ConvAi.Telephony.AspNetCore;

/// <summary>
/// The telephony provider of a failed call (<c>metadata.type</c> of <c>call_initiation_failure</c>: <c>sip</c> or
/// <c>twilio</c>). Extensible: values this version does not know are kept as-is.
/// </summary>
[JsonConverter(typeof(StringValueJsonConverter<CallInitiationFailureProvider>))]
public readonly struct CallInitiationFailureProvider : IEquatable<CallInitiationFailureProvider>, IStringValue<CallInitiationFailureProvider>
{
    private readonly string? _value;

    /// <summary>Creates a value from its wire form.</summary>
    /// <param name="value">The wire value, e.g. <c>sip</c>.</param>
    public CallInitiationFailureProvider(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        _value = value;
    }

    /// <summary>A SIP trunk (wire value <c>sip</c>); the body is a <see cref="SipCallFailureDetails"/>.</summary>
    public static CallInitiationFailureProvider Sip { get; } = new("sip");

    /// <summary>Twilio; the body holds Twilio's status-callback parameters with PascalCase keys.</summary>
    public static CallInitiationFailureProvider Twilio { get; } = new("twilio");

    /// <summary>The wire value; empty for a default instance.</summary>
    public string Value => _value ?? string.Empty;

    /// <summary>Compares two values by their wire form (ordinal).</summary>
    public static bool operator ==(CallInitiationFailureProvider left, CallInitiationFailureProvider right) => left.Equals(right);

    /// <summary>Compares two values by their wire form (ordinal).</summary>
    public static bool operator !=(CallInitiationFailureProvider left, CallInitiationFailureProvider right) => !left.Equals(right);

    /// <inheritdoc />
    public bool Equals(CallInitiationFailureProvider other) => string.Equals(Value, other.Value, StringComparison.Ordinal);

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is CallInitiationFailureProvider other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Value);

    /// <inheritdoc />
    public override string ToString() => Value;

    static CallInitiationFailureProvider IStringValue<CallInitiationFailureProvider>.FromValue(string value) => new(value);
}
