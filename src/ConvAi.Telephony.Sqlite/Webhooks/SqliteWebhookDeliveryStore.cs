using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace ConvAi.Telephony.Sqlite;

/// <summary>
/// An <see cref="IConvAiWebhookDeliveryStore"/> in a local SQLite file: claims and processed marks survive a crash or
/// a restart, and are shared by every process of the machine that opens the same file (each claim is one atomic
/// statement, so of several concurrent claims of one key exactly one succeeds).
/// </summary>
/// <remarks>
/// A claim records its owner (this instance, one per process): only the owner renews or releases it, so a process
/// whose claim ended cannot touch the claim another process took since. Expired claims and marks are deleted by the
/// writes of this store, at most once a minute. The file must be on a local disk: network file systems are not supported.
/// </remarks>
public sealed class SqliteWebhookDeliveryStore : IConvAiWebhookTransactionalStore
{
    private const string Mark = """
        INSERT INTO convai_webhook_keys (key, processed, expires_at, owner) VALUES ($key, 1, $expires, NULL)
        ON CONFLICT (key) DO UPDATE SET processed = 1, expires_at = excluded.expires_at, owner = NULL
        """;

    // A sweep deletes every expired key; running it at most once a minute keeps a write's cost independent of the table.
    private static readonly TimeSpan SweepInterval = TimeSpan.FromMinutes(1);

    private readonly SqliteWebhookDatabase _database;
    private readonly TimeProvider _timeProvider;
    private readonly string _owner = Guid.NewGuid().ToString("N");
    private long _nextSweep;

    /// <summary>Creates a store over the SQLite file named by <paramref name="connectionString"/>; the schema is created on first use.</summary>
    /// <param name="connectionString">A Microsoft.Data.Sqlite connection string naming a file, e.g. <c>Data Source=webhooks.db</c>.</param>
    /// <param name="timeProvider">The clock used for expiry; <see cref="TimeProvider.System"/> when null.</param>
    public SqliteWebhookDeliveryStore(string connectionString, TimeProvider? timeProvider = null)
        : this(new SqliteWebhookDatabase(connectionString, new ConvAiWebhookSqliteOptions().BusyTimeout), timeProvider)
    {
    }

    internal SqliteWebhookDeliveryStore(SqliteWebhookDatabase database, TimeProvider? timeProvider)
    {
        _database = database;
        _timeProvider = timeProvider ?? TimeProvider.System;
    }

    /// <inheritdoc />
    public async ValueTask<bool> TryClaimAsync(string key, TimeSpan expiry, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        var now = Now();

        // One statement, so one transaction: a free or expired key is claimed, a live claim or mark is kept.
        const string Claim = """
            INSERT INTO convai_webhook_keys (key, processed, expires_at, owner) VALUES ($key, 0, $expires, $owner)
            ON CONFLICT (key) DO UPDATE SET processed = 0, expires_at = excluded.expires_at, owner = excluded.owner
            WHERE convai_webhook_keys.expires_at <= $now
            """;
        return await RunAsync(
            write: true,
            now,
            Claim,
            [("$key", key), ("$expires", now + (long)expiry.TotalMilliseconds), ("$now", now), ("$owner", _owner)],
            ExecuteNonQueryAsync,
            cancellationToken).ConfigureAwait(false) == 1;
    }

    /// <inheritdoc />
    public async ValueTask<bool> RenewClaimAsync(string key, TimeSpan expiry, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        var now = Now();
        const string Renew = """
            UPDATE convai_webhook_keys SET expires_at = $expires
            WHERE key = $key AND processed = 0 AND owner = $owner AND expires_at > $now
            """;
        return await RunAsync(
            write: true,
            sweepAt: null,
            Renew,
            [("$key", key), ("$expires", now + (long)expiry.TotalMilliseconds), ("$now", now), ("$owner", _owner)],
            ExecuteNonQueryAsync,
            cancellationToken).ConfigureAwait(false) == 1;
    }

    /// <inheritdoc />
    public async ValueTask ReleaseAsync(string key, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        const string Release = "DELETE FROM convai_webhook_keys WHERE key = $key AND processed = 0 AND owner = $owner";
        await RunAsync(write: true, sweepAt: null, Release, [("$key", key), ("$owner", _owner)], ExecuteNonQueryAsync, cancellationToken)
            .ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask MarkProcessedAsync(string key, TimeSpan horizon, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        var now = Now();
        await RunAsync(write: true, now, Mark, [("$key", key), ("$expires", now + (long)horizon.TotalMilliseconds)], ExecuteNonQueryAsync, cancellationToken)
            .ConfigureAwait(false);
    }

    /// <inheritdoc />
    /// <remarks>Makes the scope's <see cref="SqliteWebhookTransaction"/> (registered by <c>UseSqlite</c>) available to the handler.</remarks>
    public void PrepareHandlerCall(IServiceProvider services, string key)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentException.ThrowIfNullOrEmpty(key);
        services.GetService<SqliteWebhookTransaction>()?.Prepare(_database, key);
    }

    /// <inheritdoc />
    /// <remarks>Writes the mark in the handler's <see cref="SqliteWebhookTransaction"/> and commits, when the handler began it.</remarks>
    public async ValueTask<bool> TryCompleteHandlerCallAsync(IServiceProvider services, TimeSpan horizon, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(services);
        if (services.GetService<SqliteWebhookTransaction>() is not { HasBegun: true, DeliveryKey: { } key } transaction)
        {
            return false;
        }

        await transaction.CommitWithAsync(Mark, [("$key", key), ("$expires", Now() + (long)horizon.TotalMilliseconds)], cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <inheritdoc />
    public async ValueTask<bool> IsProcessedAsync(string key, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        const string IsProcessed = "SELECT 1 FROM convai_webhook_keys WHERE key = $key AND processed = 1 AND expires_at > $now";
        return await RunAsync(write: false, sweepAt: null, IsProcessed, [("$key", key), ("$now", Now())], ExecuteScalarAsync, cancellationToken)
            .ConfigureAwait(false) is not null;
    }

    /// <inheritdoc />
    public async ValueTask<DateTimeOffset?> GetCheckpointAsync(string name, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        const string Get = "SELECT value FROM convai_webhook_checkpoints WHERE name = $name";
        return await RunAsync(write: false, sweepAt: null, Get, [("$name", name)], ExecuteScalarAsync, cancellationToken).ConfigureAwait(false) is long milliseconds
            ? DateTimeOffset.FromUnixTimeMilliseconds(milliseconds)
            : null;
    }

    /// <inheritdoc />
    public async ValueTask SetCheckpointAsync(string name, DateTimeOffset value, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        const string Set = """
            INSERT INTO convai_webhook_checkpoints (name, value) VALUES ($name, $value)
            ON CONFLICT (name) DO UPDATE SET value = excluded.value
            """;
        await RunAsync(write: true, sweepAt: null, Set, [("$name", name), ("$value", value.ToUnixTimeMilliseconds())], ExecuteNonQueryAsync, cancellationToken)
            .ConfigureAwait(false);
    }

    private static Task<int> ExecuteNonQueryAsync(SqliteCommand command, CancellationToken cancellationToken) =>
        command.ExecuteNonQueryAsync(cancellationToken);

    private static Task<object?> ExecuteScalarAsync(SqliteCommand command, CancellationToken cancellationToken) =>
        command.ExecuteScalarAsync(cancellationToken);

    /// <summary>
    /// Runs one statement: a read on a connection of its own, a write in the writer loop's next commit (which it may
    /// share with other writes, see <see cref="SqliteWebhookDatabase.WriteAsync{T}"/>). A write passes its time as
    /// <paramref name="sweepAt"/>, which first deletes expired keys when the last sweep is a minute old.
    /// </summary>
    private async ValueTask<T> RunAsync<T>(
        bool write,
        long? sweepAt,
        string sql,
        (string Name, object Value)[] parameters,
        Func<SqliteCommand, CancellationToken, Task<T>> execute,
        CancellationToken cancellationToken)
    {
        if (write)
        {
            return await _database.WriteAsync(
                async (connection, transaction, token) =>
                {
                    await SweepIfDueAsync(connection, transaction, sweepAt, token).ConfigureAwait(false);
                    return await ExecuteAsync(connection, transaction, sql, parameters, execute, token).ConfigureAwait(false);
                },
                cancellationToken).ConfigureAwait(false);
        }

        var reader = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (reader.ConfigureAwait(false))
        {
            return await ExecuteAsync(reader, transaction: null, sql, parameters, execute, cancellationToken).ConfigureAwait(false);
        }
    }

    private static async ValueTask<T> ExecuteAsync<T>(
        SqliteConnection connection,
        SqliteTransaction? transaction,
        string sql,
        (string Name, object Value)[] parameters,
        Func<SqliteCommand, CancellationToken, Task<T>> execute,
        CancellationToken cancellationToken)
    {
        var command = connection.CreateCommand();
        await using (command.ConfigureAwait(false))
        {
            command.Transaction = transaction;
            command.CommandText = sql;
            foreach (var (name, value) in parameters)
            {
                command.Parameters.AddWithValue(name, value);
            }

            return await execute(command, cancellationToken).ConfigureAwait(false);
        }
    }

    private long Now() => _timeProvider.GetUtcNow().ToUnixTimeMilliseconds();

    /// <summary>Deletes expired keys in the write's transaction when <paramref name="sweepAt"/> is a minute past the last sweep.</summary>
    private async ValueTask SweepIfDueAsync(SqliteConnection connection, SqliteTransaction transaction, long? sweepAt, CancellationToken cancellationToken)
    {
        var next = Interlocked.Read(ref _nextSweep);
        if (sweepAt is not { } now || now < next || Interlocked.CompareExchange(ref _nextSweep, now + (long)SweepInterval.TotalMilliseconds, next) != next)
        {
            return;
        }

        await ExecuteAsync(connection, transaction, "DELETE FROM convai_webhook_keys WHERE expires_at <= $now", [("$now", now)], ExecuteNonQueryAsync, cancellationToken)
            .ConfigureAwait(false);
    }
}
