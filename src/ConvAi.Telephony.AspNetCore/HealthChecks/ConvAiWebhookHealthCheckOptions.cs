namespace ConvAi.Telephony.AspNetCore;

/// <summary>Settings of the post-call webhook health check (<c>AddConvAiWebhookHealthCheck</c>).</summary>
public sealed class ConvAiWebhookHealthCheckOptions
{
    /// <summary>
    /// Gets or sets the id of the webhook to watch (the workspace's <c>post_call_webhook_id</c>). When null, every workspace
    /// webhook that the ConvAI settings or an agent use (usage <c>ConvAI Settings</c> or <c>ConvAI Agent Settings</c>) is watched.
    /// </summary>
    public string? WebhookId { get; set; }

    /// <summary>
    /// Gets or sets how long a failed delivery keeps the check <see cref="Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus.Degraded"/>
    /// (default 1 hour): a failure reported by <c>most_recent_failure_timestamp</c> within this window degrades the check.
    /// </summary>
    public TimeSpan RecentFailureWindow { get; set; } = TimeSpan.FromHours(1);
}
