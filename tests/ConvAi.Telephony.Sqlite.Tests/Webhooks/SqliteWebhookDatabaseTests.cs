using Microsoft.Data.Sqlite;

namespace ConvAi.Telephony.Sqlite.Tests.Webhooks;

/// <summary>The writer loop: concurrent writes share commits, and one write's failure is its own.</summary>
public class SqliteWebhookDatabaseTests
{
    private SqliteTestFile _file = null!;

    [SetUp]
    public void SetUp() => _file = new SqliteTestFile();

    [TearDown]
    public void TearDown() => _file.Dispose();

    [Test]
    public async Task WriteAsync_OneOfManyConcurrentWritesThrows_OnlyThatOneFailsAndTheOthersAreCommitted()
    {
        var database = new SqliteWebhookDatabase(_file.ConnectionString, TimeSpan.FromSeconds(30));
        await database.WriteAsync((connection, transaction, token) => RunAsync(connection, transaction, "CREATE TABLE t (n INTEGER PRIMARY KEY)", token), CancellationToken.None);

        var writes = Enumerable.Range(0, 100).Select(n => database.WriteAsync(
            (connection, transaction, token) => n == 37
                ? throw new InvalidOperationException("write 37 failed")
                : RunAsync(connection, transaction, $"INSERT INTO t (n) VALUES ({n})", token),
            CancellationToken.None)).ToArray();
        var failure = Assert.ThrowsAsync<InvalidOperationException>(async () => await Task.WhenAll(writes));

        Assert.Multiple(() =>
        {
            Assert.That(failure!.Message, Is.EqualTo("write 37 failed"));
            Assert.That(writes.Count(write => write.IsFaulted), Is.EqualTo(1));
            Assert.That(writes[37].IsFaulted, Is.True);
            Assert.That(_file.Scalar("SELECT COUNT(*) FROM t"), Is.EqualTo(99));
            Assert.That(_file.Scalar("SELECT COUNT(*) FROM t WHERE n = 37"), Is.Zero);
        });
    }

    [Test]
    public async Task Schema_FileFromTheVersionBeforeOwnersAndSizes_ClaimsGetAnOwnerColumnAndTheSizeCountsQueuedRows()
    {
        using (var connection = new SqliteConnection(_file.ConnectionString + ";Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = """
                CREATE TABLE convai_webhook_keys (key TEXT NOT NULL PRIMARY KEY, processed INTEGER NOT NULL, expires_at INTEGER NOT NULL) WITHOUT ROWID;
                INSERT INTO convai_webhook_keys VALUES ('old-claim', 0, 9999999999999);
                CREATE TABLE convai_webhook_inbox (id INTEGER PRIMARY KEY AUTOINCREMENT, state INTEGER NOT NULL, due_at INTEGER NOT NULL, lease_owner TEXT,
                    delivery_key TEXT NOT NULL, event_type TEXT NOT NULL, conversation_id TEXT, event_timestamp INTEGER, received_at INTEGER NOT NULL,
                    attempts INTEGER NOT NULL, last_failure TEXT, last_failed_at INTEGER, body BLOB NOT NULL);
                INSERT INTO convai_webhook_inbox (state, due_at, delivery_key, event_type, received_at, attempts, body) VALUES (0, 0, 'a', 'x', 0, 0, x'00'), (1, 0, 'b', 'x', 0, 0, x'00'), (2, 0, 'c', 'x', 0, 0, x'00');
                """;
            command.ExecuteNonQuery();
        }

        var store = new SqliteWebhookDeliveryStore(_file.ConnectionString);
        var renewedOld = await store.RenewClaimAsync("old-claim", TimeSpan.FromMinutes(1));

        Assert.Multiple(() =>
        {
            Assert.That(renewedOld, Is.False, "a claim from before owners has none: it only expires");
            Assert.That(_file.Scalar("SELECT COUNT(*) FROM pragma_table_info('convai_webhook_keys') WHERE name = 'owner'"), Is.EqualTo(1));
            Assert.That(_file.Scalar("SELECT live FROM convai_webhook_inbox_size"), Is.EqualTo(2), "queued and leased rows count, dead letters do not");
        });
    }

    private static async ValueTask<int> RunAsync(SqliteConnection connection, SqliteTransaction transaction, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
