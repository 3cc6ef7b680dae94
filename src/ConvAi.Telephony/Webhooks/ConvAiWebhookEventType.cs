using System.Text.Json.Serialization;

namespace ConvAi.Telephony;

/// <summary>The <c>type</c> of an ElevenLabs webhook payload. Unknown values are kept as they are.</summary>
[JsonConverter(typeof(ExtensibleEnumConverter<ConvAiWebhookEventType>))]
public sealed partial class ConvAiWebhookEventType
{
    /// <summary>The transcript, analysis and metadata of a finished conversation. Wire value <c>post_call_transcription</c>.</summary>
    public static ConvAiWebhookEventType PostCallTranscription { get; } = new("post_call_transcription");

    /// <summary>The base64-encoded MP3 audio of a finished conversation. Wire value <c>post_call_audio</c>.</summary>
    public static ConvAiWebhookEventType PostCallAudio { get; } = new("post_call_audio");

    /// <summary>An outbound call that could not be connected. Wire value <c>call_initiation_failure</c>.</summary>
    public static ConvAiWebhookEventType CallInitiationFailure { get; } = new("call_initiation_failure");
}
