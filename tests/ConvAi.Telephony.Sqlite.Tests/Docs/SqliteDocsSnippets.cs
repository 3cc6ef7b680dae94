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
}
