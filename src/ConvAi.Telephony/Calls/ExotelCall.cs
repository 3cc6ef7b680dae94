using System.Text.Json;
using System.Text.Json.Serialization;

namespace ConvAi.Telephony;

/// <summary>The body of <c>POST /v1/convai/exotel/outbound-call</c>.</summary>
public sealed record StartExotelCallRequest
{
    /// <summary>Gets the agent that talks on the call; defaults to <see cref="ConvAiTelephonyOptions.DefaultAgentId"/>.</summary>
    [JsonPropertyName("agent_id")]
    public string? AgentId { get; init; }

    /// <summary>Gets the id of the imported Exotel number that places the call; defaults to <see cref="ConvAiTelephonyOptions.DefaultPhoneNumberId"/>.</summary>
    [JsonPropertyName("agent_phone_number_id")]
    public string? AgentPhoneNumberId { get; init; }

    /// <summary>Gets the number to call (normalized to E.164 before sending).</summary>
    [JsonPropertyName("to_number")]
    public string ToNumber { get; init; } = string.Empty;

    /// <summary>Gets the dynamic variables, user id and overrides for the conversation.</summary>
    [JsonPropertyName("conversation_initiation_client_data")]
    public ConversationInitiationClientData? ConversationInitiationClientData { get; init; }

    /// <summary>Gets the ringing timeout settings.</summary>
    [JsonPropertyName("telephony_call_config")]
    public TelephonyCallConfig? TelephonyCallConfig { get; init; }
}

/// <summary>The answer of an Exotel outbound call.</summary>
public sealed record ExotelCallResult
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

    /// <summary>Gets the Exotel call SID (camelCase <c>callSid</c> on the wire).</summary>
    [JsonPropertyName("callSid")]
    public string? CallSid { get; init; }

    /// <summary>Gets fields the server sent that this version of the library does not know.</summary>
    [JsonExtensionData]
    public IDictionary<string, JsonElement>? AdditionalProperties { get; set; }
}
