// WebhookReceiver: receives ElevenLabs' post-call webhooks (verified and de-duplicated by MapConvAiWebhooks, queued and
// retried by the inbox, kept in SQLite or Redis), stores the results in SQLite, recovers results no webhook delivered (reconciliation, when an
// API key is set), and answers the conversation-initiation webhook for inbound calls with the caller's details.
// GET /conversations and GET /initiations list what was received. See README.md.
using ConvAi.Telephony;
using ConvAi.Telephony.AspNetCore;
using OpenTelemetry;
using OpenTelemetry.Trace;
using WebhookReceiver;

var builder = WebApplication.CreateBuilder(args); // --urls, appsettings.json, WEBHOOK_SECRET and ConvAi__* variables

builder.Services.AddSingleton(TimeProvider.System);

// Post-call webhooks. Secret from ConvAi:Webhooks:Secret or WEBHOOK_SECRET; without one the app does not start.
// Queued (appsettings.json: ConvAi:Webhooks:Delivery:Mode): answered once verified and in the inbox, processed with retries.
// Results go to SQLite: ConnectionStrings:Results, default results.db in the content root.
builder.Services.AddSingleton<CallResultStore>();
var webhooks = builder.Services.AddConvAiWebhooks().AddHandler<StoringWebhookHandler>();

// Where accepted deliveries, processed marks and the reconciler's checkpoint are kept. By default in the results' own
// SQLite file, so a crash or restart forgets nothing and the processes of this machine share them. Several machines:
// with ConnectionStrings:Redis set, they share the delivery store and the inbox (Redis Streams) instead, so a delivery
// is processed once across them and an instance's crash does not lose what it had accepted.
if (!string.IsNullOrWhiteSpace(builder.Configuration.GetConnectionString("Redis")))
{
    webhooks.UseRedis();
}
else
{
    webhooks.UseSqlite(builder.Configuration.GetConnectionString("Results") ?? "Data Source=results.db");
}

// Reconciliation needs the API: with ConvAi:ApiKey set, conversations no webhook delivered are fetched and stored.
// Under samples/AppHost the API comes as the connection ConnectionStrings:convai (the emulator, or the real API when
// published): the Aspire client integration reads it and adds the client's health check, traces and metrics.
if (!string.IsNullOrWhiteSpace(builder.Configuration.GetConnectionString("convai")))
{
    builder.AddConvAiTelephonyClient("convai");
    webhooks.AddReconciliation();
}
else if (!string.IsNullOrWhiteSpace(builder.Configuration["ConvAi:ApiKey"]))
{
    builder.Services.AddConvAiTelephony();
    webhooks.AddReconciliation();
}

// Traces and metrics to the Aspire dashboard (or any OTLP collector) when the AppHost sets OTEL_EXPORTER_OTLP_ENDPOINT.
if (!string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
{
    builder.Services.AddOpenTelemetry()
        .WithTracing(tracing => tracing.AddSource(ConvAiTelephonyDiagnostics.ActivitySourceName))
        .UseOtlpExporter();
}

// Conversation initiation. Secret header from ConvAi:ConversationInitiation:Secret; without one the app does not start.
builder.Services.Configure<CustomerDirectoryOptions>(builder.Configuration);
builder.Services.AddSingleton<InitiationLog>();
builder.Services.AddConvAiConversationInitiation().AddHandler<CustomerInitiationHandler>();

var app = builder.Build();

app.MapConvAiWebhooks("/webhooks/elevenlabs");
app.MapConvAiConversationInitiation("/webhooks/elevenlabs/initiation");

app.MapGet("/conversations", (CallResultStore store) => store.List());
app.MapGet("/conversations/{conversationId}", (string conversationId, CallResultStore store) =>
    store.Get(conversationId) is { } result ? Results.Ok(result) : Results.NotFound());
app.MapGet("/dead-letters", async (IConvAiWebhookInbox inbox) =>
    (await inbox.ListDeadLettersAsync()).Select(item => new { id = item.Id, conversation_id = item.Delivery.ConversationId, type = item.Delivery.EventType.Value, attempts = item.Delivery.Attempts, last_failure = item.Delivery.LastFailure }));
app.MapPost("/dead-letters/{id}/redrive", async (string id, IConvAiWebhookInbox inbox) =>
    await inbox.RedriveAsync(id) ? Results.Accepted() : Results.NotFound());
app.MapGet("/initiations", (InitiationLog initiations) => initiations.List());

app.Run();
