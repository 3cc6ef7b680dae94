using System.Text.Json.Nodes;

namespace ConvAi.Telephony.Testing;

/// <summary>A workspace webhook held by the emulator.</summary>
internal sealed class WorkspaceWebhookRecord
{
    public required string WebhookId { get; init; }

    public required string Name { get; set; }

    public required string Url { get; init; }

    public required string AuthType { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    public bool IsDisabled { get; set; }

    public bool IsAutoDisabled { get; set; }

    public bool RetryEnabled { get; set; }

    public int? MostRecentFailureErrorCode { get; set; }

    public DateTimeOffset? MostRecentFailureAt { get; set; }

    public JsonArray Events { get; set; } = [];

    public JsonObject ToJson(bool includeUsages)
    {
        var json = new JsonObject
        {
            ["name"] = Name,
            ["webhook_id"] = WebhookId,
            ["webhook_url"] = Url,
            ["is_disabled"] = IsDisabled,
            ["is_auto_disabled"] = IsAutoDisabled,
            ["created_at_unix"] = CreatedAt.ToUnixTimeSeconds(),
            ["auth_type"] = AuthType,
            ["most_recent_failure_error_code"] = MostRecentFailureErrorCode,
            ["most_recent_failure_timestamp"] = MostRecentFailureAt?.ToUnixTimeSeconds(),
        };
        if (includeUsages)
        {
            json["usage"] = new JsonArray(new JsonObject { ["usage_type"] = "ConvAI Settings" });
            json["events"] = Events.DeepClone();
        }

        return json;
    }
}
