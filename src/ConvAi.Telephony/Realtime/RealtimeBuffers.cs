using System.Buffers;

namespace ConvAi.Telephony;

/// <summary>
/// The pooled byte arrays of live conversations (frames being received, messages waiting to be sent), rented from
/// <see cref="ArrayPool{T}.Shared"/> and counted, so tests can check every rented array came back.
/// </summary>
internal sealed class RealtimeBuffers : CountedBuffers<RealtimeBuffers>
{
    private RealtimeBuffers()
    {
    }
}

/// <summary>An <see cref="IBufferWriter{T}"/> over pooled arrays, for building one outgoing message with a <c>Utf8JsonWriter</c>.</summary>
internal sealed class PooledBufferWriter : IBufferWriter<byte>
{
    private byte[] _buffer;
    private int _written;

    public PooledBufferWriter(int initialCapacity = 256) => _buffer = RealtimeBuffers.Rent(initialCapacity);

    public int WrittenCount => _written;

    public void Advance(int count) => _written += count;

    public Memory<byte> GetMemory(int sizeHint = 0)
    {
        Ensure(sizeHint);
        return _buffer.AsMemory(_written);
    }

    public Span<byte> GetSpan(int sizeHint = 0)
    {
        Ensure(sizeHint);
        return _buffer.AsSpan(_written);
    }

    /// <summary>Hands the array over to an <see cref="OutgoingMessage"/>, which returns it to the pool once sent.</summary>
    public OutgoingMessage Detach(string type)
    {
        var message = new OutgoingMessage(_buffer, _written, type);
        _buffer = [];
        _written = 0;
        return message;
    }

    /// <summary>Returns the array if it was not detached.</summary>
    public void Release()
    {
        if (_buffer.Length > 0)
        {
            RealtimeBuffers.Return(_buffer);
            _buffer = [];
        }
    }

    private void Ensure(int sizeHint)
    {
        var needed = _written + Math.Max(sizeHint, 1);
        if (needed <= _buffer.Length)
        {
            return;
        }

        var bigger = RealtimeBuffers.Rent(Math.Max(needed, _buffer.Length * 2));
        _buffer.AsSpan(0, _written).CopyTo(bigger);
        RealtimeBuffers.Return(_buffer);
        _buffer = bigger;
    }
}

/// <summary>One text frame waiting for the writer loop: a pooled array, the length used and the message type (for metrics). The writer returns the array.</summary>
internal readonly record struct OutgoingMessage(byte[] Buffer, int Length, string Type)
{
    public ReadOnlyMemory<byte> Memory => Buffer.AsMemory(0, Length);

    public void Release() => RealtimeBuffers.Return(Buffer);
}
