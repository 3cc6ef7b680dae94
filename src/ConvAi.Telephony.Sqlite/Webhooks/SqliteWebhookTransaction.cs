using Microsoft.Data.Sqlite;

namespace ConvAi.Telephony.Sqlite;

/// <summary>
/// The SQLite transaction of one webhook handler call, for a handler that writes to the same file as the delivery
/// store: inject it (it is scoped, registered by <c>UseSqlite</c>), run your statements in
/// <see cref="GetTransactionAsync"/>'s transaction, and return. The library writes the delivery's processed mark in the
/// same transaction and commits both after the handler returned; when the handler throws, both are rolled back and
/// the delivery is retried. A crash can then neither keep your write without the mark (a second processing) nor the
/// mark without your write.
/// </summary>
/// <remarks>
/// <para>
/// The transaction begins on the first call of <see cref="GetTransactionAsync"/> (<c>BEGIN IMMEDIATE</c>: it waits, up
/// to <see cref="ConvAiWebhookSqliteOptions.BusyTimeout"/>, for other writers of the file) and holds the file's write
/// lock until the commit, which blocks every other writer, the receiver's acknowledgements included: do slow work
/// (calls to other services, reading audio) first and your writes last. A handler that never calls it is marked
/// processed the usual way, after it returned.
/// </para>
/// <para>
/// It is available in calls of the registered <c>ConvAiWebhookHandler</c> (Inline mode, the inbox processor,
/// reconciliation), not in an endpoint's own handler run through <c>ConvAiWebhookReceipt.HandleAsync</c>.
/// </para>
/// </remarks>
public sealed class SqliteWebhookTransaction : IAsyncDisposable
{
    private SqliteWebhookDatabase? _database;
    private SqliteConnection? _connection;
    private SqliteTransaction? _transaction;
    private bool _completed;

    /// <summary>Created by DI, one per handler call's scope.</summary>
    internal SqliteWebhookTransaction()
    {
    }

    /// <summary>Gets a value indicating whether this scope is a handler call that can enlist (false in any other scope, e.g. an HTTP request of the app).</summary>
    public bool IsAvailable => _database is not null && !_completed;

    /// <summary>Gets the delivery key whose processed mark commits with the transaction; null outside a handler call.</summary>
    internal string? DeliveryKey { get; private set; }

    /// <summary>Gets a value indicating whether the handler began the transaction.</summary>
    internal bool HasBegun => _transaction is not null;

    /// <summary>
    /// Returns the handler call's transaction on the webhook file, beginning it on the first call. Run your commands in
    /// it (<c>command.Transaction = transaction</c> on <c>transaction.Connection</c>); do not commit or roll it back
    /// yourself, and do not use it after the handler returned.
    /// </summary>
    /// <param name="cancellationToken">Cancels opening the connection.</param>
    /// <returns>The transaction; its <see cref="SqliteTransaction.Connection"/> is the connection to run commands on.</returns>
    /// <exception cref="InvalidOperationException">Not in a webhook handler call (<see cref="IsAvailable"/> is false).</exception>
    public async ValueTask<SqliteTransaction> GetTransactionAsync(CancellationToken cancellationToken = default)
    {
        if (_transaction is { } transaction)
        {
            return transaction;
        }

        if (!IsAvailable)
        {
            throw new InvalidOperationException(
                "SqliteWebhookTransaction is available only while a ConvAiWebhookHandler registered with AddHandler<T>() handles a delivery, with UseSqlite as the delivery store.");
        }

        var connection = await _database!.OpenForWriteAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            _transaction = connection.BeginTransaction(); // BEGIN IMMEDIATE: the write lock now, waiting up to the busy timeout
            _connection = connection;
            return _transaction;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Rolls back a transaction that was not committed (the handler threw) and closes its connection.</summary>
    /// <returns>A task that completes when the connection is closed.</returns>
    public async ValueTask DisposeAsync()
    {
        _completed = true;
        if (_transaction is { } transaction)
        {
            _transaction = null;
            await transaction.DisposeAsync().ConfigureAwait(false); // rolls back unless committed
        }

        if (_connection is { } connection)
        {
            _connection = null;
            await connection.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Makes this scope's instance a handler call of <paramref name="key"/> on <paramref name="database"/>.</summary>
    internal void Prepare(SqliteWebhookDatabase database, string key)
    {
        _database = database;
        DeliveryKey = key;
    }

    /// <summary>Runs <paramref name="sql"/> (the processed mark) in the transaction and commits; no further enlisting afterwards.</summary>
    internal async ValueTask CommitWithAsync(string sql, (string Name, object Value)[] parameters, CancellationToken cancellationToken)
    {
        var transaction = _transaction ?? throw new InvalidOperationException("The handler did not begin the transaction.");
        _completed = true;
        var command = transaction.Connection!.CreateCommand();
        await using (command.ConfigureAwait(false))
        {
            command.Transaction = transaction;
            command.CommandText = sql;
            foreach (var (name, value) in parameters)
            {
                command.Parameters.AddWithValue(name, value);
            }

            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }
}
