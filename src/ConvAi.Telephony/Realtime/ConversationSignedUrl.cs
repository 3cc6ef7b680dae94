using System.Text.Json;
using System.Text.Json.Serialization;

namespace ConvAi.Telephony;

/// <summary>The answer of <c>GET /v1/convai/conversation/get-signed-url</c>.</summary>
internal sealed record ConversationSignedUrl
{
    [JsonPropertyName("signed_url")]
    public string? SignedUrl { get; init; }

    [JsonExtensionData]
    public IDictionary<string, JsonElement>? AdditionalProperties { get; set; }
}
