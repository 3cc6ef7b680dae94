// WebhookReceiver: receives ElevenLabs' post-call webhooks (verified and de-duplicated by MapConvAiWebhooks) and
// stores the results in memory, and answers the conversation-initiation webhook for inbound calls with the caller's
// details. GET /conversations and GET /initiations list what was received. See README.md.
using ConvAi.Telephony.AspNetCore;
using WebhookReceiver;

var builder = WebApplication.CreateBuilder(args); // --urls, appsettings.json, WEBHOOK_SECRET and ConvAi__* variables

builder.Services.AddSingleton(TimeProvider.System);

// Post-call webhooks. Secret from ConvAi:Webhooks:Secret or WEBHOOK_SECRET; without one the app does not start.
builder.Services.AddSingleton<CallResultStore>();
builder.Services.AddConvAiWebhooks<StoringWebhookHandler>();

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
app.MapGet("/initiations", (InitiationLog initiations) => initiations.List());

app.Run();
