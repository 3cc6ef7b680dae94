using System.Text.Json.Serialization;

namespace ConvAi.Telephony;

/// <summary>Whether ElevenLabs received or sent a SIP message. Unknown values are kept as they are.</summary>
[JsonConverter(typeof(ExtensibleEnumConverter<SipMessageDirection>))]
public sealed partial class SipMessageDirection
{
    /// <summary>A message ElevenLabs received. Wire value <c>in</c>.</summary>
    public static SipMessageDirection In { get; } = new("in");

    /// <summary>A message ElevenLabs sent. Wire value <c>out</c>.</summary>
    public static SipMessageDirection Out { get; } = new("out");
}
