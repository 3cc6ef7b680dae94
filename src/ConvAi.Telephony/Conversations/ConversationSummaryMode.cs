namespace ConvAi.Telephony;

/// <summary>Whether the conversation list includes transcript summaries (<c>summary_mode</c>; request-only, so a closed set).</summary>
public enum ConversationSummaryMode
{
    /// <summary>Summaries are left out (the default). Wire value <c>exclude</c>.</summary>
    Exclude,

    /// <summary>Summaries are included. Wire value <c>include</c>.</summary>
    Include,
}
