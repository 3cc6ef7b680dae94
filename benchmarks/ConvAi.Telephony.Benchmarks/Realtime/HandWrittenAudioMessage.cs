using System.Buffers;
using System.Text.Json;

namespace ConvAi.Telephony.Benchmarks.Realtime;

/// <summary>The hand-written baseline's audio message, shared by the in-memory and loopback send cases.</summary>
internal sealed class HandWrittenAudioMessage
{
    private readonly ArrayBufferWriter<byte> _buffer = new(512);
    private readonly Utf8JsonWriter _writer;

    public HandWrittenAudioMessage() => _writer = new Utf8JsonWriter(_buffer);

    /// <summary>Gets 20 ms of μ-law (160 bytes), the chunk both cases send.</summary>
    public static byte[] Chunk { get; } = Enumerable.Range(0, 160).Select(i => (byte)i).ToArray();

    /// <summary>Writes <c>{"user_audio_chunk":"…"}</c> into the reused buffer and returns it.</summary>
    public ReadOnlyMemory<byte> Write(ReadOnlySpan<byte> audio)
    {
        _buffer.ResetWrittenCount();
        _writer.Reset(_buffer);
        _writer.WriteStartObject();
        _writer.WriteBase64String("user_audio_chunk"u8, audio);
        _writer.WriteEndObject();
        _writer.Flush();
        return _buffer.WrittenMemory;
    }
}
