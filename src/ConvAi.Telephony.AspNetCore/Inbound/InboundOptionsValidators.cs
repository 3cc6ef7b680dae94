using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace ConvAi.Telephony.AspNetCore;

/// <summary>Validates <see cref="TwilioInboundOptions"/> at startup; messages name the configuration key. Without a host environment the opt-out is refused.</summary>
internal sealed class TwilioInboundOptionsValidator(IHostEnvironment? environment = null) : IValidateOptions<TwilioInboundOptions>
{
    public ValidateOptionsResult Validate(string? name, TwilioInboundOptions options)
    {
        var builder = new ValidateOptionsResultBuilder();
        const string section = TwilioInboundOptions.SectionName;
        builder.AddResult(DevelopmentOptOut.Check(
            environment,
            hasSecret: !string.IsNullOrWhiteSpace(options.AuthToken),
            optedOut: options.DangerouslyDisableSignatureValidation,
            secretKey: $"{section}:{nameof(TwilioInboundOptions.AuthToken)}",
            optOutKey: $"{section}:{nameof(TwilioInboundOptions.DangerouslyDisableSignatureValidation)}",
            fallbackKey: TwilioInboundOptions.AuthTokenFallbackKey));

        if (options.PublicBaseUrl is { } baseUrl
            && (!baseUrl.IsAbsoluteUri || (baseUrl.Scheme != Uri.UriSchemeHttps && baseUrl.Scheme != Uri.UriSchemeHttp)
                || !string.IsNullOrEmpty(baseUrl.Query) || !string.IsNullOrEmpty(baseUrl.Fragment)))
        {
            builder.AddError($"{section}:{nameof(TwilioInboundOptions.PublicBaseUrl)} must be an absolute http or https URL without a query or fragment.");
        }

        if (options.RegisterCallTimeout <= TimeSpan.Zero)
        {
            builder.AddError($"{section}:{nameof(TwilioInboundOptions.RegisterCallTimeout)} must be positive.");
        }

        if (string.IsNullOrWhiteSpace(options.FallbackMessage))
        {
            builder.AddError($"{section}:{nameof(TwilioInboundOptions.FallbackMessage)} must not be empty.");
        }

        return builder.Build();
    }
}

/// <summary>Validates <see cref="ConversationInitiationOptions"/> at startup; messages name the configuration key. Without a host environment the opt-out is refused.</summary>
internal sealed class ConversationInitiationOptionsValidator(IHostEnvironment? environment = null) : IValidateOptions<ConversationInitiationOptions>
{
    public ValidateOptionsResult Validate(string? name, ConversationInitiationOptions options)
    {
        var builder = new ValidateOptionsResultBuilder();
        const string section = ConversationInitiationOptions.SectionName;
        builder.AddResult(DevelopmentOptOut.Check(
            environment,
            hasSecret: !string.IsNullOrWhiteSpace(options.Secret),
            optedOut: options.DangerouslyDisableAuthentication,
            secretKey: $"{section}:{nameof(ConversationInitiationOptions.Secret)}",
            optOutKey: $"{section}:{nameof(ConversationInitiationOptions.DangerouslyDisableAuthentication)}"));

        if (string.IsNullOrWhiteSpace(options.HeaderName))
        {
            builder.AddError($"{section}:{nameof(ConversationInitiationOptions.HeaderName)} must not be empty.");
        }

        if (options.HandlerTimeout <= TimeSpan.Zero)
        {
            builder.AddError($"{section}:{nameof(ConversationInitiationOptions.HandlerTimeout)} must be positive.");
        }

        return builder.Build();
    }
}

/// <summary>The one rule both inbound endpoints share: a secret is required unless a Development-only opt-out is set.</summary>
internal static class DevelopmentOptOut
{
    public static ValidateOptionsResult Check(
        IHostEnvironment? environment, bool hasSecret, bool optedOut, string secretKey, string optOutKey, string? fallbackKey = null)
    {
        if (optedOut && environment?.IsDevelopment() != true)
        {
            return ValidateOptionsResult.Fail($"{optOutKey} is allowed only in the Development environment; configure {secretKey} instead.");
        }

        if (!hasSecret && !optedOut)
        {
            var alternative = fallbackKey is null ? string.Empty : $" (or the top-level {fallbackKey})";
            return ValidateOptionsResult.Fail($"{secretKey} is required{alternative}. (For local development only, {optOutKey} = true skips the check in the Development environment.)");
        }

        return ValidateOptionsResult.Success;
    }
}
