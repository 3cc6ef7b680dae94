using System.Net.WebSockets;
using System.Text;
using System.Threading.Channels;

namespace ConvAi.Telephony.Tests.Realtime;

/// <summary>
/// An in-memory <see cref="WebSocket"/> for tests that need to hold the session's writes (a gate on <see cref="SendAsync(ReadOnlyMemory{byte}, WebSocketMessageType, bool, CancellationToken)"/>)
/// or to know exactly when its receive loop asked for the next message.
/// </summary>
internal sealed class FakeAgentSocket : WebSocket
{
    private readonly Channel<(byte[] Data, WebSocketCloseStatus? Close)> _incoming = Channel.CreateUnbounded<(byte[], WebSocketCloseStatus?)>();
    private readonly Channel<string> _sent = Channel.CreateUnbounded<string>();
    private readonly object _gate = new();
    private TaskCompletionSource _open = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private TaskCompletionSource<int> _receiveCalled = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _sendCalled = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _receiveCalls;
    private bool _peeked;
    private WebSocketState _state = WebSocketState.Open;
    private WebSocketCloseStatus? _closeStatus;
    private string? _closeDescription;

    public FakeAgentSocket(bool sendsOpen = true)
    {
        if (sendsOpen)
        {
            _open.SetResult();
        }
    }

    public override WebSocketCloseStatus? CloseStatus => _closeStatus;

    public override string? CloseStatusDescription => _closeDescription;

    public override WebSocketState State => _state;

    public override string? SubProtocol => null;

    /// <summary>Gets the close status the session sent, once it did.</summary>
    public WebSocketCloseStatus? SentClose { get; private set; }

    public void OpenSends() => _open.TrySetResult();

    public void Push(string json) => _incoming.Writer.TryWrite((Encoding.UTF8.GetBytes(json), null));

    public void PushClose(WebSocketCloseStatus status) => _incoming.Writer.TryWrite(([], status));

    /// <summary>Completes when the receive loop has called <c>ReceiveAsync</c> at least <paramref name="count"/> times.</summary>
    public async Task WaitForReceiveCallsAsync(int count)
    {
        while (true)
        {
            Task<int> next;
            lock (_gate)
            {
                if (_receiveCalls >= count)
                {
                    return;
                }

                next = _receiveCalled.Task;
            }

            await next.WaitAsync(TimeSpan.FromSeconds(30));
        }
    }

    /// <summary>Completes once the writer has started its first send.</summary>
    public Task WaitForFirstSendAsync() => _sendCalled.Task.WaitAsync(TimeSpan.FromSeconds(30));

    public ValueTask<string> NextSentAsync() => _sent.Reader.ReadAsync(new CancellationTokenSource(TimeSpan.FromSeconds(30)).Token);

    public override async ValueTask<ValueWebSocketReceiveResult> ReceiveAsync(Memory<byte> buffer, CancellationToken cancellationToken)
    {
        // A read that starts a message counts as a receive call: a zero-byte read (which waits for the next message and takes nothing of
        // it, as ManagedWebSocket's does), or a read not preceded by one.
        if (buffer.Length == 0 || !_peeked)
        {
            lock (_gate)
            {
                _receiveCalls++;
                var called = _receiveCalled;
                _receiveCalled = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
                called.SetResult(_receiveCalls);
            }
        }

        _peeked = false;
        if (buffer.Length == 0)
        {
            while (!_incoming.Reader.TryPeek(out _))
            {
                await _incoming.Reader.WaitToReadAsync(cancellationToken);
            }

            _incoming.Reader.TryPeek(out var next);
            if (next.Close is null && next.Data.Length > 0)
            {
                _peeked = true;
                return new ValueWebSocketReceiveResult(0, WebSocketMessageType.Text, false);
            }
        }

        var (data, close) = await _incoming.Reader.ReadAsync(cancellationToken);
        if (close is { } status)
        {
            _closeStatus = status;
            _state = _state == WebSocketState.CloseSent ? WebSocketState.Closed : WebSocketState.CloseReceived;
            return new ValueWebSocketReceiveResult(0, WebSocketMessageType.Close, true);
        }

        data.CopyTo(buffer);
        return new ValueWebSocketReceiveResult(data.Length, WebSocketMessageType.Text, true);
    }

    public override async Task<WebSocketReceiveResult> ReceiveAsync(ArraySegment<byte> buffer, CancellationToken cancellationToken)
    {
        var result = await ReceiveAsync(buffer.AsMemory(), cancellationToken);
        return new WebSocketReceiveResult(result.Count, result.MessageType, result.EndOfMessage);
    }

    public override async ValueTask SendAsync(ReadOnlyMemory<byte> buffer, WebSocketMessageType messageType, bool endOfMessage, CancellationToken cancellationToken)
    {
        var text = Encoding.UTF8.GetString(buffer.Span);
        _sendCalled.TrySetResult();
        await _open.Task.WaitAsync(cancellationToken);
        await _sent.Writer.WriteAsync(text, cancellationToken);
    }

    public override Task SendAsync(ArraySegment<byte> buffer, WebSocketMessageType messageType, bool endOfMessage, CancellationToken cancellationToken)
        => SendAsync(buffer.AsMemory(), messageType, endOfMessage, cancellationToken).AsTask();

    public override Task CloseOutputAsync(WebSocketCloseStatus closeStatus, string? statusDescription, CancellationToken cancellationToken)
    {
        SentClose = closeStatus;
        if (_state == WebSocketState.CloseReceived)
        {
            _state = WebSocketState.Closed;
        }
        else
        {
            // The agent answers the close.
            _state = WebSocketState.CloseSent;
            _closeDescription = statusDescription;
            PushClose(closeStatus);
        }

        return Task.CompletedTask;
    }

    public override Task CloseAsync(WebSocketCloseStatus closeStatus, string? statusDescription, CancellationToken cancellationToken)
        => CloseOutputAsync(closeStatus, statusDescription, cancellationToken);

    public override void Abort() => _state = WebSocketState.Aborted;

    public override void Dispose() => _incoming.Writer.TryComplete();
}
