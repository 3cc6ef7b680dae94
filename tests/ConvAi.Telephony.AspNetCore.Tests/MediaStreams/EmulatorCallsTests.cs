using System.Net.WebSockets;
using System.Text.Json.Nodes;
using ConvAi.Telephony.Testing;

namespace ConvAi.Telephony.AspNetCore.Tests.MediaStreams;

/// <summary>Whole calls through the bridge against the emulator's agent (signed URL, μ-law both ways), many in a row with pacing off.</summary>
[NonParallelizable]
public class EmulatorCallsTests
{
    private static CancellationToken Guard => new CancellationTokenSource(TimeSpan.FromSeconds(120)).Token;

    [Test]
    public async Task HundredCallsInSequence_OnlyMediaMarkAndClearReachTwilio_NothingLeftBehind()
    {
        var buffersBefore = MediaStreamBuffers.Outstanding;
        var realtimeBefore = RealtimeBuffers.Outstanding;
        var sessionsBefore = ConversationSession.OpenCount;
        await using var emulator = await ConvAiEmulator.StartNewAsync(new ConvAiEmulatorOptions
        {
            PaceAgentAudio = false,
            StepDelay = TimeSpan.FromMilliseconds(1),
            DefaultAgent = new EmulatedAgent { FirstMessage = "Hello customer {{customer_id}}", EndAfterTurns = 1 },
        });
        await using var host = await BridgeHost.StartAsync(emulator);

        for (var n = 0; n < 100; n++)
        {
            await using var twilio = await TwilioPeer.CallAsync(host.Address);
            await twilio.OpenAsync();
            await twilio.SendConnectedAsync();
            await twilio.SendStartAsync();
            await twilio.SendMediaAsync(Convert.ToBase64String(new byte[160]), 1);
            var first = await twilio.ReceiveAsync();
            Assert.That(first!["event"]!.GetValue<string>(), Is.EqualTo("media"));
            Assert.That(host.LiveCalls.FindByCallSid(twilio.CallSid).TryGetCall(out var call), Is.True);
            Assert.That(await call!.SendUserMessageAsync("where is my order " + n, Guard), Is.EqualTo(LiveCallSendResult.Sent));
            var rest = await twilio.ReceiveUntilClosedAsync();

            var all = new[] { first }.Concat(rest).ToList();
            Assert.That(twilio.CloseStatus, Is.EqualTo(WebSocketCloseStatus.NormalClosure), $"call {n}");
            Assert.That(all.Select(m => m!["event"]!.GetValue<string>()).Distinct(), Is.SubsetOf(new[] { "media", "mark", "clear" }), $"call {n}");
            Assert.That(all.Select(m => m!["streamSid"]!.GetValue<string>()).Distinct(), Is.EqualTo(new[] { twilio.StreamSid }), $"call {n}");
            var marks = all.Where(m => m!["event"]!.GetValue<string>() == "mark").Select(m => m!["mark"]!["name"]!.GetValue<string>()).ToList();
            Assert.That(marks, Is.EqualTo(Enumerable.Range(1, marks.Count).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture))), $"call {n}: a mark after each chunk");
            Assert.That(marks, Has.Count.EqualTo(all.Count(m => m!["event"]!.GetValue<string>() == "media")), $"call {n}");
        }

        await BridgeHost.WaitUntilAsync(() => host.Registry.StreamCount == 0 && emulator.OpenAgentSockets == 0);
        var conversations = emulator.Conversations;
        Assert.Multiple(() =>
        {
            Assert.That(host.LiveCalls.Count, Is.Zero);
            Assert.That(ConversationSession.OpenCount, Is.EqualTo(sessionsBefore), "agent sessions");
            Assert.That(RealtimeBuffers.Outstanding, Is.EqualTo(realtimeBefore), "the sessions' pooled buffers");
            Assert.That(MediaStreamBuffers.Outstanding, Is.EqualTo(buffersBefore), "the bridge's pooled buffers");
            Assert.That(conversations, Has.Count.EqualTo(100));
            Assert.That(host.Probe.Calls.Count(c => c.StartsWith("ended Agent None", StringComparison.Ordinal)), Is.EqualTo(100));
            Assert.That(host.Probe.Calls.Count(c => c.StartsWith("transcript", StringComparison.Ordinal)), Is.EqualTo(100));
        });
    }
}
