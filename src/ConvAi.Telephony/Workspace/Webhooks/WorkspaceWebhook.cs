using System.Text.Json;
using System.Text.Json.Serialization;

namespace ConvAi.Telephony;

/// <summary>A webhook of the workspace (<c>GET /v1/workspace/webhooks</c>), with its delivery health.</summary>
public sealed record WorkspaceWebhook
{
    /// <summary>Gets the webhook id; the ConvAI settings refer to the post-call webhook by it (<c>post_call_webhook_id</c>).</summary>
    [JsonPropertyName("webhook_id")]
    public string WebhookId { get; init; } = string.Empty;

    /// <summary>Gets the display name.</summary>
    [JsonPropertyName("name")]
    public string? Name { get; init; }

    /// <summary>Gets the HTTPS URL deliveries are posted to.</summary>
    [JsonPropertyName("webhook_url")]
    public string? WebhookUrl { get; init; }

    /// <summary>Gets whether a user disabled the webhook.</summary>
    [JsonPropertyName("is_disabled")]
    public bool IsDisabled { get; init; }

    /// <summary>Gets whether ElevenLabs disabled the webhook after repeated consecutive failures; nothing is delivered until it is enabled again.</summary>
    [JsonPropertyName("is_auto_disabled")]
    public bool IsAutoDisabled { get; init; }

    /// <summary>Gets when the webhook was created, in seconds since the Unix epoch.</summary>
    [JsonPropertyName("created_at_unix")]
    public long CreatedAtUnix { get; init; }

    /// <summary>Gets how deliveries are authenticated.</summary>
    [JsonPropertyName("auth_type")]
    public WebhookAuthType? AuthType { get; init; }

    /// <summary>Gets the products that send to this webhook (only when listed with usages).</summary>
    [JsonPropertyName("usage")]
    public IReadOnlyList<WorkspaceWebhookUsage>? Usage { get; init; }

    /// <summary>Gets the workspace-level events the webhook is subscribed to (only when listed with usages; elevenlabs-python 2.59, not in elevenlabs-js 2.56).</summary>
    [JsonPropertyName("events")]
    public IReadOnlyList<WorkspaceWebhookEventType>? Events { get; init; }

    /// <summary>Gets the HTTP status of the most recent failed delivery (any answer but 200), if any.</summary>
    [JsonPropertyName("most_recent_failure_error_code")]
    public int? MostRecentFailureErrorCode { get; init; }

    /// <summary>Gets when the most recent delivery failed, in seconds since the Unix epoch, if any.</summary>
    [JsonPropertyName("most_recent_failure_timestamp")]
    public long? MostRecentFailureTimestamp { get; init; }

    /// <summary>Gets fields the server sent that this version of the library does not know.</summary>
    [JsonExtensionData]
    public IDictionary<string, JsonElement>? AdditionalProperties { get; set; }
}

/// <summary>A product that sends to a workspace webhook.</summary>
public sealed record WorkspaceWebhookUsage
{
    /// <summary>Gets the product, e.g. <c>ConvAI Settings</c> (the workspace's post-call webhook) or <c>ConvAI Agent Settings</c>.</summary>
    [JsonPropertyName("usage_type")]
    public string? UsageType { get; init; }

    /// <summary>Gets fields the server sent that this version of the library does not know.</summary>
    [JsonExtensionData]
    public IDictionary<string, JsonElement>? AdditionalProperties { get; set; }
}
