using System.Text.Json.Serialization;

namespace ConvAi.Telephony;

/// <summary>The body of <c>POST /v1/convai/exotel/outbound-call</c>.</summary>
public sealed record StartExotelCallRequest : OutboundCallRequest;

/// <summary>The answer of an Exotel outbound call.</summary>
public sealed record ExotelCallResult : OutboundCallResult
{
    /// <summary>Gets the Exotel call SID (camelCase <c>callSid</c> on the wire).</summary>
    [JsonPropertyName("callSid")]
    [JsonPropertyOrder(1)]
    public string? CallSid { get; init; }
}
