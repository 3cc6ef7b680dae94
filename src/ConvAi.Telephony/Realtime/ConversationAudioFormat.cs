using System.Text.Json.Serialization;

namespace ConvAi.Telephony;

/// <summary>
/// The audio encoding of one direction of a live conversation, as the agent reports it in
/// <c>conversation_initiation_metadata</c>. Unknown values are kept as they are.
/// </summary>
[JsonConverter(typeof(ExtensibleEnumConverter<ConversationAudioFormat>))]
public sealed partial class ConversationAudioFormat
{
    /// <summary>16-bit little-endian PCM at 8 kHz. Wire value <c>pcm_8000</c>.</summary>
    public static ConversationAudioFormat Pcm8000 { get; } = new("pcm_8000");

    /// <summary>16-bit little-endian PCM at 16 kHz. Wire value <c>pcm_16000</c>.</summary>
    public static ConversationAudioFormat Pcm16000 { get; } = new("pcm_16000");

    /// <summary>16-bit little-endian PCM at 22.05 kHz. Wire value <c>pcm_22050</c>.</summary>
    public static ConversationAudioFormat Pcm22050 { get; } = new("pcm_22050");

    /// <summary>16-bit little-endian PCM at 24 kHz. Wire value <c>pcm_24000</c>.</summary>
    public static ConversationAudioFormat Pcm24000 { get; } = new("pcm_24000");

    /// <summary>16-bit little-endian PCM at 44.1 kHz. Wire value <c>pcm_44100</c>.</summary>
    public static ConversationAudioFormat Pcm44100 { get; } = new("pcm_44100");

    /// <summary>16-bit little-endian PCM at 48 kHz. Wire value <c>pcm_48000</c>.</summary>
    public static ConversationAudioFormat Pcm48000 { get; } = new("pcm_48000");

    /// <summary>8-bit μ-law at 8 kHz, the telephony format (Twilio media streams). Wire value <c>ulaw_8000</c>.</summary>
    public static ConversationAudioFormat Ulaw8000 { get; } = new("ulaw_8000");
}
