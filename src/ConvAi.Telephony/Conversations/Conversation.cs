using System.Text.Json;
using System.Text.Json.Serialization;

namespace ConvAi.Telephony;

/// <summary>
/// A conversation with its transcript, metadata and analysis: the answer of
/// <c>GET /v1/convai/conversations/{conversation_id}</c> and the data of the
/// <c>post_call_transcription</c> webhook.
/// </summary>
public sealed record Conversation
{
    /// <summary>Gets the agent id.</summary>
    [JsonPropertyName("agent_id")]
    public string AgentId { get; init; } = string.Empty;

    /// <summary>Gets the conversation id.</summary>
    [JsonPropertyName("conversation_id")]
    public string ConversationId { get; init; } = string.Empty;

    /// <summary>Gets the conversation status.</summary>
    [JsonPropertyName("status")]
    public ConversationStatus Status { get; init => field = value ?? ConversationStatus.Empty; } = ConversationStatus.Empty;

    /// <summary>Gets the end user's id, when one was given.</summary>
    [JsonPropertyName("user_id")]
    public string? UserId { get; init; }

    /// <summary>Gets the transcript in order.</summary>
    [JsonPropertyName("transcript")]
    public IReadOnlyList<TranscriptEntry>? Transcript { get; init; }

    /// <summary>Gets the conversation metadata (times, cost, phone call, errors).</summary>
    [JsonPropertyName("metadata")]
    public ConversationMetadata? Metadata { get; init; }

    /// <summary>Gets the analysis, once the conversation is processed.</summary>
    [JsonPropertyName("analysis")]
    public ConversationAnalysis? Analysis { get; init; }

    /// <summary>Gets the data the conversation started with.</summary>
    [JsonPropertyName("conversation_initiation_client_data")]
    public ConversationInitiationClientData? ConversationInitiationClientData { get; init; }

    /// <summary>Gets whether audio is available (see <see cref="ConversationsClient.GetAudioAsync"/>).</summary>
    [JsonPropertyName("has_audio")]
    public bool HasAudio { get; init; }

    /// <summary>Gets whether the user's audio is available.</summary>
    [JsonPropertyName("has_user_audio")]
    public bool HasUserAudio { get; init; }

    /// <summary>Gets whether the agent's audio is available.</summary>
    [JsonPropertyName("has_response_audio")]
    public bool HasResponseAudio { get; init; }

    /// <summary>Gets whether auxiliary audio is available.</summary>
    [JsonPropertyName("has_auxiliary_audio")]
    public bool? HasAuxiliaryAudio { get; init; }

    /// <summary>Gets the agent name.</summary>
    [JsonPropertyName("agent_name")]
    public string? AgentName { get; init; }

    /// <summary>Gets the agent branch.</summary>
    [JsonPropertyName("branch_id")]
    public string? BranchId { get; init; }

    /// <summary>Gets the agent version.</summary>
    [JsonPropertyName("version_id")]
    public string? VersionId { get; init; }

    /// <summary>Gets the product (server default <c>agent</c>).</summary>
    [JsonPropertyName("conversation_product")]
    public string? ConversationProduct { get; init; }

    /// <summary>Gets the environment (server default <c>production</c>).</summary>
    [JsonPropertyName("environment")]
    public string? Environment { get; init; }

    /// <summary>Gets the agents visited during the conversation.</summary>
    [JsonPropertyName("visited_agents")]
    public IReadOnlyList<VisitedAgent>? VisitedAgents { get; init; }

    /// <summary>Gets the tags.</summary>
    [JsonPropertyName("tag_ids")]
    public IReadOnlyList<string>? TagIds { get; init; }

    /// <summary>Gets the OpenTelemetry traces (only with the <c>opentelemetry</c> format).</summary>
    [JsonPropertyName("otlp_traces")]
    public JsonElement? OtlpTraces { get; init; }

    /// <summary>Gets fields the server sent that this version of the library does not know.</summary>
    [JsonExtensionData]
    public IDictionary<string, JsonElement>? AdditionalProperties { get; set; }
}

/// <summary>An agent visited during a conversation.</summary>
public sealed record VisitedAgent
{
    /// <summary>Gets the agent id.</summary>
    [JsonPropertyName("agent_id")]
    public string AgentId { get; init; } = string.Empty;

    /// <summary>Gets the branch id.</summary>
    [JsonPropertyName("branch_id")]
    public string? BranchId { get; init; }

    /// <summary>Gets fields the server sent that this version of the library does not know.</summary>
    [JsonExtensionData]
    public IDictionary<string, JsonElement>? AdditionalProperties { get; set; }
}

/// <summary>The analysis of a conversation.</summary>
public sealed record ConversationAnalysis
{
    /// <summary>Gets whether the call met its goal.</summary>
    [JsonPropertyName("call_successful")]
    public EvaluationResult CallSuccessful { get; init => field = value ?? EvaluationResult.Empty; } = EvaluationResult.Empty;

    /// <summary>Gets the transcript summary.</summary>
    [JsonPropertyName("transcript_summary")]
    public string? TranscriptSummary { get; init; }

    /// <summary>Gets the success score.</summary>
    [JsonPropertyName("call_success_score")]
    public double? CallSuccessScore { get; init; }

    /// <summary>Gets the summary title.</summary>
    [JsonPropertyName("call_summary_title")]
    public string? CallSummaryTitle { get; init; }

    /// <summary>Gets the evaluation results keyed by criteria id.</summary>
    [JsonPropertyName("evaluation_criteria_results")]
    public IReadOnlyDictionary<string, EvaluationCriteriaResult>? EvaluationCriteriaResults { get; init; }

    /// <summary>Gets the data-collection results keyed by data-collection id.</summary>
    [JsonPropertyName("data_collection_results")]
    public IReadOnlyDictionary<string, DataCollectionResult>? DataCollectionResults { get; init; }

    /// <summary>Gets the evaluation results as a list.</summary>
    [JsonPropertyName("evaluation_criteria_results_list")]
    public IReadOnlyList<EvaluationCriteriaResult>? EvaluationCriteriaResultsList { get; init; }

    /// <summary>Gets the data-collection results as a list.</summary>
    [JsonPropertyName("data_collection_results_list")]
    public IReadOnlyList<DataCollectionResult>? DataCollectionResultsList { get; init; }

    /// <summary>Gets the per-agent analysis blocks.</summary>
    [JsonPropertyName("scoped")]
    public JsonElement? Scoped { get; init; }

    /// <summary>Gets fields the server sent that this version of the library does not know.</summary>
    [JsonExtensionData]
    public IDictionary<string, JsonElement>? AdditionalProperties { get; set; }
}

/// <summary>The result of one evaluation criterion.</summary>
public sealed record EvaluationCriteriaResult
{
    /// <summary>Gets the criterion id.</summary>
    [JsonPropertyName("criteria_id")]
    public string CriteriaId { get; init; } = string.Empty;

    /// <summary>Gets the result.</summary>
    [JsonPropertyName("result")]
    public EvaluationResult Result { get; init => field = value ?? EvaluationResult.Empty; } = EvaluationResult.Empty;

    /// <summary>Gets the rationale.</summary>
    [JsonPropertyName("rationale")]
    public string? Rationale { get; init; }

    /// <summary>Gets the scoring mode: <c>binary</c> or <c>numeric_uniform</c>.</summary>
    [JsonPropertyName("scoring_mode")]
    public string? ScoringMode { get; init; }

    /// <summary>Gets the score.</summary>
    [JsonPropertyName("score")]
    public int? Score { get; init; }

    /// <summary>Gets the maximum score.</summary>
    [JsonPropertyName("max_score")]
    public int? MaxScore { get; init; }

    /// <summary>Gets fields the server sent that this version of the library does not know.</summary>
    [JsonExtensionData]
    public IDictionary<string, JsonElement>? AdditionalProperties { get; set; }
}

/// <summary>One collected data point.</summary>
public sealed record DataCollectionResult
{
    /// <summary>Gets the data-collection id.</summary>
    [JsonPropertyName("data_collection_id")]
    public string DataCollectionId { get; init; } = string.Empty;

    /// <summary>Gets the collected value (any JSON value).</summary>
    [JsonPropertyName("value")]
    public JsonElement? Value { get; init; }

    /// <summary>Gets the rationale.</summary>
    [JsonPropertyName("rationale")]
    public string? Rationale { get; init; }

    /// <summary>Gets the JSON schema of the value.</summary>
    [JsonPropertyName("json_schema")]
    public JsonElement? JsonSchema { get; init; }

    /// <summary>Gets fields the server sent that this version of the library does not know.</summary>
    [JsonExtensionData]
    public IDictionary<string, JsonElement>? AdditionalProperties { get; set; }
}
