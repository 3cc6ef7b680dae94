using ConvAi.Telephony;
using ConvAi.Telephony.AspNetCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds a health check of the ElevenLabs post-call webhook.</summary>
public static class ConvAiWebhookHealthCheckExtensions
{
    /// <summary>
    /// Adds a health check that reads the workspace webhooks through <see cref="IConvAiTelephonyClient"/> and reports
    /// <see cref="HealthStatus.Unhealthy"/> (or <paramref name="failureStatus"/>) when ElevenLabs disabled the post-call webhook
    /// (<c>is_auto_disabled</c>) or a user did (<c>is_disabled</c>), and <see cref="HealthStatus.Degraded"/> when a delivery failed
    /// within <see cref="ConvAiWebhookHealthCheckOptions.RecentFailureWindow"/>, so you hear of it before results go missing.
    /// Needs <c>AddConvAiTelephony</c>. Each run makes one API request: poll it at a modest interval.
    /// </summary>
    /// <param name="builder">The health checks builder.</param>
    /// <param name="configure">Sets which webhook to watch and the failure window; null watches the webhooks the ConvAI settings use.</param>
    /// <param name="name">The check's name (default <c>convai-webhook</c>).</param>
    /// <param name="failureStatus">The status reported for a disabled webhook; null means <see cref="HealthStatus.Unhealthy"/>.</param>
    /// <param name="tags">Tags to filter checks by.</param>
    /// <returns>The same builder.</returns>
    public static IHealthChecksBuilder AddConvAiWebhookHealthCheck(
        this IHealthChecksBuilder builder,
        Action<ConvAiWebhookHealthCheckOptions>? configure = null,
        string name = "convai-webhook",
        HealthStatus? failureStatus = null,
        IEnumerable<string>? tags = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var options = new ConvAiWebhookHealthCheckOptions();
        configure?.Invoke(options);
        return builder.Add(new HealthCheckRegistration(
            name,
            sp => new ConvAiWebhookHealthCheck(sp.GetRequiredService<IConvAiTelephonyClient>(), sp.GetService<TimeProvider>() ?? TimeProvider.System, options),
            failureStatus,
            tags));
    }
}
