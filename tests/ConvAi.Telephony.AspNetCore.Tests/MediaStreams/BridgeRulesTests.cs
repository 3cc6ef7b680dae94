using System.Net.WebSockets;
using System.Text.Json.Nodes;
using ConvAi.Telephony.Tests.Realtime;

namespace ConvAi.Telephony.AspNetCore.Tests.MediaStreams;

/// <summary>
/// The bridge's rules, each against a scripted agent that sends exact frames and a raw Twilio peer: when the agent socket opens, when the
/// initiation goes, audio held then passed through unchanged, marks, clear on interruption, the end and its marks, who closes what.
/// </summary>
[NonParallelizable]
public class BridgeRulesTests
{
    private static CancellationToken Guard => new CancellationTokenSource(TimeSpan.FromSeconds(30)).Token;

    [Test]
    public async Task Call_AgentSocketOpensAtConnected_InitiationAfterStart_AudioPassesThroughWithMarks()
    {
        var agentConnected = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var releaseMetadata = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var agentReceived = new List<string>();
        await using var agent = await ScriptedAgentServer.StartAsync(async c =>
        {
            agentConnected.SetResult();
            var initiation = await c.ReceiveAsync();
            agentReceived.Add(initiation!);
            // Caller audio sent while the agent has not answered the start is held by the bridge, not sent before the metadata.
            await releaseMetadata.Task;
            await c.SendAsync("""{"type":"conversation_initiation_metadata","conversation_initiation_metadata_event":{"conversation_id":"conv_pass","agent_output_audio_format":"ulaw_8000","user_input_audio_format":"ulaw_8000"}}""");
            agentReceived.Add((await c.ReceiveAsync())!);
            agentReceived.Add((await c.ReceiveAsync())!);
            agentReceived.Add((await c.ReceiveAsync())!);
            await c.SendAsync(BridgeHost.AgentAudio("//79/A==", 1));
            await c.SendAsync(BridgeHost.AgentAudio("+/r5+A==", 1));
            await c.CloseAsync(WebSocketCloseStatus.NormalClosure, "Conversation ended by the agent");
        });
        await using var host = await BridgeHost.StartAsync(agent);
        await using var twilio = await TwilioPeer.CallAsync(host.Address);
        await twilio.OpenAsync();

        await twilio.SendConnectedAsync();
        await agentConnected.Task.WaitAsync(Guard);
        Assert.That(host.Probe.Calls, Has.None.StartsWith("starting"), "the handler is asked for the initiation data only at start");

        await twilio.SendStartAsync();
        await twilio.SendMediaAsync("AAEC", 1);
        await twilio.SendMediaAsync("AQID", 2);
        await host.Probe.Started.Task.WaitAsync(Guard);
        releaseMetadata.SetResult();
        await twilio.SendMediaAsync("AgME", 3);
        await twilio.ReceiveUntilClosedAsync();
        await agent.WhenScriptsDoneAsync();
        var end = await host.Probe.Ended.Task.WaitAsync(Guard);

        var sid = twilio.StreamSid;
        Assert.That(twilio.Failure, Is.Null);
        Assert.Multiple(() =>
        {
            Assert.That(JsonNode.Parse(agentReceived[0])!["type"]!.GetValue<string>(), Is.EqualTo("conversation_initiation_client_data"));
            Assert.That(JsonNode.Parse(agentReceived[0])!["dynamic_variables"]!.ToJsonString(), Is.EqualTo("""{"customer_id":"42"}"""), "the verified custom parameters, without the token");
            Assert.That(agentReceived.Skip(1), Is.EqualTo(new[] { """{"user_audio_chunk":"AAEC"}""", """{"user_audio_chunk":"AQID"}""", """{"user_audio_chunk":"AgME"}""" }));
            Assert.That(twilio.Sent, Is.EqualTo(new[]
            {
                $$$"""{"event":"media","streamSid":"{{{sid}}}","media":{"payload":"//79/A=="}}""",
                $$$"""{"event":"mark","streamSid":"{{{sid}}}","mark":{"name":"1"}}""",
                $$$"""{"event":"media","streamSid":"{{{sid}}}","media":{"payload":"+/r5+A=="}}""",
                $$$"""{"event":"mark","streamSid":"{{{sid}}}","mark":{"name":"2"}}""",
            }));
            Assert.That(twilio.CloseStatus, Is.EqualTo(WebSocketCloseStatus.NormalClosure), "the stream closes so the TwiML after </Connect> runs");
            Assert.That(end.EndedBy, Is.EqualTo(LiveCallEndedBy.Agent));
            Assert.That(end.Error, Is.EqualTo(LiveCallError.None));
            Assert.That(end.ConversationId, Is.EqualTo("conv_pass"));
            Assert.That(end.CallSid, Is.EqualTo(twilio.CallSid));
            Assert.That(end.AgentCloseReason!.Description, Is.EqualTo("Conversation ended by the agent"));
        });
    }

    [Test]
    public async Task Interruption_SendsClear_AndTheInterruptedTurnsLateAudioNeverReachesTwilio()
    {
        var firstReceived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var agent = await ScriptedAgentServer.StartAsync(async c =>
        {
            await c.AcceptStartAsync("conv_int", "ulaw_8000", "ulaw_8000");
            await c.SendAsync(BridgeHost.AgentAudio("QUFB", 1));
            await firstReceived.Task;
            await c.SendAsync("""{"type":"interruption","interruption_event":{"event_id":1}}""");
            await c.SendAsync(BridgeHost.AgentAudio("TEFU", 1));
            await c.SendAsync(BridgeHost.AgentAudio("QkJC", 2));
            await c.CloseAsync(WebSocketCloseStatus.NormalClosure, null);
        });
        await using var host = await BridgeHost.StartAsync(agent);
        await using var twilio = await TwilioPeer.CallAsync(host.Address);
        await twilio.OpenAsync();
        await twilio.SendConnectedAsync();
        await twilio.SendStartAsync();
        await twilio.ReceiveAsync();
        await twilio.ReceiveAsync();
        firstReceived.SetResult();
        await twilio.ReceiveUntilClosedAsync();
        await agent.WhenScriptsDoneAsync();

        var sid = twilio.StreamSid;
        Assert.That(twilio.Sent, Is.EqualTo(new[]
        {
            $$$"""{"event":"media","streamSid":"{{{sid}}}","media":{"payload":"QUFB"}}""",
            $$$"""{"event":"mark","streamSid":"{{{sid}}}","mark":{"name":"1"}}""",
            $$$"""{"event":"clear","streamSid":"{{{sid}}}"}""",
            $$$"""{"event":"media","streamSid":"{{{sid}}}","media":{"payload":"QkJC"}}""",
            $$$"""{"event":"mark","streamSid":"{{{sid}}}","mark":{"name":"2"}}""",
        }));
    }

    [TestCase("pcm_16000", "ulaw_8000", TestName = "AgentFormat_OutputPcm_EndsCallNamingTheSetting")]
    [TestCase("ulaw_8000", "pcm_16000", TestName = "AgentFormat_InputPcm_EndsCallNamingTheSetting")]
    public async Task AgentFormatNotUlaw_EndsTheCallWithAnErrorNamingTheAgentSetting(string output, string input)
    {
        List<string>? agentGot = null;
        WebSocketCloseStatus? agentClosedWith = null;
        await using var agent = await ScriptedAgentServer.StartAsync(async c =>
        {
            await c.AcceptStartAsync("conv_fmt", output, input);
            await c.SendAsync(BridgeHost.AgentAudio("QUFB", 1));
            agentGot = await c.DrainUntilCloseAsync();
            agentClosedWith = c.ClientCloseStatus;
        });
        await using var host = await BridgeHost.StartAsync(agent);
        await using var twilio = await TwilioPeer.CallAsync(host.Address);
        await twilio.OpenAsync();
        await twilio.SendConnectedAsync();
        await twilio.SendStartAsync();
        await twilio.SendMediaAsync("AAEC");
        await twilio.ReceiveUntilClosedAsync();
        await agent.WhenScriptsDoneAsync();
        var end = await host.Probe.Ended.Task.WaitAsync(Guard);

        Assert.Multiple(() =>
        {
            Assert.That(twilio.Sent, Is.Empty, "no agent audio in a format Twilio cannot play");
            Assert.That(twilio.CloseStatus, Is.EqualTo(WebSocketCloseStatus.InternalServerError));
            Assert.That(agentGot, Has.None.Contains("user_audio_chunk"), "no caller audio to an agent that expects another format");
            Assert.That(agentClosedWith, Is.EqualTo(WebSocketCloseStatus.NormalClosure));
            Assert.That(end.EndedBy, Is.EqualTo(LiveCallEndedBy.Bridge));
            Assert.That(end.Error, Is.EqualTo(LiveCallError.UnsupportedAgentAudioFormat));
            Assert.That(end.Message, Does.Contain($"{output} out and {input} in"));
            Assert.That(end.Message, Does.Contain("conversation_config.tts.agent_output_audio_format").And.Contain("conversation_config.asr.user_input_audio_format").And.Contain("ulaw_8000"));
        });
    }

    [TestCase(true, TestName = "TwilioStop_ClosesTheAgentSide")]
    [TestCase(false, TestName = "TwilioSocketDropped_ClosesTheAgentSide")]
    public async Task TwilioEnds_ClosesTheAgentSide(bool stop)
    {
        WebSocketCloseStatus? agentClosedWith = null;
        await using var agent = await ScriptedAgentServer.StartAsync(async c =>
        {
            await c.AcceptStartAsync("conv_stop", "ulaw_8000", "ulaw_8000");
            await c.DrainUntilCloseAsync();
            agentClosedWith = c.ClientCloseStatus;
        });
        await using var host = await BridgeHost.StartAsync(agent);
        await using var twilio = await TwilioPeer.CallAsync(host.Address);
        await twilio.OpenAsync();
        await twilio.SendConnectedAsync();
        await twilio.SendStartAsync();
        await host.Probe.Started.Task.WaitAsync(Guard);
        await BridgeHost.WaitUntilAsync(() => host.LiveCalls.FindByConversationId("conv_stop").Status == LiveCallLookupStatus.Found);
        if (stop)
        {
            await twilio.SendStopAsync();
        }
        else
        {
            twilio.Abort();
        }

        var end = await host.Probe.Ended.Task.WaitAsync(Guard);
        await agent.WhenScriptsDoneAsync();
        Assert.Multiple(() =>
        {
            Assert.That(agentClosedWith, Is.EqualTo(WebSocketCloseStatus.NormalClosure));
            Assert.That(end.EndedBy, Is.EqualTo(LiveCallEndedBy.Caller));
            Assert.That(end.ConversationId, Is.EqualTo("conv_stop"));
            Assert.That(host.LiveCalls.FindByCallSid(twilio.CallSid).Status, Is.EqualTo(LiveCallLookupStatus.NotHere));
        });
    }

    [Test]
    public async Task AgentEnds_OutstandingMarksAreAwaitedBeforeTheStreamCloses()
    {
        await using var agent = await ScriptedAgentServer.StartAsync(async c =>
        {
            await c.AcceptStartAsync("conv_marks", "ulaw_8000", "ulaw_8000");
            await c.SendAsync(BridgeHost.AgentAudio("QUFB", 1));
            await c.CloseAsync(WebSocketCloseStatus.NormalClosure, null);
        });
        await using var host = await BridgeHost.StartAsync(agent, o => o.MarkDrainTimeout = TimeSpan.FromSeconds(60));
        await using var twilio = await TwilioPeer.CallAsync(host.Address);
        twilio.EchoMarks = false;
        await twilio.OpenAsync();
        await twilio.SendConnectedAsync();
        await twilio.SendStartAsync();
        await twilio.ReceiveAsync();
        var mark = await twilio.ReceiveAsync();
        await agent.WhenScriptsDoneAsync();
        await BridgeHost.WaitUntilAsync(() => host.Registry.Bridges.Any(b => b.IsDrainingMarks));

        Assert.That(twilio.CloseStatus, Is.Null, "the stream stays open while a mark is outstanding");
        await twilio.SendMarkAsync(mark!["mark"]!["name"]!.GetValue<string>());
        Assert.That(await twilio.ReceiveAsync(), Is.Null);
        Assert.That(twilio.CloseStatus, Is.EqualTo(WebSocketCloseStatus.NormalClosure));
    }

    [Test]
    public async Task AgentEnds_MarksNeverEchoed_StreamClosesAfterTheDrainTimeout()
    {
        await using var agent = await ScriptedAgentServer.StartAsync(async c =>
        {
            await c.AcceptStartAsync("conv_nomarks", "ulaw_8000", "ulaw_8000");
            await c.SendAsync(BridgeHost.AgentAudio("QUFB", 1));
            await c.CloseAsync(WebSocketCloseStatus.NormalClosure, null);
        });
        await using var host = await BridgeHost.StartAsync(agent, o => o.MarkDrainTimeout = TimeSpan.FromMilliseconds(100));
        await using var twilio = await TwilioPeer.CallAsync(host.Address);
        twilio.EchoMarks = false;
        await twilio.OpenAsync();
        await twilio.SendConnectedAsync();
        await twilio.SendStartAsync();
        var sent = await twilio.ReceiveUntilClosedAsync();

        Assert.That(sent, Has.Count.EqualTo(2));
        Assert.That(twilio.CloseStatus, Is.EqualTo(WebSocketCloseStatus.NormalClosure));
    }
}
