namespace InboundRouting;

/// <summary>The routing rules, bound from the <c>Routing</c> configuration section.</summary>
/// <remarks>Public (with <see cref="OpeningHours"/>) only so tests can name this assembly in <c>WebApplicationFactory&lt;RoutingOptions&gt;</c>.</remarks>
public sealed class RoutingOptions
{
    public const string SectionName = "Routing";

    /// <summary>Callers (E.164, or <c>anonymous</c>) that are rejected before any agent or person answers.</summary>
    public List<string> BlockedNumbers { get; } = [];

    /// <summary>Callers (E.164) that go to <see cref="VipAgentId"/>.</summary>
    public List<string> VipNumbers { get; } = [];

    /// <summary>The agent for VIP callers; null: the same agent as everyone else.</summary>
    public string? VipAgentId { get; set; }

    /// <summary>The agent per called number (your Twilio numbers, E.164); numbers not listed use <c>ConvAi:Twilio:AgentId</c>.</summary>
    public Dictionary<string, string> AgentsByCalledNumber { get; } = new(StringComparer.Ordinal);

    /// <summary>When the agents answer. Outside these hours calls go to <see cref="AfterHoursDialNumber"/>.</summary>
    public OpeningHours OpeningHours { get; set; } = new();

    /// <summary>The human (on-call phone, E.164) who takes calls outside the opening hours; null: the agents answer round the clock.</summary>
    public string? AfterHoursDialNumber { get; set; }
}

/// <summary>Opening hours in one time zone.</summary>
public sealed class OpeningHours
{
    /// <summary>An IANA or Windows time zone id, e.g. <c>Europe/London</c>.</summary>
    public string TimeZone { get; set; } = "UTC";

    public TimeSpan Opens { get; set; } = new(8, 0, 0);

    public TimeSpan Closes { get; set; } = new(18, 0, 0);

    /// <summary>The open days; empty means Monday to Friday.</summary>
    public List<DayOfWeek> Days { get; } = [];

    public bool IsOpen(DateTimeOffset now)
    {
        var local = TimeZoneInfo.ConvertTime(now, TimeZoneInfo.FindSystemTimeZoneById(TimeZone));
        var open = Days.Count == 0 ? local.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday) : Days.Contains(local.DayOfWeek);
        return open && local.TimeOfDay >= Opens && local.TimeOfDay < Closes;
    }
}
