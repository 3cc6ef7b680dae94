// TEMPORARY: stands in for the core package's Conversation model and ConvAiJson until branch `core` lands.
// Delete this file when merging `core`.
#pragma warning disable CS1591
using System.Text.Json;
using System.Text.Json.Serialization;

namespace ConvAi.Telephony;

public sealed record Conversation
{
    [JsonPropertyName("agent_id")]
    public string? AgentId { get; init; }

    [JsonPropertyName("conversation_id")]
    public string? ConversationId { get; init; }

    [JsonExtensionData]
    public IDictionary<string, JsonElement>? AdditionalProperties { get; init; }
}

public static class ConvAiJson
{
    public static JsonSerializerOptions Options { get; } = PlaceholderJsonContext.Default.Options;
}

[JsonSerializable(typeof(Conversation))]
internal sealed partial class PlaceholderJsonContext : JsonSerializerContext
{
}
