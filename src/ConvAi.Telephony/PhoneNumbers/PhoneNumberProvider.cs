using System.Text.Json.Serialization;

namespace ConvAi.Telephony;

/// <summary>The telephony provider behind an imported phone number (the <c>provider</c> discriminator). Unknown values are kept as they are.</summary>
[JsonConverter(typeof(ExtensibleEnumConverter<PhoneNumberProvider>))]
public sealed partial class PhoneNumberProvider
{
    /// <summary>A Twilio number. Wire value <c>twilio</c>.</summary>
    public static PhoneNumberProvider Twilio { get; } = new("twilio");

    /// <summary>A number reached through a SIP trunk. Wire value <c>sip_trunk</c>.</summary>
    public static PhoneNumberProvider SipTrunk { get; } = new("sip_trunk");

    /// <summary>An Exotel number. Wire value <c>exotel</c>.</summary>
    public static PhoneNumberProvider Exotel { get; } = new("exotel");
}
