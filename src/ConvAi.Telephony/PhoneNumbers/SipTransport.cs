using System.Text.Json.Serialization;

namespace ConvAi.Telephony;

/// <summary>The SIP transport protocol of a trunk. Unknown values are kept as they are.</summary>
[JsonConverter(typeof(ExtensibleEnumConverter<SipTransport>))]
public sealed partial class SipTransport
{
    /// <summary>The transport is chosen automatically. Wire value <c>auto</c>.</summary>
    public static SipTransport Auto { get; } = new("auto");

    /// <summary>SIP over UDP. Wire value <c>udp</c>.</summary>
    public static SipTransport Udp { get; } = new("udp");

    /// <summary>SIP over TCP. Wire value <c>tcp</c>.</summary>
    public static SipTransport Tcp { get; } = new("tcp");

    /// <summary>SIP over TLS. Wire value <c>tls</c>.</summary>
    public static SipTransport Tls { get; } = new("tls");
}
