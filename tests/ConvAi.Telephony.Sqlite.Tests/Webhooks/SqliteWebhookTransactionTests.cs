using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace ConvAi.Telephony.Sqlite.Tests.Webhooks;

/// <summary>
/// A handler that writes to the webhook file enlists in <see cref="SqliteWebhookTransaction"/>: its write and the
/// processed mark commit together after it returns, and a throw rolls both back.
/// </summary>
public class SqliteWebhookTransactionTests
{
    private const string Key = "convai:webhook:post_call_transcription:abc";
    private SqliteTestFile _file = null!;

    [SetUp]
    public void SetUp()
    {
        _file = new SqliteTestFile();
        using var connection = new SqliteConnection(_file.ConnectionString + ";Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "CREATE TABLE results (conversation_id TEXT PRIMARY KEY, written_in_transaction INTEGER NOT NULL)";
        command.ExecuteNonQuery();
    }

    [TearDown]
    public void TearDown() => _file.Dispose();

    private ServiceProvider Build(HandlerBehaviour behaviour)
    {
        var services = new ServiceCollection();
        services.AddSingleton(behaviour);
        services.AddConvAiWebhooks(options =>
            {
                options.Secret = WebhookFixtures.Secret;
                options.Delivery.Mode = ConvAiWebhookMode.Inline;
            })
            .AddHandler<EnlistingHandler>()
            .UseSqlite(_file.ConnectionString);
        return services.BuildServiceProvider();
    }

    private static async Task<ConvAiWebhookReceipt> DeliverAsync(ServiceProvider services)
    {
        var body = WebhookFixtures.Utf8("""{"type":"post_call_transcription","event_timestamp":1739537297,"data":{"agent_id":"agent_1","conversation_id":"abc","status":"done"}}""");
        return await services.GetRequiredService<ConvAiWebhookReceiver>().ProcessAsync(new MemoryStream(body), WebhookFixtures.Sign(body, at: DateTimeOffset.UtcNow));
    }

    [Test]
    public async Task Handler_WritesInTheTransactionAndReturns_WriteAndMarkCommittedTogether()
    {
        var behaviour = new HandlerBehaviour();
        await using var services = Build(behaviour);

        using var receipt = await DeliverAsync(services);

        Assert.Multiple(() =>
        {
            Assert.That((receipt.Status, receipt.StatusCode), Is.EqualTo((ConvAiWebhookReceiptStatus.Processed, 200)));
            Assert.That(behaviour.WasAvailable, Is.True);
            Assert.That(behaviour.UncommittedRowSeenByAnotherConnection, Is.Zero, "nothing is visible before the handler returned");
            Assert.That(_file.Scalar("SELECT COUNT(*) FROM results WHERE conversation_id = 'abc'"), Is.EqualTo(1));
            Assert.That(_file.Scalar($"SELECT COUNT(*) FROM convai_webhook_keys WHERE key = '{Key}' AND processed = 1"), Is.EqualTo(1));
        });
    }

    [Test]
    public async Task Handler_WritesThenThrows_WriteRolledBackAndDeliveryQueuedForRetry()
    {
        var behaviour = new HandlerBehaviour { ThrowAfterWrite = true };
        await using var services = Build(behaviour);

        using var receipt = await DeliverAsync(services);

        Assert.Multiple(() =>
        {
            Assert.That((receipt.Status, receipt.StatusCode), Is.EqualTo((ConvAiWebhookReceiptStatus.Queued, 200)));
            Assert.That(_file.Scalar("SELECT COUNT(*) FROM results"), Is.Zero, "the handler's write was rolled back");
            Assert.That(_file.Scalar($"SELECT COUNT(*) FROM convai_webhook_keys WHERE key = '{Key}' AND processed = 1"), Is.Zero);
            Assert.That(_file.Scalar("SELECT COUNT(*) FROM convai_webhook_inbox WHERE attempts = 1 AND last_failure = 'System.IO.IOException'"), Is.EqualTo(1));
        });
    }

    [Test]
    public async Task Handler_DoesNotEnlist_MarkedTheUsualWay()
    {
        var behaviour = new HandlerBehaviour { Enlist = false };
        await using var services = Build(behaviour);

        using var receipt = await DeliverAsync(services);

        Assert.Multiple(() =>
        {
            Assert.That(receipt.Status, Is.EqualTo(ConvAiWebhookReceiptStatus.Processed));
            Assert.That(_file.Scalar($"SELECT COUNT(*) FROM convai_webhook_keys WHERE key = '{Key}' AND processed = 1"), Is.EqualTo(1));
        });
    }

    [Test]
    public async Task GetTransactionAsync_OutsideAHandlerCall_ThrowsInvalidOperationException()
    {
        await using var services = Build(new HandlerBehaviour());
        await using var scope = services.CreateAsyncScope();
        var transaction = scope.ServiceProvider.GetRequiredService<SqliteWebhookTransaction>();

        var exception = Assert.ThrowsAsync<InvalidOperationException>(async () => await transaction.GetTransactionAsync());

        Assert.Multiple(() =>
        {
            Assert.That(transaction.IsAvailable, Is.False);
            Assert.That(exception!.Message, Does.StartWith("SqliteWebhookTransaction is available only while a ConvAiWebhookHandler"));
        });
    }

    public sealed class HandlerBehaviour
    {
        public bool Enlist { get; init; } = true;

        public bool ThrowAfterWrite { get; init; }

        public bool WasAvailable { get; set; }

        public long UncommittedRowSeenByAnotherConnection { get; set; } = -1;
    }

    private sealed class EnlistingHandler(SqliteWebhookTransaction transaction, HandlerBehaviour behaviour) : ConvAiWebhookHandler
    {
        public override async Task OnPostCallTranscriptionAsync(PostCallTranscriptionEvent webhookEvent, CancellationToken cancellationToken = default)
        {
            behaviour.WasAvailable = transaction.IsAvailable;
            if (!behaviour.Enlist)
            {
                return;
            }

            var sqlite = await transaction.GetTransactionAsync(cancellationToken);
            await using var command = sqlite.Connection!.CreateCommand();
            command.Transaction = sqlite;
            command.CommandText = "INSERT INTO results (conversation_id, written_in_transaction) VALUES ($id, 1)";
            command.Parameters.AddWithValue("$id", webhookEvent.ConversationId);
            await command.ExecuteNonQueryAsync(cancellationToken);
            if (behaviour.ThrowAfterWrite)
            {
                throw new IOException("the handler failed after its write");
            }

            using var reader = new SqliteConnection(sqlite.Connection.ConnectionString);
            reader.Open();
            using var count = reader.CreateCommand();
            count.CommandText = "SELECT COUNT(*) FROM results";
            behaviour.UncommittedRowSeenByAnotherConnection = (long)count.ExecuteScalar()!;
        }
    }
}
