using System.Text.Json.Serialization;

namespace ConvAi.Telephony.AspNetCore;

/// <summary>The provider of a failed call (<c>metadata.type</c> of <c>call_initiation_failure</c>; <c>sip</c>, not <c>sip_trunk</c>). Unknown values are kept as they are.</summary>
[JsonConverter(typeof(ExtensibleEnumConverter<CallInitiationFailureProvider>))]
public readonly struct CallInitiationFailureProvider : IEquatable<CallInitiationFailureProvider>, IExtensibleEnum<CallInitiationFailureProvider>
{
    /// <summary>Initializes a new instance of the <see cref="CallInitiationFailureProvider"/> struct.</summary>
    /// <param name="value">The wire value.</param>
    public CallInitiationFailureProvider(string value) => Value = value ?? throw new ArgumentNullException(nameof(value));

    /// <summary>A SIP trunk; the body is a <see cref="SipCallFailureDetails"/>. Wire value <c>sip</c>.</summary>
    public static CallInitiationFailureProvider Sip { get; } = new("sip");

    /// <summary>Twilio; the body holds Twilio's status-callback parameters with PascalCase keys. Wire value <c>twilio</c>.</summary>
    public static CallInitiationFailureProvider Twilio { get; } = new("twilio");

    /// <summary>Gets the value as sent on the wire.</summary>
    public string Value { get; }

    /// <summary>Compares two values for equality (ordinal).</summary>
    /// <param name="left">The first value.</param>
    /// <param name="right">The second value.</param>
    public static bool operator ==(CallInitiationFailureProvider left, CallInitiationFailureProvider right) => left.Equals(right);

    /// <summary>Compares two values for inequality (ordinal).</summary>
    /// <param name="left">The first value.</param>
    /// <param name="right">The second value.</param>
    public static bool operator !=(CallInitiationFailureProvider left, CallInitiationFailureProvider right) => !left.Equals(right);

    /// <summary>Converts a wire value to a <see cref="CallInitiationFailureProvider"/>.</summary>
    /// <param name="value">The wire value.</param>
    public static implicit operator CallInitiationFailureProvider(string value) => new(value);

    /// <summary>Creates a <see cref="CallInitiationFailureProvider"/> from a wire value.</summary>
    /// <param name="value">The wire value.</param>
    /// <returns>The value.</returns>
    public static CallInitiationFailureProvider FromString(string value) => new(value);

    static CallInitiationFailureProvider IExtensibleEnum<CallInitiationFailureProvider>.Create(string value) => new(value);

    /// <inheritdoc/>
    public bool Equals(CallInitiationFailureProvider other) => string.Equals(Value, other.Value, StringComparison.Ordinal);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is CallInitiationFailureProvider other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => Value is null ? 0 : StringComparer.Ordinal.GetHashCode(Value);

    /// <inheritdoc/>
    public override string ToString() => Value ?? string.Empty;
}
