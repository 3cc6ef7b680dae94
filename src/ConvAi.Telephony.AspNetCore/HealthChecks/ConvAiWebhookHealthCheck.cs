using System.Globalization;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace ConvAi.Telephony.AspNetCore;

/// <summary>
/// Reports whether ElevenLabs can deliver post-call webhooks: Unhealthy when the webhook is disabled (by a user or, after
/// repeated failures, by ElevenLabs: <c>is_auto_disabled</c>), Degraded when a delivery failed recently, Healthy otherwise.
/// Reads <c>GET /v1/workspace/webhooks?include_usages=true</c> through the core client.
/// </summary>
internal sealed class ConvAiWebhookHealthCheck(IConvAiTelephonyClient client, TimeProvider timeProvider, ConvAiWebhookHealthCheckOptions options) : IHealthCheck
{
    private static readonly string[] ConvAiUsages = ["ConvAI Settings", "ConvAI Agent Settings"];

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        IReadOnlyList<WorkspaceWebhook> all;
        try
        {
            all = await client.WorkspaceWebhooks.ListAsync(includeUsages: true, cancellationToken).ConfigureAwait(false);
        }
        catch (ConvAiException ex)
        {
            // Not knowing is not the same as failing: the webhook may be fine.
            return HealthCheckResult.Degraded("Could not read the workspace webhooks from ElevenLabs.", ex);
        }
        catch (HttpRequestException ex)
        {
            return HealthCheckResult.Degraded("Could not read the workspace webhooks from ElevenLabs.", ex);
        }

        var watched = options.WebhookId is { } id
            ? all.Where(w => w.WebhookId == id).ToList()
            : all.Where(w => w.Usage?.Any(u => ConvAiUsages.Contains(u.UsageType, StringComparer.OrdinalIgnoreCase)) == true).ToList();
        if (watched.Count == 0)
        {
            return options.WebhookId is null
                ? HealthCheckResult.Degraded("No workspace webhook is used by the ConvAI settings: post-call results are not delivered.")
                : new HealthCheckResult(context.Registration.FailureStatus, $"Workspace webhook '{options.WebhookId}' does not exist.");
        }

        var data = new Dictionary<string, object>(StringComparer.Ordinal);
        var now = timeProvider.GetUtcNow();
        var status = HealthStatus.Healthy;
        var problems = new List<string>();
        foreach (var webhook in watched)
        {
            data[webhook.WebhookId] = Describe(webhook);
            if (webhook.IsAutoDisabled || webhook.IsDisabled)
            {
                status = context.Registration.FailureStatus;
                problems.Add(webhook.IsAutoDisabled
                    ? $"ElevenLabs disabled webhook '{webhook.WebhookId}' after repeated failed deliveries; enable it again (is_disabled: false) once the receiver answers 200."
                    : $"Webhook '{webhook.WebhookId}' is disabled.");
            }
            else if (webhook.MostRecentFailureTimestamp is { } failedAt && now - DateTimeOffset.FromUnixTimeSeconds(failedAt) <= options.RecentFailureWindow)
            {
                status = status == HealthStatus.Healthy ? HealthStatus.Degraded : status;
                problems.Add($"Webhook '{webhook.WebhookId}' failed a delivery at {DateTimeOffset.FromUnixTimeSeconds(failedAt):O} (status {webhook.MostRecentFailureErrorCode?.ToString(CultureInfo.InvariantCulture) ?? "unknown"}).");
            }
        }

        return new HealthCheckResult(status, problems.Count == 0 ? "Post-call webhooks are enabled with no recent failures." : string.Join(" ", problems), data: data);
    }

    private static string Describe(WorkspaceWebhook webhook)
        => string.Create(
            CultureInfo.InvariantCulture,
            $"disabled={webhook.IsDisabled}, auto_disabled={webhook.IsAutoDisabled}, last_failure={webhook.MostRecentFailureErrorCode?.ToString(CultureInfo.InvariantCulture) ?? "none"}@{webhook.MostRecentFailureTimestamp?.ToString(CultureInfo.InvariantCulture) ?? "-"}");
}
