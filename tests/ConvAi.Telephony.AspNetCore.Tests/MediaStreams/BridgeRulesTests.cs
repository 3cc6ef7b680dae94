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

    private static string Audio(string base64, long eventId) => $$$"""{"type":"audio","audio_event":{"audio_base_64":"{{{base64}}}","event_id":{{{eventId}}}}}""";

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
            await c.SendAsync(Audio("//79/A==", 1));
            await c.SendAsync(Audio("+/r5+A==", 1));
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
}
