using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace ConvAi.Telephony;

/// <summary>
/// Per-conversation data sent when a call starts (<c>conversation_initiation_client_data</c>):
/// dynamic variables, the end-user id and overrides. Outbound calls, register-call and batch
/// recipients carry these values here, never at the top level of the request.
/// </summary>
public sealed record ConversationInitiationClientData
{
    /// <summary>Gets the dynamic variables; values may be any JSON value (string, number, bool, array, object).</summary>
    /// <remarks>Write them with <see cref="JsonNode"/>'s implicit conversions: <c>["name"] = "Ana", ["balance"] = 12.5</c>.</remarks>
    [JsonPropertyName("dynamic_variables")]
    public IDictionary<string, JsonNode?>? DynamicVariables { get; init; }

    /// <summary>Gets your id for the end user; the conversation list can be filtered by it.</summary>
    [JsonPropertyName("user_id")]
    public string? UserId { get; init; }

    /// <summary>Gets the overrides of the agent's configuration; each must be enabled in the agent's security settings.</summary>
    [JsonPropertyName("conversation_config_override")]
    public ConversationConfigOverride? ConversationConfigOverride { get; init; }

    /// <summary>Gets extra fields passed to a custom LLM's request body.</summary>
    [JsonPropertyName("custom_llm_extra_body")]
    public JsonObject? CustomLlmExtraBody { get; init; }

    /// <summary>Gets information about the client that started the conversation.</summary>
    [JsonPropertyName("source_info")]
    public ConversationSourceInfo? SourceInfo { get; init; }

    /// <summary>Gets the agent branch to use.</summary>
    [JsonPropertyName("branch_id")]
    public string? BranchId { get; init; }

    /// <summary>Gets the agent environment to use.</summary>
    [JsonPropertyName("environment")]
    public string? Environment { get; init; }

    /// <summary>Gets the workflow node to start from (the agent must allow it).</summary>
    [JsonPropertyName("starting_workflow_node_id")]
    public string? StartingWorkflowNodeId { get; init; }

    /// <summary>Gets the procedures to enable (the agent must allow it).</summary>
    [JsonPropertyName("procedure_ids")]
    public IReadOnlyList<string>? ProcedureIds { get; init; }

    /// <summary>Gets fields the server sent that this version of the library does not know.</summary>
    [JsonExtensionData]
    public IDictionary<string, JsonElement>? AdditionalProperties { get; set; }
}

/// <summary>Describes the client that started a conversation (<c>source_info</c>).</summary>
public sealed record ConversationSourceInfo
{
    /// <summary>Gets the source of the conversation.</summary>
    [JsonPropertyName("source")]
    public ConversationInitiationSource? Source { get; init; }

    /// <summary>Gets the version of the source (at most 50 characters).</summary>
    [JsonPropertyName("version")]
    public string? Version { get; init; }

    /// <summary>Gets fields the server sent that this version of the library does not know.</summary>
    [JsonExtensionData]
    public IDictionary<string, JsonElement>? AdditionalProperties { get; set; }
}

/// <summary>Per-call settings of the telephony provider (<c>telephony_call_config</c>).</summary>
public sealed record TelephonyCallConfig
{
    /// <summary>Gets how long the phone rings before the call is given up, in seconds (1–999, server default 60).</summary>
    [JsonPropertyName("ringing_timeout_secs")]
    public int? RingingTimeoutSecs { get; init; }

    /// <summary>Gets whether Twilio records the call (ignored for other providers; server default false).</summary>
    [JsonPropertyName("twilio_call_recording_enabled")]
    public bool? TwilioCallRecordingEnabled { get; init; }

    /// <summary>Gets fields the server sent that this version of the library does not know.</summary>
    [JsonExtensionData]
    public IDictionary<string, JsonElement>? AdditionalProperties { get; set; }
}
