using System.Diagnostics.CodeAnalysis;
using ConvAi.Telephony;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers ElevenLabs post-call webhook verification, parsing, duplicate detection and dispatch.</summary>
public static class ConvAiWebhookServiceCollectionExtensions
{
    /// <summary>
    /// Registers webhooks with options bound from the app's configuration section <c>ConvAi:Webhooks</c> (and
    /// <c>WEBHOOK_SECRET</c> when no secret is set there). A missing secret fails start-up.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <returns>A builder to add the handler and choose the delivery store.</returns>
    public static IConvAiWebhooksBuilder AddConvAiWebhooks(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        AddCore(services).BindConfiguration(ConvAiWebhookOptions.SectionName);
        return new WebhooksBuilder(services);
    }

    /// <summary>
    /// Registers webhooks with options bound from <paramref name="configuration"/> (a section shaped like <c>ConvAi:Webhooks</c>;
    /// <c>WEBHOOK_SECRET</c> when no secret is set there). A missing secret fails start-up.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configuration">The configuration section to bind.</param>
    /// <returns>A builder to add the handler and choose the delivery store.</returns>
    public static IConvAiWebhooksBuilder AddConvAiWebhooks(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        AddCore(services).Bind(configuration);
        return new WebhooksBuilder(services);
    }

    /// <summary>
    /// Registers webhooks with options set in code (<c>WEBHOOK_SECRET</c> when no secret is set). A missing secret fails start-up.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Sets the options, at least a secret.</param>
    /// <returns>A builder to add the handler and choose the delivery store.</returns>
    public static IConvAiWebhooksBuilder AddConvAiWebhooks(this IServiceCollection services, Action<ConvAiWebhookOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);
        AddCore(services).Configure(configure);
        return new WebhooksBuilder(services);
    }

    /// <summary>Configures the webhook options further; runs after the binding chosen in <c>AddConvAiWebhooks</c>.</summary>
    /// <param name="builder">The webhooks builder.</param>
    /// <param name="configure">Sets the options.</param>
    /// <returns>The same builder.</returns>
    public static IConvAiWebhooksBuilder Configure(this IConvAiWebhooksBuilder builder, Action<ConvAiWebhookOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        builder.Services.Configure(configure);
        return builder;
    }

    /// <summary>Registers <typeparamref name="THandler"/> (scoped) as the handler that <c>MapConvAiWebhooks</c> dispatches to, replacing any earlier one.</summary>
    /// <typeparam name="THandler">The app's handler.</typeparam>
    /// <param name="builder">The webhooks builder.</param>
    /// <returns>The same builder.</returns>
    public static IConvAiWebhooksBuilder AddHandler<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] THandler>(this IConvAiWebhooksBuilder builder)
        where THandler : ConvAiWebhookHandler
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.Replace(ServiceDescriptor.Scoped<ConvAiWebhookHandler, THandler>());
        return builder;
    }

    /// <summary>Uses <typeparamref name="TStore"/> (singleton) to remember accepted deliveries, replacing the in-memory store.</summary>
    /// <typeparam name="TStore">The store type.</typeparam>
    /// <param name="builder">The webhooks builder.</param>
    /// <returns>The same builder.</returns>
    public static IConvAiWebhooksBuilder UseDeliveryStore<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] TStore>(this IConvAiWebhooksBuilder builder)
        where TStore : class, IConvAiWebhookDeliveryStore
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.Replace(ServiceDescriptor.Singleton<IConvAiWebhookDeliveryStore, TStore>());
        return builder;
    }

    /// <summary>
    /// Adds the reconciler: a hosted service that, every <c>Interval</c>, lists the conversations of the configured agents
    /// with the <see cref="IConvAiTelephonyClient"/> (register it with <c>AddConvAiTelephony</c>) and dispatches every
    /// finished conversation that no webhook delivered within the grace period as a reconciled
    /// <see cref="PostCallTranscriptionEvent"/>, once. Options are bound from <c>ConvAi:Webhooks:Reconcile</c> and then
    /// <paramref name="configure"/>.
    /// </summary>
    /// <param name="builder">The webhooks builder.</param>
    /// <param name="configure">Optionally sets the options in code.</param>
    /// <returns>The same builder.</returns>
    public static IConvAiWebhooksBuilder AddReconciliation(this IConvAiWebhooksBuilder builder, Action<ConvAiWebhookReconcileOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var options = builder.Services.AddOptions<ConvAiWebhookReconcileOptions>()
            .Configure<IConfiguration>((options, configuration) => configuration.GetSection(ConvAiWebhookReconcileOptions.SectionName).Bind(options))
            .Validate(
                options => options.Interval > TimeSpan.Zero && options.GracePeriod >= TimeSpan.Zero && options.LookBack > TimeSpan.Zero,
                $"'{ConvAiWebhookReconcileOptions.SectionName}:Interval' and ':LookBack' must be positive and ':GracePeriod' must not be negative.")
            .ValidateOnStart();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, WebhookReconciler>());
        return builder;
    }

    /// <summary>
    /// Uses <typeparamref name="TInbox"/> (singleton) to hold deliveries until the handler processed them, replacing the
    /// in-memory inbox (e.g. a Redis Streams inbox shared by several instances).
    /// </summary>
    /// <typeparam name="TInbox">The inbox type.</typeparam>
    /// <param name="builder">The webhooks builder.</param>
    /// <returns>The same builder.</returns>
    public static IConvAiWebhooksBuilder UseInbox<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] TInbox>(this IConvAiWebhooksBuilder builder)
        where TInbox : class, IConvAiWebhookInbox
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.Replace(ServiceDescriptor.Singleton<IConvAiWebhookInbox, TInbox>());
        return builder;
    }

    private static OptionsBuilder<ConvAiWebhookOptions> AddCore(IServiceCollection services)
    {
        services.AddLogging();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ConvAiWebhookOptions>, ConvAiWebhookOptionsValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IPostConfigureOptions<ConvAiWebhookOptions>, WebhookSecretFallback>());
        var options = services.AddOptions<ConvAiWebhookOptions>().ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        // Bound when the container has a configuration (a host always does); a bare ServiceCollection keeps the defaults.
        services.AddOptions<InMemoryWebhookOptions>()
            .Configure<IServiceProvider>((options, provider) => provider.GetService<IConfiguration>()?.GetSection(InMemoryWebhookOptions.SectionName).Bind(options))
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<InMemoryWebhookOptions>, InMemoryWebhookOptionsValidator>());
        services.TryAddSingleton<IConvAiWebhookDeliveryStore>(services => new InMemoryWebhookDeliveryStore(
            services.GetRequiredService<TimeProvider>(),
            services.GetRequiredService<IOptions<InMemoryWebhookOptions>>().Value.DeliveryStoreCapacity));
        services.TryAddSingleton<IConvAiWebhookInbox>(services =>
        {
            var options = services.GetRequiredService<IOptions<InMemoryWebhookOptions>>().Value;
            return new InMemoryWebhookInbox(
                services.GetRequiredService<TimeProvider>(),
                options.InboxCapacity,
                options.SpoolThreshold,
                string.IsNullOrWhiteSpace(options.SpoolDirectory) ? null : options.SpoolDirectory);
        });
        services.TryAddSingleton<WebhookDispatcher>();
        services.TryAddSingleton(_ => new WebhookAcknowledgementGate(TimeProvider.System)); // paces against live requests: the system clock
        services.TryAddSingleton(services => new ConvAiWebhookReceiver(
            services.GetRequiredService<IOptions<ConvAiWebhookOptions>>(),
            services.GetRequiredService<IConvAiWebhookDeliveryStore>(),
            services.GetRequiredService<IConvAiWebhookInbox>(),
            services.GetRequiredService<WebhookDispatcher>(),
            services.GetRequiredService<TimeProvider>(),
            services.GetRequiredService<ILogger<ConvAiWebhookReceiver>>(),
            services.GetRequiredService<WebhookAcknowledgementGate>()));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, WebhookInboxProcessor>());
        return options;
    }

    /// <summary>Uses the top-level <c>WEBHOOK_SECRET</c> key (an environment variable in a host) when no secret was configured otherwise.</summary>
    private sealed class WebhookSecretFallback(IServiceProvider services) : IPostConfigureOptions<ConvAiWebhookOptions>
    {
        public void PostConfigure(string? name, ConvAiWebhookOptions options)
        {
            if (!options.EffectiveSecrets.Any() && services.GetService<IConfiguration>()?[ConvAiWebhookOptions.SecretFallbackKey] is { Length: > 0 } secret)
            {
                options.Secret = secret;
            }
        }
    }

    private sealed class WebhooksBuilder(IServiceCollection services) : IConvAiWebhooksBuilder
    {
        public IServiceCollection Services { get; } = services;
    }
}

/// <summary>Continues configuring ElevenLabs webhooks after <c>AddConvAiWebhooks</c>.</summary>
public interface IConvAiWebhooksBuilder
{
    /// <summary>The service collection the webhooks are registered in.</summary>
    IServiceCollection Services { get; }
}
