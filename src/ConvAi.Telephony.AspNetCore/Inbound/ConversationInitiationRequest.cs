using System.Text.Json;
using System.Text.Json.Serialization;

namespace ConvAi.Telephony.AspNetCore;

/// <summary>
/// What ElevenLabs sends to the conversation-initiation webhook when an inbound Twilio call
/// reaches an agent that fetches its initiation data from a webhook. The body may be JSON or form
/// encoded; both are read into this record.
/// </summary>
public sealed record ConversationInitiationRequest
{
    /// <summary>Gets the caller's phone number.</summary>
    [JsonPropertyName("caller_id")]
    public string? CallerId { get; init; }

    /// <summary>Gets the id of the agent receiving the call.</summary>
    [JsonPropertyName("agent_id")]
    public string? AgentId { get; init; }

    /// <summary>Gets the Twilio number that was called.</summary>
    [JsonPropertyName("called_number")]
    public string? CalledNumber { get; init; }

    /// <summary>Gets the Twilio call SID.</summary>
    [JsonPropertyName("call_sid")]
    public string? CallSid { get; init; }

    /// <summary>Gets or sets the fields this version does not know, kept as sent (form fields as JSON strings).</summary>
    /// <remarks>Settable rather than init-only: System.Text.Json's source generator cannot bind init-only extension data.</remarks>
    [JsonExtensionData]
    public IDictionary<string, JsonElement>? AdditionalProperties { get; set; }
}
