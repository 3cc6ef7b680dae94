using System.Net.WebSockets;
using System.Text.Json.Nodes;
using ConvAi.Telephony.Tests.Realtime;

namespace ConvAi.Telephony.AspNetCore.Tests.MediaStreams;

/// <summary>
/// What a live call costs between frames: both sockets are read with a zero-byte read first, so a call waiting for its next frame holds no
/// pooled buffer (the heap per live call), and a frame larger than the first buffer still arrives whole.
/// </summary>
[NonParallelizable]
public class HotPathTests
{
    private static CancellationToken Guard => new CancellationTokenSource(TimeSpan.FromSeconds(30)).Token;

    [Test]
    public async Task LiveCall_BetweenFrames_HoldsNoPooledBuffer_AndLargeFramesPassWhole()
    {
        var bridgeBefore = MediaStreamBuffers.Outstanding;
        var sessionBefore = RealtimeBuffers.Outstanding;
        // 6,000 bytes of audio: 8,000 base64 characters, more than the first receive buffer on both sides (grown while reading).
        var callerAudio = Convert.ToBase64String(Enumerable.Range(0, 6000).Select(i => (byte)i).ToArray());
        var agentAudio = Convert.ToBase64String(Enumerable.Range(0, 15000).Select(i => (byte)(i * 3)).ToArray());
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        string? chunk = null;
        await using var agent = await ScriptedAgentServer.StartAsync(async c =>
        {
            await c.AcceptStartAsync("conv_idle", "ulaw_8000", "ulaw_8000");
            chunk = await c.ReceiveAsync();
            await c.SendAsync(BridgeHost.AgentAudio(agentAudio, 1));
            await release.Task;
            await c.CloseAsync(WebSocketCloseStatus.NormalClosure, "done");
        });
        await using var host = await BridgeHost.StartAsync(agent);
        await using var twilio = await TwilioPeer.CallAsync(host.Address);
        await twilio.OpenAsync();
        await twilio.SendConnectedAsync();
        await twilio.SendStartAsync();
        await host.Probe.Started.Task.WaitAsync(Guard);
        await BridgeHost.WaitUntilAsync(() => host.Registry.FindByConversationId("conv_idle").Call is not null);
        await twilio.SendMediaAsync(callerAudio);
        var media = await twilio.ReceiveAsync();
        var mark = await twilio.ReceiveAsync();

        // The call is live and waiting for its next frame on both sockets: no pooled array is held for it.
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while ((MediaStreamBuffers.Outstanding != bridgeBefore || RealtimeBuffers.Outstanding != sessionBefore) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(10);
        }

        var (bridgeHeld, sessionHeld, live) = (MediaStreamBuffers.Outstanding - bridgeBefore, RealtimeBuffers.Outstanding - sessionBefore, host.Registry.Count);

        release.SetResult();
        await twilio.ReceiveUntilClosedAsync();
        await host.Probe.Ended.Task.WaitAsync(Guard);
        Assert.Multiple(() =>
        {
            Assert.That(live, Is.EqualTo(1), "the call was live while the buffers were counted");
            Assert.That(bridgeHeld, Is.Zero, "pooled arrays held by the bridge while the call waits for its next frame");
            Assert.That(sessionHeld, Is.Zero, "pooled arrays held by the agent session while the call waits for its next frame");
            Assert.That(chunk, Is.EqualTo($$$"""{"user_audio_chunk":"{{{callerAudio}}}"}"""));
            Assert.That(media!["media"]!["payload"]!.GetValue<string>(), Is.EqualTo(agentAudio));
            Assert.That(mark!["event"]!.GetValue<string>(), Is.EqualTo("mark"));
        });
    }
}
