using System.Diagnostics.CodeAnalysis;
using ConvAi.Telephony.AspNetCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the Twilio Media Streams bridge.</summary>
public static class TwilioBridgeServiceCollectionExtensions
{
    /// <summary>
    /// Registers the Twilio Media Streams bridge with <typeparamref name="THandler"/> (scoped: one per voice webhook request and one per
    /// stream), <see cref="ConvAiTwilioBridgeOptions"/> bound from <c>ConvAi:TwilioBridge</c>, the Twilio settings from
    /// <c>ConvAi:Twilio</c> (and <c>TWILIO_AUTH_TOKEN</c>), <see cref="ILiveCalls"/>, and the graceful stop; all validated at start-up.
    /// The bridge also needs the core client (<c>services.AddConvAiTelephony(...)</c>) and <c>app.UseWebSockets()</c>.
    /// </summary>
    /// <typeparam name="THandler">The app's handler.</typeparam>
    /// <param name="services">The service collection.</param>
    /// <returns>A builder to configure the options further.</returns>
    public static IConvAiTwilioBridgeBuilder AddConvAiTwilioBridge<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] THandler>(this IServiceCollection services)
        where THandler : ConvAiTwilioBridgeHandler
    {
        ArgumentNullException.ThrowIfNull(services);
        var builder = AddCore<THandler>(services);
        builder.BindConfiguration(ConvAiTwilioBridgeOptions.SectionName);
        return new FeatureBuilder(services);
    }

    /// <summary>
    /// Registers the Twilio Media Streams bridge like <see cref="AddConvAiTwilioBridge{THandler}(IServiceCollection)"/>, with
    /// <see cref="ConvAiTwilioBridgeOptions"/> bound from <paramref name="configuration"/>.
    /// </summary>
    /// <typeparam name="THandler">The app's handler.</typeparam>
    /// <param name="services">The service collection.</param>
    /// <param name="configuration">The section holding the options, usually <c>ConvAi:TwilioBridge</c>.</param>
    /// <returns>A builder to configure the options further.</returns>
    public static IConvAiTwilioBridgeBuilder AddConvAiTwilioBridge<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] THandler>(this IServiceCollection services, IConfiguration configuration)
        where THandler : ConvAiTwilioBridgeHandler
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        AddCore<THandler>(services).Bind(configuration);
        return new FeatureBuilder(services);
    }

    /// <summary>Configures the bridge options further; runs after the binding chosen in <c>AddConvAiTwilioBridge</c>.</summary>
    /// <param name="builder">The bridge builder.</param>
    /// <param name="configure">Sets the options.</param>
    /// <returns>The same builder.</returns>
    public static IConvAiTwilioBridgeBuilder Configure(this IConvAiTwilioBridgeBuilder builder, Action<ConvAiTwilioBridgeOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        builder.Services.Configure(configure);
        return builder;
    }

    /// <summary>Configures the shared Twilio settings (auth token, public base URL, agent) used by the bridge and the inbound endpoint.</summary>
    /// <param name="builder">The bridge builder.</param>
    /// <param name="configure">Sets the options.</param>
    /// <returns>The same builder.</returns>
    public static IConvAiTwilioBridgeBuilder ConfigureTwilio(this IConvAiTwilioBridgeBuilder builder, Action<TwilioInboundOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        builder.Services.Configure(configure);
        return builder;
    }

    private static OptionsBuilder<ConvAiTwilioBridgeOptions> AddCore<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] THandler>(IServiceCollection services)
        where THandler : ConvAiTwilioBridgeHandler
    {
        if (!services.Any(d => d.ServiceType == typeof(IValidateOptions<TwilioInboundOptions>)))
        {
            InboundServiceCollectionExtensions.AddTwilioOptions(services).BindConfiguration(TwilioInboundOptions.SectionName);
        }

        services.Replace(ServiceDescriptor.Scoped<ConvAiTwilioBridgeHandler, THandler>());
        services.TryAddSingleton<LiveCallRegistry>(sp => new LiveCallRegistry(
            sp.GetRequiredService<IOptionsMonitor<ConvAiTwilioBridgeOptions>>(),
            sp.GetRequiredService<Logging.ILoggerFactory>(),
            sp.GetService<TimeProvider>() ?? TimeProvider.System));
        services.TryAddSingleton<ILiveCalls>(sp => sp.GetRequiredService<LiveCallRegistry>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, LiveCallRegistry>(sp => sp.GetRequiredService<LiveCallRegistry>()));
        services.TryAddSingleton(sp => new MediaStreamTokens(
            sp.GetRequiredService<IOptionsMonitor<TwilioInboundOptions>>().CurrentValue.AuthToken,
            sp.GetService<TimeProvider>() ?? TimeProvider.System));
        return FeatureRegistration.AddOptions<ConvAiTwilioBridgeOptions, ConvAiTwilioBridgeOptionsValidator>(services);
    }
}

/// <summary>Continues configuring the Twilio Media Streams bridge after <c>AddConvAiTwilioBridge</c>.</summary>
public interface IConvAiTwilioBridgeBuilder
{
    /// <summary>The service collection the bridge is registered in.</summary>
    IServiceCollection Services { get; }
}
