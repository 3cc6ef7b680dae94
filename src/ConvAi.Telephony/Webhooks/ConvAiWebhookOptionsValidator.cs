using Microsoft.Extensions.Options;

namespace ConvAi.Telephony;

/// <summary>Fails start-up when webhooks cannot be verified: no secret, bad tolerances, bad limits or bad allowlist entries; messages name the configuration key.</summary>
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

        const string Section = ConvAiWebhookOptions.SectionName;
        var verification = options.Verification;
        if (verification.TimestampTolerance < TimeSpan.Zero)
        {
            failures.Add($"'{Section}:Verification:TimestampTolerance' must not be negative.");
        }

        if (verification.MaxRequestBodySize <= 0 || verification.MaxRequestBodySize >= Array.MaxLength)
        {
            failures.Add($"'{Section}:Verification:MaxRequestBodySize' must be positive and below 2 GB.");
        }

        foreach (var entry in verification.AllowedSourceIps)
        {
            if (!SourceIpAllowlist.TryParseEntry(entry, out _))
            {
                failures.Add($"'{Section}:Verification:AllowedSourceIps' has an entry that is not an IP address or CIDR range: '{entry}'.");
            }
        }

        if (options.Deduplication.ProcessedHorizon <= TimeSpan.Zero || options.Deduplication.ClaimLifetime <= TimeSpan.Zero)
        {
            failures.Add($"'{Section}:Deduplication:ProcessedHorizon' and ':ClaimLifetime' must be positive.");
        }

        if (options.Deduplication.ClaimLease < TimeSpan.FromSeconds(1) || options.Deduplication.ClaimLease > options.Deduplication.ClaimLifetime)
        {
            failures.Add($"'{Section}:Deduplication:ClaimLease' must be at least 1 second and at most ':ClaimLifetime'.");
        }

        var delivery = options.Delivery;
        if (delivery.MaxAttempts < 1 || delivery.ProcessorConcurrency < 1)
        {
            failures.Add($"'{Section}:Delivery:MaxAttempts' and ':ProcessorConcurrency' must be at least 1.");
        }

        if (delivery.RetryDelay < TimeSpan.Zero || delivery.MaxRetryDelay < delivery.RetryDelay)
        {
            failures.Add($"'{Section}:Delivery:RetryDelay' must not be negative nor above ':MaxRetryDelay'.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}

/// <summary>Fails start-up on capacities of the in-memory store and inbox that cannot hold anything, naming the key.</summary>
internal sealed class InMemoryWebhookOptionsValidator : IValidateOptions<InMemoryWebhookOptions>
{
    public ValidateOptionsResult Validate(string? name, InMemoryWebhookOptions options) =>
        options.InboxCapacity < 1 || options.DeliveryStoreCapacity < 1 || options.SpoolThreshold < 0
            ? ValidateOptionsResult.Fail(
                $"'{InMemoryWebhookOptions.SectionName}:InboxCapacity' and ':DeliveryStoreCapacity' must be at least 1, and ':SpoolThreshold' must not be negative.")
            : ValidateOptionsResult.Success;
}
