using Microsoft.Extensions.Options;

namespace ConvAi.Telephony;

/// <summary>Fails start-up when webhooks cannot be verified: no secret, bad tolerances, bad limits or bad allowlist entries.</summary>
internal sealed class ConvAiWebhookOptionsValidator : IValidateOptions<ConvAiWebhookOptions>
{
    public ValidateOptionsResult Validate(string? name, ConvAiWebhookOptions options)
    {
        var failures = new List<string>();
        if (!options.EffectiveSecrets.Any())
        {
            failures.Add(
                $"No webhook secret is configured: set '{ConvAiWebhookOptions.SectionName}:Secret', "
                + $"'{ConvAiWebhookOptions.SectionName}:Secrets' or '{ConvAiWebhookOptions.SecretFallbackKey}'. "
                + "Unsigned webhooks are never accepted.");
        }

        if (options.TimestampTolerance < TimeSpan.Zero)
        {
            failures.Add($"'{ConvAiWebhookOptions.SectionName}:TimestampTolerance' must not be negative.");
        }

        if (options.FutureTimestampTolerance < TimeSpan.Zero)
        {
            failures.Add($"'{ConvAiWebhookOptions.SectionName}:FutureTimestampTolerance' must not be negative.");
        }

        if (options.MaxRequestBodySize <= 0 || options.MaxRequestBodySize >= Array.MaxLength)
        {
            failures.Add($"'{ConvAiWebhookOptions.SectionName}:MaxRequestBodySize' must be positive and below 2 GB.");
        }

        if (options.ProcessedHorizon <= TimeSpan.Zero || options.ClaimLifetime <= TimeSpan.Zero)
        {
            failures.Add($"'{ConvAiWebhookOptions.SectionName}:ProcessedHorizon' and ':ClaimLifetime' must be positive.");
        }

        if (options.MaxAttempts < 1 || options.ProcessorConcurrency < 1 || options.InboxCapacity < 1 || options.DeliveryStoreCapacity < 1)
        {
            failures.Add(
                $"'{ConvAiWebhookOptions.SectionName}:MaxAttempts', ':ProcessorConcurrency', ':InboxCapacity' and ':DeliveryStoreCapacity' must be at least 1.");
        }

        if (options.RetryDelay < TimeSpan.Zero || options.MaxRetryDelay < options.RetryDelay || options.InboxSpoolThreshold < 0)
        {
            failures.Add(
                $"'{ConvAiWebhookOptions.SectionName}:RetryDelay' must not be negative nor above ':MaxRetryDelay', and ':InboxSpoolThreshold' must not be negative.");
        }

        foreach (var entry in options.AllowedSourceIps)
        {
            if (!SourceIpAllowlist.TryParseEntry(entry, out _))
            {
                failures.Add($"'{ConvAiWebhookOptions.SectionName}:AllowedSourceIps' has an entry that is not an IP address or CIDR range: '{entry}'.");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
