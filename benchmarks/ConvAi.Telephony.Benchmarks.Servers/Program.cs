using System.Text.Json.Nodes;
using ConvAi.Telephony;
using ConvAi.Telephony.AspNetCore;
using ConvAi.Telephony.Testing;

// --target bare|receiver|api, then the usual ASP.NET Core arguments (--urls http://127.0.0.1:PORT).
//   agent-echo --port N: the emulator with its agent socket in benchmark echo mode (bridges/run.sh): caller audio comes
//             straight back as agent audio, stamped with the emulator's receive time; agent "agent_bench" is public.
//   bare:     POST /webhooks/elevenlabs answers 200 and does nothing else (the load floor).
//   receiver: AddConvAiWebhooks().AddHandler<THandler>() + MapConvAiWebhooks("/webhooks/elevenlabs"), the secret from WEBHOOK_SECRET
//             (the same registration the WebhookReceiver sample uses, standing in until that sample lands).
//   api:      canned answers for POST /v1/convai/twilio/outbound-call and GET /v1/convai/conversations/{id}.
var target = args.Length >= 2 && args[0] == "--target" ? args[1] : null;
if (target == "agent-echo")
{
    var port = args.Length >= 4 && args[2] == "--port" ? int.Parse(args[3], System.Globalization.CultureInfo.InvariantCulture) : 0;
    var options = new ConvAiEmulatorOptions { Port = port, BenchmarkEcho = true, AgentPingInterval = TimeSpan.Zero };
    options.Agents["agent_bench"] = new EmulatedAgent { IsPublic = true, FirstMessage = null };
    await using var emulator = await ConvAiEmulator.StartNewAsync(options);
    Console.WriteLine("agent echo on " + emulator.BaseAddress);
    using var stopping = new CancellationTokenSource();
    using var sigterm = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGTERM, c => { c.Cancel = true; stopping.Cancel(); });
    Console.CancelKeyPress += (_, e) => { e.Cancel = true; stopping.Cancel(); };
    try
    {
        await Task.Delay(Timeout.Infinite, stopping.Token);
    }
    catch (OperationCanceledException)
    {
    }

    return 0;
}

var builder = WebApplication.CreateBuilder(args[Math.Min(2, args.Length)..]);

// Per-request information logs would measure the console, not the endpoint.
builder.Logging.SetMinimumLevel(LogLevel.Warning);

switch (target)
{
    case "bare":
        break;
    case "receiver":
        builder.Services.AddConvAiWebhooks().AddHandler<TranscriptCounter>();
        break;
    case "api":
        break;
    default:
        Console.Error.WriteLine("usage: --target bare|receiver|api [--urls http://127.0.0.1:PORT]");
        return 2;
}

var app = builder.Build();
switch (target)
{
    case "bare":
        app.MapPost("/webhooks/elevenlabs", (RequestDelegate)(context =>
        {
            context.Response.StatusCode = StatusCodes.Status200OK;
            return Task.CompletedTask;
        }));
        break;
    case "receiver":
        app.MapConvAiWebhooks("/webhooks/elevenlabs");
        break;
    default:
        var transcript = JsonNode.Parse(File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Resources", "post_call_transcription.json")))!;
        var conversation = System.Text.Encoding.UTF8.GetBytes(transcript["data"]!.ToJsonString());
        var call = """{"success":true,"message":"Success","conversation_id":"conv_1","callSid":"CA1234567890abcdef1234567890abcdef"}"""u8.ToArray();
        app.MapPost("/v1/convai/twilio/outbound-call", (RequestDelegate)(context => WriteJsonAsync(context, call)));
        app.MapGet("/v1/convai/conversations/{id}", (RequestDelegate)(context => WriteJsonAsync(context, conversation)));
        break;
}

await app.RunAsync();
return 0;

static Task WriteJsonAsync(HttpContext context, byte[] body)
{
    if (!context.Request.Headers.ContainsKey("xi-api-key"))
    {
        context.Response.StatusCode = StatusCodes.Status401Unauthorized;
        return Task.CompletedTask;
    }

    context.Response.ContentType = "application/json";
    context.Response.ContentLength = body.Length;
    return context.Response.Body.WriteAsync(body).AsTask();
}

/// <summary>A webhook handler that does what a real one starts with: look at the conversation, no I/O.</summary>
internal sealed class TranscriptCounter : ConvAiWebhookHandler
{
    private static long _transcriptTurns;

    public override Task OnPostCallTranscriptionAsync(PostCallTranscriptionEvent webhookEvent, CancellationToken cancellationToken = default)
    {
        Interlocked.Add(ref _transcriptTurns, webhookEvent.GetData().Transcript?.Count ?? 0);
        return Task.CompletedTask;
    }
}
