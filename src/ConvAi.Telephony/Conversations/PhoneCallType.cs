using System.Text.Json.Serialization;

namespace ConvAi.Telephony;

/// <summary>The telephony integration of a call in conversation metadata (note <c>sip_trunking</c>). Unknown values are kept as they are.</summary>
[JsonConverter(typeof(ExtensibleEnumConverter<PhoneCallType>))]
public sealed partial class PhoneCallType
{
    /// <summary>A Twilio call. Wire value <c>twilio</c>.</summary>
    public static PhoneCallType Twilio { get; } = new("twilio");

    /// <summary>A SIP-trunk call. Wire value <c>sip_trunking</c>.</summary>
    public static PhoneCallType SipTrunking { get; } = new("sip_trunking");

    /// <summary>An Exotel call. Wire value <c>exotel</c>.</summary>
    public static PhoneCallType Exotel { get; } = new("exotel");
}
