using System.Diagnostics.CodeAnalysis;
using ConvAi.Telephony.AspNetCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the options of the inbound-call endpoints (Twilio inbound calls, conversation initiation).</summary>
public static class InboundServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="ConversationInitiationOptions"/> bound from the configuration section
    /// <c>ConvAi:ConversationInitiation</c>, validated at startup.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <returns>The service collection, for chaining.</returns>
    public static IServiceCollection AddConvAiConversationInitiation(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        AddValidatedOptions<ConversationInitiationOptions, ConversationInitiationOptionsValidator>(services)
            .BindConfiguration(ConversationInitiationOptions.SectionName);
        return services;
    }

    /// <summary>Registers <see cref="ConversationInitiationOptions"/> bound from a configuration section, validated at startup.</summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configuration">The section holding the options, usually <c>ConvAi:ConversationInitiation</c>.</param>
    /// <returns>The service collection, for chaining.</returns>
    public static IServiceCollection AddConvAiConversationInitiation(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        AddValidatedOptions<ConversationInitiationOptions, ConversationInitiationOptionsValidator>(services)
            .Bind(configuration);
        return services;
    }

    /// <summary>Registers <see cref="ConversationInitiationOptions"/> configured in code, validated at startup.</summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Sets the options.</param>
    /// <returns>The service collection, for chaining.</returns>
    public static IServiceCollection AddConvAiConversationInitiation(this IServiceCollection services, Action<ConversationInitiationOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);
        AddValidatedOptions<ConversationInitiationOptions, ConversationInitiationOptionsValidator>(services)
            .Configure(configure);
        return services;
    }

    /// <summary>
    /// Registers <see cref="TwilioInboundOptions"/> bound from the configuration section <c>ConvAi:Twilio</c>,
    /// validated at startup. The endpoint also needs the core client: <c>services.AddConvAiTelephony(...)</c>.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <returns>The service collection, for chaining.</returns>
    public static IServiceCollection AddTwilioInboundCalls(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        AddValidatedOptions<TwilioInboundOptions, TwilioInboundOptionsValidator>(services)
            .BindConfiguration(TwilioInboundOptions.SectionName);
        return services;
    }

    /// <summary>Registers <see cref="TwilioInboundOptions"/> bound from a configuration section, validated at startup.</summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configuration">The section holding the options, usually <c>ConvAi:Twilio</c>.</param>
    /// <returns>The service collection, for chaining.</returns>
    public static IServiceCollection AddTwilioInboundCalls(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        AddValidatedOptions<TwilioInboundOptions, TwilioInboundOptionsValidator>(services).Bind(configuration);
        return services;
    }

    /// <summary>Registers <see cref="TwilioInboundOptions"/> configured in code, validated at startup.</summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Sets the options.</param>
    /// <returns>The service collection, for chaining.</returns>
    public static IServiceCollection AddTwilioInboundCalls(this IServiceCollection services, Action<TwilioInboundOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);
        AddValidatedOptions<TwilioInboundOptions, TwilioInboundOptionsValidator>(services).Configure(configure);
        return services;
    }

    private static OptionsBuilder<TOptions> AddValidatedOptions<
        [DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicParameterlessConstructor)] TOptions,
        [DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] TValidator>(IServiceCollection services)
        where TOptions : class
        where TValidator : class, IValidateOptions<TOptions>
    {
        services.AddLogging();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<TOptions>, TValidator>());
        return services.AddOptions<TOptions>().ValidateOnStart();
    }
}
