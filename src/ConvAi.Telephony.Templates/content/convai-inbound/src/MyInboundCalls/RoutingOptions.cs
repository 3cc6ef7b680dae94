namespace MyInboundCalls;

/// <summary>The routing rules, from the <c>Routing</c> section of appsettings.json.</summary>
public sealed class RoutingOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Routing";

    /// <summary>Gets the callers whose calls are rejected (E.164, or <c>anonymous</c> for withheld numbers).</summary>
    public List<string> BlockedNumbers { get; } = [];

    /// <summary>Gets the names of known callers by E.164 number, given to the agent as <c>customer_name</c>.</summary>
    public Dictionary<string, string> CustomerNames { get; } = new(StringComparer.Ordinal);
}
