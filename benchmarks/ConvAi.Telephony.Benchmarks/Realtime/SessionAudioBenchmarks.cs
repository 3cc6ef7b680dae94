using System.Buffers;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.Logging.Abstractions;

namespace ConvAi.Telephony.Benchmarks.Realtime;

/// <summary>
/// Sending caller audio: 1,000 chunks of 20 ms μ-law (160 bytes) per operation through a <see cref="ConversationSession"/> (queue,
/// writer loop, pooled base64 message), against the same work written by hand: a <see cref="Utf8JsonWriter"/> writing
/// <c>{"user_audio_chunk":"…"}</c> (base64) into a reused buffer and <c>WebSocket.SendAsync</c>, awaited one by one. Both write to an
/// in-memory socket that only counts, so the ratio is the library's own cost per message.
/// </summary>
[MemoryDiagnoser]
public class SessionAudioSendBenchmarks
{
    public const int Messages = 1000;
    private readonly byte[] _audio = HandWrittenAudioMessage.Chunk;
    private readonly HandWrittenAudioMessage _message = new();
    private CountingSocket _rawSocket = null!;
    private CountingSocket _sessionSocket = null!;
    private ConversationSession _session = null!;

    [GlobalSetup]
    public void Setup()
    {
        _rawSocket = new CountingSocket();
        _sessionSocket = new CountingSocket();
        _session = new ConversationSession(_sessionSocket, "agent_bench", new ConversationSessionOptions(), new ConvAiTelemetry(null), NullLogger.Instance, TimeProvider.System, null, null);
    }

    [GlobalCleanup]
    public async Task CleanupAsync() => await _session.DisposeAsync();

    [Benchmark(Baseline = true, OperationsPerInvoke = Messages, Description = "hand-written: Utf8JsonWriter base64 + WebSocket.SendAsync")]
    public async Task HandWritten()
    {
        for (var i = 0; i < Messages; i++)
        {
            await _rawSocket.SendAsync(_message.Write(_audio), WebSocketMessageType.Text, true, CancellationToken.None);
        }
    }

    [Benchmark(OperationsPerInvoke = Messages, Description = "ConversationSession.SendAudioAsync (queued, written by the writer loop)")]
    public async Task Session()
    {
        var written = _sessionSocket.ExpectAsync(Messages);
        for (var i = 0; i < Messages; i++)
        {
            await _session.SendAudioAsync(_audio);
        }

        await written;
    }

    [Benchmark(OperationsPerInvoke = Messages, Description = "ConversationSession.SendAudioBase64Async (already base64)")]
    public async Task SessionBase64()
    {
        var written = _sessionSocket.ExpectAsync(Messages);
        for (var i = 0; i < Messages; i++)
        {
            await _session.SendAudioBase64Async(AudioBase64);
        }

        await written;
    }

    private static readonly byte[] AudioBase64 = Encoding.UTF8.GetBytes(Convert.ToBase64String(HandWrittenAudioMessage.Chunk));
}

/// <summary>
/// Receiving agent audio: 1,000 <c>audio</c> messages (100 ms of μ-law, 800 bytes) per operation read as <see cref="AgentAudioEvent"/>s
/// through the session's receive loop and event buffer, against the same work by hand: <c>WebSocket.ReceiveAsync</c> into a reused
/// buffer and <see cref="JsonSerializer"/> (source-generated) into a small record with the base64 as a string.
/// </summary>
[MemoryDiagnoser]
public class SessionAudioReceiveBenchmarks
{
    public const int Messages = 1000;
    private static readonly byte[] Frame = Encoding.UTF8.GetBytes(
        $$$"""{"type":"audio","audio_event":{"audio_base_64":"{{{Convert.ToBase64String(new byte[800])}}}","event_id":7}}""");

    private readonly byte[] _buffer = new byte[16 * 1024];
    private RepeatingSocket _rawSocket = null!;
    private RepeatingSocket _sessionSocket = null!;
    private ConversationSession _session = null!;
    private IAsyncEnumerator<ConversationEvent> _events = null!;

    [GlobalSetup]
    public void Setup()
    {
        _rawSocket = new RepeatingSocket(Frame);
        _sessionSocket = new RepeatingSocket(Frame);
        _session = new ConversationSession(
            _sessionSocket, "agent_bench", new ConversationSessionOptions { EventBufferCapacity = 4 * Messages }, new ConvAiTelemetry(null), NullLogger.Instance, TimeProvider.System, null, null);
        _events = _session.ReadEventsAsync().GetAsyncEnumerator();
    }

    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        await _events.DisposeAsync();
        await _session.DisposeAsync();
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Messages, Description = "hand-written: ReceiveAsync + JsonSerializer (source-generated)")]
    public async Task<int> HandWritten()
    {
        _rawSocket.Supply(Messages);
        var total = 0;
        for (var i = 0; i < Messages; i++)
        {
            var result = await _rawSocket.ReceiveAsync(_buffer.AsMemory(), CancellationToken.None);
            var message = JsonSerializer.Deserialize(_buffer.AsSpan(0, result.Count), BaselineJson.Default.BaselineAudioMessage)!;
            total += message.AudioEvent!.AudioBase64!.Length;
        }

        return total;
    }

    [Benchmark(OperationsPerInvoke = Messages, Description = "ConversationSession.ReadEventsAsync (AgentAudioEvent, base64 kept as bytes)")]
    public async Task<int> Session()
    {
        _sessionSocket.Supply(Messages);
        var total = 0;
        for (var i = 0; i < Messages; i++)
        {
            await _events.MoveNextAsync();
            total += ((AgentAudioEvent)_events.Current).AudioBase64.Length;
        }

        return total;
    }
}

/// <summary>The baseline's model of an <c>audio</c> message.</summary>
internal sealed record BaselineAudioMessage
{
    [JsonPropertyName("type")]
    public string? Type { get; init; }

    [JsonPropertyName("audio_event")]
    public BaselineAudioEvent? AudioEvent { get; init; }
}

/// <summary>The baseline's model of <c>audio_event</c>.</summary>
internal sealed record BaselineAudioEvent
{
    [JsonPropertyName("audio_base_64")]
    public string? AudioBase64 { get; init; }

    [JsonPropertyName("event_id")]
    public long EventId { get; init; }
}

[JsonSerializable(typeof(BaselineAudioMessage))]
internal sealed partial class BaselineJson : JsonSerializerContext;
