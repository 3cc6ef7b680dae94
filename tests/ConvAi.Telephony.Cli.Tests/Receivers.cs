using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using WebhookReceiver;

namespace ConvAi.Telephony.Cli.Tests;

/// <summary>
/// samples/WebhookReceiver's own Program.cs on Kestrel (127.0.0.1, free port), with both secrets set the way an operator
/// sets them, so the CLI reaches it over real HTTP exactly as it reaches a deployed receiver.
/// </summary>
internal sealed class WebhookReceiverHost : WebApplicationFactory<Customer>
{
    public const string WebhookSecret = "whsec_RECEIVER_SECRET_b7f1";
    public const string InitiationSecret = "init_RECEIVER_SECRET_93c2";

    public Uri BaseAddress { get; private set; } = null!;

    public Uri WebhookUrl => new(BaseAddress, "/webhooks/elevenlabs");

    public Uri InitiationUrl => new(BaseAddress, "/webhooks/elevenlabs/initiation");

    public static WebhookReceiverHost Start()
    {
        var host = new WebhookReceiverHost();
        host.UseKestrel(0);
        host.StartServer();
        host.BaseAddress = host.ClientOptions.BaseAddress;
        return host;
    }

    /// <summary>This host's own SQLite file for the sample's results, deleted on dispose.</summary>
    public string DatabasePath { get; } = Path.Combine(Path.GetTempPath(), $"convai-cli-receiver-{Guid.NewGuid():N}.db");

    /// <summary>Reads what the sample stored for a conversation (GET /conversations/{id}), or null when nothing.</summary>
    public async Task<JsonObject?> GetStoredAsync(string conversationId)
    {
        using var client = new HttpClient { BaseAddress = BaseAddress };
        using var response = await client.GetAsync(new Uri("/conversations/" + conversationId, UriKind.Relative));
        return response.StatusCode == HttpStatusCode.NotFound ? null : JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
    }

    /// <summary>
    /// Reads what the sample stored once <paramref name="field"/> is there: the sample runs in queued mode, so it answers
    /// 200 before its handler stores the result. Gives up after 15 seconds and returns what it last read.
    /// </summary>
    public async Task<JsonObject?> WaitForStoredAsync(string conversationId, string field)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        while (true)
        {
            var stored = await GetStoredAsync(conversationId);
            if (stored?[field] is not null || DateTime.UtcNow > deadline)
            {
                return stored;
            }

            await Task.Delay(50);
        }
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        File.Delete(DatabasePath);
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("ConnectionStrings:Results", $"Data Source={DatabasePath};Pooling=False");
        builder.UseSetting("ConvAi:Webhooks:Secret", WebhookSecret);
        builder.UseSetting("ConvAi:ConversationInitiation:Secret", InitiationSecret);
        builder.UseSetting("Logging:LogLevel:Default", "Warning");
    }
}

/// <summary>A conversation-initiation endpoint that answers a fixed status and body and records what it received.</summary>
internal sealed class StubInitiationEndpoint : IAsyncDisposable
{
    private readonly WebApplication _app;

    private StubInitiationEndpoint(WebApplication app) => _app = app;

    public Uri Url { get; private set; } = null!;

    public string? ReceivedContentType { get; private set; }

    public string? ReceivedBody { get; private set; }

    public IReadOnlyDictionary<string, string>? ReceivedHeaders { get; private set; }

    public static async Task<StubInitiationEndpoint> StartAsync(int status, string body, string contentType = "application/json")
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrelCore().ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var stub = new StubInitiationEndpoint(app);
        app.MapPost("/initiation", async (HttpContext context) =>
        {
            stub.ReceivedContentType = context.Request.ContentType;
            stub.ReceivedHeaders = context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
            stub.ReceivedBody = await new StreamReader(context.Request.Body).ReadToEndAsync();
            context.Response.StatusCode = status;
            context.Response.ContentType = contentType;
            await context.Response.WriteAsync(body);
        });
        await app.StartAsync();
        stub.Url = new Uri(app.Urls.First().TrimEnd('/') + "/initiation");
        return stub;
    }

    public ValueTask DisposeAsync() => _app.DisposeAsync();
}
