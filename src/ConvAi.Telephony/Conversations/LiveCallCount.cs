using System.Text.Json;
using System.Text.Json.Serialization;

namespace ConvAi.Telephony;

/// <summary>The answer of <c>GET /v1/convai/analytics/live-count</c>: how many conversations are running now.</summary>
public sealed record LiveCallCount
{
    /// <summary>Gets the number of conversations in progress (all channels, all callers of the workspace, or one agent's when filtered).</summary>
    [JsonPropertyName("count")]
    public int Count { get; init; }

    /// <summary>Gets fields the server sent that this version of the library does not know.</summary>
    [JsonExtensionData]
    public IDictionary<string, JsonElement>? AdditionalProperties { get; set; }
}
