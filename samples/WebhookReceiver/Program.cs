// WebhookReceiver: receives ElevenLabs' post-call webhooks (verified and de-duplicated by MapConvAiWebhooks) and
// stores the results in memory; GET /conversations lists them. See README.md.
using WebhookReceiver;

var builder = WebApplication.CreateBuilder(args); // --urls, appsettings.json, WEBHOOK_SECRET and ConvAi__* variables

builder.Services.AddSingleton(TimeProvider.System);
builder.Services.AddSingleton<CallResultStore>();
// Secret from ConvAi:Webhooks:Secret or WEBHOOK_SECRET; without one the app refuses to start (fail closed).
builder.Services.AddConvAiWebhooks<StoringWebhookHandler>();

var app = builder.Build();

app.MapConvAiWebhooks("/webhooks/elevenlabs");

app.MapGet("/conversations", (CallResultStore store) => store.List());
app.MapGet("/conversations/{conversationId}", (string conversationId, CallResultStore store) =>
    store.Get(conversationId) is { } result ? Results.Ok(result) : Results.NotFound());

app.Run();
