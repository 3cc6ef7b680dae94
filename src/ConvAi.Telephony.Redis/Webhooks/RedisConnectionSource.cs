using StackExchange.Redis;

namespace ConvAi.Telephony.Redis;

/// <summary>
/// One Redis connection for the store and the inbox: an existing <see cref="IConnectionMultiplexer"/> (owned by the
/// caller), or one opened on first use from a configuration string and closed on dispose. A failed connect is
/// forgotten, so the next call tries again (the receiver answers 503 meanwhile, the processor pauses).
/// </summary>
internal sealed class RedisConnectionSource : IAsyncDisposable
{
    private readonly Func<Task<IConnectionMultiplexer>> _connect;
    private readonly bool _ownsConnection;
    private Task<IConnectionMultiplexer>? _connection;

    public RedisConnectionSource(IConnectionMultiplexer connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        _connection = Task.FromResult(connection);
        _connect = () => Task.FromResult(connection);
    }

    public RedisConnectionSource(string configuration)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(configuration);
        var options = ConfigurationOptions.Parse(configuration);
        _ownsConnection = true;
        _connect = async () => await ConnectionMultiplexer.ConnectAsync(options).ConfigureAwait(false);
    }

    public async Task<IDatabase> GetDatabaseAsync(CancellationToken cancellationToken)
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

    public async ValueTask DisposeAsync()
    {
        if (_ownsConnection && _connection is { IsCompletedSuccessfully: true } connection)
        {
            await connection.Result.DisposeAsync().ConfigureAwait(false);
        }
    }
}
