using System.Buffers;
using System.Buffers.Text;

namespace ConvAi.Telephony;

/// <summary>A read-only stream that decodes standard base64 (UTF-8, no white space) chunk by chunk as it is read.</summary>
internal sealed class Base64AudioStream : Stream
{
    /// <summary>The copy buffer size used for audio: 48 KB of output per 64 KB of base64.</summary>
    public const int ChunkSize = 48 * 1024;

    private readonly ReadOnlyMemory<byte> _base64;
    private readonly WebhookBodyLease? _lease;
    private readonly byte[] _pending = new byte[3];
    private int _position;
    private int _pendingOffset;
    private int _pendingCount;

    public Base64AudioStream(ReadOnlyMemory<byte> base64, WebhookBodyLease? lease)
    {
        _base64 = base64;
        _lease = lease;
    }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    /// <summary>The number of bytes that <paramref name="base64"/> (valid, unpadded length a multiple of 4) decodes to.</summary>
    public static long DecodedLength(ReadOnlySpan<byte> base64)
    {
        if (base64.IsEmpty)
        {
            return 0;
        }

        var padding = base64[^1] == (byte)'=' ? (base64[^2] == (byte)'=' ? 2 : 1) : 0;
        return ((long)base64.Length / 4 * 3) - padding;
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        ObjectDisposedException.ThrowIf(_lease?.IsReleased == true, this);
        var written = 0;
        if (_pendingCount > 0)
        {
            written = DrainPending(buffer);
            buffer = buffer[written..];
        }

        var remaining = _base64.Length - _position;
        if (buffer.IsEmpty || remaining == 0)
        {
            return written;
        }

        // Decode whole 4-character quanta straight into the caller's buffer.
        var quanta = Math.Min(buffer.Length / 3, remaining / 4);
        if (quanta > 0)
        {
            written += Decode(quanta * 4, buffer);
            return written;
        }

        // The caller's buffer is smaller than one quantum: decode it aside and hand out part of it.
        _pendingOffset = 0;
        _pendingCount = Decode(4, _pending);
        return written + DrainPending(buffer);
    }

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(Read(buffer.Span));
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    private int Decode(int length, Span<byte> destination)
    {
        var source = _base64.Span.Slice(_position, length);
        // Each slice is whole quanta and padding can only end the data, so every slice decodes as a final block.
        var status = Base64.DecodeFromUtf8(source, destination, out var consumed, out var written, isFinalBlock: true);
        if (status != OperationStatus.Done || consumed != length)
        {
            throw new InvalidDataException("The audio is not valid base64.");
        }

        _position += length;
        return written;
    }

    private int DrainPending(Span<byte> buffer)
    {
        var count = Math.Min(buffer.Length, _pendingCount);
        _pending.AsSpan(_pendingOffset, count).CopyTo(buffer);
        _pendingOffset += count;
        _pendingCount -= count;
        return count;
    }
}
