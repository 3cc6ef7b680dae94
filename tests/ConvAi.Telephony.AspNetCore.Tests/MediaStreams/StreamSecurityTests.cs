using System.Net;
using System.Net.WebSockets;
using System.Text;
using System.Text.RegularExpressions;
using ConvAi.Telephony.Tests.Realtime;

namespace ConvAi.Telephony.AspNetCore.Tests.MediaStreams;

/// <summary>
/// What the bridge accepts from Twilio: the signed voice webhook and its TwiML, the signed handshake, the one-time call token at start,
/// and frames that end only their own call when they are malformed or too large.
/// </summary>
[NonParallelizable]
public partial class StreamSecurityTests
{
    private static CancellationToken Guard => new CancellationTokenSource(TimeSpan.FromSeconds(30)).Token;

    [GeneratedRegex("value=\"(v1\\.[0-9]+\\.[A-Za-z0-9_-]{43})\"")]
    private static partial Regex TokenPattern();

    [Test]
    public async Task VoiceWebhook_AnswersConnectStreamWithEscapedParametersTokenLastAndRedirectToAfter()
    {
        await using var agent = await ScriptedAgentServer.StartAsync();
        var probe = new BridgeProbe { Parameters = call => new Dictionary<string, string> { ["customer"] = "<Ana & \"Bo\">", ["from"] = call.From } };
        await using var host = await BridgeHost.StartAsync(agent, probe: probe);

        var twilio = await TwilioPeer.CallAsync(host.Address);
        var token = TokenPattern().Match(twilio.TwiML).Groups[1].Value;
        var port = host.Address.Port;

        Assert.That(twilio.TwiML, Is.EqualTo(
            $"""<?xml version="1.0" encoding="utf-8"?><Response><Connect><Stream url="wss://127.0.0.1:{port}/twilio/media"><Parameter name="customer" value="&lt;Ana &amp; &quot;Bo&quot;&gt;" /><Parameter name="from" value="+14155550100" /><Parameter name="convai_call_token" value="{token}" /></Stream></Connect><Redirect method="POST">http://127.0.0.1:{port}/twilio/voice/after</Redirect></Response>"""));
        await twilio.DisposeAsync();
    }

    [Test]
    public async Task VoiceWebhook_HandlerUsesAReservedParameterName_AnswersTheFallback()
    {
        await using var agent = await ScriptedAgentServer.StartAsync();
        var probe = new BridgeProbe { Parameters = _ => new Dictionary<string, string> { ["convai_call_token"] = "forged" } };
        await using var host = await BridgeHost.StartAsync(agent, probe: probe);
        var fields = new Dictionary<string, string> { ["CallSid"] = "CA1", ["From"] = "+14155550100", ["To"] = "+14155550199" };

        using var response = await TwilioPeer.PostSignedAsync(new Uri(host.Address, "/twilio/voice"), fields);

        Assert.That(await response.Content.ReadAsStringAsync(), Is.EqualTo(
            """<?xml version="1.0" encoding="utf-8"?><Response><Say>Sorry, we cannot take your call right now. Please try again later.</Say><Hangup /></Response>"""));
        Assert.That(host.Probe.Logs.Entries.Select(e => e.EventId), Does.Contain(3102));
    }

    [TestCase("/twilio/voice", TestName = "Voice_BadSignature_403")]
    [TestCase("/twilio/voice/after", TestName = "After_BadSignature_403")]
    public async Task Webhook_BadSignature_Answers403(string path)
    {
        await using var agent = await ScriptedAgentServer.StartAsync();
        await using var host = await BridgeHost.StartAsync(agent);
        var fields = new Dictionary<string, string> { ["CallSid"] = "CA1", ["From"] = "+1", ["To"] = "+2" };

        using var response = await TwilioPeer.PostSignedAsync(new Uri(host.Address, path), fields, signature: "AAAAAAAAAAAAAAAAAAAAAAAAAAA=");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That(host.Probe.Calls, Is.Empty);
    }

    [TestCase(null, TestName = "Handshake_SignatureMissing_403")]
    [TestCase("AAAAAAAAAAAAAAAAAAAAAAAAAAA=", TestName = "Handshake_SignatureWrong_403")]
    [TestCase("https", TestName = "Handshake_SignedOverHttpsUrl_403")]
    public async Task Handshake_NotSignedByTwilio_Answers403(string? signature)
    {
        await using var agent = await ScriptedAgentServer.StartAsync();
        await using var host = await BridgeHost.StartAsync(agent);
        var streamUrl = $"ws://127.0.0.1:{host.Address.Port}/twilio/media";
        using var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        if (signature is not null)
        {
            var header = signature == "https"
                ? new TwilioRequestValidator(TwilioPeer.AuthToken).ComputeSignature($"https://127.0.0.1:{host.Address.Port}/twilio/media", [])
                : signature;
            socket.Options.SetRequestHeader(TwilioRequestValidator.HeaderName, header);
        }

        Assert.That(async () => await socket.ConnectAsync(new Uri(streamUrl), Guard), Throws.InstanceOf<WebSocketException>());
        Assert.That(socket.HttpStatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That(agent.Requests, Is.Empty, "no agent socket for a stream Twilio did not sign");
    }

    [Test]
    public async Task MediaEndpoint_NotAWebSocketRequest_Answers400()
    {
        await using var agent = await ScriptedAgentServer.StartAsync();
        await using var host = await BridgeHost.StartAsync(agent);
        using var http = new HttpClient();

        using var response = await http.GetAsync(new Uri(host.Address, "/twilio/media"));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
    }

    public enum Forgery
    {
        TokenMissing,
        ParameterChanged,
        ParameterAdded,
        TokenOfAnotherCall,
        TokenReplayed,
    }

    [TestCase(Forgery.TokenMissing)]
    [TestCase(Forgery.ParameterChanged)]
    [TestCase(Forgery.ParameterAdded)]
    [TestCase(Forgery.TokenOfAnotherCall)]
    [TestCase(Forgery.TokenReplayed)]
    public async Task Start_WithForgedCustomParameters_IsRefusedBeforeTheAgentStarts(Forgery forgery)
    {
        var agentGot = new List<List<string>>();
        await using var agent = await ScriptedAgentServer.StartAsync(async c =>
        {
            // The bridge may close the socket it opened at connected, or abort it while it is still being opened.
            var got = new List<string>();
            lock (agentGot)
            {
                agentGot.Add(got);
            }

            try
            {
                while (await c.ReceiveAsync() is { } message)
                {
                    got.Add(message);
                }
            }
            catch (WebSocketException)
            {
            }
        });
        await using var host = await BridgeHost.StartAsync(agent);
        await using var real = await TwilioPeer.CallAsync(host.Address);
        var parameters = real.Parameters.ToList();
        var peer = real;
        switch (forgery)
        {
            case Forgery.TokenMissing:
                parameters.RemoveAll(p => p.Key == "convai_call_token");
                break;
            case Forgery.ParameterChanged:
                parameters[0] = new KeyValuePair<string, string>("customer_id", "43");
                break;
            case Forgery.ParameterAdded:
                parameters.Insert(0, new KeyValuePair<string, string>("user_id", "admin"));
                break;
            case Forgery.TokenOfAnotherCall:
                // Another call's stream presents this call's parameters and token.
                peer = await TwilioPeer.CallAsync(host.Address);
                break;
            case Forgery.TokenReplayed:
                await real.OpenAsync();
                await real.SendConnectedAsync();
                await real.SendStartAsync(parameters);
                await host.Probe.Started.Task.WaitAsync(Guard);
                await real.SendStopAsync();
                await real.ReceiveUntilClosedAsync();
                await host.Probe.Ended.Task.WaitAsync(Guard);
                peer = await TwilioPeer.CallAsync(host.Address, real.CallSid);
                break;
        }

        await peer.OpenAsync();
        await peer.SendConnectedAsync();
        await peer.SendStartAsync(parameters);
        await peer.ReceiveUntilClosedAsync();
        await BridgeHost.WaitUntilAsync(() => host.Registry.StreamCount == 0);
        await agent.WhenScriptsDoneAsync();

        Assert.Multiple(() =>
        {
            Assert.That(peer.CloseStatus, Is.EqualTo(WebSocketCloseStatus.PolicyViolation));
            Assert.That(peer.CloseDescription, Is.EqualTo("Refused: invalid call token."));
            // The agent socket opened at connected may be closed, or its opening cancelled, when the stream is refused: either way it
            // never gets initiation data for the forged stream (only the real call of the replay case started).
            Assert.That(
                agentGot.SelectMany(got => got).Count(m => m.Contains("conversation_initiation_client_data", StringComparison.Ordinal)),
                Is.EqualTo(forgery == Forgery.TokenReplayed ? 1 : 0),
                "initiation data sent to the agent");
            Assert.That(host.Probe.Calls.Count(c => c.StartsWith("starting", StringComparison.Ordinal)), Is.EqualTo(forgery == Forgery.TokenReplayed ? 1 : 0));
        });
        if (!ReferenceEquals(peer, real))
        {
            await peer.DisposeAsync();
        }
    }

    public static IEnumerable<TestCaseData> BadFrames()
    {
        yield return new TestCaseData(Encoding.UTF8.GetBytes("hello"), WebSocketMessageType.Text, WebSocketCloseStatus.InvalidPayloadData, LiveCallError.MalformedFrame).SetName("Frame_NotJson_Ends1007");
        yield return new TestCaseData(Encoding.UTF8.GetBytes("""{"event":5}"""), WebSocketMessageType.Text, WebSocketCloseStatus.InvalidPayloadData, LiveCallError.MalformedFrame).SetName("Frame_EventNotString_Ends1007");
        yield return new TestCaseData(Encoding.UTF8.GetBytes("""[{"event":"media"}]"""), WebSocketMessageType.Text, WebSocketCloseStatus.InvalidPayloadData, LiveCallError.MalformedFrame).SetName("Frame_NotAnObject_Ends1007");
        yield return new TestCaseData(Encoding.UTF8.GetBytes("""{"event":"media","media":{"payload":"AAEC"""), WebSocketMessageType.Text, WebSocketCloseStatus.InvalidPayloadData, LiveCallError.MalformedFrame).SetName("Frame_Truncated_Ends1007");
        yield return new TestCaseData(Encoding.UTF8.GetBytes("""{"event":"media","media":{"payload":"!!not base64!!"}}"""), WebSocketMessageType.Text, WebSocketCloseStatus.InvalidPayloadData, LiveCallError.MalformedFrame).SetName("Frame_PayloadNotBase64_Ends1007");
        yield return new TestCaseData(new byte[] { 1, 2, 3 }, WebSocketMessageType.Binary, WebSocketCloseStatus.InvalidPayloadData, LiveCallError.MalformedFrame).SetName("Frame_Binary_Ends1007");
        var big = Encoding.UTF8.GetBytes("""{"event":"media","media":{"payload":""" + "\"" + new string('A', 4096) + "\"}}");
        yield return new TestCaseData(big, WebSocketMessageType.Text, WebSocketCloseStatus.MessageTooBig, LiveCallError.FrameTooLarge).SetName("Frame_OverMaxFrameBytes_Ends1009");
    }

    [TestCaseSource(nameof(BadFrames))]
    public async Task BadFrame_EndsThatCallOnly(byte[] frame, WebSocketMessageType type, WebSocketCloseStatus expectedClose, LiveCallError expectedError)
    {
        var agentClosed = new List<WebSocketCloseStatus?>();
        await using var agent = await ScriptedAgentServer.StartAsync(async c =>
        {
            await c.AcceptStartAsync("conv_bad", "ulaw_8000", "ulaw_8000");
            await c.DrainUntilCloseAsync();
            lock (agentClosed)
            {
                agentClosed.Add(c.ClientCloseStatus);
            }
        });
        await using var host = await BridgeHost.StartAsync(agent, o => o.MaxFrameBytes = 2048);
        await using var twilio = await TwilioPeer.CallAsync(host.Address);
        await twilio.OpenAsync();
        await twilio.SendConnectedAsync();
        await twilio.SendStartAsync();
        await BridgeHost.WaitUntilAsync(() => host.LiveCalls.FindByConversationId("conv_bad").Status == LiveCallLookupStatus.Found);
        await twilio.SendAsync("""{"event":"media","media":{"track":"inbound","payload":"AAEC"}}""");

        await twilio.SendBytesAsync(frame, type);
        await twilio.ReceiveUntilClosedAsync();
        var end = await host.Probe.Ended.Task.WaitAsync(Guard);

        // The app goes on: the next call is answered.
        await using var next = await TwilioPeer.CallAsync(host.Address);
        await agent.WhenScriptsDoneAsync();
        Assert.Multiple(() =>
        {
            Assert.That(twilio.CloseStatus, Is.EqualTo(expectedClose));
            Assert.That(end.EndedBy, Is.EqualTo(LiveCallEndedBy.Bridge));
            Assert.That(end.Error, Is.EqualTo(expectedError));
            Assert.That(agentClosed, Is.EqualTo(new WebSocketCloseStatus?[] { WebSocketCloseStatus.NormalClosure }));
            Assert.That(next.StreamUrl, Does.EndWith("/twilio/media"));
        });
    }

    [Test]
    public async Task NoStart_WithinTheStartTimeout_RefusesTheStreamAndClosesTheAgentSocketOpenedForIt()
    {
        WebSocketCloseStatus? agentClosedWith = null;
        await using var agent = await ScriptedAgentServer.StartAsync(async c =>
        {
            await c.DrainUntilCloseAsync();
            agentClosedWith = c.ClientCloseStatus;
        });
        await using var host = await BridgeHost.StartAsync(agent, o => o.StartTimeout = TimeSpan.FromMilliseconds(200));
        await using var twilio = await TwilioPeer.CallAsync(host.Address);
        await twilio.OpenAsync();
        await twilio.SendConnectedAsync();

        await twilio.ReceiveUntilClosedAsync();
        await agent.WhenScriptsDoneAsync();

        Assert.Multiple(() =>
        {
            Assert.That(twilio.CloseStatus, Is.EqualTo(WebSocketCloseStatus.PolicyViolation));
            Assert.That(twilio.CloseDescription, Is.EqualTo("Refused: no start message."));
            Assert.That(agentClosedWith, Is.EqualTo(WebSocketCloseStatus.NormalClosure), "no orphaned agent socket");
        });
    }
}
