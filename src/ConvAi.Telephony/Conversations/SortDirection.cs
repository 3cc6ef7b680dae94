namespace ConvAi.Telephony;

/// <summary>The order of a list (<c>sort_direction</c>; request-only, so a closed set).</summary>
public enum SortDirection
{
    /// <summary>Oldest first. Wire value <c>asc</c>.</summary>
    Ascending,

    /// <summary>Newest first (the default). Wire value <c>desc</c>.</summary>
    Descending,
}
