using Microsoft.Extensions.Caching.StackExchangeRedis;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace ConvAi.Telephony.AspNetCore;

/// <summary>
/// An <see cref="IWebhookDeliveryStore"/> shared by several instances through Redis: a claim is
/// <c>SET key claimed NX PX expiry</c>, atomic across instances; a processed mark is <c>SET key processed PX horizon</c>
/// (Redis expires it); a release deletes the key only while it holds a claim (one script, so a processed mark is kept). The connection comes from
/// an <see cref="IConnectionMultiplexer"/> registered in DI or from <see cref="RedisCacheOptions"/> (the same
/// settings as <c>AddStackExchangeRedisCache</c>), so Redis is configured once.
/// </summary>
public sealed class RedisWebhookDeliveryStore : IWebhookDeliveryStore, IAsyncDisposable
{
    private const string Claimed = "claimed";
    private const string Processed = "processed";
    private const string ReleaseScript = "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0";

    private readonly Func<Task<IConnectionMultiplexer>> _connect;
    private readonly bool _ownsConnection;
    private Task<IConnectionMultiplexer>? _connection;

    /// <summary>Creates a store over an existing connection, which the caller keeps owning.</summary>
    /// <param name="connection">The Redis connection.</param>
    public RedisWebhookDeliveryStore(IConnectionMultiplexer connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        _connection = Task.FromResult(connection);
        _connect = () => Task.FromResult(connection);
    }

    /// <summary>Creates a store that connects on first use with <see cref="RedisCacheOptions"/>; the store owns that connection.</summary>
    /// <param name="options">The Redis settings: <c>ConnectionMultiplexerFactory</c>, <c>ConfigurationOptions</c> or <c>Configuration</c>.</param>
    public RedisWebhookDeliveryStore(IOptions<RedisCacheOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var settings = options.Value;
        _ownsConnection = settings.ConnectionMultiplexerFactory is null;
        _connect = () => ConnectAsync(settings);
    }

    /// <inheritdoc />
    public async ValueTask<bool> TryClaimAsync(string key, TimeSpan expiry, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        var database = await GetDatabaseAsync(cancellationToken).ConfigureAwait(false);
        return await database.StringSetAsync(key, Claimed, expiry, When.NotExists).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask ReleaseAsync(string key, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        var database = await GetDatabaseAsync(cancellationToken).ConfigureAwait(false);
        await database.ScriptEvaluateAsync(ReleaseScript, [key], [Claimed]).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask MarkProcessedAsync(string key, TimeSpan horizon, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        var database = await GetDatabaseAsync(cancellationToken).ConfigureAwait(false);
        await database.StringSetAsync(key, Processed, horizon).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask<bool> IsProcessedAsync(string key, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        var database = await GetDatabaseAsync(cancellationToken).ConfigureAwait(false);
        return await database.StringGetAsync(key).ConfigureAwait(false) == Processed;
    }

    /// <summary>Closes the connection when the store opened it.</summary>
    /// <returns>A task that completes when the connection is closed.</returns>
    public async ValueTask DisposeAsync()
    {
        if (_ownsConnection && _connection is { IsCompletedSuccessfully: true } connection)
        {
            await connection.Result.DisposeAsync().ConfigureAwait(false);
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

    /// <summary>Connects once; a failed attempt is forgotten so that the next call tries again.</summary>
    private async Task<IDatabase> GetDatabaseAsync(CancellationToken cancellationToken)
    {
        var current = _connection;
        if (current is null || current.IsFaulted || current.IsCanceled)
        {
            var attempt = _connect();
            current = Interlocked.CompareExchange(ref _connection, attempt, current) == current ? attempt : _connection!;
        }

        var connection = await current.WaitAsync(cancellationToken).ConfigureAwait(false);
        return connection.GetDatabase();
    }
}
