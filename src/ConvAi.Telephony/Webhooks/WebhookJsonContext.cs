using System.Text.Json;
using System.Text.Json.Serialization;

namespace ConvAi.Telephony;

/// <summary>Source-generated JSON metadata for the add-on's own webhook models (AOT-safe).</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(CallInitiationFailure))]
[JsonSerializable(typeof(SipCallFailureDetails))]
[JsonSerializable(typeof(JsonElement))]
internal sealed partial class WebhookJsonContext : JsonSerializerContext
{
}
