using System.Text.Json;
using System.Text.Json.Serialization;

namespace ConvAi.Telephony;

/// <summary>The body of <c>POST /v1/convai/whatsapp/outbound-call</c>.</summary>
/// <remarks>WhatsApp lets a business call a user only after the user granted permission; the template named here asks for it when needed.</remarks>
public sealed record StartWhatsAppCallRequest
{
    /// <summary>Gets the id of the WhatsApp business phone number that places the call (see <see cref="WhatsAppClient.ListAccountsAsync"/>).</summary>
    [JsonPropertyName("whatsapp_phone_number_id")]
    public string WhatsAppPhoneNumberId { get; init; } = string.Empty;

    /// <summary>Gets the WhatsApp user to call.</summary>
    [JsonPropertyName("whatsapp_user_id")]
    public string WhatsAppUserId { get; init; } = string.Empty;

    /// <summary>Gets the name of the template that asks the user for call permission.</summary>
    [JsonPropertyName("whatsapp_call_permission_request_template_name")]
    public string PermissionTemplateName { get; init; } = string.Empty;

    /// <summary>Gets the language code of that template, e.g. <c>en_US</c>.</summary>
    [JsonPropertyName("whatsapp_call_permission_request_template_language_code")]
    public string PermissionTemplateLanguageCode { get; init; } = string.Empty;

    /// <summary>Gets the agent that talks on the call; defaults to <see cref="ConvAiTelephonyOptions.DefaultAgentId"/>.</summary>
    [JsonPropertyName("agent_id")]
    public string? AgentId { get; init; }

    /// <summary>Gets the dynamic variables, user id and overrides for the conversation.</summary>
    [JsonPropertyName("conversation_initiation_client_data")]
    public ConversationInitiationClientData? ConversationInitiationClientData { get; init; }
}

/// <summary>The answer of a WhatsApp outbound call.</summary>
public sealed record WhatsAppCallResult : OutboundCallResult;

/// <summary>The body of <c>POST /v1/convai/whatsapp/outbound-message</c>: a template message that opens a conversation with the agent.</summary>
public sealed record SendWhatsAppMessageRequest
{
    /// <summary>Gets the id of the WhatsApp business phone number that sends the message.</summary>
    [JsonPropertyName("whatsapp_phone_number_id")]
    public string WhatsAppPhoneNumberId { get; init; } = string.Empty;

    /// <summary>Gets the WhatsApp user to write to.</summary>
    [JsonPropertyName("whatsapp_user_id")]
    public string WhatsAppUserId { get; init; } = string.Empty;

    /// <summary>Gets the name of the approved message template.</summary>
    [JsonPropertyName("template_name")]
    public string TemplateName { get; init; } = string.Empty;

    /// <summary>Gets the language code of the template, e.g. <c>en_US</c>.</summary>
    [JsonPropertyName("template_language_code")]
    public string TemplateLanguageCode { get; init; } = string.Empty;

    /// <summary>Gets the values of the template's placeholders, per component (header, body, button). The API requires the list; it may be empty.</summary>
    [JsonPropertyName("template_params")]
    public IReadOnlyList<WhatsAppTemplateComponent> TemplateParams { get; init; } = [];

    /// <summary>Gets the agent that answers the user's replies; defaults to <see cref="ConvAiTelephonyOptions.DefaultAgentId"/>.</summary>
    [JsonPropertyName("agent_id")]
    public string? AgentId { get; init; }

    /// <summary>Gets the dynamic variables, user id and overrides for the conversation.</summary>
    [JsonPropertyName("conversation_initiation_client_data")]
    public ConversationInitiationClientData? ConversationInitiationClientData { get; init; }
}

/// <summary>The placeholder values of one template component (<c>header</c>, <c>body</c> or <c>button</c>).</summary>
public sealed record WhatsAppTemplateComponent
{
    /// <summary>Gets the component: <c>header</c>, <c>body</c> or <c>button</c>.</summary>
    [JsonPropertyName("type")]
    public string Type { get; init; } = string.Empty;

    /// <summary>Gets the values, in the template's order.</summary>
    [JsonPropertyName("parameters")]
    public IReadOnlyList<WhatsAppTemplateParameter> Parameters { get; init; } = [];

    /// <summary>Gets the button's position (button components only).</summary>
    [JsonPropertyName("index")]
    public int? Index { get; init; }

    /// <summary>Gets the button's sub-type, e.g. <c>url</c> or <c>quick_reply</c> (button components only).</summary>
    [JsonPropertyName("sub_type")]
    public string? SubType { get; init; }

    /// <summary>Gets other fields of the component, sent as they are.</summary>
    [JsonExtensionData]
    public IDictionary<string, JsonElement>? AdditionalProperties { get; set; }

    /// <summary>Creates a <c>body</c> component with text values.</summary>
    /// <param name="texts">The values of the body's placeholders, in order.</param>
    /// <returns>The component.</returns>
    public static WhatsAppTemplateComponent Body(params string[] texts)
        => new() { Type = "body", Parameters = Array.ConvertAll(texts, WhatsAppTemplateParameter.FromText) };
}

/// <summary>
/// One placeholder value. Text values set <see cref="Text"/>; header media (<c>image</c>, <c>document</c>, <c>location</c>)
/// go in <see cref="AdditionalProperties"/> under their type's name, e.g. <c>{"type":"image","image":{"link":"https://…"}}</c>.
/// </summary>
public sealed record WhatsAppTemplateParameter
{
    /// <summary>Gets the kind of value: <c>text</c> (the default when omitted), <c>image</c>, <c>document</c> or <c>location</c>.</summary>
    [JsonPropertyName("type")]
    public string? Type { get; init; }

    /// <summary>Gets the text of a text value.</summary>
    [JsonPropertyName("text")]
    public string? Text { get; init; }

    /// <summary>Gets the placeholder's name, for templates with named parameters.</summary>
    [JsonPropertyName("parameter_name")]
    public string? ParameterName { get; init; }

    /// <summary>Gets other fields of the value (the media object of an image, document or location), sent as they are.</summary>
    [JsonExtensionData]
    public IDictionary<string, JsonElement>? AdditionalProperties { get; set; }

    /// <summary>Creates a text value.</summary>
    /// <param name="text">The text.</param>
    /// <returns>The value.</returns>
    public static WhatsAppTemplateParameter FromText(string text) => new() { Text = text };
}

/// <summary>The answer of a WhatsApp outbound message.</summary>
public sealed record WhatsAppMessageResult
{
    /// <summary>Gets the id of the conversation the message opened.</summary>
    [JsonPropertyName("conversation_id")]
    public string? ConversationId { get; init; }

    /// <summary>Gets fields the server sent that this version of the library does not know.</summary>
    [JsonExtensionData]
    public IDictionary<string, JsonElement>? AdditionalProperties { get; set; }
}

/// <summary>A WhatsApp business account connected to the workspace, with its phone number.</summary>
public sealed record WhatsAppAccount
{
    /// <summary>Gets the WhatsApp business account id.</summary>
    [JsonPropertyName("business_account_id")]
    public string? BusinessAccountId { get; init; }

    /// <summary>Gets the WhatsApp phone number id; use it as <see cref="StartWhatsAppCallRequest.WhatsAppPhoneNumberId"/>.</summary>
    [JsonPropertyName("phone_number_id")]
    public string PhoneNumberId { get; init; } = string.Empty;

    /// <summary>Gets the business account's name.</summary>
    [JsonPropertyName("business_account_name")]
    public string? BusinessAccountName { get; init; }

    /// <summary>Gets the phone number's display name.</summary>
    [JsonPropertyName("phone_number_name")]
    public string? PhoneNumberName { get; init; }

    /// <summary>Gets the phone number.</summary>
    [JsonPropertyName("phone_number")]
    public string? PhoneNumber { get; init; }

    /// <summary>Gets the agent that answers on this number.</summary>
    [JsonPropertyName("assigned_agent_id")]
    public string? AssignedAgentId { get; init; }

    /// <summary>Gets the name of the agent that answers on this number.</summary>
    [JsonPropertyName("assigned_agent_name")]
    public string? AssignedAgentName { get; init; }

    /// <summary>Gets whether the agent answers text messages.</summary>
    [JsonPropertyName("enable_messaging")]
    public bool? EnableMessaging { get; init; }

    /// <summary>Gets whether the agent answers voice messages with audio.</summary>
    [JsonPropertyName("enable_audio_message_response")]
    public bool? EnableAudioMessageResponse { get; init; }

    /// <summary>Gets whether a typing indicator is shown while the agent writes (elevenlabs-python 2.59; not in elevenlabs-js 2.56).</summary>
    [JsonPropertyName("enable_typing_indicator")]
    public bool? EnableTypingIndicator { get; init; }

    /// <summary>Gets whether the account's access token expired; calls and messages fail until it is renewed in the dashboard.</summary>
    [JsonPropertyName("is_token_expired")]
    public bool? IsTokenExpired { get; init; }

    /// <summary>Gets fields the server sent that this version of the library does not know.</summary>
    [JsonExtensionData]
    public IDictionary<string, JsonElement>? AdditionalProperties { get; set; }
}

/// <summary>
/// The body of <c>PATCH /v1/convai/whatsapp-accounts/{phone_number_id}</c>. Properties left null are not sent, so the
/// server keeps their current values (elevenlabs-python 2.59; not in elevenlabs-js 2.56).
/// </summary>
public sealed record UpdateWhatsAppAccountRequest
{
    /// <summary>Gets the agent that answers on the number from now on.</summary>
    [JsonPropertyName("assigned_agent_id")]
    public string? AssignedAgentId { get; init; }

    /// <summary>Gets whether the agent answers text messages.</summary>
    [JsonPropertyName("enable_messaging")]
    public bool? EnableMessaging { get; init; }

    /// <summary>Gets whether the agent answers voice messages with audio.</summary>
    [JsonPropertyName("enable_audio_message_response")]
    public bool? EnableAudioMessageResponse { get; init; }

    /// <summary>Gets whether a typing indicator is shown while the agent writes.</summary>
    [JsonPropertyName("enable_typing_indicator")]
    public bool? EnableTypingIndicator { get; init; }
}

/// <summary>The answer of <c>GET /v1/convai/whatsapp-accounts</c>.</summary>
public sealed record WhatsAppAccountList
{
    /// <summary>Gets the accounts.</summary>
    [JsonPropertyName("items")]
    public IReadOnlyList<WhatsAppAccount> Items { get; init; } = [];

    /// <summary>Gets fields the server sent that this version of the library does not know.</summary>
    [JsonExtensionData]
    public IDictionary<string, JsonElement>? AdditionalProperties { get; set; }
}
