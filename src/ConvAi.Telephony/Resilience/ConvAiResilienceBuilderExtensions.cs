using ConvAi.Telephony;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Http.Resilience;
using Polly;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Tunes or replaces the resilience pipeline of the ConvAi.Telephony client.</summary>
public static class ConvAiResilienceBuilderExtensions
{
    /// <summary>
    /// Changes the retry, timeout, circuit-breaker and concurrency settings (<see cref="ConvAiTelephonyOptions.Resilience"/>)
    /// after configuration binding, e.g. <c>builder.ConfigureResilience(o =&gt; o.MaxConcurrentRequests = 10)</c>.
    /// The values are validated at startup like the bound ones.
    /// </summary>
    /// <param name="builder">The builder returned by <c>AddConvAiTelephony</c>.</param>
    /// <param name="configure">Changes the settings.</param>
    /// <returns>The same builder.</returns>
    public static IConvAiTelephonyBuilder ConfigureResilience(this IConvAiTelephonyBuilder builder, Action<ConvAiResilienceOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        builder.Services.Configure<ConvAiTelephonyOptions>(options => configure(options.Resilience));
        return builder;
    }

    /// <summary>
    /// Replaces the whole resilience pipeline with your own (the last call wins). The builder's <c>TimeProvider</c> is already
    /// set from the container. You then own what is retried: never retry a call-placing POST after a 5xx, 408, timeout or a
    /// connection lost after sending, or a person may be dialled twice. The error mapping and
    /// <see cref="ConvAiOutcomeUnknownException"/> still apply around your pipeline.
    /// </summary>
    /// <param name="builder">The builder returned by <c>AddConvAiTelephony</c>.</param>
    /// <param name="configure">Adds strategies to the empty pipeline builder.</param>
    /// <returns>The same builder.</returns>
    public static IConvAiTelephonyBuilder ReplaceResiliencePipeline(
        this IConvAiTelephonyBuilder builder,
        Action<ResiliencePipelineBuilder<HttpResponseMessage>, ResilienceHandlerContext> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        builder.Services.RemoveAll<ConvAiResiliencePipelineReplacement>();
        builder.Services.AddSingleton(new ConvAiResiliencePipelineReplacement(configure));
        return builder;
    }
}
