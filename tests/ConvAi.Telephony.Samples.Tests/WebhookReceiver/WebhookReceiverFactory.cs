using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using WebhookReceiver;

namespace ConvAi.Telephony.Samples.Tests.WebhookReceiver;

/// <summary>
/// Runs the WebhookReceiver sample's own Program.cs in memory, with both secrets configured the way an operator would
/// (configuration keys) and a fake clock, so signature timestamps and stored times are fixed.
/// </summary>
internal sealed class WebhookReceiverFactory : WebApplicationFactory<Customer>
{
    public const string WebhookSecret = "test-webhook-secret";
    public const string InitiationSecret = "test-initiation-secret";

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 3, 2, 10, 0, 0, TimeSpan.Zero));

    /// <summary>This test's own SQLite file, deleted on dispose.</summary>
    public string DatabasePath { get; init; } = Path.Combine(Path.GetTempPath(), $"webhookreceiver-{Guid.NewGuid():N}.db");

    /// <summary>Keeps the database file on dispose, for a test that restarts the app on it.</summary>
    public bool KeepDatabase { get; init; }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("ConnectionStrings:Results", $"Data Source={DatabasePath};Pooling=False");
        builder.UseSetting("ConvAi:Webhooks:Secret", WebhookSecret);
        builder.UseSetting("ConvAi:ConversationInitiation:Secret", InitiationSecret);
        builder.ConfigureTestServices(services => services.AddSingleton<TimeProvider>(Time));
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (!KeepDatabase)
        {
            File.Delete(DatabasePath);
        }
    }
}
