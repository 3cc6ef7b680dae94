using System.Text.Json.Serialization;

namespace ConvAi.Telephony;

/// <summary>The direction of a phone call. Unknown values are kept as they are.</summary>
[JsonConverter(typeof(ExtensibleEnumConverter<TelephonyDirection>))]
public sealed partial class TelephonyDirection
{
    /// <summary>A call that the agent receives. Wire value <c>inbound</c>.</summary>
    public static TelephonyDirection Inbound { get; } = new("inbound");

    /// <summary>A call that the agent places. Wire value <c>outbound</c>.</summary>
    public static TelephonyDirection Outbound { get; } = new("outbound");
}
