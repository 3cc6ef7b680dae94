using System.Net.WebSockets;
using System.Text.Json.Nodes;
using ConvAi.Telephony.Tests.Realtime;

namespace ConvAi.Telephony.AspNetCore.Tests.MediaStreams;

/// <summary>
/// The handler's hooks never on the audio path (slow or failing hooks stall nothing), tool results sent back, and the rest of the app
/// reaching a live call through <see cref="ILiveCalls"/>: contextual updates, a hand-off, ending it, "not here".
/// </summary>
[NonParallelizable]
public class HooksAndLiveCallsTests
{
    private static CancellationToken Guard => new CancellationTokenSource(TimeSpan.FromSeconds(30)).Token;

    [Test]
    public async Task SlowHooks_NeverStallAudioOrPings_ToolResultSentWhenTheToolReturns()
    {
        var releaseTranscript = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var releaseTool = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var audioAfterBlockedHooks = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        JsonNode? toolResult = null;
        List<JsonNode>? beforePong = null;
        await using var agent = await ScriptedAgentServer.StartAsync(async c =>
        {
            await c.AcceptStartAsync("conv_slow", "ulaw_8000", "ulaw_8000");
            await c.SendAsync("""{"type":"user_transcript","user_transcription_event":{"user_transcript":"where is my order","event_id":1}}""");
            await c.SendAsync("""{"type":"client_tool_call","client_tool_call":{"tool_name":"lookup_order","tool_call_id":"toolu_1","parameters":{"order":"123"},"event_id":2}}""");
            await c.SendAsync(BridgeHost.AgentAudio("QUFB", 3));
            await audioAfterBlockedHooks.Task;
            beforePong = await c.PingAndWaitForPongAsync(77);
            releaseTool.SetResult();
            toolResult = await c.ReceiveJsonAsync();
            releaseTranscript.SetResult();
            await c.CloseAsync(WebSocketCloseStatus.NormalClosure, null);
        });
        var probe = new BridgeProbe
        {
            Transcript = async (_, _) => await releaseTranscript.Task,
            Tool = async (_, tool, _) =>
            {
                await releaseTool.Task;
                return ClientToolResult.Success($$"""{"order":"{{tool.Parameters.GetProperty("order").GetString()}}","status":"shipped"}""");
            },
        };
        await using var host = await BridgeHost.StartAsync(agent, probe: probe);
        await using var twilio = await TwilioPeer.CallAsync(host.Address);
        await twilio.OpenAsync();
        await twilio.SendConnectedAsync();
        await twilio.SendStartAsync();

        var media = await twilio.ReceiveAsync();
        Assert.That(media!["media"]!["payload"]!.GetValue<string>(), Is.EqualTo("QUFB"), "agent audio flows while both hooks are blocked");
        audioAfterBlockedHooks.SetResult();
        await twilio.ReceiveUntilClosedAsync();
        await agent.WhenScriptsDoneAsync();

        Assert.Multiple(() =>
        {
            Assert.That(beforePong, Is.Empty, "the pong came while the hooks were blocked");
            Assert.That(toolResult!.ToJsonString(), Is.EqualTo("""{"type":"client_tool_result","tool_call_id":"toolu_1","result":"{\u0022order\u0022:\u0022123\u0022,\u0022status\u0022:\u0022shipped\u0022}","is_error":false}"""));
            Assert.That(host.Probe.Calls, Does.Contain("transcript where is my order").And.Contain("tool lookup_order"));
        });
    }

    [Test]
    public async Task FailingHooks_AreLogged_TheCallGoesOn_AFailingToolSendsAnErrorResult()
    {
        JsonNode? toolResult = null;
        var received = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var agent = await ScriptedAgentServer.StartAsync(async c =>
        {
            await c.AcceptStartAsync("conv_fail", "ulaw_8000", "ulaw_8000");
            await c.SendAsync("""{"type":"user_transcript","user_transcription_event":{"user_transcript":"hello","event_id":1}}""");
            await c.SendAsync("""{"type":"client_tool_call","client_tool_call":{"tool_name":"lookup_order","tool_call_id":"toolu_9","parameters":{},"event_id":2}}""");
            toolResult = await c.ReceiveJsonAsync();
            await c.SendAsync(BridgeHost.AgentAudio("QUFB", 3));
            await received.Task;
            await c.CloseAsync(WebSocketCloseStatus.NormalClosure, null);
        });
        var probe = new BridgeProbe
        {
            Transcript = (_, _) => throw new InvalidOperationException("transcript store down"),
            Tool = (_, _, _) => throw new InvalidOperationException("secret internal detail"),
        };
        await using var host = await BridgeHost.StartAsync(agent, probe: probe);
        await using var twilio = await TwilioPeer.CallAsync(host.Address);
        await twilio.OpenAsync();
        await twilio.SendConnectedAsync();
        await twilio.SendStartAsync();
        await twilio.SendDtmfAsync("5");
        Assert.That((await twilio.ReceiveAsync())!["event"]!.GetValue<string>(), Is.EqualTo("media"));
        received.SetResult();
        await twilio.ReceiveUntilClosedAsync();
        var end = await host.Probe.Ended.Task.WaitAsync(Guard);
        await agent.WhenScriptsDoneAsync();

        Assert.Multiple(() =>
        {
            Assert.That(toolResult!.ToJsonString(), Is.EqualTo("""{"type":"client_tool_result","tool_call_id":"toolu_9","result":"The tool \u0027lookup_order\u0027 failed.","is_error":true}"""));
            Assert.That(end.EndedBy, Is.EqualTo(LiveCallEndedBy.Agent));
            Assert.That(host.Probe.Logs.Entries.Where(e => e.EventId is 3107 or 3108).Select(e => e.EventId), Is.EquivalentTo(new[] { 3107, 3108 }));
            Assert.That(host.Probe.Calls, Does.Contain("dtmf 5"));
        });
    }

    [Test]
    public async Task OnCallStartingThrows_EndsTheCallCleanly_NoInitiationSent()
    {
        List<string>? agentGot = null;
        await using var agent = await ScriptedAgentServer.StartAsync(async c => agentGot = await c.DrainUntilCloseAsync());
        var probe = new BridgeProbe { Starting = _ => throw new InvalidOperationException("crm down") };
        await using var host = await BridgeHost.StartAsync(agent, probe: probe);
        await using var twilio = await TwilioPeer.CallAsync(host.Address);
        await twilio.OpenAsync();
        await twilio.SendConnectedAsync();
        await twilio.SendStartAsync();
        await twilio.ReceiveUntilClosedAsync();
        var end = await host.Probe.Ended.Task.WaitAsync(Guard);
        await agent.WhenScriptsDoneAsync();

        Assert.Multiple(() =>
        {
            Assert.That(twilio.CloseStatus, Is.EqualTo(WebSocketCloseStatus.InternalServerError));
            Assert.That(end.Error, Is.EqualTo(LiveCallError.HandlerFailed));
            Assert.That(agentGot, Is.Empty);
        });
    }

    [Test]
    public async Task LiveCalls_FindByCallSidOrConversationId_ContextualUpdate_HandOff_EndByApplication()
    {
        var updates = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        WebSocketCloseStatus? agentClosedWith = null;
        await using var agent = await ScriptedAgentServer.StartAsync(async c =>
        {
            await c.AcceptStartAsync("conv_live", "ulaw_8000", "ulaw_8000");
            updates.SetResult((await c.ReceiveAsync())!);
            await c.DrainUntilCloseAsync();
            agentClosedWith = c.ClientCloseStatus;
        });
        await using var host = await BridgeHost.StartAsync(agent);
        await using var twilio = await TwilioPeer.CallAsync(host.Address);
        await twilio.OpenAsync();
        await twilio.SendConnectedAsync();
        await twilio.SendStartAsync();
        await BridgeHost.WaitUntilAsync(() => host.LiveCalls.FindByConversationId("conv_live").Status == LiveCallLookupStatus.Found);

        var byConversation = host.LiveCalls.FindByConversationId("conv_live");
        Assert.That(host.LiveCalls.FindByCallSid(twilio.CallSid).TryGetCall(out var call), Is.True);
        Assert.Multiple(() =>
        {
            Assert.That(byConversation.Call, Is.SameAs(call));
            Assert.That(call!.CustomParameters, Is.EqualTo(new Dictionary<string, string> { ["customer_id"] = "42" }));
            Assert.That(call.StreamSid, Is.EqualTo(twilio.StreamSid));
            Assert.That(host.LiveCalls.Count, Is.EqualTo(1));
            Assert.That(host.LiveCalls.FindByCallSid("CA_elsewhere").Status, Is.EqualTo(LiveCallLookupStatus.NotHere));
            Assert.That(host.LiveCalls.FindByCallSid("CA_elsewhere").Call, Is.Null);
            Assert.That(default(LiveCallLookup).Status, Is.EqualTo(LiveCallLookupStatus.NotHere));
        });

        Assert.That(await call!.SendContextualUpdateAsync("Order 123 shipped today"), Is.EqualTo(LiveCallSendResult.Sent));
        Assert.That(await updates.Task.WaitAsync(Guard), Is.EqualTo("""{"type":"contextual_update","text":"Order 123 shipped today"}"""));
        call.HandOffTo("+14155550100");
        Assert.That(await call.EndAsync(Guard), Is.EqualTo(LiveCallSendResult.Sent));
        await twilio.ReceiveUntilClosedAsync();
        var end = await host.Probe.Ended.Task.WaitAsync(Guard);
        await agent.WhenScriptsDoneAsync();

        var after = new Uri(host.Address, "/twilio/voice/after");
        var fields = new Dictionary<string, string> { ["CallSid"] = twilio.CallSid, ["From"] = "+14155550100", ["To"] = "+14155550199" };
        using var first = await TwilioPeer.PostSignedAsync(after, fields);
        using var second = await TwilioPeer.PostSignedAsync(after, fields);
        Assert.Multiple(async () =>
        {
            Assert.That(end.EndedBy, Is.EqualTo(LiveCallEndedBy.Application));
            Assert.That(agentClosedWith, Is.EqualTo(WebSocketCloseStatus.NormalClosure));
            Assert.That(twilio.CloseStatus, Is.EqualTo(WebSocketCloseStatus.NormalClosure));
            Assert.That(await first.Content.ReadAsStringAsync(), Is.EqualTo("""<?xml version="1.0" encoding="utf-8"?><Response><Dial>+14155550100</Dial></Response>"""));
            Assert.That(await second.Content.ReadAsStringAsync(), Is.EqualTo("""<?xml version="1.0" encoding="utf-8"?><Response><Hangup /></Response>"""));
            Assert.That(host.LiveCalls.FindByCallSid(twilio.CallSid).Status, Is.EqualTo(LiveCallLookupStatus.NotHere));
            Assert.That(host.LiveCalls.FindByConversationId("conv_live").Status, Is.EqualTo(LiveCallLookupStatus.NotHere));
            Assert.That(await call.SendContextualUpdateAsync("too late"), Is.EqualTo(LiveCallSendResult.Ended));
            Assert.That(await call.EndAsync(), Is.EqualTo(LiveCallSendResult.Ended));
        });
    }

    [Test]
    public async Task Shutdown_RefusesNewStreams_LetsTheLiveCallFinish()
    {
        var endCall = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var agent = await ScriptedAgentServer.StartAsync(async c =>
        {
            await c.AcceptStartAsync("conv_drain", "ulaw_8000", "ulaw_8000");
            await endCall.Task;
            await c.SendAsync(BridgeHost.AgentAudio("QUFB", 1));
            await c.CloseAsync(WebSocketCloseStatus.NormalClosure, null);
        });
        await using var host = await BridgeHost.StartAsync(agent, o => o.ShutdownTimeout = TimeSpan.FromSeconds(30));
        await using var twilio = await TwilioPeer.CallAsync(host.Address);
        await using var late = await TwilioPeer.CallAsync(host.Address);
        await twilio.OpenAsync();
        await twilio.SendConnectedAsync();
        await twilio.SendStartAsync();
        await BridgeHost.WaitUntilAsync(() => host.LiveCalls.FindByConversationId("conv_drain").Status == LiveCallLookupStatus.Found);

        var stopping = host.StopAsync();
        await BridgeHost.WaitUntilAsync(() => host.Registry.IsStopping);
        var refused = Assert.CatchAsync<WebSocketException>(() => late.OpenAsync());
        Assert.That(stopping.IsCompleted, Is.False, "the stop waits for the live call");
        endCall.SetResult();
        var sent = await twilio.ReceiveUntilClosedAsync();
        await stopping.WaitAsync(Guard);
        var end = await host.Probe.Ended.Task.WaitAsync(Guard);

        Assert.Multiple(() =>
        {
            Assert.That(refused!.Message, Does.Contain("503"));
            Assert.That(sent.Select(m => m["event"]!.GetValue<string>()), Is.EqualTo(new[] { "media", "mark" }), "the live call finished normally");
            Assert.That(end.EndedBy, Is.EqualTo(LiveCallEndedBy.Agent));
        });
    }

    [Test]
    public async Task Shutdown_CallOutlivesTheShutdownTimeout_IsEndedWith1001()
    {
        WebSocketCloseStatus? agentClosedWith = null;
        await using var agent = await ScriptedAgentServer.StartAsync(async c =>
        {
            await c.AcceptStartAsync("conv_long", "ulaw_8000", "ulaw_8000");
            await c.DrainUntilCloseAsync();
            agentClosedWith = c.ClientCloseStatus;
        });
        await using var host = await BridgeHost.StartAsync(agent, o => o.ShutdownTimeout = TimeSpan.FromMilliseconds(100));
        await using var twilio = await TwilioPeer.CallAsync(host.Address);
        await twilio.OpenAsync();
        await twilio.SendConnectedAsync();
        await twilio.SendStartAsync();
        await BridgeHost.WaitUntilAsync(() => host.LiveCalls.FindByConversationId("conv_long").Status == LiveCallLookupStatus.Found);

        await host.StopAsync().WaitAsync(Guard);
        await twilio.ReceiveUntilClosedAsync();
        var end = await host.Probe.Ended.Task.WaitAsync(Guard);
        await agent.WhenScriptsDoneAsync();

        Assert.Multiple(() =>
        {
            Assert.That(end.EndedBy, Is.EqualTo(LiveCallEndedBy.Shutdown));
            Assert.That(twilio.CloseStatus, Is.EqualTo(WebSocketCloseStatus.EndpointUnavailable));
            Assert.That(agentClosedWith, Is.EqualTo(WebSocketCloseStatus.NormalClosure));
        });
    }
}
