using ConvAi.Telephony;
using ConvAi.Telephony.Redis;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using RedisRateLimiting;
using StackExchange.Redis;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Shares the client's concurrency limit between app instances through Redis.</summary>
public static class ConvAiRedisConcurrencyLimiterBuilderExtensions
{
    private const string NotConfigured =
        "Redis is not configured for the concurrency limiter: set ConvAiRedisConcurrencyLimiterOptions.Connection or Configuration, "
        + "register an IConnectionMultiplexer, or set ConnectionStrings:Redis.";

    /// <summary>
    /// Limits the requests in flight across every instance that uses the same <see cref="ConvAiRedisConcurrencyLimiterOptions.Key"/>
    /// to <paramref name="planConcurrencyLimit"/>, with a RedisRateLimiting concurrency limiter plugged in through
    /// <c>UseConcurrencyLimiter</c>: every request (each attempt) holds one permit in Redis while it is in flight, as with the
    /// in-process limiter. The connection is <see cref="ConvAiRedisConcurrencyLimiterOptions.Connection"/> when set, else an
    /// <see cref="IConnectionMultiplexer"/> registered in DI, else one opened from
    /// <see cref="ConvAiRedisConcurrencyLimiterOptions.Configuration"/> or <c>ConnectionStrings:Redis</c> (creating the client
    /// fails when none is there).
    /// </summary>
    /// <param name="builder">The builder returned by <c>AddConvAiTelephony</c>.</param>
    /// <param name="planConcurrencyLimit">The plan's concurrency limit, shared by all the instances.</param>
    /// <param name="configure">Changes the key, queue size, poll interval or connection.</param>
    /// <returns>The same builder.</returns>
    /// <exception cref="ArgumentException">An option is out of range.</exception>
    public static IConvAiTelephonyBuilder UseRedisConcurrencyLimiter(
        this IConvAiTelephonyBuilder builder, int planConcurrencyLimit, Action<ConvAiRedisConcurrencyLimiterOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var options = new ConvAiRedisConcurrencyLimiterOptions { PlanConcurrencyLimit = planConcurrencyLimit };
        configure?.Invoke(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.PlanConcurrencyLimit, 1, nameof(planConcurrencyLimit));
        ArgumentOutOfRangeException.ThrowIfNegative(options.QueueLimit, nameof(configure));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(options.QueuePollInterval, TimeSpan.Zero, nameof(configure));
        ArgumentException.ThrowIfNullOrWhiteSpace(options.Key, nameof(configure));

        builder.Services.TryAddSingleton<OwnedRedisConnection>();
        return builder.UseConcurrencyLimiter(sp =>
        {
            var attemptTimeout = sp.GetRequiredService<IOptionsMonitor<ConvAiTelephonyOptions>>().CurrentValue.Resilience.AttemptTimeout;
            if (attemptTimeout >= ConvAiRedisConcurrencyLimiterOptions.PermitLifetime)
            {
                throw new InvalidOperationException(
                    $"ConvAi:Resilience:AttemptTimeout ({attemptTimeout}) must be shorter than the lifetime of a permit in Redis "
                    + $"({ConvAiRedisConcurrencyLimiterOptions.PermitLifetime}), or a request still in flight would lose its permit.");
            }

            var multiplexer = options.Connection?.Invoke(sp)
                ?? sp.GetService<IConnectionMultiplexer>()
                ?? sp.GetRequiredService<OwnedRedisConnection>().Open(options.Configuration);
            return new RedisConcurrencyRateLimiter<string>(options.Key, new RedisConcurrencyRateLimiterOptions
            {
                ConnectionMultiplexerFactory = () => multiplexer,
                PermitLimit = options.PlanConcurrencyLimit,
                QueueLimit = options.QueueLimit,
                TryDequeuePeriod = options.QueuePollInterval,
            });
        });
    }

    /// <summary>
    /// A connection the limiter opened itself from a configuration string, closed with the container (after the limiter,
    /// which the container created later). It does not abort when Redis is down at start-up: requests fail until it connects.
    /// </summary>
    private sealed class OwnedRedisConnection(IServiceProvider services) : IDisposable
    {
        private ConnectionMultiplexer? _connection;

        public IConnectionMultiplexer Open(string? configuration)
        {
            if (string.IsNullOrWhiteSpace(configuration))
            {
                configuration = services.GetService<IConfiguration>()?.GetConnectionString(ConvAiWebhookRedisOptions.ConnectionStringName);
            }

            if (string.IsNullOrWhiteSpace(configuration))
            {
                throw new InvalidOperationException(NotConfigured);
            }

            var options = ConfigurationOptions.Parse(configuration);
            options.AbortOnConnectFail = false;
            _connection = ConnectionMultiplexer.Connect(options);
            return _connection;
        }

        public void Dispose() => _connection?.Dispose();
    }
}
