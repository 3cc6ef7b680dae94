using System.Globalization;
using Refit;

namespace ConvAi.Telephony;

/// <summary>
/// Writes <see cref="ConversationListOptions"/> as the query string of <c>GET /v1/convai/conversations</c>:
/// one line per filter, in the order the API documents them; unset filters are left out, arrays are sent as
/// repeated keys, booleans as <c>true</c>/<c>false</c>. Refit's source generator calls it inline (no reflection).
/// </summary>
internal sealed class ConversationListQuery : IQueryConverter<ConversationListOptions>
{
    /// <inheritdoc/>
    /// <remarks>The parameter declares no <c>[Query(Prefix)]</c>, so <paramref name="keyPrefix"/> is always empty.</remarks>
    public void Flatten(ConversationListOptions value, string keyPrefix, ref GeneratedQueryStringBuilder builder, RefitSettings settings)
    {
        ArgumentNullException.ThrowIfNull(value);
        Add(ref builder, "cursor", value.Cursor);
        Add(ref builder, "agent_id", value.AgentId);
        Add(ref builder, "call_successful", value.CallSuccessful?.Value);
        Add(ref builder, "call_start_before_unix", value.CallStartBeforeUnix);
        Add(ref builder, "call_start_after_unix", value.CallStartAfterUnix);
        Add(ref builder, "user_id", value.UserId);
        Add(ref builder, "page_size", value.PageSize);
        Add(ref builder, "summary_mode", value.SummaryMode?.ToWire());
        Add(ref builder, "call_duration_min_secs", value.CallDurationMinSecs);
        Add(ref builder, "call_duration_max_secs", value.CallDurationMaxSecs);
        Add(ref builder, "rating_min", value.RatingMin);
        Add(ref builder, "rating_max", value.RatingMax);
        Add(ref builder, "has_feedback_comment", value.HasFeedbackComment?.ToWire());
        Add(ref builder, "visited_agent_ids", value.VisitedAgentIds);
        Add(ref builder, "visited_agent_branch_ids", value.VisitedAgentBranchIds);
        Add(ref builder, "triggered_procedure_ids", value.TriggeredProcedureIds);
        Add(ref builder, "evaluation_params", value.EvaluationParams);
        Add(ref builder, "data_collection_params", value.DataCollectionParams);
        Add(ref builder, "data_collection_ids", value.DataCollectionIds);
        Add(ref builder, "evaluation_criteria_ids", value.EvaluationCriteriaIds);
        Add(ref builder, "tool_names", value.ToolNames);
        Add(ref builder, "tool_names_successful", value.ToolNamesSuccessful);
        Add(ref builder, "tool_names_errored", value.ToolNamesErrored);
        Add(ref builder, "include_invalid_tool_calls", value.IncludeInvalidToolCalls?.ToWire());
        Add(ref builder, "main_languages", value.MainLanguages);
        Add(ref builder, "topic_ids", value.TopicIds);
        Add(ref builder, "tag_ids", value.TagIds);
        Add(ref builder, "termination_reasons", value.TerminationReasons);
        Add(ref builder, "custom_guardrail_names", value.CustomGuardrailNames);
        Add(ref builder, "guardrail_types", value.GuardrailTypes);
        Add(ref builder, "search", value.Search);
        Add(ref builder, "conversation_initiation_source", value.ConversationInitiationSource?.Value);
        Add(ref builder, "text_only", value.TextOnly?.ToWire());
        Add(ref builder, "conversation_product_type", value.ConversationProductType);
        Add(ref builder, "branch_id", value.BranchId);
        Add(ref builder, "version_id", value.VersionId);
        Add(ref builder, "parent_conversation_id", value.ParentConversationId);
        Add(ref builder, "workflow_node_entered_id", value.WorkflowNodeEnteredId);
        Add(ref builder, "exclude_statuses", value.ExcludeStatuses?.Select(s => s.Value));
        Add(ref builder, "sort_direction", value.SortDirection?.ToWire());
    }

    private static void Add(ref GeneratedQueryStringBuilder builder, string key, string? value) => builder.Add(key, value, false);

    private static void Add(ref GeneratedQueryStringBuilder builder, string key, long? value)
        => builder.Add(key, value?.ToString(CultureInfo.InvariantCulture), false);

    private static void Add(ref GeneratedQueryStringBuilder builder, string key, IEnumerable<string>? values)
    {
        foreach (var value in values ?? [])
        {
            builder.Add(key, value, false);
        }
    }
}
