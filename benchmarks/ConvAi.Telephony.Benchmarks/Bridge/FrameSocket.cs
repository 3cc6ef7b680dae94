using System.Net.WebSockets;
using System.Threading.Tasks.Sources;

namespace ConvAi.Telephony.Benchmarks.Bridge;

/// <summary>
/// An in-memory WebSocket for the bridge measurements: text frames pushed by the driver are received (whole, or in parts when the
/// reader's buffer is smaller; an empty buffer waits for a frame without taking any of it, as <c>ManagedWebSocket</c> does), and every
/// send is counted and shown to <see cref="Sent"/>. Receiving and sending allocate nothing, so whatever a measurement counts is the
/// code under test's.
/// </summary>
internal sealed class FrameSocket : WebSocket, IValueTaskSource<ValueWebSocketReceiveResult>
{
    private static readonly Action<object?> CancelWaitingReceive = static state => ((FrameSocket)state!).CancelReceive();

    private readonly Lock _gate = new();
    private readonly Queue<ReadOnlyMemory<byte>> _incoming = new();
    private ManualResetValueTaskSourceCore<ValueWebSocketReceiveResult> _core = new() { RunContinuationsAsynchronously = true };
    private ReadOnlyMemory<byte> _current;
    private int _offset;
    private bool _hasCurrent;
    private bool _waiting;
    private Memory<byte> _waitingBuffer;
    private CancellationToken _waitingToken;
    private CancellationTokenRegistration _registration;
    private bool _closeQueued;
    private WebSocketState _state = WebSocketState.Open;
    private WebSocketCloseStatus? _closeStatus;
    private long _sends;

    /// <summary>Gets or sets what sees each sent message (on the sender's thread); it must not keep the span.</summary>
    public SentHandler? Sent { get; set; }

    /// <summary>Gets or sets what runs when the code under test closes its side (for example: answer the close).</summary>
    public Action<FrameSocket>? ClosedByPeer { get; set; }

    public delegate void SentHandler(FrameSocket socket, ReadOnlySpan<byte> message);

    public long SendCount => Interlocked.Read(ref _sends);

    /// <summary>Gets or sets what the handlers need (the rig), so they can be static.</summary>
    public object? Tag { get; set; }

    public override WebSocketCloseStatus? CloseStatus => _closeStatus;

    public override string? CloseStatusDescription => null;

    public override WebSocketState State => _state;

    public override string? SubProtocol => null;

    /// <summary>Queues a text frame for the reader (the array is not copied: keep it unchanged until it is read).</summary>
    public void Push(ReadOnlyMemory<byte> frame)
    {
        ValueWebSocketReceiveResult result;
        CancellationTokenRegistration registration;
        lock (_gate)
        {
            _incoming.Enqueue(frame);
            if (!_waiting)
            {
                return;
            }

            _waiting = false;
            result = TakeLocked(_waitingBuffer.Span);
            registration = _registration;
            _registration = default;
            _waitingBuffer = default;
        }

        registration.Unregister();
        _core.SetResult(result);
    }

    /// <summary>Makes the reader see a normal close once the queued frames are read.</summary>
    public void PushClose()
    {
        CancellationTokenRegistration registration;
        lock (_gate)
        {
            _closeQueued = true;
            if (!_waiting || _incoming.Count > 0 || _hasCurrent)
            {
                return;
            }

            _waiting = false;
            registration = _registration;
            _registration = default;
            _waitingBuffer = default;
            MarkCloseReceivedLocked();
        }

        registration.Unregister();
        _core.SetResult(new ValueWebSocketReceiveResult(0, WebSocketMessageType.Close, true));
    }

    public override ValueTask<ValueWebSocketReceiveResult> ReceiveAsync(Memory<byte> buffer, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (_state == WebSocketState.Aborted)
            {
                return ValueTask.FromException<ValueWebSocketReceiveResult>(new WebSocketException(WebSocketError.InvalidState));
            }

            if (_hasCurrent || _incoming.Count > 0)
            {
                return new ValueTask<ValueWebSocketReceiveResult>(TakeLocked(buffer.Span));
            }

            if (_closeQueued)
            {
                MarkCloseReceivedLocked();
                return new ValueTask<ValueWebSocketReceiveResult>(new ValueWebSocketReceiveResult(0, WebSocketMessageType.Close, true));
            }

            _core.Reset();
            _waiting = true;
            _waitingBuffer = buffer;
            _waitingToken = cancellationToken;
            if (cancellationToken.CanBeCanceled)
            {
                _registration = cancellationToken.UnsafeRegister(CancelWaitingReceive, this);
            }

            return new ValueTask<ValueWebSocketReceiveResult>(this, _core.Version);
        }
    }

    public override async Task<WebSocketReceiveResult> ReceiveAsync(ArraySegment<byte> buffer, CancellationToken cancellationToken)
    {
        var result = await ReceiveAsync(buffer.AsMemory(), cancellationToken).ConfigureAwait(false);
        return new WebSocketReceiveResult(result.Count, result.MessageType, result.EndOfMessage);
    }

    public override ValueTask SendAsync(ReadOnlyMemory<byte> buffer, WebSocketMessageType messageType, bool endOfMessage, CancellationToken cancellationToken)
    {
        if (_state is not (WebSocketState.Open or WebSocketState.CloseReceived))
        {
            return ValueTask.FromException(new WebSocketException(WebSocketError.InvalidState));
        }

        Interlocked.Increment(ref _sends);
        Sent?.Invoke(this, buffer.Span);
        return default;
    }

    public override Task SendAsync(ArraySegment<byte> buffer, WebSocketMessageType messageType, bool endOfMessage, CancellationToken cancellationToken)
        => SendAsync(buffer.AsMemory(), messageType, endOfMessage, cancellationToken).AsTask();

    public override Task CloseOutputAsync(WebSocketCloseStatus closeStatus, string? statusDescription, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            _closeStatus ??= closeStatus;
            _state = _state == WebSocketState.CloseReceived ? WebSocketState.Closed : WebSocketState.CloseSent;
        }

        ClosedByPeer?.Invoke(this);
        return Task.CompletedTask;
    }

    public override Task CloseAsync(WebSocketCloseStatus closeStatus, string? statusDescription, CancellationToken cancellationToken)
        => CloseOutputAsync(closeStatus, statusDescription, cancellationToken);

    public override void Abort()
    {
        CancellationTokenRegistration registration;
        bool wasWaiting;
        lock (_gate)
        {
            if (_state is WebSocketState.Closed)
            {
                return;
            }

            _state = WebSocketState.Aborted;
            wasWaiting = _waiting;
            _waiting = false;
            registration = _registration;
            _registration = default;
        }

        registration.Unregister();
        if (wasWaiting)
        {
            _core.SetException(new WebSocketException(WebSocketError.ConnectionClosedPrematurely));
        }
    }

    public override void Dispose() => Abort();

    ValueWebSocketReceiveResult IValueTaskSource<ValueWebSocketReceiveResult>.GetResult(short token) => _core.GetResult(token);

    ValueTaskSourceStatus IValueTaskSource<ValueWebSocketReceiveResult>.GetStatus(short token) => _core.GetStatus(token);

    void IValueTaskSource<ValueWebSocketReceiveResult>.OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags)
        => _core.OnCompleted(continuation, state, token, flags);

    private void CancelReceive()
    {
        CancellationToken token;
        lock (_gate)
        {
            if (!_waiting)
            {
                return;
            }

            _waiting = false;
            token = _waitingToken;
            _registration = default;
        }

        _core.SetException(new OperationCanceledException(token));
    }

    private void MarkCloseReceivedLocked()
    {
        _closeStatus ??= WebSocketCloseStatus.NormalClosure;
        _state = _state == WebSocketState.CloseSent ? WebSocketState.Closed : WebSocketState.CloseReceived;
    }

    private ValueWebSocketReceiveResult TakeLocked(Span<byte> destination)
    {
        if (!_hasCurrent)
        {
            _current = _incoming.Dequeue();
            _offset = 0;
            _hasCurrent = true;
        }

        if (destination.Length == 0 && _current.Length > 0)
        {
            // A zero-byte read: the frame is there, nothing of it is taken.
            return new ValueWebSocketReceiveResult(0, WebSocketMessageType.Text, false);
        }

        var count = Math.Min(destination.Length, _current.Length - _offset);
        _current.Span.Slice(_offset, count).CopyTo(destination);
        _offset += count;
        var end = _offset == _current.Length;
        if (end)
        {
            _hasCurrent = false;
            _current = default;
        }

        return new ValueWebSocketReceiveResult(count, WebSocketMessageType.Text, end);
    }
}

/// <summary>A counter a driver can await until it reaches a value, without allocating per wait.</summary>
internal sealed class CountSignal : IValueTaskSource
{
    private readonly Lock _gate = new();
    private ManualResetValueTaskSourceCore<bool> _core = new() { RunContinuationsAsynchronously = true };
    private long _count;
    private long _target;
    private bool _armed;

    public long Count
    {
        get
        {
            lock (_gate)
            {
                return _count;
            }
        }
    }

    public void Increment()
    {
        lock (_gate)
        {
            _count++;
            if (!_armed || _count < _target)
            {
                return;
            }

            _armed = false;
        }

        _core.SetResult(true);
    }

    public ValueTask WaitForAsync(long target)
    {
        lock (_gate)
        {
            if (_count >= target)
            {
                return default;
            }

            _core.Reset();
            _target = target;
            _armed = true;
            return new ValueTask(this, _core.Version);
        }
    }

    void IValueTaskSource.GetResult(short token) => _core.GetResult(token);

    ValueTaskSourceStatus IValueTaskSource.GetStatus(short token) => _core.GetStatus(token);

    void IValueTaskSource.OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags)
        => _core.OnCompleted(continuation, state, token, flags);
}
