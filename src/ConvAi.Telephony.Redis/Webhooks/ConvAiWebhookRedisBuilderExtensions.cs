using ConvAi.Telephony;
using ConvAi.Telephony.Redis;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Shares webhook deliveries between app instances through Redis.</summary>
public static class ConvAiWebhookRedisBuilderExtensions
{
    /// <summary>
    /// Uses Redis for the delivery store (<see cref="RedisWebhookDeliveryStore"/>: claims and processed marks shared by
    /// every instance) and the inbox (<see cref="RedisWebhookInbox"/>: a Redis Streams consumer group, so a delivery
    /// accepted by one instance is processed by one of them, also after a crash). Options are bound from
    /// <c>ConvAi:Webhooks:Redis</c>. The connection is an
    /// <see cref="IConnectionMultiplexer"/> registered in DI when there is one, otherwise one opened from
    /// <c>ConvAi:Webhooks:Redis:Configuration</c> or <c>ConnectionStrings:Redis</c> (start-up fails when neither is set).
    /// </summary>
    /// <param name="builder">The builder returned by <c>AddConvAiWebhooks</c>.</param>
    /// <returns>The same builder.</returns>
    public static IConvAiWebhooksBuilder UseRedis(this IConvAiWebhooksBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return UseRedisCore(builder, connection: null, configure: null);
    }

    /// <summary>
    /// Uses Redis for the delivery store and the inbox (see <see cref="UseRedis(IConvAiWebhooksBuilder)"/>) with the
    /// options bound from <c>ConvAi:Webhooks:Redis</c> and then changed by <paramref name="configure"/>.
    /// </summary>
    /// <param name="builder">The builder returned by <c>AddConvAiWebhooks</c>.</param>
    /// <param name="configure">Changes the options, e.g. <c>o =&gt; o.Configuration = "localhost:6379"</c>.</param>
    /// <returns>The same builder.</returns>
    public static IConvAiWebhooksBuilder UseRedis(this IConvAiWebhooksBuilder builder, Action<ConvAiWebhookRedisOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        return UseRedisCore(builder, connection: null, configure);
    }

    /// <summary>
    /// Uses Redis for the delivery store and the inbox (see <see cref="UseRedis(IConvAiWebhooksBuilder)"/>)
    /// over the connection <paramref name="connection"/> returns; the app keeps owning that connection. Options are
    /// bound from <c>ConvAi:Webhooks:Redis</c> (change them further with <c>services.Configure&lt;ConvAiWebhookRedisOptions&gt;</c>).
    /// </summary>
    /// <param name="builder">The builder returned by <c>AddConvAiWebhooks</c>.</param>
    /// <param name="connection">Returns the connection to use; called once.</param>
    /// <returns>The same builder.</returns>
    public static IConvAiWebhooksBuilder UseRedis(this IConvAiWebhooksBuilder builder, Func<IServiceProvider, IConnectionMultiplexer> connection)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(connection);
        return UseRedisCore(builder, connection, configure: null);
    }

    private static IConvAiWebhooksBuilder UseRedisCore(
        IConvAiWebhooksBuilder builder, Func<IServiceProvider, IConnectionMultiplexer>? connection, Action<ConvAiWebhookRedisOptions>? configure)
    {
        var services = builder.Services;
        var options = services.AddOptions<ConvAiWebhookRedisOptions>()
            .Configure<IConfiguration>((options, configuration) => configuration.GetSection(ConvAiWebhookRedisOptions.SectionName).Bind(options));
        if (configure is not null)
        {
            options.Configure(configure);
        }

        options.ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ConvAiWebhookRedisOptions>, ConvAiWebhookRedisOptionsValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IPostConfigureOptions<ConvAiWebhookRedisOptions>, ConnectionStringFallback>());
        services.RemoveAll<RedisWebhookConnection>();
        services.AddSingleton(new RedisWebhookConnection(connection));
        services.TryAddSingleton(TimeProvider.System);
        services.Replace(ServiceDescriptor.Singleton(sp =>
        {
            var factory = sp.GetRequiredService<RedisWebhookConnection>().Factory;
            if ((factory?.Invoke(sp) ?? sp.GetService<IConnectionMultiplexer>()) is { } multiplexer)
            {
                return new RedisConnectionSource(multiplexer);
            }

            var configuration = sp.GetRequiredService<IOptions<ConvAiWebhookRedisOptions>>().Value.Configuration;
            return string.IsNullOrWhiteSpace(configuration)
                ? throw new OptionsValidationException(ConvAiWebhookRedisOptions.SectionName, typeof(ConvAiWebhookRedisOptions), [NotConfigured])
                : new RedisConnectionSource(configuration);
        }));
        services.Replace(ServiceDescriptor.Singleton<IConvAiWebhookDeliveryStore>(sp => new RedisWebhookDeliveryStore(sp.GetRequiredService<RedisConnectionSource>())));
        services.Replace(ServiceDescriptor.Singleton<IConvAiWebhookInbox>(sp => new RedisWebhookInbox(
            sp.GetRequiredService<RedisConnectionSource>(),
            sp.GetRequiredService<IOptions<ConvAiWebhookRedisOptions>>().Value,
            sp.GetRequiredService<TimeProvider>())));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ConvAiWebhookRedisOptions>, ConnectionRequired>());
        return builder;
    }

    private const string NotConfigured =
        "Redis is not configured for webhooks: set ConvAi:Webhooks:Redis:Configuration or ConnectionStrings:Redis, register an IConnectionMultiplexer, or pass a connection to UseRedis.";

    /// <summary>The connection factory given to <c>UseRedis</c>, if any.</summary>
    private sealed record RedisWebhookConnection(Func<IServiceProvider, IConnectionMultiplexer>? Factory);

    /// <summary>Reads <c>ConnectionStrings:Redis</c> when <c>ConvAi:Webhooks:Redis:Configuration</c> is not set.</summary>
    private sealed class ConnectionStringFallback(IServiceProvider services) : IPostConfigureOptions<ConvAiWebhookRedisOptions>
    {
        public void PostConfigure(string? name, ConvAiWebhookRedisOptions options)
        {
            if (string.IsNullOrWhiteSpace(options.Configuration)
                && services.GetService<IConfiguration>()?.GetConnectionString(ConvAiWebhookRedisOptions.ConnectionStringName) is { Length: > 0 } connectionString)
            {
                options.Configuration = connectionString;
            }
        }
    }

    /// <summary>Fails start-up when no connection can be had.</summary>
    private sealed class ConnectionRequired(IServiceProvider services) : IValidateOptions<ConvAiWebhookRedisOptions>
    {
        public ValidateOptionsResult Validate(string? name, ConvAiWebhookRedisOptions options) =>
            string.IsNullOrWhiteSpace(options.Configuration)
            && services.GetRequiredService<RedisWebhookConnection>().Factory is null
            && services.GetService<IConnectionMultiplexer>() is null
                ? ValidateOptionsResult.Fail(NotConfigured)
                : ValidateOptionsResult.Success;
    }
}
