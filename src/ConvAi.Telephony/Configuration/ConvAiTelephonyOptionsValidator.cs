using System.Globalization;
using Microsoft.Extensions.Options;

namespace ConvAi.Telephony;

/// <summary>Validates <see cref="ConvAiTelephonyOptions"/> at startup; every message names the configuration key.</summary>
internal sealed class ConvAiTelephonyOptionsValidator : IValidateOptions<ConvAiTelephonyOptions>
{
    private const string Prefix = ConvAiTelephonyOptions.SectionName + ":";

    public ValidateOptionsResult Validate(string? name, ConvAiTelephonyOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = GetFailures(options);
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    /// <summary>Validates options built without a container, throwing like the container would.</summary>
    public static void ThrowIfInvalid(ConvAiTelephonyOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = GetFailures(options);
        if (failures.Count > 0)
        {
            throw new OptionsValidationException(Options.DefaultName, typeof(ConvAiTelephonyOptions), failures);
        }
    }

    private static List<string> GetFailures(ConvAiTelephonyOptions options)
    {
        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(options.ApiKey))
        {
            failures.Add($"{Prefix}ApiKey is required.");
        }

        if (options.BaseAddress is { } baseAddress
            && (!baseAddress.IsAbsoluteUri || (baseAddress.Scheme != Uri.UriSchemeHttps && baseAddress.Scheme != Uri.UriSchemeHttp)))
        {
            failures.Add($"{Prefix}BaseAddress must be an absolute http or https URI.");
        }

        if (!Enum.IsDefined(options.Environment))
        {
            failures.Add(string.Create(CultureInfo.InvariantCulture, $"{Prefix}Environment '{(int)options.Environment}' is not a known environment."));
        }

        if (options.DefaultAgentId is { } agent && string.IsNullOrWhiteSpace(agent))
        {
            failures.Add($"{Prefix}DefaultAgentId must not be empty when set.");
        }

        if (options.DefaultPhoneNumberId is { } phone && string.IsNullOrWhiteSpace(phone))
        {
            failures.Add($"{Prefix}DefaultPhoneNumberId must not be empty when set.");
        }

        var infinite = System.Threading.Timeout.InfiniteTimeSpan;
        if (options.Timeout <= TimeSpan.Zero && options.Timeout != infinite)
        {
            failures.Add($"{Prefix}Timeout must be positive (or infinite).");
        }

        var resilience = options.Resilience;
        if (resilience is null)
        {
            failures.Add($"{Prefix}Resilience is required.");
            return failures;
        }

        const string r = Prefix + "Resilience:";
        if (resilience.AttemptTimeout <= TimeSpan.Zero)
        {
            failures.Add($"{r}AttemptTimeout must be positive.");
        }

        if (resilience.TotalTimeout <= TimeSpan.Zero)
        {
            failures.Add($"{r}TotalTimeout must be positive.");
        }
        else if (resilience.AttemptTimeout > resilience.TotalTimeout)
        {
            failures.Add($"{r}AttemptTimeout must not exceed {r}TotalTimeout.");
        }

        if (options.Timeout != infinite && options.Timeout > TimeSpan.Zero && resilience.TotalTimeout > options.Timeout)
        {
            failures.Add($"{r}TotalTimeout must not exceed {Prefix}Timeout.");
        }

        if (resilience.MaxRetryAttempts is < 0 or > 10)
        {
            failures.Add($"{r}MaxRetryAttempts must be between 0 and 10.");
        }

        if (resilience.BaseDelay < TimeSpan.Zero)
        {
            failures.Add($"{r}BaseDelay must not be negative.");
        }

        if (resilience.MaxDelay <= TimeSpan.Zero)
        {
            failures.Add($"{r}MaxDelay must be positive.");
        }
        else if (resilience.MaxDelay < resilience.BaseDelay)
        {
            failures.Add($"{r}MaxDelay must not be less than {r}BaseDelay.");
        }

        if (resilience.CircuitBreakerFailureRatio is <= 0 or > 1 || double.IsNaN(resilience.CircuitBreakerFailureRatio))
        {
            failures.Add($"{r}CircuitBreakerFailureRatio must be greater than 0 and at most 1.");
        }

        if (resilience.CircuitBreakerMinimumThroughput < 2)
        {
            failures.Add($"{r}CircuitBreakerMinimumThroughput must be at least 2.");
        }

        if (resilience.CircuitBreakerSamplingDuration < TimeSpan.FromMilliseconds(500))
        {
            failures.Add($"{r}CircuitBreakerSamplingDuration must be at least 500 milliseconds.");
        }

        if (resilience.CircuitBreakerBreakDuration < TimeSpan.FromMilliseconds(500))
        {
            failures.Add($"{r}CircuitBreakerBreakDuration must be at least 500 milliseconds.");
        }

        if (resilience.MaxConcurrentRequests is < 1)
        {
            failures.Add($"{r}MaxConcurrentRequests must be at least 1 when set.");
        }

        if (resilience.MaxQueuedRequests < 0)
        {
            failures.Add($"{r}MaxQueuedRequests must not be negative.");
        }

        return failures;
    }
}
