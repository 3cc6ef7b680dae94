using Microsoft.Extensions.Caching.StackExchangeRedis;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace ConvAi.Telephony.AspNetCore;

/// <summary>
/// An <see cref="IWebhookDeliveryStore"/> shared by several instances through Redis: a claim is
/// <c>SET key 1 NX PX expiry</c>, atomic across instances; a release is <c>DEL key</c>. The connection comes from
/// an <see cref="IConnectionMultiplexer"/> registered in DI or from <see cref="RedisCacheOptions"/> (the same
/// settings as <c>AddStackExchangeRedisCache</c>), so Redis is configured once.
/// </summary>
public sealed class RedisWebhookDeliveryStore : IWebhookDeliveryStore, IAsyncDisposable
{
    private readonly Lazy<Task<IConnectionMultiplexer>> _connection;
    private readonly bool _ownsConnection;

    /// <summary>Creates a store over an existing connection, which the caller keeps owning.</summary>
    /// <param name="connection">The Redis connection.</param>
    public RedisWebhookDeliveryStore(IConnectionMultiplexer connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        _connection = new Lazy<Task<IConnectionMultiplexer>>(Task.FromResult(connection));
    }

    /// <summary>Creates a store that connects on first use with <see cref="RedisCacheOptions"/>; the store owns that connection.</summary>
    /// <param name="options">The Redis settings: <c>ConnectionMultiplexerFactory</c>, <c>ConfigurationOptions</c> or <c>Configuration</c>.</param>
    public RedisWebhookDeliveryStore(IOptions<RedisCacheOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var settings = options.Value;
        _ownsConnection = settings.ConnectionMultiplexerFactory is null;
        _connection = new Lazy<Task<IConnectionMultiplexer>>(() => ConnectAsync(settings));
    }

    /// <inheritdoc />
    public async ValueTask<bool> TryClaimAsync(string key, TimeSpan expiry, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        var database = await GetDatabaseAsync(cancellationToken).ConfigureAwait(false);
        return await database.StringSetAsync(key, 1, expiry, When.NotExists).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask ReleaseAsync(string key, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        var database = await GetDatabaseAsync(cancellationToken).ConfigureAwait(false);
        await database.KeyDeleteAsync(key).ConfigureAwait(false);
    }

    /// <summary>Closes the connection when the store opened it.</summary>
    /// <returns>A task that completes when the connection is closed.</returns>
    public async ValueTask DisposeAsync()
    {
        if (_ownsConnection && _connection.IsValueCreated && _connection.Value.IsCompletedSuccessfully)
        {
            await _connection.Value.Result.DisposeAsync().ConfigureAwait(false);
        }
    }

    private static Task<IConnectionMultiplexer> ConnectAsync(RedisCacheOptions settings)
    {
        if (settings.ConnectionMultiplexerFactory is { } factory)
        {
            return factory();
        }

        var configuration = settings.ConfigurationOptions ?? ConfigurationOptions.Parse(
            settings.Configuration
            ?? throw new InvalidOperationException("Redis is not configured: set RedisCacheOptions.Configuration, ConfigurationOptions or ConnectionMultiplexerFactory."));
        return ConnectCoreAsync(configuration);

        static async Task<IConnectionMultiplexer> ConnectCoreAsync(ConfigurationOptions configuration) =>
            await ConnectionMultiplexer.ConnectAsync(configuration).ConfigureAwait(false);
    }

    private async Task<IDatabase> GetDatabaseAsync(CancellationToken cancellationToken)
    {
        var connection = await _connection.Value.WaitAsync(cancellationToken).ConfigureAwait(false);
        return connection.GetDatabase();
    }
}
