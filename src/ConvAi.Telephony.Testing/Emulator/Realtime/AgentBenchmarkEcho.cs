using System.Buffers;
using System.Buffers.Binary;
using System.Buffers.Text;
using System.Diagnostics;
using System.Net.WebSockets;
using System.Text;

namespace ConvAi.Telephony.Testing;

/// <summary>
/// The agent side of benchmarks/bridges (<see cref="ConvAiEmulatorOptions.BenchmarkEcho"/>): after the initiation, every
/// caller audio chunk comes straight back as agent audio, with the emulator's receive time (<see cref="Stopwatch.GetTimestamp"/>,
/// the machine's monotonic clock, the same in every process on Linux) written into the audio bytes, so the load driver
/// measures the bridge's added latency in each direction on one clock. It reads and writes raw bytes (no JSON tree), so
/// its own cost stays small and the same for every bridge measured.
/// </summary>
/// <remarks>
/// Frames: <c>{"user_audio_chunk":"…"}</c> (a bridge) comes back as <c>{"type":"audio","audio_event":{"audio_base_64":"…","event_id":N}}</c>;
/// a Twilio <c>media</c> message forwarded unparsed (the bare relay) comes back as a Twilio <c>media</c> message with the same
/// <c>streamSid</c>; anything else (pongs, other Twilio events) is ignored. Every second the agent pings, and every
/// <see cref="InterruptEvery"/> audio events it sends an <c>interruption</c> for the last one, so bridges exercise pongs and clear.
/// <para>
/// The agent speaks first, at once: on the initiation data (a bridge) or on Twilio's <c>start</c> forwarded unparsed (the bare
/// relay) it sends one greeting chunk (<see cref="GreetingMagic"/>) holding the time the initiation arrived (bytes 12..20) and the
/// time the greeting was sent (bytes 20..28), so the driver splits Twilio's <c>start</c> → first agent audio into the agent's own
/// share and the bridge's.
/// </para>
/// </remarks>
internal static class AgentBenchmarkEcho
{
    /// <summary>Where the driver's marker ends and the emulator's receive time goes: bytes 20..28 of the audio.</summary>
    public const int StampOffset = 20;

    public const int InterruptEvery = 250;

    /// <summary>Where the greeting's "initiation received" time goes: bytes 12..20 of its audio (the driver's send time in a frame).</summary>
    public const int InitiationOffset = 12;

    /// <summary>The first 4 bytes of the greeting's audio (the driver's frames start with <c>CVAI</c>).</summary>
    public static ReadOnlySpan<byte> GreetingMagic => "CVAG"u8;

    private const int GreetingBytes = 160;

    private static readonly TimeSpan PingInterval = TimeSpan.FromSeconds(1);

    /// <summary>Runs the echo on an initiated socket.</summary>
    /// <param name="socket">The agent socket.</param>
    /// <param name="sendLock">The session's send lock.</param>
    /// <param name="initiationReceived">When the initiation data arrived (<see cref="Stopwatch.GetTimestamp"/>); null when the first
    /// message was something else (the bare relay forwards Twilio's frames: the greeting then answers Twilio's <c>start</c>).</param>
    /// <param name="cancellationToken">Ends the echo.</param>
    public static async Task RunAsync(WebSocket socket, SemaphoreSlim sendLock, long? initiationReceived, CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var pings = PingAsync(socket, sendLock, stop.Token);
        var buffer = ArrayPool<byte>.Shared.Rent(64 * 1024);
        var output = new ArrayBufferWriter<byte>(1024);
        long eventId = 0;
        try
        {
            if (initiationReceived is { } initiated)
            {
                Greeting(default, initiated, ++eventId, output);
                await SendAsync(socket, sendLock, output.WrittenMemory, stop.Token).ConfigureAwait(false);
            }

            while (true)
            {
                var count = 0;
                ValueWebSocketReceiveResult result;
                do
                {
                    result = await socket.ReceiveAsync(buffer.AsMemory(count), stop.Token).ConfigureAwait(false);
                    count += result.Count;
                }
                while (!result.EndOfMessage && count < buffer.Length);

                if (result.MessageType == WebSocketMessageType.Close)
                {
                    await sendLock.WaitAsync(stop.Token).ConfigureAwait(false);
                    try
                    {
                        await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, stop.Token).ConfigureAwait(false);
                    }
                    finally
                    {
                        sendLock.Release();
                    }

                    return;
                }

                var received = Stopwatch.GetTimestamp();
                output.Clear();
                var answer = Answer(buffer.AsSpan(0, count), received, awaitingStart: initiationReceived is null, ref eventId, output);
                if (answer == Reply.Greeting)
                {
                    initiationReceived = received;
                    await SendAsync(socket, sendLock, output.WrittenMemory, stop.Token).ConfigureAwait(false);
                }
                else if (answer == Reply.Echo)
                {
                    await SendAsync(socket, sendLock, output.WrittenMemory, stop.Token).ConfigureAwait(false);
                    if (eventId % InterruptEvery == 0)
                    {
                        var interruption = Encoding.UTF8.GetBytes($"{{\"type\":\"interruption\",\"interruption_event\":{{\"event_id\":{eventId}}}}}");
                        await SendAsync(socket, sendLock, interruption, stop.Token).ConfigureAwait(false);
                    }
                }
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or IOException)
        {
            // The bridge went away.
        }
        finally
        {
            await stop.CancelAsync().ConfigureAwait(false);
            try
            {
                await pings.ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or IOException or ObjectDisposedException)
            {
            }

            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>
    /// Writes what the agent answers to one message into <paramref name="output"/> (no span lives across the caller's awaits):
    /// the greeting to the first Twilio <c>start</c> (through a relay) or initiation, an echo of user audio, or nothing.
    /// </summary>
    private static Reply Answer(ReadOnlySpan<byte> message, long received, bool awaitingStart, ref long eventId, IBufferWriter<byte> output)
    {
        if (awaitingStart && IsTwilioStart(message, out var streamSid))
        {
            Greeting(streamSid, received, ++eventId, output);
            return Reply.Greeting;
        }

        if (Echo(message, received, eventId + 1, output))
        {
            eventId++;
            return Reply.Echo;
        }

        return Reply.None;
    }

    /// <summary>Writes the echo of one message into <paramref name="output"/>; false when the message is not audio.</summary>
    internal static bool Echo(ReadOnlySpan<byte> message, long received, long eventId, IBufferWriter<byte> output)
    {
        var isChunk = Value(message, "\"user_audio_chunk\":\""u8, out var base64);
        if (!isChunk && (message.IndexOf("\"event\":\"media\""u8) < 0 || !Value(message, "\"payload\":\""u8, out base64)))
        {
            return false;
        }

        Span<byte> audio = stackalloc byte[Base64.GetMaxDecodedFromUtf8Length(base64.Length)];
        if (Base64.DecodeFromUtf8(base64, audio, out _, out var written) != OperationStatus.Done)
        {
            return false;
        }

        audio = audio[..written];
        if (audio.Length >= StampOffset + 8)
        {
            BinaryPrimitives.WriteInt64LittleEndian(audio[StampOffset..], received);
        }

        if (isChunk)
        {
            Audio(default, audio, eventId, output);
        }
        else
        {
            Value(message, "\"streamSid\":\""u8, out var streamSid);
            Audio(streamSid, audio, eventId, output);
        }

        return true;
    }

    /// <summary>
    /// Writes the greeting: agent audio (a Twilio <c>media</c> message on <paramref name="streamSid"/> when it is not empty) whose
    /// bytes are <see cref="GreetingMagic"/>, the initiation's arrival at <see cref="InitiationOffset"/> and the send time (now) at
    /// <see cref="StampOffset"/>, then μ-law silence.
    /// </summary>
    internal static void Greeting(ReadOnlySpan<byte> streamSid, long initiationReceived, long eventId, IBufferWriter<byte> output)
    {
        Span<byte> audio = stackalloc byte[GreetingBytes];
        audio.Fill(0xFF);
        audio[..InitiationOffset].Clear();
        GreetingMagic.CopyTo(audio);
        BinaryPrimitives.WriteInt64LittleEndian(audio[InitiationOffset..], initiationReceived);
        BinaryPrimitives.WriteInt64LittleEndian(audio[StampOffset..], Stopwatch.GetTimestamp());
        Audio(streamSid, audio, eventId, output);
    }

    private static bool IsTwilioStart(ReadOnlySpan<byte> message, out ReadOnlySpan<byte> streamSid)
    {
        streamSid = default;
        return message.IndexOf("\"event\":\"start\""u8) >= 0 && Value(message, "\"streamSid\":\""u8, out streamSid);
    }

    private static bool Value(ReadOnlySpan<byte> message, ReadOnlySpan<byte> key, out ReadOnlySpan<byte> value)
    {
        var start = message.IndexOf(key);
        if (start < 0)
        {
            value = default;
            return false;
        }

        var rest = message[(start + key.Length)..];
        var end = rest.IndexOf((byte)'"');
        value = end < 0 ? default : rest[..end];
        return end >= 0;
    }

    /// <summary>Agent audio as the agent socket sends it, or as a Twilio <c>media</c> message when <paramref name="streamSid"/> is set.</summary>
    private static void Audio(ReadOnlySpan<byte> streamSid, ReadOnlySpan<byte> audio, long eventId, IBufferWriter<byte> output)
    {
        if (streamSid.IsEmpty)
        {
            Write(output, "{\"type\":\"audio\",\"audio_event\":{\"audio_base_64\":\""u8);
            WriteBase64(output, audio);
            Write(output, "\",\"event_id\":"u8);
            Write(output, Encoding.ASCII.GetBytes(eventId.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            Write(output, "}}"u8);
        }
        else
        {
            Write(output, "{\"event\":\"media\",\"streamSid\":\""u8);
            Write(output, streamSid);
            Write(output, "\",\"media\":{\"payload\":\""u8);
            WriteBase64(output, audio);
            Write(output, "\"}}"u8);
        }
    }

    private static void Write(IBufferWriter<byte> output, ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(output.GetSpan(bytes.Length));
        output.Advance(bytes.Length);
    }

    private static void WriteBase64(IBufferWriter<byte> output, ReadOnlySpan<byte> audio)
    {
        var span = output.GetSpan(Base64.GetMaxEncodedToUtf8Length(audio.Length));
        Base64.EncodeToUtf8(audio, span, out _, out var written);
        output.Advance(written);
    }

    private static async Task SendAsync(WebSocket socket, SemaphoreSlim sendLock, ReadOnlyMemory<byte> message, CancellationToken cancellationToken)
    {
        await sendLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await socket.SendAsync(message, WebSocketMessageType.Text, endOfMessage: true, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            sendLock.Release();
        }
    }

    private static async Task PingAsync(WebSocket socket, SemaphoreSlim sendLock, CancellationToken cancellationToken)
    {
        long id = 0;
        while (true)
        {
            await Task.Delay(PingInterval, TimeProvider.System, cancellationToken).ConfigureAwait(false);
            var ping = Encoding.UTF8.GetBytes($"{{\"type\":\"ping\",\"ping_event\":{{\"event_id\":{++id},\"ping_ms\":null}}}}");
            await SendAsync(socket, sendLock, ping, cancellationToken).ConfigureAwait(false);
        }
    }

    private enum Reply
    {
        None,
        Greeting,
        Echo,
    }
}
