using System.Text.Json;
using System.Text.Json.Serialization;

namespace ConvAi.Telephony;

/// <summary>
/// The fields every outbound phone call request shares: the agent, the imported number that places the call, the number to
/// call, per-call data and the ringing settings. Each provider's endpoint takes its own sealed record.
/// </summary>
public abstract record OutboundCallRequest
{
    /// <summary>Gets the agent that talks on the call; defaults to <see cref="ConvAiTelephonyOptions.DefaultAgentId"/>.</summary>
    [JsonPropertyName("agent_id")]
    public string? AgentId { get; init; }

    /// <summary>Gets the id of the imported number (of the endpoint's provider) that places the call; defaults to <see cref="ConvAiTelephonyOptions.DefaultPhoneNumberId"/>.</summary>
    [JsonPropertyName("agent_phone_number_id")]
    public string? AgentPhoneNumberId { get; init; }

    /// <summary>Gets the number to call (normalized to E.164 before sending).</summary>
    [JsonPropertyName("to_number")]
    public string ToNumber { get; init; } = string.Empty;

    /// <summary>Gets the dynamic variables, user id and overrides for the conversation.</summary>
    [JsonPropertyName("conversation_initiation_client_data")]
    public ConversationInitiationClientData? ConversationInitiationClientData { get; init; }

    /// <summary>Gets the ringing timeout (and, for Twilio, recording) settings.</summary>
    /// <remarks>Written last, after the fields a provider's record adds (order 1), as the API's reference lists them.</remarks>
    [JsonPropertyName("telephony_call_config")]
    [JsonPropertyOrder(2)]
    public TelephonyCallConfig? TelephonyCallConfig { get; init; }
}

/// <summary>The body of <c>POST /v1/convai/twilio/outbound-call</c>.</summary>
public sealed record StartTwilioCallRequest : OutboundCallRequest
{
    /// <summary>Gets whether Twilio records the call (the older setting; see also <see cref="OutboundCallRequest.TelephonyCallConfig"/>).</summary>
    [JsonPropertyName("call_recording_enabled")]
    [JsonPropertyOrder(1)]
    public bool? CallRecordingEnabled { get; init; }
}

/// <summary>The body of <c>POST /v1/convai/sip-trunk/outbound-call</c>.</summary>
public sealed record StartSipTrunkCallRequest : OutboundCallRequest;

/// <summary>The body of <c>POST /v1/convai/twilio/register-call</c>, used when your server owns the Twilio webhook.</summary>
public sealed record RegisterTwilioCallRequest
{
    /// <summary>Gets the agent that takes the call; defaults to <see cref="ConvAiTelephonyOptions.DefaultAgentId"/>.</summary>
    [JsonPropertyName("agent_id")]
    public string? AgentId { get; init; }

    /// <summary>Gets the caller's number (normalized to E.164 when it is a number; a withheld caller ID such as <c>anonymous</c> is sent unchanged on inbound calls).</summary>
    [JsonPropertyName("from_number")]
    public string FromNumber { get; init; } = string.Empty;

    /// <summary>Gets the called number (normalized to E.164 before sending).</summary>
    [JsonPropertyName("to_number")]
    public string ToNumber { get; init; } = string.Empty;

    /// <summary>Gets the call direction (server default <c>inbound</c>).</summary>
    [JsonPropertyName("direction")]
    public TelephonyDirection? Direction { get; init; }

    /// <summary>Gets the dynamic variables, user id and overrides for the conversation.</summary>
    [JsonPropertyName("conversation_initiation_client_data")]
    public ConversationInitiationClientData? ConversationInitiationClientData { get; init; }
}

/// <summary>
/// The fields every outbound call's answer shares: whether the call was placed, the server's message and the conversation.
/// Each endpoint answers with its own sealed record, which adds the provider's call id (written after these fields).
/// </summary>
public abstract record OutboundCallResult
{
    /// <summary>Gets whether the call was placed. The client throws <see cref="ConvAiCallRejectedException"/> when it is false.</summary>
    [JsonPropertyName("success")]
    public bool Success { get; init; }

    /// <summary>Gets the server's message.</summary>
    [JsonPropertyName("message")]
    public string? Message { get; init; }

    /// <summary>Gets the id of the conversation the call belongs to.</summary>
    [JsonPropertyName("conversation_id")]
    public string? ConversationId { get; init; }

    /// <summary>Gets fields the server sent that this version of the library does not know.</summary>
    [JsonExtensionData]
    public IDictionary<string, JsonElement>? AdditionalProperties { get; set; }
}

/// <summary>The answer of a Twilio outbound call.</summary>
public sealed record TwilioCallResult : OutboundCallResult
{
    /// <summary>Gets the Twilio call SID (camelCase <c>callSid</c> on the wire).</summary>
    [JsonPropertyName("callSid")]
    [JsonPropertyOrder(1)]
    public string? CallSid { get; init; }
}

/// <summary>The answer of a SIP-trunk outbound call.</summary>
public sealed record SipTrunkCallResult : OutboundCallResult
{
    /// <summary>Gets the SIP call id.</summary>
    [JsonPropertyName("sip_call_id")]
    [JsonPropertyOrder(1)]
    public string? SipCallId { get; init; }
}
