using System.Text.Json.Serialization;

namespace ConvAi.Telephony;

/// <summary>A workspace-level event a webhook can subscribe to (post-call events are chosen in the agent or ConvAI settings instead). Unknown values are kept as they are.</summary>
[JsonConverter(typeof(ExtensibleEnumConverter<WorkspaceWebhookEventType>))]
public sealed partial class WorkspaceWebhookEventType
{
    /// <summary>Voice Library removal notices. Wire value <c>voice_library_removal_notice</c>.</summary>
    public static WorkspaceWebhookEventType VoiceLibraryRemovalNotice { get; } = new("voice_library_removal_notice");

    /// <summary>Speech-to-text results. Wire value <c>speech_to_text</c>.</summary>
    public static WorkspaceWebhookEventType SpeechToText { get; } = new("speech_to_text");

    /// <summary>Agent QA evaluations. Wire value <c>agent_qa</c>.</summary>
    public static WorkspaceWebhookEventType AgentQa { get; } = new("agent_qa");
}
