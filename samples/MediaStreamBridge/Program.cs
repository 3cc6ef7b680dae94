// MediaStreamBridge: your server between Twilio and the agent (Twilio Media Streams): the voice webhook answers <Connect><Stream>,
// the bridge relays the call's audio to the agent, a client tool looks orders up here, another endpoint pushes contextual updates
// into the live call, and a transfer tool hands the caller to a human when the agent ends. Without ELEVENLABS_API_KEY the agent is
// played by the in-process emulator; under samples/AppHost, by the AppHost's emulator (ConnectionStrings:convai). See README.md.
using System.Text.Json.Nodes;
using ConvAi.Telephony;
using ConvAi.Telephony.AspNetCore;
using ConvAi.Telephony.Testing;
using MediaStreamBridge;

var builder = WebApplication.CreateBuilder(args); // --urls, appsettings.json, ConvAi__* and the variables in README.md
var configuration = builder.Configuration;

// The agent: under samples/AppHost the API comes as the connection ConnectionStrings:convai (the AppHost's emulator, or the real
// API when published), read by the Aspire client integration with its health check and traces. Otherwise ConvAi:ApiKey or
// ELEVENLABS_API_KEY; neither: the in-process emulator plays an order-desk agent (μ-law 8000 both ways).
var fromAppHost = !string.IsNullOrWhiteSpace(configuration.GetConnectionString("convai"));
var useEmulator = !fromAppHost && string.IsNullOrWhiteSpace(configuration["ConvAi:ApiKey"]) && string.IsNullOrWhiteSpace(configuration["ELEVENLABS_API_KEY"]);
await using var emulator = useEmulator
    ? new ConvAiEmulator(new ConvAiEmulatorOptions { DefaultAgent = EmulatedOrderDesk(), PaceAgentAudio = configuration.GetValue("Emulator:PaceAgentAudio", true) })
    : null;
if (fromAppHost)
{
    builder.AddConvAiTelephonyClient("convai");
}
else
{
    var telephony = builder.Services.AddConvAiTelephony(configuration.GetSection(ConvAiTelephonyOptions.SectionName));
    if (emulator is not null)
    {
        telephony.UseConvAiEmulator(emulator);
    }
}

// GET /health: healthy once the app runs (and, from the AppHost, the API answers); the AppHost's health check.
builder.Services.AddHealthChecks();

// The bridge: ConvAi:Twilio (TWILIO_AUTH_TOKEN, PublicBaseUrl, AgentId) and ConvAi:TwilioBridge keys, validated at start-up.
builder.Services.AddConvAiTwilioBridge<OrderDeskBridgeHandler>()
    .ConfigureTwilio(o => o.AgentId = string.IsNullOrWhiteSpace(o.AgentId) ? configuration["ELEVENLABS_AGENT_ID"] ?? (useEmulator ? "agent_emulated" : null) : o.AgentId);
builder.Services.AddSingleton<OrderDesk>();
builder.Services.AddOptions<OrderDeskOptions>().Bind(configuration.GetSection("OrderDesk"))
    .Validate(o => PhoneNumberFormat.TryNormalizeE164(o.HumanNumber, out _), "OrderDesk:HumanNumber must be an E.164 number.")
    .ValidateOnStart();

var app = builder.Build();
app.Logger.LogInformation(useEmulator
    ? "No ELEVENLABS_API_KEY: the agent is the in-process emulator (no account, no real call)."
    : "Bridging calls to the ElevenLabs agent.");

app.UseWebSockets();
app.MapConvAiTwilioVoice("/twilio/voice");        // Twilio's "A call comes in" (and /twilio/voice/after)
app.MapConvAiTwilioMediaStream("/twilio/media");  // the stream; ConvAi:TwilioBridge:MediaStreamPath must match
app.MapHealthChecks("/health");

// Your systems push news into a live call: the agent hears it without being interrupted. Another instance's call is "not here".
app.MapPost("/calls/{callSid}/context", async (string callSid, ContextUpdate update, ILiveCalls calls, CancellationToken cancellationToken) =>
{
    if (!calls.FindByCallSid(callSid).TryGetCall(out var call))
    {
        return Results.NotFound(new JsonObject { ["error"] = "not_here", ["detail"] = "No live call with that SID on this instance." });
    }

    return await call.SendContextualUpdateAsync(update.Text, cancellationToken) == LiveCallSendResult.Sent
        ? Results.Accepted()
        : Results.Conflict(new JsonObject { ["error"] = "ended" });
});

app.MapBenchmarkStatsIfEnabled(); // GET /stats for benchmarks/bridges/run.sh, only with CONVAI_BENCH_STATS=1

await app.RunAsync();

// The emulator's order desk: greets the caller by name, looks an order up with the client tool, then transfers to a human and ends.
static EmulatedAgent EmulatedOrderDesk() => new()
{
    FirstMessage = "Hello {{customer_name}}, this is the order desk. How can I help?",
    Replies =
    {
        new EmulatedAgentReply("Your order: {{tool_result}}") { ToolName = "lookup_order", ToolParameters = new JsonObject { ["order_id"] = "123" } },
        new EmulatedAgentReply("Let me put you through to a colleague.") { ToolName = "transfer_to_human", ToolParameters = new JsonObject() },
    },
    EndAfterTurns = 2,
    EndMessage = "Transferring you now. Goodbye!",
};

/// <summary>The body of <c>POST /calls/{callSid}/context</c>.</summary>
public sealed record ContextUpdate(string Text);
