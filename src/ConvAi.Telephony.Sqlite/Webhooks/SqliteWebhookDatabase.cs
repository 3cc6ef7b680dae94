using System.Globalization;
using System.Threading.Channels;
using Microsoft.Data.Sqlite;

namespace ConvAi.Telephony.Sqlite;

/// <summary>
/// The SQLite file shared by the delivery store and the inbox: opens pooled connections with the per-connection
/// settings (busy timeout, <c>synchronous=NORMAL</c>) and creates the schema (WAL journal, tables, indexes) on first use.
/// Writes go through <see cref="WriteAsync{T}"/>: one writer loop per process commits the writes waiting at that moment
/// in one transaction, so concurrent deliveries share a commit instead of queueing for one each.
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
    private readonly Channel<PendingWrite> _pendingWrites = Channel.CreateUnbounded<PendingWrite>(new UnboundedChannelOptions { SingleReader = true });
    private int _writeLoopStarted;
    private int _checkpointing;
    private long _lastCheckpoint = Environment.TickCount64;
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
            $"PRAGMA busy_timeout = {(long)busyTimeout.TotalMilliseconds}; PRAGMA synchronous = NORMAL; PRAGMA wal_autocheckpoint = 0; PRAGMA journal_size_limit = {WalRestartFrames * 4096};");
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

    /// <summary>WAL frames (pages) above which the checkpoint runs in this process's write turn, and the size (in 4 KiB pages) the WAL file is cut back to: 4,096 (16 MiB).</summary>
    internal const long WalRestartFrames = 4096;

    /// <summary>The most writes committed together; more wait for the next commit.</summary>
    internal const int MaxWritesPerCommit = 64;

    /// <summary>
    /// Runs <paramref name="work"/> in a write transaction of this process's writer loop and returns its result once
    /// committed. Writes that arrive while a commit is running are committed together by the next one; when one of them
    /// throws, they run again one transaction each, so a write's exception is thrown to its own caller only (a write
    /// must therefore be safe to run again after a rollback). When a commit fails, every write of it fails.
    /// </summary>
    public Task<T> WriteAsync<T>(Func<SqliteConnection, SqliteTransaction, CancellationToken, ValueTask<T>> work, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var write = new PendingWrite<T>(work, cancellationToken);
        _pendingWrites.Writer.TryWrite(write);
        if (Volatile.Read(ref _writeLoopStarted) == 0 && Interlocked.Exchange(ref _writeLoopStarted, 1) == 0)
        {
            _ = Task.Run(WriteLoopAsync);
        }

        return write.Task;
    }

    private async Task WriteLoopAsync()
    {
        var reader = _pendingWrites.Reader;
        var batch = new List<PendingWrite>(MaxWritesPerCommit);
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            batch.Clear();
            while (batch.Count < MaxWritesPerCommit && reader.TryRead(out var write))
            {
                if (write.Token.IsCancellationRequested)
                {
                    write.Cancel();
                }
                else
                {
                    batch.Add(write);
                }
            }

            if (batch.Count > 0)
            {
                await CommitAsync(batch).ConfigureAwait(false);
            }
        }
    }

    /// <summary>
    /// Commits the writes of <paramref name="batch"/> in one transaction. When one of them throws, the transaction is
    /// rolled back and each write runs again in a transaction of its own, so that only the failing one fails.
    /// </summary>
    private async Task CommitAsync(List<PendingWrite> batch)
    {
        if (batch.Count > 1 && await TryCommitTogetherAsync(batch).ConfigureAwait(false))
        {
            return;
        }

        foreach (var write in batch)
        {
            write.Failed = null;
            await TryCommitTogetherAsync([write]).ConfigureAwait(false);
        }
    }

    /// <summary>Runs the writes in one transaction and completes them; false (nothing completed) when one threw and there were several.</summary>
    private async Task<bool> TryCommitTogetherAsync(List<PendingWrite> writes)
    {
        try
        {
            var connection = await OpenForWriteAsync(CancellationToken.None).ConfigureAwait(false);
            await using (connection.ConfigureAwait(false))
            {
                using var transaction = connection.BeginTransaction();
                foreach (var write in writes)
                {
                    try
                    {
                        await write.RunAsync(connection, transaction).ConfigureAwait(false);
                    }
#pragma warning disable CA1031 // The write's own failure: alone, it is its caller's; together, the writes run again one by one.
                    catch (Exception exception)
#pragma warning restore CA1031
                    {
                        write.Failed = exception;
                        transaction.Rollback();
                        if (writes.Count > 1)
                        {
                            return false;
                        }

                        write.Complete();
                        return true;
                    }
                }

                transaction.Commit();
            }

            writes.ForEach(write => write.Complete());
            CheckpointIfDue();
        }
#pragma warning disable CA1031 // The commit failed: every write of it fails with that exception.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            writes.ForEach(write => write.Fail(exception));
        }

        return true;
    }

    /// <summary>
    /// Copies the WAL into the file at most once a second, on a connection of its own, off the writers' path (a
    /// <c>PASSIVE</c> checkpoint neither takes the write lock nor waits for readers). The connections of this library
    /// turn SQLite's automatic checkpoint off: it would run inside whichever commit crossed 1,000 pages, with a disk
    /// flush, and that commit may be a delivery's acknowledgement. Under steady writes a passive checkpoint never
    /// catches up with the last commit, and the WAL starts over only once one did: when the WAL holds more than
    /// <see cref="WalRestartFrames"/> frames, the checkpoint runs again while holding this process's write turn, so
    /// that it catches up and the next write starts the WAL over (the process's writes wait for it, about once per that
    /// many frames); <c>journal_size_limit</c> then cuts the WAL file back to that size.
    /// </summary>
    private void CheckpointIfDue()
    {
        var now = Environment.TickCount64;
        if (now - Interlocked.Read(ref _lastCheckpoint) < 1000 || Interlocked.Exchange(ref _checkpointing, 1) != 0)
        {
            return;
        }

        Interlocked.Exchange(ref _lastCheckpoint, now);
        _ = Task.Run(async () =>
        {
            try
            {
                long framesLeft;
                var connection = await OpenAsync(CancellationToken.None).ConfigureAwait(false);
                await using (connection.ConfigureAwait(false))
                {
                    framesLeft = await CheckpointAsync(connection, "PASSIVE").ConfigureAwait(false);
                }

                if (framesLeft > WalRestartFrames)
                {
                    var writer = await OpenForWriteAsync(CancellationToken.None).ConfigureAwait(false);
                    await using (writer.ConfigureAwait(false))
                    {
                        await CheckpointAsync(writer, "PASSIVE").ConfigureAwait(false);
                    }
                }
            }
#pragma warning disable CA1031 // Housekeeping: the next checkpoint copies what this one did not.
            catch (Exception)
#pragma warning restore CA1031
            {
            }
            finally
            {
                Volatile.Write(ref _checkpointing, 0);
            }
        });
    }

    /// <summary>Runs a checkpoint; returns how many frames the WAL holds (it starts over only after a checkpoint caught up), or -1.</summary>
    private static async Task<long> CheckpointAsync(SqliteConnection connection, string mode)
    {
        var command = connection.CreateCommand();
        await using (command.ConfigureAwait(false))
        {
            command.CommandText = $"PRAGMA wal_checkpoint({mode});";
            var reader = await command.ExecuteReaderAsync().ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                // busy, frames in the WAL, frames copied into the file
                return await reader.ReadAsync().ConfigureAwait(false) ? reader.GetInt64(1) : -1;
            }
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

    /// <summary>A write waiting for the writer loop.</summary>
    private abstract class PendingWrite(CancellationToken token)
    {
        public CancellationToken Token { get; } = token;

        public Exception? Failed { get; set; }

        public abstract ValueTask RunAsync(SqliteConnection connection, SqliteTransaction transaction);

        /// <summary>Completes with the result, or with <see cref="Failed"/>.</summary>
        public abstract void Complete();

        public abstract void Fail(Exception exception);

        public abstract void Cancel();
    }

    private sealed class PendingWrite<T>(Func<SqliteConnection, SqliteTransaction, CancellationToken, ValueTask<T>> work, CancellationToken token) : PendingWrite(token)
    {
        private readonly TaskCompletionSource<T> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private T _result = default!;

        public Task<T> Task => _completion.Task;

        public override async ValueTask RunAsync(SqliteConnection connection, SqliteTransaction transaction) =>
            _result = await work(connection, transaction, Token).ConfigureAwait(false);

        public override void Complete()
        {
            if (Failed is { } failed)
            {
                Fail(failed);
            }
            else
            {
                _completion.TrySetResult(_result);
            }
        }

        public override void Fail(Exception exception)
        {
            if (exception is OperationCanceledException && Token.IsCancellationRequested)
            {
                _completion.TrySetCanceled(Token);
            }
            else
            {
                _completion.TrySetException(exception);
            }
        }

        public override void Cancel() => _completion.TrySetCanceled(Token);
    }
}
