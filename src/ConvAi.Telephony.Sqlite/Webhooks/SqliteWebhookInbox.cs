using System.Globalization;
using Microsoft.Data.Sqlite;

namespace ConvAi.Telephony.Sqlite;

/// <summary>
/// An <see cref="IConvAiWebhookInbox"/> in a local SQLite file: queued deliveries, retries waiting until due and dead
/// letters survive a crash or a restart, and the processes of one machine that open the same file share them (a
/// delivery is leased to one of them in a transaction).
/// </summary>
/// <remarks>
/// <para>
/// A lease lasts <see cref="ConvAiWebhookSqliteOptions.LeaseTime"/> and is renewed by this instance every third of it
/// while it holds it; the lease of a process that died ends after that time and the delivery is leased again (by
/// another process or by the same app after its restart), without counting an attempt. Completing, retrying or
/// dead-lettering an item whose lease ended that way changes nothing: the process that leased it again finishes it.
/// </para>
/// <para>
/// Bodies are written into the row from the delivery's memory (SQLite incremental blob I/O, no copy) in the enqueue's
/// transaction, and read back into one buffer when leased. Completed deliveries are deleted, so the file's pages are
/// reused. <see cref="ListDeadLettersAsync"/> leaves bodies empty; a re-driven dead letter is leased with its body.
/// </para>
/// </remarks>
public sealed class SqliteWebhookInbox : IConvAiWebhookInbox, IDisposable, IAsyncDisposable
{
    private const string Table = "convai_webhook_inbox";

    private const string Columns =
        "id, delivery_key, event_type, conversation_id, event_timestamp, received_at, attempts, last_failure, last_failed_at, length(body)";

    private readonly SqliteWebhookDatabase _database;
    private readonly TimeProvider _timeProvider;
    private readonly string _owner = Guid.NewGuid().ToString("N");
    private readonly long _leaseMs;
    private readonly DurableInboxPolling _polling;
    private readonly int _maxLength;
    private readonly ITimer _renewal;

    /// <summary>Creates an inbox over the SQLite file named by <see cref="ConvAiWebhookSqliteOptions.ConnectionString"/>; the schema is created on first use.</summary>
    /// <param name="options">The settings; <see cref="ConvAiWebhookSqliteOptions.ConnectionString"/> is used as given (a relative path is relative to the current directory).</param>
    /// <param name="timeProvider">The clock that makes retries due and leases end; <see cref="TimeProvider.System"/> when null.</param>
    /// <exception cref="ArgumentException">The options are not valid.</exception>
    public SqliteWebhookInbox(ConvAiWebhookSqliteOptions options, TimeProvider? timeProvider = null)
        : this(Validated(options), timeProvider, database: null)
    {
    }

    internal SqliteWebhookInbox(ConvAiWebhookSqliteOptions options, TimeProvider? timeProvider, SqliteWebhookDatabase? database)
    {
        _database = database ?? new SqliteWebhookDatabase(options.ConnectionString!, options.BusyTimeout);
        _timeProvider = timeProvider ?? TimeProvider.System;
        _leaseMs = Math.Max(1, (long)options.LeaseTime.TotalMilliseconds);
        _polling = new DurableInboxPolling(options.PollInterval);
        _maxLength = options.MaxLength;
        var renewEvery = options.LeaseTime / 3;
        _renewal = _timeProvider.CreateTimer(static state => _ = ((SqliteWebhookInbox)state!).RenewLeasesAsync(), this, renewEvery, renewEvery);
    }

    /// <inheritdoc />
    public async ValueTask<bool> TryEnqueueAsync(ConvAiWebhookDelivery delivery, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(delivery);
        var enqueued = await _database.WriteAsync(
            async (connection, transaction, token) =>
            {
                var count = await ScalarAsync(connection, transaction, "SELECT live FROM convai_webhook_inbox_size WHERE id = 0", token).ConfigureAwait(false);
                if (count >= _maxLength)
                {
                    return false;
                }

                await InsertAsync(connection, transaction, delivery, SqliteWebhookDatabase.Queued, Now(), token).ConfigureAwait(false);
                return true;
            },
            cancellationToken).ConfigureAwait(false);
        if (enqueued)
        {
            Signal();
        }

        return enqueued;
    }

    /// <inheritdoc />
    public ValueTask<ConvAiWebhookInboxItem> LeaseAsync(CancellationToken cancellationToken = default) =>
        _polling.LeaseAsync(TryLeaseAsync, cancellationToken);

    /// <inheritdoc />
    public async ValueTask CompleteAsync(ConvAiWebhookInboxItem item, CancellationToken cancellationToken = default)
    {
        var id = LeasedId(item);
        await ExecuteAsync(
            $"DELETE FROM {Table} WHERE id = $id AND state = 1 AND lease_owner = $owner",
            command => command.Parameters.AddWithValue("$id", id),
            cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask RetryLaterAsync(ConvAiWebhookInboxItem item, DateTimeOffset dueAt, string? failure, CancellationToken cancellationToken = default)
    {
        var id = LeasedId(item);
        await ExecuteAsync(
            $"""
            UPDATE {Table} SET state = 0, lease_owner = NULL, due_at = $due,
                attempts = attempts + (CASE WHEN $failure IS NULL THEN 0 ELSE 1 END),
                last_failure = COALESCE($failure, last_failure),
                last_failed_at = CASE WHEN $failure IS NULL THEN last_failed_at ELSE $now END
            WHERE id = $id AND state = 1 AND lease_owner = $owner
            """,
            command =>
            {
                command.Parameters.AddWithValue("$id", id);
                command.Parameters.AddWithValue("$due", dueAt.ToUnixTimeMilliseconds());
                command.Parameters.AddWithValue("$failure", (object?)failure ?? DBNull.Value);
                command.Parameters.AddWithValue("$now", Now());
            },
            cancellationToken).ConfigureAwait(false);
        if (dueAt <= _timeProvider.GetUtcNow())
        {
            Signal();
        }
    }

    /// <inheritdoc />
    public async ValueTask DeadLetterAsync(ConvAiWebhookInboxItem item, string failure, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(failure);
        var id = LeasedId(item);
        await ExecuteAsync(
            $"""
            UPDATE {Table} SET state = 2, lease_owner = NULL, attempts = attempts + 1, last_failure = $failure, last_failed_at = $now
            WHERE id = $id AND state = 1 AND lease_owner = $owner
            """,
            command =>
            {
                command.Parameters.AddWithValue("$id", id);
                command.Parameters.AddWithValue("$failure", failure);
                command.Parameters.AddWithValue("$now", Now());
            },
            cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask<string> AddDeadLetterAsync(ConvAiWebhookDelivery delivery, string failure, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(delivery);
        ArgumentException.ThrowIfNullOrEmpty(failure);
        var id = await _database.WriteAsync(
            (connection, transaction, token) => InsertAsync(connection, transaction, Failed(delivery, failure), SqliteWebhookDatabase.Dead, Now(), token),
            cancellationToken).ConfigureAwait(false);
        return id.ToString(CultureInfo.InvariantCulture);
    }

    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<ConvAiWebhookInboxItem>> ListDeadLettersAsync(CancellationToken cancellationToken = default)
    {
        var connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var command = connection.CreateCommand();
            await using (command.ConfigureAwait(false))
            {
                command.CommandText = $"SELECT {Columns} FROM {Table} WHERE state = 2 ORDER BY id";
                var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                await using (reader.ConfigureAwait(false))
                {
                    var items = new List<ConvAiWebhookInboxItem>();
                    while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                    {
                        items.Add(ReadItem(reader, body: []));
                    }

                    return items;
                }
            }
        }
    }

    /// <inheritdoc />
    public async ValueTask<bool> RedriveAsync(string id, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(id);
        if (!long.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var rowId))
        {
            return false;
        }

        // A re-drive is an operator's decision: it is taken even when the inbox is full.
        var changed = await ExecuteAsync(
            $"UPDATE {Table} SET state = 0, attempts = 0, due_at = $now WHERE id = $id AND state = 2",
            command =>
            {
                command.Parameters.AddWithValue("$id", rowId);
                command.Parameters.AddWithValue("$now", Now());
            },
            cancellationToken).ConfigureAwait(false);
        if (changed == 0)
        {
            return false;
        }

        Signal();
        return true;
    }

    /// <summary>Stops renewing this instance's leases; they end after the lease time and the deliveries are leased again.</summary>
    public void Dispose() => _renewal.Dispose();

    /// <summary>Stops renewing this instance's leases; they end after the lease time and the deliveries are leased again.</summary>
    /// <returns>A task that completes when the renewal timer is stopped.</returns>
    public ValueTask DisposeAsync() => _renewal.DisposeAsync();

    /// <summary>Leases a due delivery without waiting; null when none is due.</summary>
    internal Task<ConvAiWebhookInboxItem?> TryLeaseAsync(CancellationToken cancellationToken) =>
        _database.WriteAsync(TryLeaseAsync, cancellationToken);

    private async ValueTask<ConvAiWebhookInboxItem?> TryLeaseAsync(SqliteConnection connection, SqliteTransaction transaction, CancellationToken cancellationToken)
    {
        var now = Now();
        {
            ConvAiWebhookInboxItem item;
            long id;
            var command = connection.CreateCommand();
            await using (command.ConfigureAwait(false))
            {
                // Due queued deliveries, and leases that were not renewed in time (their process died).
                command.Transaction = transaction;
                command.CommandText = $"SELECT {Columns} FROM {Table} WHERE state < 2 AND due_at <= $now ORDER BY due_at, id LIMIT 1";
                command.Parameters.AddWithValue("$now", now);
                var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                await using (reader.ConfigureAwait(false))
                {
                    if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                    {
                        return null;
                    }

                    id = reader.GetInt64(0);
                    var body = new byte[reader.GetInt64(9)];
                    if (body.Length > 0)
                    {
                        using var blob = new SqliteBlob(connection, Table, "body", id, readOnly: true);
                        blob.ReadExactly(body);
                    }

                    item = ReadItem(reader, body);
                }
            }

            var lease = connection.CreateCommand();
            await using (lease.ConfigureAwait(false))
            {
                lease.Transaction = transaction;
                lease.CommandText = $"UPDATE {Table} SET state = 1, lease_owner = $owner, due_at = $until WHERE id = $id";
                lease.Parameters.AddWithValue("$owner", _owner);
                lease.Parameters.AddWithValue("$until", now + _leaseMs);
                lease.Parameters.AddWithValue("$id", id);
                await lease.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            return item;
        }
    }

    /// <summary>Extends every lease this instance holds by the lease time.</summary>
    internal async Task RenewLeasesAsync()
    {
        try
        {
            await ExecuteAsync(
                $"UPDATE {Table} SET due_at = $until WHERE state = 1 AND lease_owner = $owner",
                command => command.Parameters.AddWithValue("$until", Now() + _leaseMs),
                CancellationToken.None).ConfigureAwait(false);
        }
        catch (SqliteException)
        {
            // The next renewal tries again; a lease that ends meanwhile is leased again, which at-least-once allows.
        }
        catch (ObjectDisposedException)
        {
            // Disposed while renewing.
        }
    }

    private static ConvAiWebhookDelivery Failed(ConvAiWebhookDelivery delivery, string failure, DateTimeOffset now) =>
        delivery with { Attempts = delivery.Attempts + 1, LastFailure = failure, LastFailedAt = now };

    private ConvAiWebhookDelivery Failed(ConvAiWebhookDelivery delivery, string failure) => Failed(delivery, failure, _timeProvider.GetUtcNow());

    private static ConvAiWebhookInboxItem ReadItem(SqliteDataReader reader, byte[] body) => new()
    {
        Id = reader.GetInt64(0).ToString(CultureInfo.InvariantCulture),
        Delivery = new ConvAiWebhookDelivery
        {
            DeliveryKey = reader.GetString(1),
            EventType = new ConvAiWebhookEventType(reader.GetString(2)),
            ConversationId = reader.IsDBNull(3) ? null : reader.GetString(3),
            EventTimestamp = reader.IsDBNull(4) ? null : DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(4)),
            ReceivedAt = DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(5)),
            Attempts = reader.GetInt32(6),
            LastFailure = reader.IsDBNull(7) ? null : reader.GetString(7),
            LastFailedAt = reader.IsDBNull(8) ? null : DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(8)),
            Body = body,
        },
    };

    /// <summary>Inserts a row with an empty blob of the body's length, then writes the body into it from the delivery's memory.</summary>
    private static async ValueTask<long> InsertAsync(
        SqliteConnection connection, SqliteTransaction transaction, ConvAiWebhookDelivery delivery, int state, long dueAt, CancellationToken cancellationToken)
    {
        long id;
        var command = connection.CreateCommand();
        await using (command.ConfigureAwait(false))
        {
            command.Transaction = transaction;
            command.CommandText = $"""
                INSERT INTO {Table} (state, due_at, delivery_key, event_type, conversation_id, event_timestamp, received_at,
                    attempts, last_failure, last_failed_at, body)
                VALUES ($state, $due, $key, $type, $conversation, $timestamp, $received, $attempts, $failure, $failedAt, zeroblob($length));
                SELECT last_insert_rowid();
                """;
            command.Parameters.AddWithValue("$state", state);
            command.Parameters.AddWithValue("$due", dueAt);
            command.Parameters.AddWithValue("$key", delivery.DeliveryKey);
            command.Parameters.AddWithValue("$type", delivery.EventType.ToString());
            command.Parameters.AddWithValue("$conversation", (object?)delivery.ConversationId ?? DBNull.Value);
            command.Parameters.AddWithValue("$timestamp", (object?)delivery.EventTimestamp?.ToUnixTimeMilliseconds() ?? DBNull.Value);
            command.Parameters.AddWithValue("$received", delivery.ReceivedAt.ToUnixTimeMilliseconds());
            command.Parameters.AddWithValue("$attempts", delivery.Attempts);
            command.Parameters.AddWithValue("$failure", (object?)delivery.LastFailure ?? DBNull.Value);
            command.Parameters.AddWithValue("$failedAt", (object?)delivery.LastFailedAt?.ToUnixTimeMilliseconds() ?? DBNull.Value);
            command.Parameters.AddWithValue("$length", delivery.Body.Length);
            id = (long)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
        }

        if (!delivery.Body.IsEmpty)
        {
            using var blob = new SqliteBlob(connection, Table, "body", id);
            blob.Write(delivery.Body.Span);
        }

        return id;
    }

    private static async ValueTask<long> ScalarAsync(SqliteConnection connection, SqliteTransaction transaction, string sql, CancellationToken cancellationToken)
    {
        var command = connection.CreateCommand();
        await using (command.ConfigureAwait(false))
        {
            command.Transaction = transaction;
            command.CommandText = sql;
            return (long)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
        }
    }

    private static ConvAiWebhookSqliteOptions Validated(ConvAiWebhookSqliteOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var validation = new ConvAiWebhookSqliteOptionsValidator().Validate(null, options);
        return validation.Failed ? throw new ArgumentException(validation.FailureMessage, nameof(options)) : options;
    }

    private static long LeasedId(ConvAiWebhookInboxItem item)
    {
        ArgumentNullException.ThrowIfNull(item);
        return long.TryParse(item.Id, NumberStyles.None, CultureInfo.InvariantCulture, out var id)
            ? id
            : throw new InvalidOperationException($"The inbox item '{item.Id}' is not leased.");
    }

    /// <summary>Runs one statement in the writer loop's next commit, with <c>$owner</c> bound; returns the rows changed.</summary>
    private Task<int> ExecuteAsync(string sql, Action<SqliteCommand> bind, CancellationToken cancellationToken) =>
        _database.WriteAsync(
            async (connection, transaction, token) =>
            {
                var command = connection.CreateCommand();
                await using (command.ConfigureAwait(false))
                {
                    command.Transaction = transaction;
                    command.CommandText = sql;
                    if (sql.Contains("$owner", StringComparison.Ordinal))
                    {
                        command.Parameters.AddWithValue("$owner", _owner);
                    }

                    bind(command);
                    return await command.ExecuteNonQueryAsync(token).ConfigureAwait(false);
                }
            },
            cancellationToken);

    private long Now() => _timeProvider.GetUtcNow().ToUnixTimeMilliseconds();

    /// <summary>Wakes this instance's waiting consumers (other processes find the delivery at their next poll).</summary>
    private void Signal() => _polling.Signal();
}
