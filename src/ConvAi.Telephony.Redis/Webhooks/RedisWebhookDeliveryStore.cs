using StackExchange.Redis;

namespace ConvAi.Telephony.Redis;

/// <summary>
/// An <see cref="IConvAiWebhookDeliveryStore"/> shared by several instances through Redis: a claim is
/// <c>SET key claimed:{owner} NX PX expiry</c>, atomic across instances, where the owner is this store instance; a
/// renewal (<c>PEXPIRE</c>) and a release (<c>DEL</c>) act only while the key holds this instance's claim (one script
/// each, so a processed mark and another instance's claim are kept); a processed mark is <c>SET key processed PX horizon</c>
/// (Redis expires it after the horizon, default 7 days). Registered by <c>UseRedis</c>, which shares one connection
/// with the <see cref="RedisWebhookInbox"/>.
/// </summary>
public sealed class RedisWebhookDeliveryStore : IConvAiWebhookDeliveryStore, IAsyncDisposable
{
    private const string Processed = "processed";
    private const string ReleaseScript = "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0";
    private const string RenewScript = "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end return 0";

    // This instance's claim value: a claim made by another process (or before a restart) is not this one's.
    private readonly string _claimed = "claimed:" + Guid.NewGuid().ToString("N");
    private readonly RedisConnectionSource _connection;
    private readonly bool _ownsConnection;

    /// <summary>Creates a store over an existing connection, which the caller keeps owning.</summary>
    /// <param name="connection">The Redis connection.</param>
    public RedisWebhookDeliveryStore(IConnectionMultiplexer connection)
    {
        _connection = new RedisConnectionSource(connection);
    }

    /// <summary>Creates a store that connects on first use with a StackExchange.Redis configuration string; the store owns that connection.</summary>
    /// <param name="configuration">The configuration string, e.g. <c>localhost:6379</c>.</param>
    public RedisWebhookDeliveryStore(string configuration)
    {
        _connection = new RedisConnectionSource(configuration);
        _ownsConnection = true;
    }

    internal RedisWebhookDeliveryStore(RedisConnectionSource connection)
    {
        _connection = connection;
    }

    /// <inheritdoc />
    public async ValueTask<bool> TryClaimAsync(string key, TimeSpan expiry, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        var database = await _connection.GetDatabaseAsync(cancellationToken).ConfigureAwait(false);
        return await database.StringSetAsync(key, _claimed, expiry, When.NotExists).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask<bool> RenewClaimAsync(string key, TimeSpan expiry, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(expiry, TimeSpan.Zero);
        var database = await _connection.GetDatabaseAsync(cancellationToken).ConfigureAwait(false);
        var renewed = await database.ScriptEvaluateAsync(RenewScript, [key], [_claimed, (long)Math.Ceiling(expiry.TotalMilliseconds)]).ConfigureAwait(false);
        return (long)renewed == 1;
    }

    /// <inheritdoc />
    public async ValueTask ReleaseAsync(string key, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        var database = await _connection.GetDatabaseAsync(cancellationToken).ConfigureAwait(false);
        await database.ScriptEvaluateAsync(ReleaseScript, [key], [_claimed]).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask MarkProcessedAsync(string key, TimeSpan horizon, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(horizon, TimeSpan.Zero);
        var database = await _connection.GetDatabaseAsync(cancellationToken).ConfigureAwait(false);
        await database.StringSetAsync(key, Processed, horizon).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask<bool> IsProcessedAsync(string key, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        var database = await _connection.GetDatabaseAsync(cancellationToken).ConfigureAwait(false);
        return await database.StringGetAsync(key).ConfigureAwait(false) == Processed;
    }

    /// <inheritdoc />
    /// <remarks>The checkpoint is the Redis string <paramref name="name"/> (Unix milliseconds), without expiry.</remarks>
    public async ValueTask<DateTimeOffset?> GetCheckpointAsync(string name, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        var database = await _connection.GetDatabaseAsync(cancellationToken).ConfigureAwait(false);
        var value = await database.StringGetAsync(name).ConfigureAwait(false);
        return !value.IsNull && value.TryParse(out long milliseconds) ? DateTimeOffset.FromUnixTimeMilliseconds(milliseconds) : null;
    }

    /// <inheritdoc />
    /// <remarks>The checkpoint is the Redis string <paramref name="name"/> (Unix milliseconds), without expiry.</remarks>
    public async ValueTask SetCheckpointAsync(string name, DateTimeOffset value, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        var database = await _connection.GetDatabaseAsync(cancellationToken).ConfigureAwait(false);
        await database.StringSetAsync(name, value.ToUnixTimeMilliseconds()).ConfigureAwait(false);
    }

    /// <summary>Closes the connection when the store opened it.</summary>
    /// <returns>A task that completes when the connection is closed.</returns>
    public ValueTask DisposeAsync() => _ownsConnection ? _connection.DisposeAsync() : ValueTask.CompletedTask;
}
