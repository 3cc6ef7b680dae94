namespace ConvAi.Telephony;

/// <summary>Filters and paging of <c>GET /v1/convai/conversations</c>. Every property is optional.</summary>
public sealed record ConversationListOptions
{
    /// <summary>Gets the cursor of the page to read (the previous page's <see cref="ConversationPage.NextCursor"/>).</summary>
    public string? Cursor { get; init; }

    /// <summary>Gets the agent whose conversations to list.</summary>
    public string? AgentId { get; init; }

    /// <summary>Gets the call outcome to match.</summary>
    public EvaluationResult? CallSuccessful { get; init; }

    /// <summary>Gets the latest start time, in Unix seconds.</summary>
    public long? CallStartBeforeUnix { get; init; }

    /// <summary>Gets the earliest start time, in Unix seconds.</summary>
    public long? CallStartAfterUnix { get; init; }

    /// <summary>Gets the end-user id given when the call started.</summary>
    public string? UserId { get; init; }

    /// <summary>Gets the page size (1–100; server default 30).</summary>
    public int? PageSize { get; init; }

    /// <summary>Gets whether transcript summaries are included.</summary>
    public ConversationSummaryMode? SummaryMode { get; init; }

    /// <summary>Gets the shortest call duration, in seconds.</summary>
    public int? CallDurationMinSecs { get; init; }

    /// <summary>Gets the longest call duration, in seconds.</summary>
    public int? CallDurationMaxSecs { get; init; }

    /// <summary>Gets the lowest rating (1–5).</summary>
    public int? RatingMin { get; init; }

    /// <summary>Gets the highest rating (1–5).</summary>
    public int? RatingMax { get; init; }

    /// <summary>Gets whether only conversations with (or without) a feedback comment are listed.</summary>
    public bool? HasFeedbackComment { get; init; }

    /// <summary>Gets agents the conversation must have visited.</summary>
    public IReadOnlyList<string>? VisitedAgentIds { get; init; }

    /// <summary>Gets agent branches the conversation must have visited.</summary>
    public IReadOnlyList<string>? VisitedAgentBranchIds { get; init; }

    /// <summary>Gets procedures that must have been triggered.</summary>
    public IReadOnlyList<string>? TriggeredProcedureIds { get; init; }

    /// <summary>Gets evaluation filters in the form <c>criteria_id:result</c>.</summary>
    public IReadOnlyList<string>? EvaluationParams { get; init; }

    /// <summary>Gets data-collection filters in the form <c>id:op:value</c>.</summary>
    public IReadOnlyList<string>? DataCollectionParams { get; init; }

    /// <summary>Gets the data-collection results to include in summaries.</summary>
    public IReadOnlyList<string>? DataCollectionIds { get; init; }

    /// <summary>Gets the evaluation results to include in summaries.</summary>
    public IReadOnlyList<string>? EvaluationCriteriaIds { get; init; }

    /// <summary>Gets tools that must have been used.</summary>
    public IReadOnlyList<string>? ToolNames { get; init; }

    /// <summary>Gets tools that must have succeeded.</summary>
    public IReadOnlyList<string>? ToolNamesSuccessful { get; init; }

    /// <summary>Gets tools that must have failed.</summary>
    public IReadOnlyList<string>? ToolNamesErrored { get; init; }

    /// <summary>Gets whether invalid tool calls count for the tool filters (server default false).</summary>
    public bool? IncludeInvalidToolCalls { get; init; }

    /// <summary>Gets the main languages to match.</summary>
    public IReadOnlyList<string>? MainLanguages { get; init; }

    /// <summary>Gets the topics to match.</summary>
    public IReadOnlyList<string>? TopicIds { get; init; }

    /// <summary>Gets the tags to match.</summary>
    public IReadOnlyList<string>? TagIds { get; init; }

    /// <summary>Gets the termination reasons to match.</summary>
    public IReadOnlyList<string>? TerminationReasons { get; init; }

    /// <summary>Gets the custom guardrails to match.</summary>
    public IReadOnlyList<string>? CustomGuardrailNames { get; init; }

    /// <summary>Gets the guardrail types to match.</summary>
    public IReadOnlyList<string>? GuardrailTypes { get; init; }

    /// <summary>Gets a full-text search.</summary>
    public string? Search { get; init; }

    /// <summary>Gets what must have started the conversation.</summary>
    public ConversationInitiationSource? ConversationInitiationSource { get; init; }

    /// <summary>Gets whether only text (or only voice) conversations are listed.</summary>
    public bool? TextOnly { get; init; }

    /// <summary>Gets the product type: <c>agents</c> or <c>speech_engine</c>.</summary>
    public string? ConversationProductType { get; init; }

    /// <summary>Gets the agent branch.</summary>
    public string? BranchId { get; init; }

    /// <summary>Gets the agent version.</summary>
    public string? VersionId { get; init; }

    /// <summary>Gets the parent conversation.</summary>
    public string? ParentConversationId { get; init; }

    /// <summary>Gets a workflow node the conversation must have entered.</summary>
    public string? WorkflowNodeEnteredId { get; init; }

    /// <summary>Gets statuses to leave out.</summary>
    public IReadOnlyList<ConversationStatus>? ExcludeStatuses { get; init; }

    /// <summary>Gets the sort order (server default newest first).</summary>
    public SortDirection? SortDirection { get; init; }
}
