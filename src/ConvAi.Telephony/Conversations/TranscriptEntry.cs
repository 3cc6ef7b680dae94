using System.Text.Json;
using System.Text.Json.Serialization;

namespace ConvAi.Telephony;

/// <summary>One turn of a conversation transcript.</summary>
public sealed record TranscriptEntry
{
    private readonly IReadOnlyList<ToolCall>? _toolCalls;
    private readonly IReadOnlyList<ToolResult>? _toolResults;

    /// <summary>Gets who spoke.</summary>
    [JsonPropertyName("role")]
    public TranscriptRole Role { get; init => field = value ?? TranscriptRole.Empty; } = TranscriptRole.Empty;

    /// <summary>Gets when the turn started, in seconds from the start of the call.</summary>
    [JsonPropertyName("time_in_call_secs")]
    public int TimeInCallSecs { get; init; }

    /// <summary>Gets the text spoken.</summary>
    [JsonPropertyName("message")]
    public string? Message { get; init; }

    /// <summary>Gets the tools the agent called in this turn; empty when none, also when the server sends <c>null</c>.</summary>
    [JsonPropertyName("tool_calls")]
    public IReadOnlyList<ToolCall> ToolCalls { get => _toolCalls ?? []; init => _toolCalls = value; }

    /// <summary>Gets the results of tools called in this turn; empty when none, also when the server sends <c>null</c>.</summary>
    [JsonPropertyName("tool_results")]
    public IReadOnlyList<ToolResult> ToolResults { get => _toolResults ?? []; init => _toolResults = value; }

    /// <summary>Gets feedback on this message.</summary>
    [JsonPropertyName("feedback")]
    public TranscriptFeedback? Feedback { get; init; }

    /// <summary>Gets whether the turn was interrupted.</summary>
    [JsonPropertyName("interrupted")]
    public bool? Interrupted { get; init; }

    /// <summary>
    /// Gets the latency metrics of the turn. The spec nests them under <c>metrics</c>; webhook examples put
    /// them at the top level, so the raw JSON is kept.
    /// </summary>
    [JsonPropertyName("conversation_turn_metrics")]
    public JsonElement? ConversationTurnMetrics { get; init; }

    /// <summary>Gets which agent spoke.</summary>
    [JsonPropertyName("agent_metadata")]
    public TranscriptAgentMetadata? AgentMetadata { get; init; }

    /// <summary>Gets the parts of a multi-voice message.</summary>
    [JsonPropertyName("multivoice_message")]
    public MultivoiceMessage? MultivoiceMessage { get; init; }

    /// <summary>Gets the LLM override used for this turn.</summary>
    [JsonPropertyName("llm_override")]
    public string? LlmOverride { get; init; }

    /// <summary>Gets the LLM that produced this turn.</summary>
    [JsonPropertyName("producing_llm")]
    public string? ProducingLlm { get; init; }

    /// <summary>Gets the message before any rewriting.</summary>
    [JsonPropertyName("original_message")]
    public string? OriginalMessage { get; init; }

    /// <summary>Gets the user identifier.</summary>
    [JsonPropertyName("user_identifier")]
    public string? UserIdentifier { get; init; }

    /// <summary>Gets the turn id.</summary>
    [JsonPropertyName("id")]
    public string? Id { get; init; }

    /// <summary>Gets the knowledge-base retrieval details.</summary>
    [JsonPropertyName("rag_retrieval_info")]
    public JsonElement? RagRetrievalInfo { get; init; }

    /// <summary>Gets the LLM token usage per model.</summary>
    [JsonPropertyName("llm_usage")]
    public JsonElement? LlmUsage { get; init; }

    /// <summary>Gets whether the turn was ignored as a backchannel ("uh-huh").</summary>
    [JsonPropertyName("ignored_as_backchannel")]
    public bool? IgnoredAsBackchannel { get; init; }

    /// <summary>Gets whether the LLM reasoned for this turn.</summary>
    [JsonPropertyName("reasoned")]
    public bool? Reasoned { get; init; }

    /// <summary>Gets the reasoning summaries.</summary>
    [JsonPropertyName("reasoning")]
    public JsonElement? Reasoning { get; init; }

    /// <summary>Gets the medium of the turn: <c>audio</c>, <c>text</c>, <c>image</c> or <c>file</c>.</summary>
    [JsonPropertyName("source_medium")]
    public string? SourceMedium { get; init; }

    /// <summary>Gets the id of the source event.</summary>
    [JsonPropertyName("source_event_id")]
    public long? SourceEventId { get; init; }

    /// <summary>Gets the static knowledge-base documents used.</summary>
    [JsonPropertyName("used_static_kb_document_ids")]
    public IReadOnlyList<string>? UsedStaticKbDocumentIds { get; init; }

    /// <summary>Gets the guardrails triggered.</summary>
    [JsonPropertyName("triggered_guardrails")]
    public IReadOnlyList<TriggeredGuardrail>? TriggeredGuardrails { get; init; }

    /// <summary>Gets the file the user sent.</summary>
    [JsonPropertyName("file_input")]
    public JsonElement? FileInput { get; init; }

    /// <summary>Gets the contextual update details.</summary>
    [JsonPropertyName("contextual_update_info")]
    public JsonElement? ContextualUpdateInfo { get; init; }

    /// <summary>Gets fields the server sent that this version of the library does not know.</summary>
    [JsonExtensionData]
    public IDictionary<string, JsonElement>? AdditionalProperties { get; set; }
}

/// <summary>Feedback on a transcript message.</summary>
public sealed record TranscriptFeedback
{
    /// <summary>Gets the score.</summary>
    [JsonPropertyName("score")]
    public ConversationFeedbackScore Score { get; init => field = value ?? ConversationFeedbackScore.Empty; } = ConversationFeedbackScore.Empty;

    /// <summary>Gets when the feedback refers to, in seconds from the start of the call.</summary>
    [JsonPropertyName("time_in_call_secs")]
    public int TimeInCallSecs { get; init; }

    /// <summary>Gets fields the server sent that this version of the library does not know.</summary>
    [JsonExtensionData]
    public IDictionary<string, JsonElement>? AdditionalProperties { get; set; }
}

/// <summary>The agent behind a transcript turn.</summary>
public sealed record TranscriptAgentMetadata
{
    /// <summary>Gets the agent id.</summary>
    [JsonPropertyName("agent_id")]
    public string AgentId { get; init; } = string.Empty;

    /// <summary>Gets the branch id.</summary>
    [JsonPropertyName("branch_id")]
    public string? BranchId { get; init; }

    /// <summary>Gets the workflow node id.</summary>
    [JsonPropertyName("workflow_node_id")]
    public string? WorkflowNodeId { get; init; }

    /// <summary>Gets the version id.</summary>
    [JsonPropertyName("version_id")]
    public string? VersionId { get; init; }

    /// <summary>Gets fields the server sent that this version of the library does not know.</summary>
    [JsonExtensionData]
    public IDictionary<string, JsonElement>? AdditionalProperties { get; set; }
}

/// <summary>A message spoken by several voices.</summary>
public sealed record MultivoiceMessage
{
    /// <summary>Gets the parts.</summary>
    [JsonPropertyName("parts")]
    public IReadOnlyList<MultivoiceMessagePart>? Parts { get; init; }

    /// <summary>Gets fields the server sent that this version of the library does not know.</summary>
    [JsonExtensionData]
    public IDictionary<string, JsonElement>? AdditionalProperties { get; set; }
}

/// <summary>One part of a multi-voice message.</summary>
public sealed record MultivoiceMessagePart
{
    /// <summary>Gets the text.</summary>
    [JsonPropertyName("text")]
    public string? Text { get; init; }

    /// <summary>Gets the voice label.</summary>
    [JsonPropertyName("voice_label")]
    public string? VoiceLabel { get; init; }

    /// <summary>Gets when the part was spoken, in seconds from the start of the call.</summary>
    [JsonPropertyName("time_in_call_secs")]
    public int? TimeInCallSecs { get; init; }

    /// <summary>Gets fields the server sent that this version of the library does not know.</summary>
    [JsonExtensionData]
    public IDictionary<string, JsonElement>? AdditionalProperties { get; set; }
}

/// <summary>A guardrail that fired during a turn.</summary>
public sealed record TriggeredGuardrail
{
    /// <summary>Gets the guardrail type.</summary>
    [JsonPropertyName("guardrail_type")]
    public string? GuardrailType { get; init; }

    /// <summary>Gets the guardrail name.</summary>
    [JsonPropertyName("guardrail_name")]
    public string? GuardrailName { get; init; }

    /// <summary>Gets fields the server sent that this version of the library does not know.</summary>
    [JsonExtensionData]
    public IDictionary<string, JsonElement>? AdditionalProperties { get; set; }
}

/// <summary>A tool the agent called.</summary>
public sealed record ToolCall
{
    /// <summary>Gets the request id that links the call to its <see cref="ToolResult"/>.</summary>
    [JsonPropertyName("request_id")]
    public string RequestId { get; init; } = string.Empty;

    /// <summary>Gets the tool name.</summary>
    [JsonPropertyName("tool_name")]
    public string ToolName { get; init; } = string.Empty;

    /// <summary>Gets the parameters as a JSON string.</summary>
    [JsonPropertyName("params_as_json")]
    public string? ParamsAsJson { get; init; }

    /// <summary>Gets whether the tool was actually called.</summary>
    [JsonPropertyName("tool_has_been_called")]
    public bool ToolHasBeenCalled { get; init; }

    /// <summary>Gets the kind of tool.</summary>
    [JsonPropertyName("type")]
    public ToolType? Type { get; init; }

    /// <summary>Gets the details of the tool, whose shape depends on <see cref="Type"/>.</summary>
    [JsonPropertyName("tool_details")]
    public JsonElement? ToolDetails { get; init; }

    /// <summary>Gets fields the server sent that this version of the library does not know.</summary>
    [JsonExtensionData]
    public IDictionary<string, JsonElement>? AdditionalProperties { get; set; }
}

/// <summary>
/// The result of a tool call. One record covers every kind; kind-specific fields are null for other
/// kinds, and an unknown kind is kept in <see cref="Type"/> instead of failing.
/// </summary>
public sealed record ToolResult
{
    /// <summary>Gets the request id of the matching <see cref="ToolCall"/>.</summary>
    [JsonPropertyName("request_id")]
    public string RequestId { get; init; } = string.Empty;

    /// <summary>Gets the tool name.</summary>
    [JsonPropertyName("tool_name")]
    public string ToolName { get; init; } = string.Empty;

    /// <summary>Gets the result as a string.</summary>
    [JsonPropertyName("result_value")]
    public string? ResultValue { get; init; }

    /// <summary>Gets whether the tool failed.</summary>
    [JsonPropertyName("is_error")]
    public bool IsError { get; init; }

    /// <summary>Gets whether the tool was actually called.</summary>
    [JsonPropertyName("tool_has_been_called")]
    public bool ToolHasBeenCalled { get; init; }

    /// <summary>Gets the kind of tool, or null when the server sent none.</summary>
    [JsonPropertyName("type")]
    public ToolType? Type { get; init; }

    /// <summary>Gets whether the tool was blocked.</summary>
    [JsonPropertyName("is_blocked")]
    public bool? IsBlocked { get; init; }

    /// <summary>Gets the tool latency in seconds.</summary>
    [JsonPropertyName("tool_latency_secs")]
    public double? ToolLatencySecs { get; init; }

    /// <summary>Gets the error type.</summary>
    [JsonPropertyName("error_type")]
    public string? ErrorType { get; init; }

    /// <summary>Gets the raw error message.</summary>
    [JsonPropertyName("raw_error_message")]
    public string? RawErrorMessage { get; init; }

    /// <summary>Gets the dynamic variables the tool changed.</summary>
    [JsonPropertyName("dynamic_variable_updates")]
    public IReadOnlyList<DynamicVariableUpdate>? DynamicVariableUpdates { get; init; }

    /// <summary>Gets the structured result (system tools: a union on <c>result_type</c>; workflow: <c>steps</c>).</summary>
    [JsonPropertyName("result")]
    public JsonElement? Result { get; init; }

    /// <summary>Gets the integration id (API-integration tools).</summary>
    [JsonPropertyName("integration_id")]
    public string? IntegrationId { get; init; }

    /// <summary>Gets the credential id (API-integration tools).</summary>
    [JsonPropertyName("credential_id")]
    public string? CredentialId { get; init; }

    /// <summary>Gets the integration connection id (API-integration tools).</summary>
    [JsonPropertyName("integration_connection_id")]
    public string? IntegrationConnectionId { get; init; }

    /// <summary>Gets fields the server sent that this version of the library does not know.</summary>
    [JsonExtensionData]
    public IDictionary<string, JsonElement>? AdditionalProperties { get; set; }
}

/// <summary>A change a tool made to a dynamic variable.</summary>
public sealed record DynamicVariableUpdate
{
    /// <summary>Gets the variable name.</summary>
    [JsonPropertyName("variable_name")]
    public string VariableName { get; init; } = string.Empty;

    /// <summary>Gets the old value.</summary>
    [JsonPropertyName("old_value")]
    public JsonElement? OldValue { get; init; }

    /// <summary>Gets the new value.</summary>
    [JsonPropertyName("new_value")]
    public JsonElement? NewValue { get; init; }

    /// <summary>Gets when the update happened (Unix seconds, fractional).</summary>
    [JsonPropertyName("updated_at")]
    public double? UpdatedAt { get; init; }

    /// <summary>Gets the tool that made the change.</summary>
    [JsonPropertyName("tool_name")]
    public string? ToolName { get; init; }

    /// <summary>Gets the request id of the tool call.</summary>
    [JsonPropertyName("tool_request_id")]
    public string? ToolRequestId { get; init; }

    /// <summary>Gets fields the server sent that this version of the library does not know.</summary>
    [JsonExtensionData]
    public IDictionary<string, JsonElement>? AdditionalProperties { get; set; }
}
