using Refit;

namespace ConvAi.Telephony;

/// <summary>The query string of <c>GET /v1/convai/conversations</c>; arrays are sent as repeated keys.</summary>
internal sealed class ConversationListQuery
{
    [AliasAs("cursor")] public string? Cursor { get; init; }
    [AliasAs("agent_id")] public string? AgentId { get; init; }
    [AliasAs("call_successful")] public string? CallSuccessful { get; init; }
    [AliasAs("call_start_before_unix")] public long? CallStartBeforeUnix { get; init; }
    [AliasAs("call_start_after_unix")] public long? CallStartAfterUnix { get; init; }
    [AliasAs("user_id")] public string? UserId { get; init; }
    [AliasAs("page_size")] public int? PageSize { get; init; }
    [AliasAs("summary_mode")] public string? SummaryMode { get; init; }
    [AliasAs("call_duration_min_secs")] public int? CallDurationMinSecs { get; init; }
    [AliasAs("call_duration_max_secs")] public int? CallDurationMaxSecs { get; init; }
    [AliasAs("rating_min")] public int? RatingMin { get; init; }
    [AliasAs("rating_max")] public int? RatingMax { get; init; }
    [AliasAs("has_feedback_comment")] public string? HasFeedbackComment { get; init; }
    [AliasAs("visited_agent_ids"), Query(CollectionFormat.Multi)] public IEnumerable<string>? VisitedAgentIds { get; init; }
    [AliasAs("visited_agent_branch_ids"), Query(CollectionFormat.Multi)] public IEnumerable<string>? VisitedAgentBranchIds { get; init; }
    [AliasAs("triggered_procedure_ids"), Query(CollectionFormat.Multi)] public IEnumerable<string>? TriggeredProcedureIds { get; init; }
    [AliasAs("evaluation_params"), Query(CollectionFormat.Multi)] public IEnumerable<string>? EvaluationParams { get; init; }
    [AliasAs("data_collection_params"), Query(CollectionFormat.Multi)] public IEnumerable<string>? DataCollectionParams { get; init; }
    [AliasAs("data_collection_ids"), Query(CollectionFormat.Multi)] public IEnumerable<string>? DataCollectionIds { get; init; }
    [AliasAs("evaluation_criteria_ids"), Query(CollectionFormat.Multi)] public IEnumerable<string>? EvaluationCriteriaIds { get; init; }
    [AliasAs("tool_names"), Query(CollectionFormat.Multi)] public IEnumerable<string>? ToolNames { get; init; }
    [AliasAs("tool_names_successful"), Query(CollectionFormat.Multi)] public IEnumerable<string>? ToolNamesSuccessful { get; init; }
    [AliasAs("tool_names_errored"), Query(CollectionFormat.Multi)] public IEnumerable<string>? ToolNamesErrored { get; init; }
    [AliasAs("include_invalid_tool_calls")] public string? IncludeInvalidToolCalls { get; init; }
    [AliasAs("main_languages"), Query(CollectionFormat.Multi)] public IEnumerable<string>? MainLanguages { get; init; }
    [AliasAs("topic_ids"), Query(CollectionFormat.Multi)] public IEnumerable<string>? TopicIds { get; init; }
    [AliasAs("tag_ids"), Query(CollectionFormat.Multi)] public IEnumerable<string>? TagIds { get; init; }
    [AliasAs("termination_reasons"), Query(CollectionFormat.Multi)] public IEnumerable<string>? TerminationReasons { get; init; }
    [AliasAs("custom_guardrail_names"), Query(CollectionFormat.Multi)] public IEnumerable<string>? CustomGuardrailNames { get; init; }
    [AliasAs("guardrail_types"), Query(CollectionFormat.Multi)] public IEnumerable<string>? GuardrailTypes { get; init; }
    [AliasAs("search")] public string? Search { get; init; }
    [AliasAs("conversation_initiation_source")] public string? ConversationInitiationSource { get; init; }
    [AliasAs("text_only")] public string? TextOnly { get; init; }
    [AliasAs("conversation_product_type")] public string? ConversationProductType { get; init; }
    [AliasAs("branch_id")] public string? BranchId { get; init; }
    [AliasAs("version_id")] public string? VersionId { get; init; }
    [AliasAs("parent_conversation_id")] public string? ParentConversationId { get; init; }
    [AliasAs("workflow_node_entered_id")] public string? WorkflowNodeEnteredId { get; init; }
    [AliasAs("exclude_statuses"), Query(CollectionFormat.Multi)] public IEnumerable<string>? ExcludeStatuses { get; init; }
    [AliasAs("sort_direction")] public string? SortDirection { get; init; }

    public static ConversationListQuery From(ConversationListOptions? o)
    {
        o ??= new ConversationListOptions();
        return new ConversationListQuery
        {
            Cursor = o.Cursor,
            AgentId = o.AgentId,
            CallSuccessful = o.CallSuccessful?.Value,
            CallStartBeforeUnix = o.CallStartBeforeUnix,
            CallStartAfterUnix = o.CallStartAfterUnix,
            UserId = o.UserId,
            PageSize = o.PageSize,
            SummaryMode = o.SummaryMode?.Value,
            CallDurationMinSecs = o.CallDurationMinSecs,
            CallDurationMaxSecs = o.CallDurationMaxSecs,
            RatingMin = o.RatingMin,
            RatingMax = o.RatingMax,
            HasFeedbackComment = Bool(o.HasFeedbackComment),
            VisitedAgentIds = o.VisitedAgentIds,
            VisitedAgentBranchIds = o.VisitedAgentBranchIds,
            TriggeredProcedureIds = o.TriggeredProcedureIds,
            EvaluationParams = o.EvaluationParams,
            DataCollectionParams = o.DataCollectionParams,
            DataCollectionIds = o.DataCollectionIds,
            EvaluationCriteriaIds = o.EvaluationCriteriaIds,
            ToolNames = o.ToolNames,
            ToolNamesSuccessful = o.ToolNamesSuccessful,
            ToolNamesErrored = o.ToolNamesErrored,
            IncludeInvalidToolCalls = Bool(o.IncludeInvalidToolCalls),
            MainLanguages = o.MainLanguages,
            TopicIds = o.TopicIds,
            TagIds = o.TagIds,
            TerminationReasons = o.TerminationReasons,
            CustomGuardrailNames = o.CustomGuardrailNames,
            GuardrailTypes = o.GuardrailTypes,
            Search = o.Search,
            ConversationInitiationSource = o.ConversationInitiationSource?.Value,
            TextOnly = Bool(o.TextOnly),
            ConversationProductType = o.ConversationProductType,
            BranchId = o.BranchId,
            VersionId = o.VersionId,
            ParentConversationId = o.ParentConversationId,
            WorkflowNodeEnteredId = o.WorkflowNodeEnteredId,
            ExcludeStatuses = o.ExcludeStatuses?.Select(s => s.Value),
            SortDirection = o.SortDirection?.Value,
        };
    }

    private static string? Bool(bool? value) => value switch { true => "true", false => "false", null => null };
}
