using System.Globalization;
using Microsoft.Data.Sqlite;

namespace ConvAi.Telephony.Sqlite;

/// <summary>
/// The SQLite file shared by the delivery store and the inbox: opens pooled connections with the per-connection
/// settings (busy timeout, <c>synchronous=NORMAL</c>) and creates the schema (WAL journal, tables, indexes) on first use.
/// </summary>
internal sealed class SqliteWebhookDatabase
{
    /// <summary>The inbox row states.</summary>
    internal const int Queued = 0, Leased = 1, Dead = 2;

    private const string Schema = """
        CREATE TABLE IF NOT EXISTS convai_webhook_keys (
            key TEXT NOT NULL PRIMARY KEY,
            processed INTEGER NOT NULL,
            expires_at INTEGER NOT NULL,
            owner TEXT
        ) WITHOUT ROWID;
        CREATE INDEX IF NOT EXISTS convai_webhook_keys_expires ON convai_webhook_keys (expires_at);
        CREATE TABLE IF NOT EXISTS convai_webhook_checkpoints (
            name TEXT NOT NULL PRIMARY KEY,
            value INTEGER NOT NULL
        ) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS convai_webhook_inbox (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            state INTEGER NOT NULL,
            due_at INTEGER NOT NULL,
            lease_owner TEXT,
            delivery_key TEXT NOT NULL,
            event_type TEXT NOT NULL,
            conversation_id TEXT,
            event_timestamp INTEGER,
            received_at INTEGER NOT NULL,
            attempts INTEGER NOT NULL,
            last_failure TEXT,
            last_failed_at INTEGER,
            body BLOB NOT NULL
        );
        CREATE INDEX IF NOT EXISTS convai_webhook_inbox_due ON convai_webhook_inbox (due_at, id) WHERE state < 2;
        CREATE INDEX IF NOT EXISTS convai_webhook_inbox_dead ON convai_webhook_inbox (id) WHERE state = 2;
        CREATE TABLE IF NOT EXISTS convai_webhook_inbox_size (
            id INTEGER PRIMARY KEY CHECK (id = 0),
            live INTEGER NOT NULL
        );
        INSERT OR IGNORE INTO convai_webhook_inbox_size (id, live) SELECT 0, COUNT(*) FROM convai_webhook_inbox WHERE state < 2;
        CREATE TRIGGER IF NOT EXISTS convai_webhook_inbox_added AFTER INSERT ON convai_webhook_inbox WHEN new.state < 2
        BEGIN UPDATE convai_webhook_inbox_size SET live = live + 1 WHERE id = 0; END;
        CREATE TRIGGER IF NOT EXISTS convai_webhook_inbox_removed AFTER DELETE ON convai_webhook_inbox WHEN old.state < 2
        BEGIN UPDATE convai_webhook_inbox_size SET live = live - 1 WHERE id = 0; END;
        CREATE TRIGGER IF NOT EXISTS convai_webhook_inbox_moved AFTER UPDATE OF state ON convai_webhook_inbox WHEN (old.state < 2) <> (new.state < 2)
        BEGIN UPDATE convai_webhook_inbox_size SET live = live + (CASE WHEN new.state < 2 THEN 1 ELSE -1 END) WHERE id = 0; END;
        """;

    private readonly string _connectionString;
    private readonly string _pragmas;
    private readonly SemaphoreSlim _schemaLock = new(1, 1);

    // One writer at a time within this process: the others wait here, asynchronously and in order, instead of in
    // SQLite's busy handler, which sleeps (1, 2, 5, 10 ms...) and so turns contention between a process's own writers
    // into idle time. Other processes still meet at SQLite's lock (busy timeout).
    private readonly SemaphoreSlim _writer = new(1, 1);
    private readonly TimeSpan _busyTimeout;
    private volatile bool _schemaReady;

    public SqliteWebhookDatabase(string connectionString, TimeSpan busyTimeout)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        var builder = new SqliteConnectionStringBuilder(connectionString);
        var seconds = (int)Math.Ceiling(busyTimeout.TotalSeconds);
        if (builder.DefaultTimeout < seconds)
        {
            // Microsoft.Data.Sqlite retries a busy statement until the command timeout.
            builder.DefaultTimeout = seconds;
        }

        _connectionString = builder.ToString();
        _busyTimeout = busyTimeout;
        DataSource = builder.DataSource;
        _pragmas = string.Create(
            CultureInfo.InvariantCulture,
            $"PRAGMA busy_timeout = {(long)busyTimeout.TotalMilliseconds}; PRAGMA synchronous = NORMAL;");
    }

    /// <summary>The file's path as given in the connection string.</summary>
    public string DataSource { get; }

    /// <summary>Opens a connection ready for use: settings applied, schema created.</summary>
    public async ValueTask<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            await ExecuteAsync(connection, _pragmas, cancellationToken).ConfigureAwait(false);
            if (!_schemaReady)
            {
                await EnsureSchemaAsync(connection, cancellationToken).ConfigureAwait(false);
            }

            return connection;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// Opens a connection for a write transaction, after this process's previous writer closed its connection (waiting
    /// at most the busy timeout, then <see cref="TimeoutException"/>). The turn ends when the connection is closed.
    /// </summary>
    public async ValueTask<SqliteConnection> OpenForWriteAsync(CancellationToken cancellationToken)
    {
        if (!await _writer.WaitAsync(_busyTimeout, cancellationToken).ConfigureAwait(false))
        {
            throw new TimeoutException($"Another write to the webhook database of this process did not finish within the busy timeout ({_busyTimeout}).");
        }

        SqliteConnection connection;
        try
        {
            connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            _writer.Release();
            throw;
        }

        var released = 0;
        connection.StateChange += (_, change) =>
        {
            if (change.CurrentState == System.Data.ConnectionState.Closed && Interlocked.Exchange(ref released, 1) == 0)
            {
                _writer.Release();
            }
        };
        return connection;
    }

    /// <summary>Runs a statement without parameters.</summary>
    public static async ValueTask ExecuteAsync(SqliteConnection connection, string sql, CancellationToken cancellationToken)
    {
        var command = connection.CreateCommand();
        await using (command.ConfigureAwait(false))
        {
            command.CommandText = sql;
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>A file made before claims had owners gets the column (its claims have none: they only expire).</summary>
    private static async ValueTask AddClaimOwnerAsync(SqliteConnection connection, SqliteTransaction transaction, CancellationToken cancellationToken)
    {
        var command = connection.CreateCommand();
        await using (command.ConfigureAwait(false))
        {
            command.Transaction = transaction;
            command.CommandText = "SELECT COUNT(*) FROM pragma_table_info('convai_webhook_keys') WHERE name = 'owner'";
            if ((long)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))! == 0)
            {
                command.CommandText = "ALTER TABLE convai_webhook_keys ADD COLUMN owner TEXT";
                await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private async ValueTask EnsureSchemaAsync(SqliteConnection connection, CancellationToken cancellationToken)
    {
        await _schemaLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_schemaReady)
            {
                return;
            }

            // WAL is a property of the file (it persists), and cannot change inside a transaction.
            await ExecuteAsync(connection, "PRAGMA journal_mode = WAL;", cancellationToken).ConfigureAwait(false);
            using (var transaction = connection.BeginTransaction())
            {
                var command = connection.CreateCommand();
                await using (command.ConfigureAwait(false))
                {
                    command.Transaction = transaction;
                    command.CommandText = Schema;
                    await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                }

                await AddClaimOwnerAsync(connection, transaction, cancellationToken).ConfigureAwait(false);

                transaction.Commit();
            }

            _schemaReady = true;
        }
        finally
        {
            _schemaLock.Release();
        }
    }
}
