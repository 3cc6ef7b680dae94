using System.Threading.RateLimiting;
using ConvAi.Telephony;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Polly;
using Polly.DependencyInjection;

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
    /// <param name="configure">
    /// Adds strategies to the empty pipeline builder. The context is Polly's: the container (<c>ServiceProvider</c>), and
    /// <c>EnableReloads</c> / <c>GetOptions</c> to rebuild the pipeline when options change.
    /// </param>
    /// <returns>The same builder.</returns>
    public static IConvAiTelephonyBuilder ReplaceResiliencePipeline(
        this IConvAiTelephonyBuilder builder,
        Action<ResiliencePipelineBuilder<HttpResponseMessage>, AddResiliencePipelineContext<string>> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        builder.Services.RemoveAll<ConvAiResiliencePipelineReplacement>();
        builder.Services.AddSingleton(new ConvAiResiliencePipelineReplacement(configure));
        return builder;
    }

    /// <summary>
    /// Supplies the limiter that every request (each attempt) acquires one permit from while it is in flight, instead of the
    /// one <see cref="ConvAiResilienceOptions.MaxConcurrentRequests"/> builds. Use it to share one limit across app instances
    /// (a <see cref="RateLimiter"/> backed by Redis) or to size the limit yourself. The factory runs once per container;
    /// the container disposes the limiter. A lease that is not acquired fails the request without sending it
    /// (<c>Polly.RateLimiting.RateLimiterRejectedException</c>). Ignored when <see cref="ReplaceResiliencePipeline"/> is used.
    /// </summary>
    /// <param name="builder">The builder returned by <c>AddConvAiTelephony</c>.</param>
    /// <param name="factory">Creates the limiter.</param>
    /// <returns>The same builder.</returns>
    public static IConvAiTelephonyBuilder UseConcurrencyLimiter(this IConvAiTelephonyBuilder builder, Func<IServiceProvider, RateLimiter> factory)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(factory);
        builder.Services.RemoveAll<ConvAiConcurrencyLimiter>();
        builder.Services.AddSingleton(sp => new ConvAiConcurrencyLimiter(factory(sp)));
        return builder;
    }

    /// <summary>
    /// Limits the requests in flight to what the plan has left: a <see cref="LiveCallCountLimiter"/> whose limit is
    /// <paramref name="planConcurrencyLimit"/> minus the workspace's live conversations, read with
    /// <c>Conversations.GetLiveCountAsync</c> at once and then every <see cref="LiveCallCountLimiterOptions.RefreshInterval"/>
    /// on the container's <see cref="TimeProvider"/>. See <see cref="LiveCallCountLimiter"/> for the exact rule.
    /// </summary>
    /// <param name="builder">The builder returned by <c>AddConvAiTelephony</c>.</param>
    /// <param name="planConcurrencyLimit">The plan's concurrency limit.</param>
    /// <param name="configure">Changes the refresh interval, minimum and queue size.</param>
    /// <returns>The same builder.</returns>
    public static IConvAiTelephonyBuilder UseLiveCallCountLimiter(
        this IConvAiTelephonyBuilder builder, int planConcurrencyLimit, Action<LiveCallCountLimiterOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var options = new LiveCallCountLimiterOptions { PlanConcurrencyLimit = planConcurrencyLimit };
        configure?.Invoke(options);
        return builder.UseConcurrencyLimiter(sp => new LiveCallCountLimiter(
            async ct =>
            {
                // The first read starts while the container is still creating this limiter (the client's pipeline needs it):
                // yield so it runs after the limiter is built.
                await Task.Yield();
                return await sp.GetRequiredService<ConversationsClient>().GetLiveCountAsync(null, ct).ConfigureAwait(false);
            },
            options,
            sp.GetService<TimeProvider>()));
    }
}
