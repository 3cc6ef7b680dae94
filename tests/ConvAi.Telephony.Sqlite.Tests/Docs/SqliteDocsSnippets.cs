using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace ConvAi.Telephony.Sqlite.Tests.Docs;

/// <summary>The C# of docs/webhooks.md §13 and the package README, compiled and run.</summary>
public class SqliteDocsSnippets
{
    // 13. SQLite
    private static void UseSqlite(HostApplicationBuilder builder)
    {
        builder.Services.AddConvAiWebhooks().AddHandler<CallResultsHandler>()
            .UseSqlite("Data Source=webhooks.db");   // relative to the content root; ConvAi:Webhooks:Sqlite:* for the rest
    }

    [Test]
    public async Task UseSqlite_AsDocumented_StoreAndInboxInOneFileUnderTheContentRoot()
    {
        using var file = new Webhooks.SqliteTestFile();
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { ContentRootPath = file.Directory });
        builder.Configuration["WEBHOOK_SECRET"] = WebhookFixtures.Secret;
        UseSqlite(builder);
        using (var host = builder.Build())
        {
            await host.Services.GetRequiredService<IConvAiWebhookDeliveryStore>().MarkProcessedAsync("k", TimeSpan.FromDays(7));
            await host.Services.GetRequiredService<IConvAiWebhookInbox>().AddDeadLetterAsync(new ConvAiWebhookDelivery { DeliveryKey = "k" }, "X");
        }

        var path = Path.Combine(file.Directory, "webhooks.db");
        using var other = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={path};Pooling=False");
        other.Open();
        using var command = other.CreateCommand();
        command.CommandText = "SELECT (SELECT COUNT(*) FROM convai_webhook_keys) + (SELECT COUNT(*) FROM convai_webhook_inbox)";
        Assert.That(command.ExecuteScalar(), Is.EqualTo(2L));
    }

    private sealed class CallResultsHandler : ConvAiWebhookHandler;

    // 13. A handler that writes to the same file: one transaction with the processed mark
    private sealed class EnlistedCallResultsHandler(SqliteWebhookTransaction transaction) : ConvAiWebhookHandler
    {
        public override async Task OnPostCallTranscriptionAsync(PostCallTranscriptionEvent webhookEvent, CancellationToken cancellationToken = default)
        {
            var summary = await SummarizeAsync(webhookEvent, cancellationToken);        // slow work first
            Microsoft.Data.Sqlite.SqliteTransaction sqlite = await transaction.GetTransactionAsync(cancellationToken); // then the writes
            await using var command = sqlite.Connection!.CreateCommand();
            command.Transaction = sqlite;
            command.CommandText = "INSERT INTO results (conversation_id, summary) VALUES ($id, $summary) ON CONFLICT DO NOTHING";
            command.Parameters.AddWithValue("$id", webhookEvent.ConversationId);
            command.Parameters.AddWithValue("$summary", summary);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }   // returns: the library writes the processed mark in the same transaction and commits both

        private static Task<string> SummarizeAsync(PostCallTranscriptionEvent webhookEvent, CancellationToken cancellationToken) =>
            Task.FromResult("summary of " + webhookEvent.ConversationId);
    }

    [Test]
    public async Task EnlistedHandler_AsDocumented_ResultAndMarkCommittedTogether()
    {
        using var file = new Webhooks.SqliteTestFile();
        using (var setup = new Microsoft.Data.Sqlite.SqliteConnection(file.ConnectionString + ";Pooling=False"))
        {
            setup.Open();
            using var create = setup.CreateCommand();
            create.CommandText = "CREATE TABLE results (conversation_id TEXT PRIMARY KEY, summary TEXT NOT NULL)";
            create.ExecuteNonQuery();
        }

        var services = new ServiceCollection();
        services.AddConvAiWebhooks(o => o.Secret = WebhookFixtures.Secret).AddHandler<EnlistedCallResultsHandler>().UseSqlite(file.ConnectionString);
        await using var provider = services.BuildServiceProvider();
        var body = WebhookFixtures.Utf8("""{"type":"post_call_transcription","event_timestamp":1739537297,"data":{"agent_id":"agent_1","conversation_id":"conv_doc","status":"done"}}""");

        using var receipt = await provider.GetRequiredService<ConvAiWebhookReceiver>().ProcessAsync(new MemoryStream(body), WebhookFixtures.Sign(body, at: DateTimeOffset.UtcNow));

        Assert.Multiple(() =>
        {
            Assert.That(receipt.Status, Is.EqualTo(ConvAiWebhookReceiptStatus.Processed));
            Assert.That(file.Scalar("SELECT COUNT(*) FROM results WHERE conversation_id = 'conv_doc' AND summary = 'summary of conv_doc'"), Is.EqualTo(1));
            Assert.That(file.Scalar("SELECT COUNT(*) FROM convai_webhook_keys WHERE key = 'convai:webhook:post_call_transcription:conv_doc' AND processed = 1"), Is.EqualTo(1));
        });
    }
}
