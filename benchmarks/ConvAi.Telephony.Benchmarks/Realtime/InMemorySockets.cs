using System.Net.WebSockets;

namespace ConvAi.Telephony.Benchmarks.Realtime;

/// <summary>
/// A socket that takes every send and counts it (no copy, no network), so a benchmark measures the client's own work per
/// message: the session and the hand-written baseline write to the same kind of socket.
/// </summary>
internal sealed class CountingSocket : WebSocket
{
    private readonly TaskCompletionSource _never = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private TaskCompletionSource _reached = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _target = long.MaxValue;
    private long _count;
    private WebSocketState _state = WebSocketState.Open;

    public override WebSocketCloseStatus? CloseStatus => _state == WebSocketState.Closed ? WebSocketCloseStatus.NormalClosure : null;

    public override string? CloseStatusDescription => null;

    public override WebSocketState State => _state;

    public override string? SubProtocol => null;

    public long BytesSent { get; private set; }

    /// <summary>Returns a task that completes once <paramref name="messages"/> more messages have been sent.</summary>
    public Task ExpectAsync(long messages)
    {
        _reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Volatile.Write(ref _target, Interlocked.Read(ref _count) + messages);
        return _reached.Task;
    }

    public override ValueTask SendAsync(ReadOnlyMemory<byte> buffer, WebSocketMessageType messageType, bool endOfMessage, CancellationToken cancellationToken)
    {
        BytesSent += buffer.Length;
        if (Interlocked.Increment(ref _count) == Volatile.Read(ref _target))
        {
            _reached.TrySetResult();
        }

        return default;
    }

    public override Task SendAsync(ArraySegment<byte> buffer, WebSocketMessageType messageType, bool endOfMessage, CancellationToken cancellationToken)
        => SendAsync(buffer.AsMemory(), messageType, endOfMessage, cancellationToken).AsTask();

    public override async ValueTask<ValueWebSocketReceiveResult> ReceiveAsync(Memory<byte> buffer, CancellationToken cancellationToken)
    {
        await _never.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        return default;
    }

    public override async Task<WebSocketReceiveResult> ReceiveAsync(ArraySegment<byte> buffer, CancellationToken cancellationToken)
    {
        await _never.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        return new WebSocketReceiveResult(0, WebSocketMessageType.Close, true);
    }

    public override Task CloseOutputAsync(WebSocketCloseStatus closeStatus, string? statusDescription, CancellationToken cancellationToken)
    {
        _state = WebSocketState.Closed;
        return Task.CompletedTask;
    }

    public override Task CloseAsync(WebSocketCloseStatus closeStatus, string? statusDescription, CancellationToken cancellationToken)
        => CloseOutputAsync(closeStatus, statusDescription, cancellationToken);

    public override void Abort() => _state = WebSocketState.Aborted;

    public override void Dispose()
    {
    }
}

/// <summary>A socket whose receive side hands out the same text frame as many times as it was told to (no network).</summary>
internal sealed class RepeatingSocket(byte[] frame) : WebSocket
{
    private readonly SemaphoreSlim _supply = new(0);
    private WebSocketState _state = WebSocketState.Open;
    private bool _peeked;

    public override WebSocketCloseStatus? CloseStatus => null;

    public override string? CloseStatusDescription => null;

    public override WebSocketState State => _state;

    public override string? SubProtocol => null;

    public void Supply(int frames) => _supply.Release(frames);

    public override async ValueTask<ValueWebSocketReceiveResult> ReceiveAsync(Memory<byte> buffer, CancellationToken cancellationToken)
    {
        if (buffer.Length == 0)
        {
            // A zero-byte read waits for the next frame and takes nothing of it (as ManagedWebSocket's does).
            if (!_peeked)
            {
                await _supply.WaitAsync(cancellationToken).ConfigureAwait(false);
                _peeked = true;
            }

            return new ValueWebSocketReceiveResult(0, WebSocketMessageType.Text, false);
        }

        if (!_peeked)
        {
            await _supply.WaitAsync(cancellationToken).ConfigureAwait(false);
        }

        _peeked = false;
        frame.CopyTo(buffer);
        return new ValueWebSocketReceiveResult(frame.Length, WebSocketMessageType.Text, true);
    }

    public override async Task<WebSocketReceiveResult> ReceiveAsync(ArraySegment<byte> buffer, CancellationToken cancellationToken)
    {
        var result = await ReceiveAsync(buffer.AsMemory(), cancellationToken).ConfigureAwait(false);
        return new WebSocketReceiveResult(result.Count, result.MessageType, result.EndOfMessage);
    }

    public override ValueTask SendAsync(ReadOnlyMemory<byte> buffer, WebSocketMessageType messageType, bool endOfMessage, CancellationToken cancellationToken) => default;

    public override Task SendAsync(ArraySegment<byte> buffer, WebSocketMessageType messageType, bool endOfMessage, CancellationToken cancellationToken) => Task.CompletedTask;

    public override Task CloseOutputAsync(WebSocketCloseStatus closeStatus, string? statusDescription, CancellationToken cancellationToken)
    {
        _state = WebSocketState.Closed;
        return Task.CompletedTask;
    }

    public override Task CloseAsync(WebSocketCloseStatus closeStatus, string? statusDescription, CancellationToken cancellationToken)
        => CloseOutputAsync(closeStatus, statusDescription, cancellationToken);

    public override void Abort() => _state = WebSocketState.Aborted;

    public override void Dispose() => _supply.Dispose();
}
