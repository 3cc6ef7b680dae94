using System.Net;
using System.Text.Json.Nodes;
using ConvAi.Telephony.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace MyBridge.Tests;

/// <summary>
/// Whole calls, offline: the app runs on Kestrel (loopback, a free port), the Twilio simulator calls it as Twilio does
/// (signed voice webhook, signed stream, the caller's speech), and the ConvAi.Telephony emulator plays the agent on its
/// WebSocket: it greets, calls lookup_order on the caller's first turn, says the result and ends the call.
/// </summary>
public class BridgeCallTests
{
    private const string TwilioAuthToken = "test-twilio-auth-token";
    private const string AgentId = "agent_order_desk";

    private ConvAiEmulator? _emulator;
    private WebApplication? _app;

    [TearDown]
    public async Task StopAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }

        if (_emulator is not null)
        {
            await _emulator.DisposeAsync();
        }
    }

    [TestCase("123", """Your order: {"order_id":"123","status":"shipped today, arriving Thursday"}""")]
    [TestCase("999", "Your order: There is no order 999.")]
    public async Task Call_AgentCallsLookupOrder_SaysTheResultAndTheCallHangsUp(string orderId, string answer)
    {
        var address = await StartAsync(new EmulatedAgent
        {
            FirstMessage = "Order desk, how can I help?",
            Replies = { new EmulatedAgentReply("Your order: {{tool_result}}") { ToolName = "lookup_order", ToolParameters = new JsonObject { ["order_id"] = orderId } } },
            EndAfterTurns = 1,
            EndMessage = "Goodbye!",
        });
        using var twilio = new TwilioSimulator(new TwilioSimulatorOptions
        {
            VoiceUrl = new Uri(address, "/twilio/voice"),
            AuthToken = TwilioAuthToken,
            Pacing = false,            // the caller's audio as fast as the socket takes it
            RealTimePlayback = false,  // the app's audio "plays" at once, so each mark is answered at once
        });
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));

        var call = await twilio.CallAsync(new TwilioCallOptions { Audio = TwilioCallerAudio.SpeechBursts(1) }, timeout.Token);

        Assert.That(call.Error, Is.Null);
        Assert.That(call.EndReason, Is.EqualTo(TwilioCallEndReason.HungUpByTwiml)); // the agent ended, then /twilio/voice/after: <Hangup/>
        Assert.That(call.ProtocolErrors, Is.Empty);
        Assert.That(call.ReceivedAudio.Length, Is.GreaterThan(0));
        Assert.That(call.MarksReceived, Is.Not.Empty);
        var conversation = _emulator!.Conversations.Single();
        Assert.That(conversation.AgentId, Is.EqualTo(AgentId));
        Assert.That(conversation.Transcript.Where(t => t.Role == "agent").Select(t => t.Message), Does.Contain(answer));
    }

    [Test]
    public async Task VoiceWebhook_Unsigned_IsForbidden()
    {
        var address = await StartAsync(new EmulatedAgent());
        using var http = new HttpClient { BaseAddress = address };
        using var form = new FormUrlEncodedContent(new Dictionary<string, string> { ["CallSid"] = "CA00000000000000000000000000000001", ["From"] = "+14155550123" });

        using var response = await http.PostAsync(new Uri("/twilio/voice", UriKind.Relative), form);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That(_emulator!.Conversations, Is.Empty);
    }

    /// <summary>Starts the emulator with the agent's script and the app against it; returns the app's address.</summary>
    private async Task<Uri> StartAsync(EmulatedAgent agent)
    {
        _emulator = await ConvAiEmulator.StartNewAsync(new ConvAiEmulatorOptions
        {
            DefaultAgent = agent,
            PaceAgentAudio = false, // the agent's audio as fast as possible
        });
        // The command line wins over appsettings.json and the environment, so no key on the machine reaches the real API.
        _app = BridgeApp.Build(
        [
            "--urls=http://127.0.0.1:0",
            "--Logging:LogLevel:Default=Warning",
            $"--ConvAi:ApiKey={_emulator.ApiKey}",
            $"--ConvAi:BaseAddress={_emulator.BaseAddress}",
            $"--ConvAi:Twilio:AuthToken={TwilioAuthToken}",
            $"--ConvAi:Twilio:AgentId={AgentId}",
        ]);
        await _app.StartAsync();
        return new Uri(_app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
    }
}
