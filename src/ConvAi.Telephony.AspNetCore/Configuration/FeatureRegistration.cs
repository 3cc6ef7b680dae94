using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace ConvAi.Telephony.AspNetCore;

/// <summary>
/// The one way each add-on feature (conversation initiation, Twilio inbound calls) registers its options:
/// validated at start-up by the feature's validator and, where the feature has one, with its well-known top-level
/// key (an environment variable in a host) filling the secret when none is configured. The caller binds the options (the default
/// section, a given section, or code) on the returned builder, where the configuration-binding generator sees the
/// concrete type.
/// </summary>
internal static class FeatureRegistration
{
    public static OptionsBuilder<TOptions> AddOptions<
        [DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicParameterlessConstructor)] TOptions,
        [DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] TValidator>(IServiceCollection services)
        where TOptions : class
        where TValidator : class, IValidateOptions<TOptions>
    {
        services.AddLogging();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<TOptions>, TValidator>());
        return services.AddOptions<TOptions>().ValidateOnStart();
    }

    /// <summary>Registers the feature's well-known key (see <see cref="WellKnownKeyFallback{TOptions}"/>).</summary>
    public static void AddFallback<TOptions, [DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] TFallback>(IServiceCollection services)
        where TOptions : class
        where TFallback : WellKnownKeyFallback<TOptions> =>
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IPostConfigureOptions<TOptions>, TFallback>());

    /// <summary>Whether the feature's <c>Add*</c> method ran: its validator is registered.</summary>
    public static bool IsRegistered<TOptions, TValidator>(IServiceProvider services)
        where TOptions : class
        where TValidator : IValidateOptions<TOptions> =>
        services.GetServices<IValidateOptions<TOptions>>().OfType<TValidator>().Any();
}

/// <summary>
/// Fills a feature's secret from a well-known top-level configuration key (e.g. <c>WEBHOOK_SECRET</c>, which a host
/// reads from the environment) when the configured value is empty. Configured values always win.
/// </summary>
/// <typeparam name="TOptions">The feature's options.</typeparam>
/// <param name="services">The application's services; the key is read from its <see cref="IConfiguration"/>, if any.</param>
/// <param name="key">The top-level key.</param>
internal abstract class WellKnownKeyFallback<TOptions>(IServiceProvider services, string key) : IPostConfigureOptions<TOptions>
    where TOptions : class
{
    public void PostConfigure(string? name, TOptions options)
    {
        if (!HasValue(options) && services.GetService<IConfiguration>()?[key] is { Length: > 0 } value)
        {
            Apply(options, value);
        }
    }

    /// <summary>Whether the options already carry the value.</summary>
    protected abstract bool HasValue(TOptions options);

    /// <summary>Sets the value read from the key.</summary>
    protected abstract void Apply(TOptions options, string value);
}

/// <summary>Continues an add-on feature's registration; one instance serves each feature's builder interface.</summary>
internal sealed class FeatureBuilder(IServiceCollection services)
    : IConvAiConversationInitiationBuilder, IConvAiTwilioInboundCallsBuilder, IConvAiTwilioBridgeBuilder
{
    public IServiceCollection Services { get; } = services;
}
