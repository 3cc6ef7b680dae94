// A worker with no ASP.NET Core: it drains the Redis webhook inbox that an ASP.NET Core receiver in Queued mode fills
// (samples/WebhookReceiver with ConnectionStrings:Redis and ConvAi:Webhooks:Delivery:Mode=Queued), through the same pipeline:
// the inbox processor leases each delivery, calls the handler, marks it processed, retries with backoff and
// dead-letters after the last attempt. Configuration: ConnectionStrings:Redis (or ConvAi:Webhooks:Redis:*) and the
// webhook secret (WEBHOOK_SECRET or ConvAi:Webhooks:Secret), which AddConvAiWebhooks requires.
using ConvAi.Telephony;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

var builder = Host.CreateApplicationBuilder(args);
builder.Services.AddConvAiWebhooks().AddHandler<PrintingHandler>().UseRedis();
await builder.Build().RunAsync();

/// <summary>Prints what it processed: event type and conversation id, never transcript text.</summary>
internal sealed class PrintingHandler(ILogger<PrintingHandler> logger) : ConvAiWebhookHandler
{
    public override Task OnPostCallTranscriptionAsync(PostCallTranscriptionEvent webhookEvent, CancellationToken cancellationToken = default)
    {
        var conversation = webhookEvent.GetData();
        Console.WriteLine($"processed post_call_transcription {webhookEvent.ConversationId} ({conversation.Transcript?.Count ?? 0} turns)");
        logger.LogInformation("Stored the result of conversation {ConversationId}.", webhookEvent.ConversationId);
        return Task.CompletedTask;
    }

    public override Task OnCallInitiationFailureAsync(CallInitiationFailureEvent webhookEvent, CancellationToken cancellationToken = default)
    {
        Console.WriteLine($"processed call_initiation_failure {webhookEvent.ConversationId}");
        return Task.CompletedTask;
    }
}
