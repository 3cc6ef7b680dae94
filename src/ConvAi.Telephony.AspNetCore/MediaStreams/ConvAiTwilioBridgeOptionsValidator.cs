using Microsoft.Extensions.Options;

namespace ConvAi.Telephony.AspNetCore;

/// <summary>Validates <see cref="ConvAiTwilioBridgeOptions"/> at start-up; messages name the configuration key.</summary>
internal sealed class ConvAiTwilioBridgeOptionsValidator : IValidateOptions<ConvAiTwilioBridgeOptions>
{
    public ValidateOptionsResult Validate(string? name, ConvAiTwilioBridgeOptions options)
    {
        var builder = new ValidateOptionsResultBuilder();
        const string section = ConvAiTwilioBridgeOptions.SectionName;
        if (string.IsNullOrWhiteSpace(options.MediaStreamPath) || !options.MediaStreamPath.StartsWith('/') || options.MediaStreamPath.Contains('?', StringComparison.Ordinal))
        {
            builder.AddError($"{section}:{nameof(ConvAiTwilioBridgeOptions.MediaStreamPath)} must be a path starting with '/' and without a query (Twilio refuses a query string in a stream URL).");
        }

        Positive(builder, options.MarkDrainTimeout, nameof(ConvAiTwilioBridgeOptions.MarkDrainTimeout), allowZero: true);
        Positive(builder, options.StartTimeout, nameof(ConvAiTwilioBridgeOptions.StartTimeout), allowZero: false);
        Positive(builder, options.ShutdownTimeout, nameof(ConvAiTwilioBridgeOptions.ShutdownTimeout), allowZero: true);
        Positive(builder, options.CallTokenLifetime, nameof(ConvAiTwilioBridgeOptions.CallTokenLifetime), allowZero: false);
        if (options.MaxFrameBytes < 1024)
        {
            builder.AddError($"{section}:{nameof(ConvAiTwilioBridgeOptions.MaxFrameBytes)} must be at least 1024.");
        }

        return builder.Build();

        static void Positive(ValidateOptionsResultBuilder builder, TimeSpan value, string key, bool allowZero)
        {
            if (value < TimeSpan.Zero || (!allowZero && value == TimeSpan.Zero))
            {
                builder.AddError($"{section}:{key} must be {(allowZero ? "zero or more" : "more than zero")}.");
            }
        }
    }
}
