using System.Text.Json;
using System.Text.Json.Serialization;

namespace ConvAi.Telephony;

/// <summary>One page of <c>GET /v1/convai/conversations</c>.</summary>
public sealed record ConversationPage
{
    /// <summary>Gets the conversations on this page.</summary>
    [JsonPropertyName("conversations")]
    public IReadOnlyList<ConversationSummary> Conversations { get; init; } = [];

    /// <summary>Gets the cursor of the next page, or null on the last page.</summary>
    [JsonPropertyName("next_cursor")]
    public string? NextCursor { get; init; }

    /// <summary>Gets whether more pages follow.</summary>
    [JsonPropertyName("has_more")]
    public bool HasMore { get; init; }

    /// <summary>Gets fields the server sent that this version of the library does not know.</summary>
    [JsonExtensionData]
    public IDictionary<string, JsonElement>? AdditionalProperties { get; set; }
}

/// <summary>A conversation as listed by <c>GET /v1/convai/conversations</c>.</summary>
public sealed record ConversationSummary
{
    /// <summary>Gets the agent id.</summary>
    [JsonPropertyName("agent_id")]
    public string AgentId { get; init; } = string.Empty;

    /// <summary>Gets the conversation id.</summary>
    [JsonPropertyName("conversation_id")]
    public string ConversationId { get; init; } = string.Empty;

    /// <summary>Gets the start time in Unix seconds.</summary>
    [JsonPropertyName("start_time_unix_secs")]
    public long StartTimeUnixSecs { get; init; }

    /// <summary>Gets the call duration in seconds.</summary>
    [JsonPropertyName("call_duration_secs")]
    public int CallDurationSecs { get; init; }

    /// <summary>Gets the number of messages.</summary>
    [JsonPropertyName("message_count")]
    public int MessageCount { get; init; }

    /// <summary>Gets the conversation status.</summary>
    [JsonPropertyName("status")]
    public ConversationStatus Status { get; init => field = value ?? ConversationStatus.Empty; } = ConversationStatus.Empty;

    /// <summary>Gets whether the call met its goal.</summary>
    [JsonPropertyName("call_successful")]
    public EvaluationResult? CallSuccessful { get; init; }

    /// <summary>Gets the agent name.</summary>
    [JsonPropertyName("agent_name")]
    public string? AgentName { get; init; }

    /// <summary>Gets the agent branch.</summary>
    [JsonPropertyName("branch_id")]
    public string? BranchId { get; init; }

    /// <summary>Gets the agent version.</summary>
    [JsonPropertyName("version_id")]
    public string? VersionId { get; init; }

    /// <summary>Gets why the conversation ended (free text; empty when not known).</summary>
    [JsonPropertyName("termination_reason")]
    public string? TerminationReason { get; init; }

    /// <summary>Gets the success score.</summary>
    [JsonPropertyName("call_success_score")]
    public double? CallSuccessScore { get; init; }

    /// <summary>Gets the transcript summary (when requested with <see cref="ConversationSummaryMode.Include"/>).</summary>
    [JsonPropertyName("transcript_summary")]
    public string? TranscriptSummary { get; init; }

    /// <summary>Gets the summary title.</summary>
    [JsonPropertyName("call_summary_title")]
    public string? CallSummaryTitle { get; init; }

    /// <summary>Gets the main language.</summary>
    [JsonPropertyName("main_language")]
    public string? MainLanguage { get; init; }

    /// <summary>Gets what started the conversation.</summary>
    [JsonPropertyName("conversation_initiation_source")]
    public ConversationInitiationSource? ConversationInitiationSource { get; init; }

    /// <summary>Gets the tools used.</summary>
    [JsonPropertyName("tool_names")]
    public IReadOnlyList<string>? ToolNames { get; init; }

    /// <summary>Gets the call direction.</summary>
    [JsonPropertyName("direction")]
    public TelephonyDirection? Direction { get; init; }

    /// <summary>Gets the rating.</summary>
    [JsonPropertyName("rating")]
    public double? Rating { get; init; }

    /// <summary>Gets the sentiment analysis.</summary>
    [JsonPropertyName("sentiment_analysis")]
    public SentimentAnalysis? SentimentAnalysis { get; init; }

    /// <summary>Gets the data-collection results (shape varies by configuration).</summary>
    [JsonPropertyName("data_collection_results")]
    public JsonElement? DataCollectionResults { get; init; }

    /// <summary>Gets the evaluation results keyed by criteria id.</summary>
    [JsonPropertyName("evaluation_criteria_results")]
    public IReadOnlyDictionary<string, EvaluationCriteriaSummary>? EvaluationCriteriaResults { get; init; }

    /// <summary>Gets the tags.</summary>
    [JsonPropertyName("tag_ids")]
    public IReadOnlyList<string>? TagIds { get; init; }

    /// <summary>Gets fields the server sent that this version of the library does not know.</summary>
    [JsonExtensionData]
    public IDictionary<string, JsonElement>? AdditionalProperties { get; set; }
}

/// <summary>The sentiment of a conversation.</summary>
public sealed record SentimentAnalysis
{
    /// <summary>Gets the overall label: <c>positive</c>, <c>neutral</c> or <c>negative</c>.</summary>
    [JsonPropertyName("overall_label")]
    public string? OverallLabel { get; init; }

    /// <summary>Gets the overall sentiment score.</summary>
    [JsonPropertyName("overall_sentiment_score")]
    public double? OverallSentimentScore { get; init; }

    /// <summary>Gets the overall frustration score.</summary>
    [JsonPropertyName("overall_frustration_score")]
    public double? OverallFrustrationScore { get; init; }

    /// <summary>Gets the lowest user sentiment score.</summary>
    [JsonPropertyName("min_user_sentiment_score")]
    public double? MinUserSentimentScore { get; init; }

    /// <summary>Gets the highest user frustration score.</summary>
    [JsonPropertyName("max_user_frustration_score")]
    public double? MaxUserFrustrationScore { get; init; }

    /// <summary>Gets the number of scored user turns.</summary>
    [JsonPropertyName("num_scored_user_turns")]
    public int? NumScoredUserTurns { get; init; }

    /// <summary>Gets fields the server sent that this version of the library does not know.</summary>
    [JsonExtensionData]
    public IDictionary<string, JsonElement>? AdditionalProperties { get; set; }
}

/// <summary>An evaluation result in a conversation summary.</summary>
public sealed record EvaluationCriteriaSummary
{
    /// <summary>Gets the result.</summary>
    [JsonPropertyName("result")]
    public EvaluationResult? Result { get; init; }

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
