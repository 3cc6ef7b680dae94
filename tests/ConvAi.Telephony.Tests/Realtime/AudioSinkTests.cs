using System.Collections.Concurrent;
using System.Text;

namespace ConvAi.Telephony.Tests.Realtime;

/// <summary>
/// The pass-through path (<see cref="ConversationSessionOptions.AudioSink"/>): audio reaches the sink as the base64 text of each message,
/// in order with the start and the interruptions, never as an <see cref="AgentAudioEvent"/>; the interrupted turn's late audio is dropped.
/// </summary>
[NonParallelizable]
public class AudioSinkTests
{
    private static CancellationToken Guard => new CancellationTokenSource(TimeSpan.FromSeconds(30)).Token;

    [Test]
    public async Task AudioSink_ReceivesBase64InOrder_DropsInterruptedTurn_PublishesNoAudioEvents()
    {
        await using var server = await ScriptedAgentServer.StartAsync(async c =>
        {
            await c.AcceptStartAsync("conv_sink", "ulaw_8000", "ulaw_8000");
            await c.SendAsync("""{"type":"audio","audio_event":{"audio_base_64":"AAEC","event_id":1}}""");
            // The type after the payload, and a '/' escaped as "\/" the way some JSON encoders write it.
            await c.SendAsync("""{"audio_event":{"event_id":1,"audio_base_64":"a\/b+"},"type":"audio"}""");
            await c.SendAsync("""{"type":"interruption","interruption_event":{"event_id":1}}""");
            await c.SendAsync("""{"type":"audio","audio_event":{"audio_base_64":"TATE","event_id":1}}""");
            await c.SendAsync("""{"type":"audio","audio_event":{"audio_base_64":"TkVX","event_id":2}}""");
            await c.PingAndWaitForPongAsync(9);
            await c.CloseAsync(System.Net.WebSockets.WebSocketCloseStatus.NormalClosure, null);
        });
        var sink = new RecordingSink();
        var client = server.CreateClient();
        var options = new ConversationSessionOptions { IsPublicAgent = true, AudioSink = sink };

        var events = new List<ConversationEvent>();
        await using (var session = await client.Conversations.StartSessionAsync("agent_1", options, Guard))
        {
            await foreach (var e in session.ReadEventsAsync(Guard))
            {
                events.Add(e);
            }

            Assert.That(session.DroppedInterruptedAudioCount, Is.EqualTo(1));
        }

        await server.WhenScriptsDoneAsync();
        Assert.Multiple(() =>
        {
            Assert.That(sink.Calls, Is.EqualTo(new[] { "started conv_sink ulaw_8000", "audio 1 AAEC", "audio 1 a/b+", "interruption 1", "audio 2 TkVX" }));
            Assert.That(events.Select(e => e.GetType().Name), Is.EqualTo(new[] { nameof(ConversationStartedEvent), nameof(InterruptionEvent), nameof(ConversationClosedEvent) }));
        });
    }

    [Test]
    public async Task AudioSink_Throws_IsLoggedAndTheSessionGoesOn()
    {
        await using var server = await ScriptedAgentServer.StartAsync(async c =>
        {
            await c.AcceptStartAsync("conv_throw", "ulaw_8000", "ulaw_8000");
            await c.SendAsync("""{"type":"audio","audio_event":{"audio_base_64":"AAEC","event_id":1}}""");
            await c.SendAsync("""{"type":"audio","audio_event":{"audio_base_64":"AAED","event_id":1}}""");
            await c.PingAndWaitForPongAsync(3);
            await c.CloseAsync(System.Net.WebSockets.WebSocketCloseStatus.NormalClosure, null);
        });
        var sink = new RecordingSink { ThrowOnFirstAudio = true };
        var options = new ConversationSessionOptions { IsPublicAgent = true, AudioSink = sink };

        await using (var session = await server.CreateClient().Conversations.StartSessionAsync("agent_1", options, Guard))
        {
            await foreach (var _ in session.ReadEventsAsync(Guard))
            {
            }

            Assert.That(session.CloseReason!.Code, Is.EqualTo(1000));
        }

        await server.WhenScriptsDoneAsync();
        Assert.That(sink.Calls, Is.EqualTo(new[] { "started conv_throw ulaw_8000", "audio 1 AAED" }));
    }

    private sealed class RecordingSink : ConversationAudioSink
    {
        private bool _thrown;

        public bool ThrowOnFirstAudio { get; init; }

        public ConcurrentQueue<string> Calls { get; } = new();

        public override void OnStarted(ConversationStartedEvent started) => Calls.Enqueue($"started {started.ConversationId} {started.AgentOutputAudioFormat}");

        public override void OnAudio(ReadOnlySpan<byte> audioBase64Utf8, long eventId)
        {
            if (ThrowOnFirstAudio && !_thrown)
            {
                _thrown = true;
                throw new InvalidOperationException("sink failed");
            }

            Calls.Enqueue($"audio {eventId} {Encoding.UTF8.GetString(audioBase64Utf8)}");
        }

        public override void OnInterruption(long eventId) => Calls.Enqueue($"interruption {eventId}");
    }
}
