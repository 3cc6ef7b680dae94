using System.Text.Json.Serialization;

namespace ConvAi.Telephony;

/// <summary>An audio codec a SIP trunk may offer. Unknown values are kept as they are.</summary>
[JsonConverter(typeof(ExtensibleEnumConverter<MediaCodec>))]
public sealed partial class MediaCodec
{
    /// <summary>G.722 at 8 kHz. Wire value <c>G722/8000</c>.</summary>
    public static MediaCodec G722 { get; } = new("G722/8000");

    /// <summary>G.711 µ-law at 8 kHz. Wire value <c>PCMU/8000</c>.</summary>
    public static MediaCodec Pcmu { get; } = new("PCMU/8000");

    /// <summary>G.711 A-law at 8 kHz. Wire value <c>PCMA/8000</c>.</summary>
    public static MediaCodec Pcma { get; } = new("PCMA/8000");
}
