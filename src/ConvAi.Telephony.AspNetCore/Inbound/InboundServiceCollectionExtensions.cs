using ConvAi.Telephony;
using System.Diagnostics.CodeAnalysis;
using ConvAi.Telephony.AspNetCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the inbound-call endpoints' services: Twilio inbound calls and the conversation-initiation webhook.</summary>
public static class InboundServiceCollectionExtensions
{
    /// <summary>
    /// Registers the conversation-initiation webhook with <see cref="ConversationInitiationOptions"/> bound from the
    /// app's configuration section <c>ConvAi:ConversationInitiation</c>, validated at start-up.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <returns>A builder to add the handler and configure the options further.</returns>
    public static IConvAiConversationInitiationBuilder AddConvAiConversationInitiation(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        AddInitiationOptions(services).BindConfiguration(ConversationInitiationOptions.SectionName);
        return new FeatureBuilder(services);
    }

    /// <summary>
    /// Registers the conversation-initiation webhook with <see cref="ConversationInitiationOptions"/> bound from
    /// <paramref name="configuration"/>, validated at start-up.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configuration">The section holding the options, usually <c>ConvAi:ConversationInitiation</c>.</param>
    /// <returns>A builder to add the handler and configure the options further.</returns>
    public static IConvAiConversationInitiationBuilder AddConvAiConversationInitiation(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        AddInitiationOptions(services).Bind(configuration);
        return new FeatureBuilder(services);
    }

    /// <summary>Registers the conversation-initiation webhook with <see cref="ConversationInitiationOptions"/> set in code, validated at start-up.</summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Sets the options.</param>
    /// <returns>A builder to add the handler and configure the options further.</returns>
    public static IConvAiConversationInitiationBuilder AddConvAiConversationInitiation(this IServiceCollection services, Action<ConversationInitiationOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);
        AddInitiationOptions(services).Configure(configure);
        return new FeatureBuilder(services);
    }

    /// <summary>Configures the conversation-initiation options further; runs after the binding chosen in <c>AddConvAiConversationInitiation</c>.</summary>
    /// <param name="builder">The conversation-initiation builder.</param>
    /// <param name="configure">Sets the options.</param>
    /// <returns>The same builder.</returns>
    public static IConvAiConversationInitiationBuilder Configure(this IConvAiConversationInitiationBuilder builder, Action<ConversationInitiationOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        builder.Services.Configure(configure);
        return builder;
    }

    /// <summary>
    /// Registers <typeparamref name="THandler"/> (scoped, resolved for each request) as the
    /// <see cref="ConvAiConversationInitiationHandler"/> that <c>MapConvAiConversationInitiation(pattern)</c> answers with,
    /// replacing any earlier one.
    /// </summary>
    /// <typeparam name="THandler">The app's handler.</typeparam>
    /// <param name="builder">The conversation-initiation builder.</param>
    /// <returns>The same builder.</returns>
    public static IConvAiConversationInitiationBuilder AddHandler<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] THandler>(this IConvAiConversationInitiationBuilder builder)
        where THandler : ConvAiConversationInitiationHandler
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.Replace(ServiceDescriptor.Scoped<ConvAiConversationInitiationHandler, THandler>());
        return builder;
    }

    /// <summary>
    /// Registers Twilio inbound calls with <see cref="TwilioInboundOptions"/> bound from the app's configuration
    /// section <c>ConvAi:Twilio</c> (and <c>TWILIO_AUTH_TOKEN</c> when no auth token is set there), validated at
    /// start-up. The endpoint also needs the core client: <c>services.AddConvAiTelephony(...)</c>.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <returns>A builder to add the router and configure the options further.</returns>
    public static IConvAiTwilioInboundCallsBuilder AddConvAiTwilioInboundCalls(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        AddTwilioOptions(services).BindConfiguration(TwilioInboundOptions.SectionName);
        return new FeatureBuilder(services);
    }

    /// <summary>
    /// Registers Twilio inbound calls with <see cref="TwilioInboundOptions"/> bound from <paramref name="configuration"/>
    /// (and <c>TWILIO_AUTH_TOKEN</c> when no auth token is set there), validated at start-up.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configuration">The section holding the options, usually <c>ConvAi:Twilio</c>.</param>
    /// <returns>A builder to add the router and configure the options further.</returns>
    public static IConvAiTwilioInboundCallsBuilder AddConvAiTwilioInboundCalls(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        AddTwilioOptions(services).Bind(configuration);
        return new FeatureBuilder(services);
    }

    /// <summary>
    /// Registers Twilio inbound calls with <see cref="TwilioInboundOptions"/> set in code (and <c>TWILIO_AUTH_TOKEN</c>
    /// when no auth token is set), validated at start-up.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Sets the options.</param>
    /// <returns>A builder to add the router and configure the options further.</returns>
    public static IConvAiTwilioInboundCallsBuilder AddConvAiTwilioInboundCalls(this IServiceCollection services, Action<TwilioInboundOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);
        AddTwilioOptions(services).Configure(configure);
        return new FeatureBuilder(services);
    }

    /// <summary>Configures the Twilio inbound options further; runs after the binding chosen in <c>AddConvAiTwilioInboundCalls</c>.</summary>
    /// <param name="builder">The Twilio inbound builder.</param>
    /// <param name="configure">Sets the options.</param>
    /// <returns>The same builder.</returns>
    public static IConvAiTwilioInboundCallsBuilder Configure(this IConvAiTwilioInboundCallsBuilder builder, Action<TwilioInboundOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        builder.Services.Configure(configure);
        return builder;
    }

    /// <summary>
    /// Registers <typeparamref name="TRouter"/> (scoped, resolved for each call) as the <see cref="ConvAiTwilioCallRouter"/>
    /// that <c>MapConvAiTwilioInboundCalls(pattern)</c> routes calls with, replacing any earlier one.
    /// </summary>
    /// <typeparam name="TRouter">The app's router.</typeparam>
    /// <param name="builder">The Twilio inbound builder.</param>
    /// <returns>The same builder.</returns>
    public static IConvAiTwilioInboundCallsBuilder AddRouter<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] TRouter>(this IConvAiTwilioInboundCallsBuilder builder)
        where TRouter : ConvAiTwilioCallRouter
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.Replace(ServiceDescriptor.Scoped<ConvAiTwilioCallRouter, TRouter>());
        return builder;
    }

    private static OptionsBuilder<ConversationInitiationOptions> AddInitiationOptions(IServiceCollection services) =>
        FeatureRegistration.AddOptions<ConversationInitiationOptions, ConversationInitiationOptionsValidator>(services);

    internal static OptionsBuilder<TwilioInboundOptions> AddTwilioOptions(IServiceCollection services)
    {
        var options = FeatureRegistration.AddOptions<TwilioInboundOptions, TwilioInboundOptionsValidator>(services);
        FeatureRegistration.AddFallback<TwilioInboundOptions, TwilioAuthTokenFallback>(services);
        return options;
    }

    /// <summary>Uses the top-level <c>TWILIO_AUTH_TOKEN</c> key when no auth token was configured otherwise.</summary>
    private sealed class TwilioAuthTokenFallback(IServiceProvider services)
        : WellKnownKeyFallback<TwilioInboundOptions>(services, TwilioInboundOptions.AuthTokenFallbackKey)
    {
        protected override bool HasValue(TwilioInboundOptions options) => !string.IsNullOrWhiteSpace(options.AuthToken);

        protected override void Apply(TwilioInboundOptions options, string value) => options.AuthToken = value;
    }
}

/// <summary>Continues configuring the conversation-initiation webhook after <c>AddConvAiConversationInitiation</c>.</summary>
public interface IConvAiConversationInitiationBuilder
{
    /// <summary>The service collection the conversation-initiation webhook is registered in.</summary>
    IServiceCollection Services { get; }
}

/// <summary>Continues configuring Twilio inbound calls after <c>AddConvAiTwilioInboundCalls</c>.</summary>
public interface IConvAiTwilioInboundCallsBuilder
{
    /// <summary>The service collection Twilio inbound calls are registered in.</summary>
    IServiceCollection Services { get; }
}
