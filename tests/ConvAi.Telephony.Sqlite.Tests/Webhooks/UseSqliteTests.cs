using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace ConvAi.Telephony.Sqlite.Tests.Webhooks;

/// <summary><c>UseSqlite</c> through the real container: registrations, options binding, validation, the content root.</summary>
public class UseSqliteTests
{
    private SqliteTestFile _file = null!;

    [SetUp]
    public void SetUp() => _file = new SqliteTestFile();

    [TearDown]
    public void TearDown() => _file.Dispose();

    [Test]
    public async Task UseSqlite_RelativeDataSource_FileCreatedUnderTheContentRoot()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { ContentRootPath = _file.Directory });
        builder.Services.AddConvAiWebhooks(o => o.Secret = WebhookFixtures.Secret).UseSqlite("Data Source=relative.db");
        using var host = builder.Build();

        var store = host.Services.GetRequiredService<IConvAiWebhookDeliveryStore>();
        var inbox = host.Services.GetRequiredService<IConvAiWebhookInbox>();
        await store.MarkProcessedAsync("k", TimeSpan.FromDays(1));
        await inbox.AddDeadLetterAsync(new ConvAiWebhookDelivery { DeliveryKey = "k", Body = new byte[] { 1 } }, "X");

        Assert.Multiple(() =>
        {
            Assert.That(store, Is.TypeOf<SqliteWebhookDeliveryStore>());
            Assert.That(inbox, Is.TypeOf<SqliteWebhookInbox>());
            Assert.That(File.Exists(Path.Combine(_file.Directory, "relative.db")), Is.True);
        });
    }

    [Test]
    public void UseSqlite_FromConfiguration_BindsTheSection()
    {
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConvAi:Webhooks:Sqlite:ConnectionString"] = _file.ConnectionString,
            ["ConvAi:Webhooks:Sqlite:LeaseTime"] = "00:02:00",
        }).Build());
        services.AddConvAiWebhooks(o => o.Secret = WebhookFixtures.Secret).UseSqlite();
        using var provider = services.BuildServiceProvider();

        var options = provider.GetRequiredService<IOptions<ConvAiWebhookSqliteOptions>>().Value;

        Assert.Multiple(() =>
        {
            Assert.That(options.ConnectionString, Is.EqualTo(_file.ConnectionString));
            Assert.That(options.LeaseTime, Is.EqualTo(TimeSpan.FromMinutes(2)));
        });
    }

    [Test]
    public void UseSqlite_NoConnectionString_ValidationNamesTheKey()
    {
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().Build());
        services.AddConvAiWebhooks(o => o.Secret = WebhookFixtures.Secret).UseSqlite(o => o.LeaseTime = TimeSpan.Zero);
        using var provider = services.BuildServiceProvider();

        var exception = Assert.Throws<OptionsValidationException>(() => _ = provider.GetRequiredService<IOptions<ConvAiWebhookSqliteOptions>>().Value);

        Assert.Multiple(() =>
        {
            Assert.That(exception!.Failures, Has.Some.Contains("ConvAi:Webhooks:Sqlite:ConnectionString"));
            Assert.That(exception.Failures, Has.Some.Contains("ConvAi:Webhooks:Sqlite:LeaseTime"));
        });
    }

    [TestCase("Data Source=/var/lib/app/webhooks.db", "/var/lib/app/webhooks.db")]
    [TestCase("Data Source=data/webhooks.db", "/srv/app/data/webhooks.db")]
    public void ResolveDataSource_RelativeOrAbsolute_AbsoluteAgainstTheContentRoot(string connectionString, string expected)
    {
        var resolved = ConvAiWebhookSqliteBuilderExtensions.ResolveDataSource(connectionString, "/srv/app");

        Assert.That(new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(resolved).DataSource, Is.EqualTo(expected));
    }
}
