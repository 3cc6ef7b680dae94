using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace ConvAi.Telephony;

/// <summary>The source-generated JSON metadata of every wire model of the core package.</summary>
[JsonSourceGenerationOptions(
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    NumberHandling = JsonNumberHandling.AllowReadingFromString,
    ReadCommentHandling = JsonCommentHandling.Skip,
    AllowTrailingCommas = true)]
[JsonSerializable(typeof(PhoneNumber))]
[JsonSerializable(typeof(IReadOnlyList<PhoneNumber>))]
[JsonSerializable(typeof(ImportTwilioPhoneNumberRequest))]
[JsonSerializable(typeof(ImportSipTrunkPhoneNumberRequest))]
[JsonSerializable(typeof(ImportExotelPhoneNumberRequest))]
[JsonSerializable(typeof(UpdatePhoneNumberRequest))]
[JsonSerializable(typeof(ImportPhoneNumberResult))]
[JsonSerializable(typeof(StartTwilioCallRequest))]
[JsonSerializable(typeof(StartSipTrunkCallRequest))]
[JsonSerializable(typeof(RegisterTwilioCallRequest))]
[JsonSerializable(typeof(TwilioCallResult))]
[JsonSerializable(typeof(SipTrunkCallResult))]
[JsonSerializable(typeof(StartExotelCallRequest))]
[JsonSerializable(typeof(ExotelCallResult))]
[JsonSerializable(typeof(StartWhatsAppCallRequest))]
[JsonSerializable(typeof(WhatsAppCallResult))]
[JsonSerializable(typeof(SendWhatsAppMessageRequest))]
[JsonSerializable(typeof(WhatsAppMessageResult))]
[JsonSerializable(typeof(WhatsAppAccount))]
[JsonSerializable(typeof(WhatsAppAccountList))]
[JsonSerializable(typeof(UpdateWhatsAppAccountRequest))]
[JsonSerializable(typeof(SipMessagePage))]
[JsonSerializable(typeof(LiveCallCount))]
[JsonSerializable(typeof(WorkspaceWebhook))]
[JsonSerializable(typeof(WorkspaceWebhookList))]
[JsonSerializable(typeof(CreateWorkspaceWebhookBody))]
[JsonSerializable(typeof(CreateWorkspaceWebhookResult))]
[JsonSerializable(typeof(UpdateWorkspaceWebhookRequest))]
[JsonSerializable(typeof(ConversationPage))]
[JsonSerializable(typeof(Conversation))]
[JsonSerializable(typeof(ConversationCharging))]
[JsonSerializable(typeof(ConversationFeedbackRequest))]
[JsonSerializable(typeof(ConversationInitiationClientData))]
[JsonSerializable(typeof(ConversationSignedUrl))]
[JsonSerializable(typeof(SubmitBatchCallRequest))]
[JsonSerializable(typeof(BatchCall))]
[JsonSerializable(typeof(BatchCallPage))]
[JsonSerializable(typeof(JsonElement))]
[JsonSerializable(typeof(JsonNode))]
[JsonSerializable(typeof(JsonObject))]
internal sealed partial class ConvAiJsonContext : JsonSerializerContext;

/// <summary>
/// The JSON settings the client uses for the wire format, backed by source-generated metadata
/// (trimming- and AOT-safe). Use them to (de)serialize the core models yourself, for example a
/// <see cref="Conversation"/> received in a webhook.
/// </summary>
public static class ConvAiJson
{
    /// <summary>Gets the read-only serializer options: snake_case wire names, nulls omitted on write, unknown fields kept.</summary>
    /// <remarks>Get metadata with <c>ConvAiJson.Options.GetTypeInfo(typeof(Conversation))</c>.</remarks>
    public static JsonSerializerOptions Options { get; } = CreateOptions();

    /// <summary>Gets the source-generated resolver, to combine with another context in a resolver chain.</summary>
    public static System.Text.Json.Serialization.Metadata.IJsonTypeInfoResolver TypeInfoResolver => ConvAiJsonContext.Default;

    private static JsonSerializerOptions CreateOptions()
    {
        var options = ConvAiJsonContext.Default.Options;
        options.MakeReadOnly();
        return options;
    }
}
