using System.Text.Json.Serialization;

namespace ConvAi.Telephony;

/// <summary>The media stack that serves a SIP-trunk number. Unknown values are kept as they are.</summary>
[JsonConverter(typeof(ExtensibleEnumConverter<LivekitStack>))]
public sealed partial class LivekitStack
{
    /// <summary>The standard stack. Wire value <c>standard</c>.</summary>
    public static LivekitStack Standard { get; } = new("standard");

    /// <summary>The stack with static IP addresses. Wire value <c>static</c>.</summary>
    public static LivekitStack Static { get; } = new("static");
}
