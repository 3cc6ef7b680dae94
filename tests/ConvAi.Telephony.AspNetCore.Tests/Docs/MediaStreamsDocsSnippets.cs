// The C# blocks of docs/media-streams.md, compiled here so the documentation keeps compiling. Not run.
using ConvAi.Telephony;
using ConvAi.Telephony.AspNetCore;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace ConvAi.Telephony.AspNetCore.Tests.Docs;

#pragma warning disable CS8321, IDE0059, CA1303, CA1812

internal static class MediaStreamsDocsSnippets
{
    // 1. Set up
    public static void SetUp(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        builder.Services.AddConvAiTelephony(builder.Configuration.GetSection("ConvAi"));   // the agent socket (signed URL with the API key)
        builder.Services.AddConvAiTwilioBridge<OrderDeskBridgeHandler>();                 // ConvAi:Twilio (+ TWILIO_AUTH_TOKEN), ConvAi:TwilioBridge
        var app = builder.Build();
        app.UseWebSockets();
        app.MapConvAiTwilioVoice("/twilio/voice");          // verified; answers <Connect><Stream> + <Redirect> to /twilio/voice/after
        app.MapConvAiTwilioMediaStream("/twilio/media");     // the bridge (handshake verified, per-call token checked at start)

        // 3. Reach a live call from the rest of the app
        app.MapPost("/calls/{callSid}/context", async (string callSid, ContextUpdate update, ILiveCalls calls) =>
            calls.FindByCallSid(callSid).TryGetCall(out var call)
                ? await call.SendContextualUpdateAsync(update.Text) == LiveCallSendResult.Sent ? Results.Accepted() : Results.Conflict()
                : Results.NotFound());                               // LiveCallLookupStatus.NotHere: another instance, ended, or unknown
        app.Run();
    }

    internal sealed record ContextUpdate(string Text);

    internal sealed class OrderDesk
    {
        public string CustomerIdOf(string phoneNumber) => phoneNumber.Length > 0 ? "cust_42" : "guest";

        public string LookUp(string orderId) => $$"""{"order_id":"{{orderId}}","status":"shipped"}""";
    }

    // 2. The handler
    internal sealed class OrderDeskBridgeHandler(OrderDesk desk) : ConvAiTwilioBridgeHandler
    {
        // While the phone rings: the <Parameter>s of the stream (they come back in Twilio's start, bound to the call by a token).
        public override ValueTask<IReadOnlyDictionary<string, string>?> OnIncomingCallAsync(TwilioInboundCall call, CancellationToken ct = default)
            => ValueTask.FromResult<IReadOnlyDictionary<string, string>?>(new Dictionary<string, string> { ["customer_id"] = desk.CustomerIdOf(call.From) });

        // At Twilio's start: the initiation data (the default sends the parameters as dynamic variables).
        public override ValueTask<ConversationInitiationClientData?> OnCallStartingAsync(LiveCall call, CancellationToken ct = default)
            => ValueTask.FromResult<ConversationInitiationClientData?>(new() { UserId = call.CustomParameters["customer_id"] });

        // A client tool, run here, off the audio path; the returned value is the tool result.
        public override ValueTask<ClientToolResult> OnClientToolCallAsync(LiveCall call, ClientToolCallEvent tool, CancellationToken ct = default)
        {
            if (tool.ToolName == "transfer_to_human")
            {
                call.HandOffTo("+14155550123");              // /twilio/voice/after answers <Dial> once the agent ends
                return ValueTask.FromResult(ClientToolResult.Success("""{"transferring":true}"""));
            }

            return ValueTask.FromResult(ClientToolResult.Success(desk.LookUp(tool.Parameters.GetProperty("order_id").GetString()!)));
        }
    }
}
