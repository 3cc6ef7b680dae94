// The C# blocks of docs/webhooks.md, compiled here so the documentation keeps compiling. Not run.
using ConvAi.Telephony;
using ConvAi.Telephony.AspNetCore;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.DependencyInjection;

namespace ConvAi.Telephony.AspNetCore.Tests.Docs;

#pragma warning disable CS8321, IDE0059, CA1303, CA1812

internal static class WebhookDocsSnippets
{
    // 3. Register and map
    public static void RegisterAndMap(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        builder.Services.AddConvAiWebhooks().AddHandler<CallResultsHandler>();   // binds ConvAi:Webhooks (+ WEBHOOK_SECRET)

        var app = builder.Build();
        app.MapConvAiWebhooks("/webhooks/elevenlabs");            // returns IEndpointConventionBuilder
        app.Run();
    }

    // 8. Controllers and your own endpoints
    public static void Controllers(WebApplication app)
    {
        app.MapPost("/hooks/custom", (RequestDelegate)(async ctx =>
        {
            var e = ctx.GetConvAiWebhookEvent();
            // ...
            await Task.CompletedTask;
        })).RequireConvAiWebhookSignature();

        app.MapPost("/hooks/typed", ([FromBody] MyPayload payload, HttpContext ctx) => Results.Ok())
           .RequireConvAiWebhookSignature();                       // binds the verified bytes
        app.MapGroup("/hooks/group").RequireConvAiWebhookSignature();   // every endpoint in the group
        app.MapControllers().RequireConvAiWebhookSignature();      // every action (or mark one with [ConvAiWebhook])
    }

    private sealed record MyPayload(string Type);

    // 9. Without ASP.NET Core: a function or any other host
    public static async Task<int> Receiver(IServiceProvider services, Stream requestBody, string? signatureHeader, CancellationToken ct)
    {
        ConvAiWebhookReceiver receiver = services.GetRequiredService<ConvAiWebhookReceiver>();
        using ConvAiWebhookReceipt receipt = await receiver.ProcessAsync(requestBody, signatureHeader, cancellationToken: ct);
        int status = receipt.StatusCode;                                     // 200, 401, 400, 413 or 503

        using ConvAiWebhookReceipt accepted = await receiver.ReceiveAsync(requestBody, signatureHeader, cancellationToken: ct);
        if (accepted.Event is { } e)
        {
            await accepted.HandleAsync(async (webhookEvent, token) => { /* store it */ await Task.CompletedTask; return null; }, ct);
        }

        return status;
    }

    // 9. Without ASP.NET Core: the verifier alone
    public static void WithoutAspNetCore(string secret, byte[] rawBodyBytes, string signatureHeader)
    {
        var verifier = new ConvAiWebhookSignature(secret);                    // or (secrets, tolerance, futureTolerance, timeProvider)
        ConvAiWebhookSignatureResult result = verifier.Verify(rawBodyBytes, signatureHeader);
        if (result == ConvAiWebhookSignatureResult.Valid)
        {
            ConvAiWebhookEvent e = ConvAiWebhookEvent.Parse(rawBodyBytes);     // ConvAiWebhookPayloadException when malformed
        }
    }

    // 10. Testing your endpoint
    public static async Task Testing(HttpClient testServerClient)
    {
        var body = File.ReadAllBytes("post_call_transcription.json");
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new("application/json");
        content.Headers.Add(ConvAiWebhookSignature.HeaderName,
            ConvAiWebhookSignature.CreateHeader("test-secret", body, DateTimeOffset.UtcNow));
        var response = await testServerClient.PostAsync("/webhooks/elevenlabs", content);
    }
}

// 4. Write the handler
internal sealed class CallResultsHandler(CallStore store) : ConvAiWebhookHandler
{
    public override async Task OnPostCallTranscriptionAsync(PostCallTranscriptionEvent e, CancellationToken ct = default)
    {
        Conversation call = e.GetData();
        await store.SaveAsync(call.ConversationId, call.Status, call.Analysis?.TranscriptSummary, ct);
    }

    public override async Task OnPostCallAudioAsync(PostCallAudioEvent e, CancellationToken ct = default)
    {
        await using var file = File.Create($"{e.ConversationId}.mp3");
        await e.CopyAudioToAsync(file, ct);   // decodes in 48 KB chunks, no copy of the whole audio
    }

    public override Task OnCallInitiationFailureAsync(CallInitiationFailureEvent e, CancellationToken ct = default) =>
        e.Data.FailureReason == CallInitiationFailureReason.NoAnswer
            ? store.ScheduleRetryAsync(e.ConversationId!, ct)
            : Task.CompletedTask;
}

[ApiController, Route("hooks/mvc")]
internal sealed class HooksController : ControllerBase
{
    [HttpPost, ConvAiWebhook]
    public IActionResult Receive() => HttpContext.GetConvAiWebhookEvent() switch
    {
        PostCallTranscriptionEvent t => Ok(),
        _ => Ok(),
    };
}

/// <summary>The app's own storage in the docs' examples.</summary>
internal sealed class CallStore
{
    public Task SaveAsync(string conversationId, ConversationStatus status, string? summary, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task ScheduleRetryAsync(string conversationId, CancellationToken cancellationToken) => Task.CompletedTask;
}
