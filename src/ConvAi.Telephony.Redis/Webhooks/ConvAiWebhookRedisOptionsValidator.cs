using Microsoft.Extensions.Options;

namespace ConvAi.Telephony.Redis;

/// <summary>Checks <see cref="ConvAiWebhookRedisOptions"/> at start-up, naming the configuration key of each problem.</summary>
internal sealed class ConvAiWebhookRedisOptionsValidator : IValidateOptions<ConvAiWebhookRedisOptions>
{
    private const string Section = ConvAiWebhookRedisOptions.SectionName + ":";

    public ValidateOptionsResult Validate(string? name, ConvAiWebhookRedisOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(options.KeyPrefix))
        {
            failures.Add($"{Section}{nameof(options.KeyPrefix)} must not be empty.");
        }

        if (string.IsNullOrWhiteSpace(options.ConsumerGroup))
        {
            failures.Add($"{Section}{nameof(options.ConsumerGroup)} must not be empty.");
        }

        if (string.IsNullOrWhiteSpace(options.ConsumerName))
        {
            failures.Add($"{Section}{nameof(options.ConsumerName)} must not be empty.");
        }

        if (options.ClaimIdleTime <= TimeSpan.Zero)
        {
            failures.Add($"{Section}{nameof(options.ClaimIdleTime)} must be positive.");
        }

        if (options.PollInterval <= TimeSpan.Zero)
        {
            failures.Add($"{Section}{nameof(options.PollInterval)} must be positive.");
        }

        if (options.MaxLength <= 0)
        {
            failures.Add($"{Section}{nameof(options.MaxLength)} must be positive.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
