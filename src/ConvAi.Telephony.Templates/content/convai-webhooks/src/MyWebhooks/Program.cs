// Receives ElevenLabs' post-call webhooks and stores each call's result. MapConvAiWebhooks verifies the signature,
// answers 200 once the delivery is in the SQLite inbox (Queued mode, appsettings.json), skips duplicates and runs
// CallResultsHandler with retries; a crash or restart loses nothing. With an API key, the reconciler also fetches the
// results of calls whose webhook never arrived.
using ConvAi.Telephony.AspNetCore;
using MyWebhooks;

var builder = WebApplication.CreateBuilder(args);

// One SQLite file for the deliveries and the results: ConnectionStrings:Webhooks, default webhooks.db in the content root.
var database = builder.Configuration.GetConnectionString("Webhooks") ?? "Data Source=webhooks.db";
builder.Services.AddSingleton(services => new CallResultStore(database, services.GetRequiredService<IHostEnvironment>()));

// The secret: ConvAi:Webhooks:Secret or WEBHOOK_SECRET (the app does not start without one).
var webhooks = builder.Services.AddConvAiWebhooks()
    .AddHandler<CallResultsHandler>()
    .UseSqlite(database);

// Reconciliation needs the API: ConvAi:ApiKey or ELEVENLABS_API_KEY.
if (!string.IsNullOrWhiteSpace(builder.Configuration["ConvAi:ApiKey"]) || !string.IsNullOrWhiteSpace(builder.Configuration["ELEVENLABS_API_KEY"]))
{
    builder.Services.AddConvAiTelephony();
    webhooks.AddReconciliation();
}

var app = builder.Build();

app.MapConvAiWebhooks("/webhooks/elevenlabs");
app.MapGet("/calls/{conversationId}", async (string conversationId, CallResultStore store, CancellationToken cancellationToken) =>
    await store.GetAsync(conversationId, cancellationToken) is { } result ? Results.Ok(result) : Results.NotFound());

app.Run();

/// <summary>The entry point, visible to the tests' WebApplicationFactory.</summary>
public partial class Program;
