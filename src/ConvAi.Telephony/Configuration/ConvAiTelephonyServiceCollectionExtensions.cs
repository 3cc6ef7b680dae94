using ConvAi.Telephony;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Registry;
using Polly.Telemetry;
using Refit;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the ConvAi.Telephony client.</summary>
public static class ConvAiTelephonyServiceCollectionExtensions
{
    /// <summary>Adds the client, with options bound from the <c>ConvAi</c> section of the registered <see cref="IConfiguration"/>.</summary>
    /// <param name="services">The service collection.</param>
    /// <returns>A builder to keep configuring the client.</returns>
    public static IConvAiTelephonyBuilder AddConvAiTelephony(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        var builder = AddCore(services);
        services.AddOptions<ConvAiTelephonyOptions>().BindConfiguration(ConvAiTelephonyOptions.SectionName);
        return builder;
    }

    /// <summary>Adds the client, with options bound from a configuration section (e.g. <c>configuration.GetSection("ConvAi")</c>).</summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configuration">The configuration section holding <c>ApiKey</c>, <c>BaseAddress</c> and the other keys.</param>
    /// <returns>A builder to keep configuring the client.</returns>
    public static IConvAiTelephonyBuilder AddConvAiTelephony(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        var builder = AddCore(services);
        services.AddOptions<ConvAiTelephonyOptions>().Bind(configuration);
        return builder;
    }

    /// <summary>Adds the client, with options set in code.</summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Sets the options, at least <see cref="ConvAiTelephonyOptions.ApiKey"/>.</param>
    /// <returns>A builder to keep configuring the client.</returns>
    public static IConvAiTelephonyBuilder AddConvAiTelephony(this IServiceCollection services, Action<ConvAiTelephonyOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);
        var builder = AddCore(services);
        services.Configure(configure);
        return builder;
    }

    private static ConvAiTelephonyBuilder AddCore(IServiceCollection services)
    {
        var httpClientBuilder = services.AddHttpClient(ConvAiTelephonyInfo.Name);
        var builder = new ConvAiTelephonyBuilder(services, httpClientBuilder);
        if (services.Any(d => d.ServiceType == typeof(ConvAiTelephonyMarker)))
        {
            return builder;
        }

        services.AddSingleton<ConvAiTelephonyMarker>();
        services.AddOptions<ConvAiTelephonyOptions>().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ConvAiTelephonyOptions>, ConvAiTelephonyOptionsValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IPostConfigureOptions<ConvAiTelephonyOptions>, ApiKeyFallback>());

        var settings = ConvAiTransport.CreateRefitSettings();
        services.AddRefitGeneratedClient<IPhoneNumbersApi>(_ => settings, ConvAiTelephonyInfo.Name);
        services.AddRefitGeneratedClient<ICallsApi>(_ => settings, ConvAiTelephonyInfo.Name);
        services.AddRefitGeneratedClient<IConversationsApi>(_ => settings, ConvAiTelephonyInfo.Name);
        services.AddRefitGeneratedClient<IBatchCallsApi>(_ => settings, ConvAiTelephonyInfo.Name);
        services.AddRefitGeneratedClient<IWhatsAppApi>(_ => settings, ConvAiTelephonyInfo.Name);
        services.AddRefitGeneratedClient<IWorkspaceWebhooksApi>(_ => settings, ConvAiTelephonyInfo.Name);

        // Compressed answers (gzip, deflate, br) on the factory's default primary handler. Registered first, so a primary
        // handler the app configures on the builder afterwards (a test handler, the emulator) replaces it and is used as it is.
        httpClientBuilder.ConfigurePrimaryHttpMessageHandler(static (handler, _) => ConvAiTransport.EnableDecompression(handler));
        // Configure the named client's pipeline once; configuring it per interface would nest the handlers.
        httpClientBuilder.ConfigureHttpClient((sp, client) =>
            ConvAiTransport.Configure(client, sp.GetRequiredService<IOptionsMonitor<ConvAiTelephonyOptions>>().CurrentValue));
        // Outermost first: telemetry, error mapping, API key; then the resilience handler; then the per-attempt telemetry.
        httpClientBuilder.ConfigureAdditionalHttpMessageHandlers((handlers, sp) =>
        {
            var monitor = sp.GetRequiredService<IOptionsMonitor<ConvAiTelephonyOptions>>();
            var created = ConvAiTransport.CreateHandlers(() => monitor.CurrentValue.ApiKey, GetTimeProvider(sp), GetLogger(sp), sp.GetRequiredService<ConvAiTelemetry>());
            for (var i = 0; i < created.Length; i++)
            {
                handlers.Insert(i, created[i]);
            }
        });
        // The pipeline lives in Polly's registry (one per container, which disposes it) and is rebuilt when the options change.
        services.AddResiliencePipeline<string, HttpResponseMessage>(ConvAiResiliencePipeline.PipelineKey, static (pipeline, context) =>
        {
            var sp = context.ServiceProvider;
            context.EnableReloads<ConvAiTelephonyOptions>();
            pipeline.TimeProvider = GetTimeProvider(sp);
            if (sp.GetService<ConvAiResiliencePipelineReplacement>() is { } replacement)
            {
                replacement.Configure(pipeline, context);
                return;
            }

            var options = context.GetOptions<ConvAiTelephonyOptions>();
            ConvAiResiliencePipeline.ConfigureTelemetry(pipeline, sp.GetRequiredService<IOptions<TelemetryOptions>>().Value);
            ConvAiResiliencePipeline.Configure(pipeline, options.Resilience, sp.GetRequiredService<ConvAiTelemetry>(), GetLogger(sp), sp.GetService<ConvAiConcurrencyLimiter>()?.Limiter);
        });
        httpClientBuilder.AddHttpMessageHandler(static sp => new ConvAiResilienceHandler(
            sp.GetRequiredService<ResiliencePipelineProvider<string>>().GetPipeline<HttpResponseMessage>(ConvAiResiliencePipeline.PipelineKey)));
        httpClientBuilder.AddHttpMessageHandler(sp => new AttemptTelemetryHandler(sp.GetRequiredService<ConvAiTelemetry>(), GetLogger(sp)));

        // HttpClientFactory's default logging puts raw header values (xi-api-key) in its structured state even when
        // RedactLoggedHeaders hides them in the message, and logs full URIs: replace it with a logger of method, path and status.
        // RedactLoggedHeaders stays for apps that add the default logger back (AddDefaultLogger).
        httpClientBuilder.RemoveAllLoggers();
        httpClientBuilder.AddLogger(sp => new ConvAiHttpClientLogger(GetLogger(sp)));
        httpClientBuilder.RedactLoggedHeaders(static name => !ConvAiTransport.IsLoggableHeader(name));

        services.TryAddSingleton(sp => new ConvAiTelemetry(sp.GetService<IMeterFactory>()));
        // Live conversations: the socket's HTTP upgrade goes through its own named client, with no API key, resilience or logging
        // handlers (a signed URL is its own credential and must not be logged); UseConvAiEmulator replaces its primary handler.
        services.AddHttpClient(ConversationSession.HttpClientName)
            .ConfigurePrimaryHttpMessageHandler(static () => new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
            .RemoveAllLoggers();
        services.TryAddSingleton(sp => new ConversationSessionConnector(
            () => sp.GetRequiredService<IOptionsMonitor<ConvAiTelephonyOptions>>().CurrentValue,
            () => sp.GetRequiredService<IHttpMessageHandlerFactory>().CreateHandler(ConversationSession.HttpClientName),
            sp.GetRequiredService<ConvAiTelemetry>(),
            GetLogger(sp),
            GetTimeProvider(sp)));
        services.TryAddTransient(sp => new ClientContext(
            sp.GetRequiredService<IOptionsMonitor<ConvAiTelephonyOptions>>().CurrentValue, GetTimeProvider(sp), GetLogger(sp), sp.GetRequiredService<ConvAiTelemetry>()));
        services.TryAddTransient(sp => new PhoneNumbersClient(sp.GetRequiredService<IPhoneNumbersApi>()));
        services.TryAddSingleton(sp => new CallOutcomeTracker(GetTimeProvider(sp)));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<ICallEventSink, CallOutcomeTracker>(sp => sp.GetRequiredService<CallOutcomeTracker>()));
        services.TryAddTransient(sp => new CallsClient(
            sp.GetRequiredService<ICallsApi>(), sp.GetRequiredService<ClientContext>(), sp.GetRequiredService<ConversationsClient>(), sp.GetRequiredService<CallOutcomeTracker>()));
        services.TryAddTransient(sp => new ConversationsClient(sp.GetRequiredService<IConversationsApi>(), sp.GetRequiredService<ClientContext>(), sp.GetRequiredService<ConversationSessionConnector>()));
        services.TryAddTransient(sp => new BatchCallsClient(sp.GetRequiredService<IBatchCallsApi>(), sp.GetRequiredService<ClientContext>()));
        services.TryAddTransient(sp => new WhatsAppClient(sp.GetRequiredService<IWhatsAppApi>(), sp.GetRequiredService<ClientContext>()));
        services.TryAddTransient(sp => new WorkspaceWebhooksClient(sp.GetRequiredService<IWorkspaceWebhooksApi>()));
        // The client resolves each area on first use, from the root provider (the areas depend only on singletons and
        // transients), so a client kept after its scope ends still works.
        services.TryAddSingleton(sp => new ConvAiRootServices(sp));
        services.TryAddTransient(sp => new ConvAiTelephonyClient(sp.GetRequiredService<ConvAiRootServices>().Services));
        services.TryAddTransient<IConvAiTelephonyClient>(sp => sp.GetRequiredService<ConvAiTelephonyClient>());
        return builder;
    }

    private static TimeProvider GetTimeProvider(IServiceProvider sp) => sp.GetService<TimeProvider>() ?? TimeProvider.System;

    private static ILogger GetLogger(IServiceProvider sp)
        => sp.GetService<ILoggerFactory>()?.CreateLogger(ConvAiTelephonyInfo.Name) ?? NullLogger.Instance;

    private sealed class ConvAiTelephonyMarker;

    private sealed class ConvAiRootServices(IServiceProvider services)
    {
        public IServiceProvider Services { get; } = services;
    }
}
