using System.Text.Json.Serialization;

namespace ConvAi.Telephony;

/// <summary>The telephony provider behind an imported phone number (the <c>provider</c> discriminator). Unknown values are kept as they are.</summary>
[JsonConverter(typeof(ExtensibleEnumConverter<PhoneNumberProvider>))]
public readonly struct PhoneNumberProvider : IEquatable<PhoneNumberProvider>, IExtensibleEnum<PhoneNumberProvider>
{
    /// <summary>Initializes a new instance of the <see cref="PhoneNumberProvider"/> struct.</summary>
    /// <param name="value">The wire value.</param>
    public PhoneNumberProvider(string value) => Value = value ?? throw new ArgumentNullException(nameof(value));

    /// <summary>A Twilio number. Wire value <c>twilio</c>.</summary>
    public static PhoneNumberProvider Twilio { get; } = new("twilio");

    /// <summary>A number reached through a SIP trunk. Wire value <c>sip_trunk</c>.</summary>
    public static PhoneNumberProvider SipTrunk { get; } = new("sip_trunk");

    /// <summary>An Exotel number. Wire value <c>exotel</c>.</summary>
    public static PhoneNumberProvider Exotel { get; } = new("exotel");

    /// <summary>Gets the value as sent on the wire.</summary>
    public string Value { get; }

    /// <summary>Compares two values for equality (ordinal).</summary>
    /// <param name="left">The first value.</param>
    /// <param name="right">The second value.</param>
    public static bool operator ==(PhoneNumberProvider left, PhoneNumberProvider right) => left.Equals(right);

    /// <summary>Compares two values for inequality (ordinal).</summary>
    /// <param name="left">The first value.</param>
    /// <param name="right">The second value.</param>
    public static bool operator !=(PhoneNumberProvider left, PhoneNumberProvider right) => !left.Equals(right);

    /// <summary>Converts a wire value to a <see cref="PhoneNumberProvider"/>.</summary>
    /// <param name="value">The wire value.</param>
    public static implicit operator PhoneNumberProvider(string value) => new(value);

    /// <summary>Creates a <see cref="PhoneNumberProvider"/> from a wire value.</summary>
    /// <param name="value">The wire value.</param>
    /// <returns>The value.</returns>
    public static PhoneNumberProvider FromString(string value) => new(value);

    static PhoneNumberProvider IExtensibleEnum<PhoneNumberProvider>.Create(string value) => new(value);

    /// <inheritdoc/>
    public bool Equals(PhoneNumberProvider other) => string.Equals(Value, other.Value, StringComparison.Ordinal);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is PhoneNumberProvider other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => Value is null ? 0 : StringComparer.Ordinal.GetHashCode(Value);

    /// <inheritdoc/>
    public override string ToString() => Value ?? string.Empty;
}
