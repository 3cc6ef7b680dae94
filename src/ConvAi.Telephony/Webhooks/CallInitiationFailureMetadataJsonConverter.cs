using System.Text.Json;
using System.Text.Json.Serialization;

namespace ConvAi.Telephony;

/// <summary>Reads <see cref="CallInitiationFailureMetadata"/>: <c>type</c> selects how <c>body</c> is typed; unknown types keep the raw body.</summary>
internal sealed class CallInitiationFailureMetadataJsonConverter : JsonConverter<CallInitiationFailureMetadata>
{
    /// <inheritdoc />
    public override CallInitiationFailureMetadata? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var element = JsonElement.ParseValue(ref reader);
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw new JsonException("Expected an object for call_initiation_failure metadata.");
        }

        var type = element.TryGetProperty("type", out var typeElement) && typeElement.ValueKind == JsonValueKind.String
            ? CallInitiationFailureProvider.FromString(typeElement.GetString()!)
            : CallInitiationFailureProvider.Empty;
        JsonElement? body = element.TryGetProperty("body", out var bodyElement) && bodyElement.ValueKind != JsonValueKind.Null
            ? bodyElement
            : null;
        if (body is not { ValueKind: JsonValueKind.Object } bodyObject)
        {
            return new CallInitiationFailureMetadata { Type = type, Body = body };
        }

        return new CallInitiationFailureMetadata
        {
            Type = type,
            Body = body,
            Sip = type == CallInitiationFailureProvider.Sip
                ? bodyObject.Deserialize(WebhookJsonContext.Default.SipCallFailureDetails)
                : null,
            Twilio = type == CallInitiationFailureProvider.Twilio ? ReadStringMap(bodyObject) : null,
        };
    }

    /// <inheritdoc />
    public override void Write(Utf8JsonWriter writer, CallInitiationFailureMetadata value, JsonSerializerOptions options)
    {
        writer.WriteStartObject();
        writer.WriteString("type", value.Type.Value);
        if (value.Body is { } body)
        {
            writer.WritePropertyName("body");
            body.WriteTo(writer);
        }

        writer.WriteEndObject();
    }

    private static Dictionary<string, string> ReadStringMap(JsonElement body)
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var property in body.EnumerateObject())
        {
            switch (property.Value.ValueKind)
            {
                case JsonValueKind.String:
                    map[property.Name] = property.Value.GetString()!;
                    break;
                case JsonValueKind.Null:
                case JsonValueKind.Undefined:
                    break;
                default:
                    map[property.Name] = property.Value.GetRawText();
                    break;
            }
        }

        return map;
    }
}
