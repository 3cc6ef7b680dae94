using System.Text.Json.Serialization;

namespace ConvAi.Telephony;

/// <summary>What started a conversation. Unknown values are kept as they are.</summary>
[JsonConverter(typeof(ExtensibleEnumConverter<ConversationInitiationSource>))]
public sealed partial class ConversationInitiationSource
{
    /// <summary>The source is not known. Wire value <c>unknown</c>.</summary>
    public static ConversationInitiationSource Unknown { get; } = new("unknown");

    /// <summary>The web widget. Wire value <c>widget</c>.</summary>
    public static ConversationInitiationSource Widget { get; } = new("widget");

    /// <summary>A SIP trunk. Wire value <c>sip_trunk</c>.</summary>
    public static ConversationInitiationSource SipTrunk { get; } = new("sip_trunk");

    /// <summary>Twilio. Wire value <c>twilio</c>.</summary>
    public static ConversationInitiationSource Twilio { get; } = new("twilio");

    /// <summary>Exotel. Wire value <c>exotel</c>.</summary>
    public static ConversationInitiationSource Exotel { get; } = new("exotel");

    /// <summary>WhatsApp. Wire value <c>whatsapp</c>.</summary>
    public static ConversationInitiationSource WhatsApp { get; } = new("whatsapp");

    /// <summary>The Python SDK. Wire value <c>python_sdk</c>.</summary>
    public static ConversationInitiationSource PythonSdk { get; } = new("python_sdk");

    /// <summary>The JavaScript SDK. Wire value <c>js_sdk</c>.</summary>
    public static ConversationInitiationSource JsSdk { get; } = new("js_sdk");

    /// <summary>The Salesforce integration (elevenlabs-python 2.59; not in elevenlabs-js 2.56). Wire value <c>salesforce_integration</c>.</summary>
    public static ConversationInitiationSource SalesforceIntegration { get; } = new("salesforce_integration");

    /// <summary>A sub-agent started by another agent's tool (elevenlabs-python 2.59; not in elevenlabs-js 2.56). Wire value <c>subagent_tool</c>.</summary>
    public static ConversationInitiationSource SubagentTool { get; } = new("subagent_tool");
}
