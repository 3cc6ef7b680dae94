namespace ConvAi.Telephony;

/// <summary>
/// The wire names of the request-only enums, written where they go into a query string: a switch per enum,
/// no reflection (trimming- and AOT-safe). An undefined value is refused before anything is sent.
/// </summary>
internal static class WireNames
{
    public static string ToWire(this SortDirection value) => value switch
    {
        SortDirection.Ascending => "asc",
        SortDirection.Descending => "desc",
        _ => throw Undefined(value),
    };

    public static string ToWire(this ConversationSummaryMode value) => value switch
    {
        ConversationSummaryMode.Exclude => "exclude",
        ConversationSummaryMode.Include => "include",
        _ => throw Undefined(value),
    };

    public static string ToWire(this ConversationFormat value) => value switch
    {
        ConversationFormat.Json => "json",
        ConversationFormat.OpenTelemetry => "opentelemetry",
        _ => throw Undefined(value),
    };

    public static string ToWire(this bool value) => value ? "true" : "false";

    private static ArgumentOutOfRangeException Undefined<TEnum>(TEnum value)
        where TEnum : struct, Enum
        => new(typeof(TEnum).Name, value, $"{value} is not a defined {typeof(TEnum).Name}.");
}
