using System.Text.Json.Serialization;

namespace ConvAi.Telephony.AspNetCore;

/// <summary>Source-generated JSON metadata for the inbound endpoints' payloads (AOT-safe).</summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(ConversationInitiationRequest))]
[JsonSerializable(typeof(ConversationInitiationResponse))]
[JsonSerializable(typeof(string))]
internal sealed partial class InboundJsonContext : JsonSerializerContext
{
}
