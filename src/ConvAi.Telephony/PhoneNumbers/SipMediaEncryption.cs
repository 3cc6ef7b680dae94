using System.Text.Json.Serialization;

namespace ConvAi.Telephony;

/// <summary>Whether a SIP trunk encrypts media (SRTP). Unknown values are kept as they are.</summary>
[JsonConverter(typeof(ExtensibleEnumConverter<SipMediaEncryption>))]
public sealed partial class SipMediaEncryption
{
    /// <summary>Media is never encrypted. Wire value <c>disabled</c>.</summary>
    public static SipMediaEncryption Disabled { get; } = new("disabled");

    /// <summary>Media is encrypted when the other side supports it. Wire value <c>allowed</c>.</summary>
    public static SipMediaEncryption Allowed { get; } = new("allowed");

    /// <summary>Media must be encrypted. Wire value <c>required</c>.</summary>
    public static SipMediaEncryption Required { get; } = new("required");
}
