using System.Text.Json;
using System.Text.Json.Serialization;

namespace ConvAi.Telephony;

/// <summary>The settings of a new workspace webhook (sent as <c>{"settings": {...}}</c> to <c>POST /v1/workspace/webhooks</c>).</summary>
public sealed record CreateWorkspaceWebhookRequest
{
    /// <summary>Gets the display name.</summary>
    [JsonPropertyName("name")]
    public string Name { get; init; } = string.Empty;

    /// <summary>Gets the HTTPS URL deliveries are posted to.</summary>
    [JsonPropertyName("webhook_url")]
    public string WebhookUrl { get; init; } = string.Empty;

    /// <summary>Gets how deliveries are authenticated; the API creates <see cref="WebhookAuthType.Hmac"/> webhooks (the default).</summary>
    [JsonPropertyName("auth_type")]
    public WebhookAuthType AuthType { get; init; } = WebhookAuthType.Hmac;

    /// <summary>Gets extra headers sent with every delivery.</summary>
    [JsonPropertyName("request_headers")]
    public IDictionary<string, string?>? RequestHeaders { get; init; }
}

/// <summary>The answer of a webhook creation: its id and, for HMAC webhooks, the signing secret (returned only once).</summary>
public sealed record CreateWorkspaceWebhookResult
{
    /// <summary>Gets the new webhook's id.</summary>
    [JsonPropertyName("webhook_id")]
    public string WebhookId { get; init; } = string.Empty;

    /// <summary>Gets the secret that signs deliveries; store it now (e.g. as <c>ConvAi:Webhooks:Secret</c>), it cannot be read again.</summary>
    [JsonPropertyName("webhook_secret")]
    public string? WebhookSecret { get; init; }

    /// <summary>Gets fields the server sent that this version of the library does not know.</summary>
    [JsonExtensionData]
    public IDictionary<string, JsonElement>? AdditionalProperties { get; set; }

    /// <summary>Describes the result without the secret, so it can be logged.</summary>
    /// <returns>The id and whether a secret was returned.</returns>
    public override string ToString() => $"CreateWorkspaceWebhookResult {{ WebhookId = {WebhookId}, WebhookSecret = {(WebhookSecret is null ? "null" : "***")} }}";
}

/// <summary>
/// The body of <c>PATCH /v1/workspace/webhooks/{webhook_id}</c>. The API requires <see cref="Name"/> and <see cref="IsDisabled"/>
/// on every update; the other properties are sent only when set.
/// </summary>
public sealed record UpdateWorkspaceWebhookRequest
{
    /// <summary>Gets whether the webhook is disabled; false enables it again, also after ElevenLabs disabled it.</summary>
    [JsonPropertyName("is_disabled")]
    public bool IsDisabled { get; init; }

    /// <summary>Gets the display name (required by the API; send the current one to keep it).</summary>
    [JsonPropertyName("name")]
    public string Name { get; init; } = string.Empty;

    /// <summary>Gets whether failed <c>post_call_transcription</c> deliveries are retried (up to 5 attempts over about 40 minutes, on 5xx, 429 and 408).</summary>
    [JsonPropertyName("retry_enabled")]
    public bool? RetryEnabled { get; init; }

    /// <summary>Gets extra headers sent with every delivery.</summary>
    [JsonPropertyName("request_headers")]
    public IDictionary<string, string?>? RequestHeaders { get; init; }

    /// <summary>Gets the complete set of workspace-level events to subscribe to; null leaves the subscriptions unchanged (elevenlabs-python 2.59, not in elevenlabs-js 2.56).</summary>
    [JsonPropertyName("events")]
    public IReadOnlyList<WorkspaceWebhookEventType>? Events { get; init; }
}

/// <summary>The wire body of a webhook creation.</summary>
internal sealed record CreateWorkspaceWebhookBody([property: JsonPropertyName("settings")] CreateWorkspaceWebhookRequest Settings);

/// <summary>The wire answer of the list.</summary>
internal sealed record WorkspaceWebhookList([property: JsonPropertyName("webhooks")] IReadOnlyList<WorkspaceWebhook>? Webhooks);
