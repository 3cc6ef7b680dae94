using Microsoft.Extensions.Logging.Abstractions;

namespace ConvAi.Telephony.Tests.Realtime;

/// <summary>The writer loop's order: a pong goes before queued text, and text before queued audio.</summary>
[NonParallelizable]
public class WriterPriorityTests
{
    private static ConversationSession Create(FakeAgentSocket socket, ConversationSessionOptions? options = null)
        => new(socket, "agent_1", options ?? new ConversationSessionOptions(), new ConvAiTelemetry(null), NullLogger.Instance, TimeProvider.System, null, null);

    [Test]
    public async Task Pong_GoesBeforeQueuedAudio_AndTextBeforeAudio()
    {
        var socket = new FakeAgentSocket(sendsOpen: false);
        var session = Create(socket);
        try
        {
            // The first chunk is taken by the writer and held at the gate; ten more wait in the audio queue.
            for (var i = 0; i < 11; i++)
            {
                await session.SendAudioAsync(new byte[] { (byte)i });
            }

            await socket.WaitForFirstSendAsync();
            await session.SendUserMessageAsync("text");
            socket.Push("""{"type":"ping","ping_event":{"event_id":5,"ping_ms":null}}""");
            // The second receive call means the ping was handled and its pong queued.
            await socket.WaitForReceiveCallsAsync(2);
            socket.OpenSends();

            var sent = new List<string>();
            for (var i = 0; i < 13; i++)
            {
                sent.Add(await socket.NextSentAsync());
            }

            Assert.That(sent[0], Is.EqualTo("""{"user_audio_chunk":"AA=="}"""));
            Assert.That(sent[1], Is.EqualTo("""{"type":"pong","event_id":5}"""));
            Assert.That(sent[2], Is.EqualTo("""{"type":"user_message","text":"text"}"""));
            Assert.That(sent.Skip(3), Has.All.StartsWith("""{"user_audio_chunk":"""));
            Assert.That(sent[3], Is.EqualTo("""{"user_audio_chunk":"AQ=="}"""), "audio keeps its order");
        }
        finally
        {
            await session.DisposeAsync();
        }

        Assert.That(socket.SentClose, Is.EqualTo(System.Net.WebSockets.WebSocketCloseStatus.NormalClosure));
    }

    [Test]
    public async Task DisposeWhileAWriteHangs_AbortsAfterTheCloseTimeout_AndReturnsTheQueuedBuffers()
    {
        var before = RealtimeBuffers.Outstanding;
        var socket = new FakeAgentSocket(sendsOpen: false);
        var session = Create(socket, new ConversationSessionOptions { CloseTimeout = TimeSpan.FromMilliseconds(50) });
        for (var i = 0; i < 20; i++)
        {
            await session.SendAudioAsync(new byte[320]);
        }

        // The writer hangs on the first chunk: the close is never sent, so disposal aborts.
        await session.DisposeAsync();

        Assert.That(RealtimeBuffers.Outstanding, Is.EqualTo(before));
        Assert.That(session.CloseReason!.Code, Is.EqualTo(1006));
        Assert.That(session.CloseReason.ClosedByClient, Is.True);
        var ex = Assert.ThrowsAsync<ConversationSessionException>(async () => await session.SendAudioAsync(new byte[1]));
        Assert.That(ex!.Error, Is.EqualTo(ConversationSessionError.Closed));
    }
}
