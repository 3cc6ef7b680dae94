using System.Diagnostics;
using System.Net.WebSockets;
using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;

namespace ConvAi.Telephony;

/// <summary>
/// A live conversation with an agent over its WebSocket (api-reference §11). Get one from
/// <see cref="ConversationsClient.StartSessionAsync"/> (connects and starts) or <see cref="ConversationsClient.ConnectSessionAsync"/>
/// followed by <see cref="StartAsync"/> (a bridge opens the socket early and sends the initiation data later).
/// Read what the agent sends with <see cref="ReadEventsAsync"/>; send audio, text and tool results with the <c>Send…Async</c> methods.
/// </summary>
/// <remarks>
/// <para>
/// One writer loop owns the socket's sending side: sends from any number of threads are queued and written one at a time, pongs
/// first, then text messages (user messages, tool results, updates), then audio, so a pong never waits behind queued audio.
/// A send method completes when its message is queued, not when it is on the wire. Audio waits for room when 64 chunks are queued.
/// </para>
/// <para>
/// One receive loop reads whole messages (until <c>EndOfMessage</c>) into pooled buffers and answers every <c>ping</c> itself,
/// whatever the consumer is doing; pings are not surfaced as events (their latency is a metric). Events wait in a bounded buffer
/// (<see cref="ConversationSessionOptions.EventBufferCapacity"/>); when it is full, <see cref="ConversationSessionOptions.EventBufferOverflow"/>
/// decides: end the session with an error, or drop the oldest event. After an <see cref="InterruptionEvent"/> with id N, audio with
/// an id of N or less is dropped, both on arrival and while it waits in the buffer.
/// </para>
/// <para>
/// The enumeration ends with a <see cref="ConversationClosedEvent"/> when the socket closes with a WebSocket close (by the agent or by
/// <see cref="EndAsync"/>); a connection that drops without one makes it throw a <see cref="ConversationSessionException"/>. The session
/// never reconnects. Dispose it to close and release it.
/// </para>
/// </remarks>
public sealed class ConversationSession : IAsyncDisposable
{
    /// <summary>
    /// The name of the named <see cref="HttpClient"/> whose handler opens the agent socket (the HTTP upgrade) in a client built by
    /// <c>AddConvAiTelephony</c>: configure its primary handler to use a proxy; the Testing package's <c>UseConvAiEmulator</c>
    /// points it at the emulator.
    /// </summary>
    public const string HttpClientName = "ConvAi.Telephony.Realtime";

    private const int AudioQueueCapacity = 64;
    private const int InitialReceiveBufferSize = 16 * 1024;

    private readonly WebSocket _socket;
    private readonly int _eventCapacity;
    private readonly int _maxMessageBytes;
    private readonly ConversationEventOverflow _overflow;
    private readonly TimeSpan _closeTimeout;
    private readonly ConversationSessionInstruments _instruments;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly IDisposable? _owned;
    private readonly ConversationAudioSink? _audioSink;
    private readonly Activity? _activity;
    private readonly Channel<ConversationEvent> _events;
    private readonly Channel<OutgoingMessage> _pongs;
    private readonly Channel<OutgoingMessage> _control;
    private readonly Channel<OutgoingMessage> _audio;
    private readonly Channel<bool> _wake;
    private readonly CancellationTokenSource _abort = new();
    private readonly TaskCompletionSource<ConversationStartedEvent> _started = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Task _receiveLoop;
    private readonly Task _sendLoop;
    private CloseRequest? _closeRequest;
    private ConversationSessionException? _fault;
    private ConversationErrorEvent? _lastError;
    private ConversationCloseReason? _closeReason;
    private long _lastInterruptId = long.MinValue;
    private long _droppedEvents;
    private long _droppedAudio;
    private ITimer? _closeTimer;
    private int _startRequested;
    private int _writerIdle;
    private int _disposed;

    internal ConversationSession(
        WebSocket socket,
        string agentId,
        ConversationSessionOptions options,
        ConvAiTelemetry telemetry,
        ILogger logger,
        TimeProvider timeProvider,
        IDisposable? owned,
        Activity? activity)
    {
        _timeProvider = timeProvider;
        _socket = socket;
        AgentId = agentId;
        _eventCapacity = options.EventBufferCapacity;
        _maxMessageBytes = options.MaxMessageBytes;
        _overflow = options.EventBufferOverflow;
        _closeTimeout = options.CloseTimeout;
        _instruments = telemetry.Sessions;
        _logger = logger;
        _owned = owned;
        _activity = activity;
        _audioSink = options.AudioSink;

        // One slot more than the capacity, so the final closed event always fits.
        _events = Channel.CreateBounded<ConversationEvent>(new BoundedChannelOptions(_eventCapacity + 1) { SingleWriter = true });
        // The queues without a bound are bounded channels whose bound is never reached: their storage starts empty and grows with what is
        // queued (a few messages), where an unbounded channel allocates a 32-slot segment up front (about 1.4 KB per queue per session).
        _pongs = Channel.CreateBounded<OutgoingMessage>(new BoundedChannelOptions(int.MaxValue) { SingleReader = true, SingleWriter = true });
        // Text messages are small and made by your code, not a stream: queued without a bound. Audio is the stream, bounded.
        _control = Channel.CreateBounded<OutgoingMessage>(new BoundedChannelOptions(int.MaxValue) { SingleReader = true });
        _audio = Channel.CreateBounded<OutgoingMessage>(new BoundedChannelOptions(AudioQueueCapacity) { SingleReader = true });
        _wake = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { SingleReader = true, FullMode = BoundedChannelFullMode.DropWrite });

        // The writer waits for work without a token (a wait with one allocates per wait, i.e. per frame); an abort wakes it instead.
        _abort.Token.UnsafeRegister(static state => ((Channel<bool>)state!).Writer.TryWrite(true), _wake);

        _instruments.Active.Add(1);
        Interlocked.Increment(ref _open);
        _receiveLoop = Task.Run(ReceiveLoopAsync);
        _sendLoop = Task.Run(SendLoopAsync);
    }

    private static long _open;

    /// <summary>Gets the number of sessions whose socket is not yet released, for tests that check nothing is left behind.</summary>
    internal static long OpenCount => Interlocked.Read(ref _open);

    /// <summary>Gets the agent this session talks to.</summary>
    public string AgentId { get; }

    /// <summary>Gets the conversation id, once the agent has sent <c>conversation_initiation_metadata</c> (after <see cref="StartAsync"/>); null before.</summary>
    public string? ConversationId => Started?.ConversationId;

    /// <summary>Gets the format of the agent's audio, once the conversation has started; null before.</summary>
    public ConversationAudioFormat? AgentOutputAudioFormat => Started?.AgentOutputAudioFormat;

    /// <summary>Gets the format the agent expects for <see cref="SendAudioAsync"/>, once the conversation has started; null before.</summary>
    public ConversationAudioFormat? UserInputAudioFormat => Started?.UserInputAudioFormat;

    /// <summary>Gets why the session closed, once it has; null while it is open.</summary>
    public ConversationCloseReason? CloseReason => Volatile.Read(ref _closeReason);

    /// <summary>
    /// Gets the number of events dropped because the buffer was full (only with <see cref="ConversationEventOverflow.DropOldest"/>).
    /// Audio dropped after an interruption is not counted here.
    /// </summary>
    public long DroppedEventCount => Interlocked.Read(ref _droppedEvents);

    /// <summary>Gets the number of audio chunks of interrupted turns dropped so far.</summary>
    internal long DroppedInterruptedAudioCount => Interlocked.Read(ref _droppedAudio);

    private ConversationStartedEvent? Started => _started.Task.IsCompletedSuccessfully ? _started.Task.Result : null;

    /// <summary>
    /// Starts the conversation: sends <c>conversation_initiation_client_data</c> and waits for the agent's
    /// <c>conversation_initiation_metadata</c>, after which <see cref="ConversationId"/> and the audio formats are set.
    /// The metadata is also the first event <see cref="ReadEventsAsync"/> returns.
    /// </summary>
    /// <param name="initiationData">Dynamic variables, user id, overrides and custom LLM body; null sends none.</param>
    /// <param name="cancellationToken">Stops waiting; the session stays open.</param>
    /// <returns>A task that completes when the conversation has started.</returns>
    /// <exception cref="InvalidOperationException">The session was already started.</exception>
    /// <exception cref="ConversationSessionException">
    /// The agent closed the socket first (<see cref="ConversationSessionError.StartRejected"/>, with the close code and text, e.g. 1008 for a
    /// missing dynamic variable) or the connection dropped.
    /// </exception>
    public async Task StartAsync(ConversationInitiationClientData? initiationData = null, CancellationToken cancellationToken = default)
    {
        if (Interlocked.Exchange(ref _startRequested, 1) != 0)
        {
            throw new InvalidOperationException("The conversation was already started.");
        }

        await EnqueueAsync(_control, ClientMessages.Initiation(initiationData ?? new ConversationInitiationClientData()), cancellationToken).ConfigureAwait(false);
        await _started.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Sends a chunk of the user's audio, raw, in <see cref="UserInputAudioFormat"/>; it is base64-encoded into a pooled buffer.</summary>
    /// <param name="audio">The raw audio bytes.</param>
    /// <param name="cancellationToken">Stops waiting for room in the audio queue.</param>
    /// <returns>A task that completes when the chunk is queued.</returns>
    /// <exception cref="ConversationSessionException">The session is closed.</exception>
    public ValueTask SendAudioAsync(ReadOnlyMemory<byte> audio, CancellationToken cancellationToken = default)
    {
        ThrowIfClosed();
        return EnqueueAsync(_audio, ClientMessages.Audio(audio.Span), cancellationToken);
    }

    /// <summary>
    /// Sends a chunk of the user's audio that is already base64 (UTF-8 bytes, for example a Twilio media payload): it is copied into the
    /// message as it is, without decoding.
    /// </summary>
    /// <param name="base64Utf8">The base64 text of the audio, as UTF-8 bytes.</param>
    /// <param name="cancellationToken">Stops waiting for room in the audio queue.</param>
    /// <returns>A task that completes when the chunk is queued.</returns>
    /// <exception cref="ArgumentException">The bytes are not base64.</exception>
    /// <exception cref="ConversationSessionException">The session is closed.</exception>
    public ValueTask SendAudioBase64Async(ReadOnlyMemory<byte> base64Utf8, CancellationToken cancellationToken = default)
    {
        if (!System.Buffers.Text.Base64.IsValid(base64Utf8.Span))
        {
            throw new ArgumentException("The audio is not base64 text.", nameof(base64Utf8));
        }

        ThrowIfClosed();
        return EnqueueAsync(_audio, ClientMessages.AudioBase64(base64Utf8.Span), cancellationToken);
    }

    /// <summary>Sends a text message from the user (<c>user_message</c>); the agent answers it like speech.</summary>
    /// <param name="text">The message.</param>
    /// <param name="cancellationToken">Stops waiting for room in the queue.</param>
    /// <returns>A task that completes when the message is queued.</returns>
    /// <exception cref="ConversationSessionException">The session is closed.</exception>
    public ValueTask SendUserMessageAsync(string text, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(text);
        ThrowIfClosed();
        return EnqueueAsync(_control, ClientMessages.UserMessage(text), cancellationToken);
    }

    /// <summary>
    /// Tells the agent something that happened, without interrupting it or asking for an answer (<c>contextual_update</c>),
    /// for example "Order 123 shipped today".
    /// </summary>
    /// <param name="text">The information.</param>
    /// <param name="contextId">An id that replaces an earlier update with the same id in the agent's context, or null.</param>
    /// <param name="cancellationToken">Stops waiting for room in the queue.</param>
    /// <returns>A task that completes when the message is queued.</returns>
    /// <exception cref="ConversationSessionException">The session is closed.</exception>
    public ValueTask SendContextualUpdateAsync(string text, string? contextId = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(text);
        ThrowIfClosed();
        return EnqueueAsync(_control, ClientMessages.ContextualUpdate(text, contextId), cancellationToken);
    }

    /// <summary>Tells the agent the user is active (typing, for example), so it does not time out or talk over them (<c>user_activity</c>).</summary>
    /// <param name="cancellationToken">Stops waiting for room in the queue.</param>
    /// <returns>A task that completes when the message is queued.</returns>
    /// <exception cref="ConversationSessionException">The session is closed.</exception>
    public ValueTask SendUserActivityAsync(CancellationToken cancellationToken = default)
    {
        ThrowIfClosed();
        return EnqueueAsync(_control, ClientMessages.UserActivity(), cancellationToken);
    }

    /// <summary>Answers a <see cref="ClientToolCallEvent"/> with the tool's result (<c>client_tool_result</c>).</summary>
    /// <param name="toolCallId">The <see cref="ClientToolCallEvent.ToolCallId"/> of the call.</param>
    /// <param name="result">The result the agent reads, often JSON text.</param>
    /// <param name="isError">True when the tool failed and <paramref name="result"/> describes the error.</param>
    /// <param name="cancellationToken">Stops waiting for room in the queue.</param>
    /// <returns>A task that completes when the message is queued.</returns>
    /// <exception cref="ArgumentException">The tool call id is empty.</exception>
    /// <exception cref="ConversationSessionException">The session is closed.</exception>
    public ValueTask SendToolResultAsync(string toolCallId, string result, bool isError = false, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(toolCallId);
        ArgumentNullException.ThrowIfNull(result);
        ThrowIfClosed();
        return EnqueueAsync(_control, ClientMessages.ClientToolResult(toolCallId, result, isError), cancellationToken);
    }

    /// <summary>Likes or dislikes one of the agent's responses (<c>feedback</c>).</summary>
    /// <param name="eventId">The <see cref="AgentResponseEvent.EventId"/> of the response.</param>
    /// <param name="score">The feedback.</param>
    /// <param name="cancellationToken">Stops waiting for room in the queue.</param>
    /// <returns>A task that completes when the message is queued.</returns>
    /// <exception cref="ConversationSessionException">The session is closed.</exception>
    public ValueTask SendFeedbackAsync(long eventId, ConversationFeedbackScore score, CancellationToken cancellationToken = default)
    {
        ThrowIfClosed();
        return EnqueueAsync(_control, ClientMessages.Feedback(eventId, score), cancellationToken);
    }

    /// <summary>Approves or rejects an MCP tool call the agent asked approval for (<c>mcp_tool_approval_result</c>).</summary>
    /// <param name="toolCallId">The id of the tool call.</param>
    /// <param name="isApproved">True to let the tool run.</param>
    /// <param name="cancellationToken">Stops waiting for room in the queue.</param>
    /// <returns>A task that completes when the message is queued.</returns>
    /// <exception cref="ArgumentException">The tool call id is empty.</exception>
    /// <exception cref="ConversationSessionException">The session is closed.</exception>
    public ValueTask SendMcpToolApprovalAsync(string toolCallId, bool isApproved, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(toolCallId);
        ThrowIfClosed();
        return EnqueueAsync(_control, ClientMessages.McpToolApprovalResult(toolCallId, isApproved), cancellationToken);
    }

    /// <summary>
    /// Reads the agent's events in arrival order until the session closes; the last one is a <see cref="ConversationClosedEvent"/> with the
    /// close code and text. Read from one loop at a time; stopping the loop does not close the session.
    /// </summary>
    /// <param name="cancellationToken">Stops the enumeration (the session stays open).</param>
    /// <returns>The events.</returns>
    /// <exception cref="ConversationSessionException">
    /// The connection dropped without a close (<see cref="ConversationSessionError.ConnectionLost"/>), a message was too large, or the
    /// event buffer overflowed; the events that arrived before are returned first.
    /// </exception>
    public async IAsyncEnumerable<ConversationEvent> ReadEventsAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var reader = _events.Reader;
        while (await reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
        {
            while (reader.TryRead(out var e))
            {
                if (e is AgentAudioEvent audio && audio.EventId <= Volatile.Read(ref _lastInterruptId))
                {
                    Interlocked.Increment(ref _droppedAudio);
                    continue;
                }

                yield return e;
            }
        }
    }

    /// <summary>
    /// Ends the conversation: sends what is queued, closes the socket with 1000 (normal) and waits for the agent to answer the close
    /// (at most <see cref="ConversationSessionOptions.CloseTimeout"/>, then the socket is aborted). <see cref="ReadEventsAsync"/> then ends
    /// with a <see cref="ConversationClosedEvent"/> whose reason has <see cref="ConversationCloseReason.ClosedByClient"/> set.
    /// </summary>
    /// <param name="cancellationToken">Stops waiting; the socket is aborted.</param>
    /// <returns>A task that completes when the socket is closed.</returns>
    public async Task EndAsync(CancellationToken cancellationToken = default)
    {
        RequestClose(new CloseRequest(WebSocketCloseStatus.NormalClosure, null, Drain: true));
        try
        {
            await _closed.Task.WaitAsync(_closeTimeout, _timeProvider, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            Log.SessionCloseTimedOut(_logger, ConversationId, _closeTimeout.TotalMilliseconds);
            await AbortAsync().ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            await AbortAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Ends the conversation like <see cref="EndAsync"/> if it is still open, then releases the socket and its buffers.</summary>
    /// <returns>A task that completes when everything is released.</returns>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        if (!_closed.Task.IsCompleted)
        {
            try
            {
                await EndAsync(CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is ConversationSessionException or WebSocketException or OperationCanceledException)
            {
                // Disposal releases whatever state the socket is in.
            }
        }
        else
        {
            // The agent closed first: let the writer send the answer to its close (bounded) before the socket is aborted, so the agent
            // sees a completed close handshake rather than a dropped connection.
            try
            {
                await _sendLoop.WaitAsync(_closeTimeout, _timeProvider, CancellationToken.None).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                Log.SessionCloseTimedOut(_logger, ConversationId, _closeTimeout.TotalMilliseconds);
            }
        }

        await AbortAsync().ConfigureAwait(false);
        _closeTimer?.Dispose();
        _socket.Dispose();
        _owned?.Dispose();
        _abort.Dispose();
        Interlocked.Decrement(ref _open);
    }

    private async Task AbortAsync()
    {
        try
        {
            await _abort.CancelAsync().ConfigureAwait(false);
        }
        catch (ObjectDisposedException)
        {
            return;
        }

        await _receiveLoop.ConfigureAwait(false);
        await _sendLoop.ConfigureAwait(false);
    }

    private void ThrowIfClosed()
    {
        if (Volatile.Read(ref _closeRequest) is not null || _closed.Task.IsCompleted)
        {
            throw ClosedException();
        }
    }

    private ConversationSessionException ClosedException() => new(
        ConversationSessionError.Closed,
        "The conversation is closed: nothing more can be sent." + (CloseReason is { } reason ? $" It closed with {reason.Code} ({reason.Kind})." : string.Empty),
        CloseReason,
        Volatile.Read(ref _fault))
    {
        ConversationId = ConversationId,
    };

    private ValueTask EnqueueAsync(Channel<OutgoingMessage> queue, OutgoingMessage message, CancellationToken cancellationToken)
    {
        if (queue.Writer.TryWrite(message))
        {
            WakeWriter();
            return default;
        }

        return EnqueueSlowAsync(queue, message, cancellationToken);
    }

    private async ValueTask EnqueueSlowAsync(Channel<OutgoingMessage> queue, OutgoingMessage message, CancellationToken cancellationToken)
    {
        try
        {
            await queue.Writer.WriteAsync(message, cancellationToken).ConfigureAwait(false);
        }
        catch (ChannelClosedException)
        {
            message.Release();
            throw ClosedException();
        }
        catch
        {
            message.Release();
            throw;
        }

        WakeWriter();
    }

    /// <summary>
    /// Wakes the writer loop if it is waiting. The writer marks itself idle, then looks at the queues once more before it waits, and
    /// whoever takes the idle mark back (the writer itself, or one producer) is the one who knows a wake is owed.
    /// </summary>
    private void WakeWriter()
    {
        if (Interlocked.CompareExchange(ref _writerIdle, 0, 1) == 1)
        {
            _wake.Writer.TryWrite(true);
        }
    }

    private void RequestClose(CloseRequest request)
    {
        if (Interlocked.CompareExchange(ref _closeRequest, request, null) is null)
        {
            _control.Writer.TryComplete();
            _audio.Writer.TryComplete();
            WakeWriter();
        }
    }

    private void Fail(ConversationSessionException fault, WebSocketCloseStatus status, string description)
    {
        if (Interlocked.CompareExchange(ref _fault, fault, null) is null)
        {
            RequestClose(new CloseRequest(status, description, Drain: false));
            // The agent has CloseTimeout to answer the close; then the socket is aborted.
            _closeTimer = _timeProvider.CreateTimer(static state => ((ConversationSession)state!).CancelAbort(), this, _closeTimeout, Timeout.InfiniteTimeSpan);
        }
    }

    private async Task SendLoopAsync()
    {
        try
        {
            while (true)
            {
                if (Volatile.Read(ref _closeRequest) is { } close && (!close.Drain || IsEmpty()))
                {
                    if (_socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
                    {
                        await _socket.CloseOutputAsync(close.Status, close.Description, _abort.Token).ConfigureAwait(false);
                    }

                    return;
                }

                if (_pongs.Reader.TryRead(out var message) || _control.Reader.TryRead(out message) || _audio.Reader.TryRead(out message))
                {
                    try
                    {
                        await _socket.SendAsync(message.Memory, WebSocketMessageType.Text, endOfMessage: true, _abort.Token).ConfigureAwait(false);
                    }
                    finally
                    {
                        message.Release();
                    }

                    _instruments.Sent(message.Type);
                    continue;
                }

                Interlocked.Exchange(ref _writerIdle, 1);
                if ((!IsEmpty() || Volatile.Read(ref _closeRequest) is not null) && Interlocked.Exchange(ref _writerIdle, 0) == 1)
                {
                    // Work arrived between the last look and the idle mark, and no producer took the mark: no wake is owed.
                    continue;
                }

                await _wake.Reader.ReadAsync().ConfigureAwait(false);
                _abort.Token.ThrowIfCancellationRequested();
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or WebSocketException or ObjectDisposedException or InvalidOperationException or IOException)
        {
            // The receive loop reports what happened to the connection; a failed send means it is gone or closing.
        }
        finally
        {
            _pongs.Writer.TryComplete();
            _control.Writer.TryComplete();
            _audio.Writer.TryComplete();
            Drain(_pongs);
            Drain(_control);
            Drain(_audio);
        }
    }

    private bool IsEmpty() => !_pongs.Reader.TryPeek(out _) && !_control.Reader.TryPeek(out _) && !_audio.Reader.TryPeek(out _);

    private static void Drain(Channel<OutgoingMessage> queue)
    {
        while (queue.Reader.TryRead(out var message))
        {
            message.Release();
        }
    }

    private async Task ReceiveLoopAsync()
    {
        byte[]? buffer = null;
        Exception? error = null;
        try
        {
            while (true)
            {
                // Waits for the next message with an empty buffer (a zero-byte read takes nothing of it), so a session holds no
                // receive buffer between messages, which is most of a call; the pooled buffer is rented once a message is there.
                var result = await _socket.ReceiveAsync(Memory<byte>.Empty, _abort.Token).ConfigureAwait(false);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    return;
                }

                buffer = RealtimeBuffers.Rent(InitialReceiveBufferSize);
                var count = 0;
                while (!result.EndOfMessage)
                {
                    var limit = Math.Min(buffer.Length, _maxMessageBytes);
                    if (count == limit)
                    {
                        if (limit >= _maxMessageBytes)
                        {
                            // Too large: fail clearly, then read the rest of it into the same buffer and throw it away.
                            if (Volatile.Read(ref _fault) is null)
                            {
                                Log.SessionMessageTooLarge(_logger, ConversationId, _maxMessageBytes);
                                Fail(
                                    new ConversationSessionException(
                                        ConversationSessionError.MessageTooLarge,
                                        $"The agent sent a message larger than ConversationSessionOptions.MaxMessageBytes ({_maxMessageBytes} bytes); the session was closed with 1009.")
                                    { ConversationId = ConversationId },
                                    WebSocketCloseStatus.MessageTooBig,
                                    "message too large");
                            }

                            count = 0;
                        }
                        else
                        {
                            var bigger = RealtimeBuffers.Rent(Math.Min(buffer.Length * 2, _maxMessageBytes));
                            buffer.AsSpan(0, count).CopyTo(bigger);
                            RealtimeBuffers.Return(buffer);
                            buffer = bigger;
                        }

                        limit = Math.Min(buffer.Length, _maxMessageBytes);
                    }

                    result = await _socket.ReceiveAsync(buffer.AsMemory(count, limit - count), _abort.Token).ConfigureAwait(false);
                    if (result.MessageType == WebSocketMessageType.Close)
                    {
                        return;
                    }

                    count += result.Count;
                }

                if (Volatile.Read(ref _fault) is null)
                {
                    Dispatch(buffer.AsMemory(0, count));
                }

                RealtimeBuffers.Return(buffer);
                buffer = null;
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or WebSocketException or IOException or ObjectDisposedException or InvalidOperationException)
        {
            error = ex;
        }
        finally
        {
            if (buffer is not null)
            {
                RealtimeBuffers.Return(buffer);
            }

            Finish(error);
        }
    }

    private void Dispatch(ReadOnlyMemory<byte> frame)
    {
        if (_audioSink is { } sink
            && ServerMessageParser.ScanAudio(frame.Span, out var audioEventId, out var audioStart, out var audioLength, out var escaped) == AudioScan.Audio)
        {
            _instruments.Received(ConversationMessageTypes.Audio);
            if (audioEventId <= Volatile.Read(ref _lastInterruptId))
            {
                Interlocked.Increment(ref _droppedAudio);
                return;
            }

            DeliverAudio(sink, frame.Span, audioStart, audioLength, escaped, audioEventId);
            return;
        }

        var message = ServerMessageParser.Parse(frame);
        switch (message.Kind)
        {
            case ServerMessageKind.Ping:
                var pong = ClientMessages.Pong(message.PingEventId);
                if (_pongs.Writer.TryWrite(pong))
                {
                    WakeWriter();
                }
                else
                {
                    pong.Release();
                }

                _instruments.Received(ConversationMessageTypes.Ping);
                if (message.PingMs is { } pingMs)
                {
                    _instruments.PingLatency.Record(pingMs / 1000.0);
                }

                return;
            case ServerMessageKind.Malformed:
                Log.SessionMalformedMessage(_logger, ConversationId, frame.Length);
                return;
        }

        var e = message.Event!;
        _instruments.Received(e is UnknownConversationEvent ? "unknown" : e.Type);
        switch (e)
        {
            case ConversationStartedEvent started:
                if (_audioSink is { } startedSink && !_started.Task.IsCompleted)
                {
                    // Before StartAsync returns: the sink has checked the formats by the time the caller goes on.
                    CallSink(static (s, e) => s.OnStarted(e), startedSink, started);
                }

                if (_started.TrySetResult(started))
                {
                    _activity?.SetTag(ConvAiTelephonyDiagnostics.ConversationIdTag, started.ConversationId);
                    Log.SessionStarted(_logger, started.ConversationId, AgentId);
                }

                break;
            case InterruptionEvent interruption:
                if (interruption.EventId > Volatile.Read(ref _lastInterruptId))
                {
                    // Only the receive loop writes it.
                    Volatile.Write(ref _lastInterruptId, interruption.EventId);
                }

                if (_audioSink is { } interruptedSink)
                {
                    CallSink(static (s, e) => s.OnInterruption(e.EventId), interruptedSink, interruption);
                }

                break;
            case AgentAudioEvent when _audioSink is not null:
                // An audio message the pass-through scan could not read is not handed to the sink as an event either.
                return;
            case AgentAudioEvent audio when audio.EventId <= Volatile.Read(ref _lastInterruptId):
                Interlocked.Increment(ref _droppedAudio);
                return;
            case ConversationErrorEvent error:
                _lastError = error;
                break;
        }

        Publish(e);
    }

    private void DeliverAudio(ConversationAudioSink sink, ReadOnlySpan<byte> frame, int start, int length, bool escaped, long eventId)
    {
        byte[]? unescaped = null;
        try
        {
            var audio = frame.Slice(start, length);
            if (escaped)
            {
                // A JSON encoder may write '/' as "\/": unescape into a pooled copy (rare; base64 has nothing else to escape).
                unescaped = RealtimeBuffers.Rent(length);
                var quoted = new System.Text.Json.Utf8JsonReader(frame.Slice(start - 1, length + 2));
                quoted.Read();
                audio = unescaped.AsSpan(0, quoted.CopyString(unescaped));
            }

            sink.OnAudio(audio, eventId);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            Log.SessionAudioSinkFailed(_logger, ex, ConversationId);
        }
        finally
        {
            if (unescaped is not null)
            {
                RealtimeBuffers.Return(unescaped);
            }
        }
    }

    private void CallSink<T>(Action<ConversationAudioSink, T> call, ConversationAudioSink sink, T argument)
    {
        try
        {
            call(sink, argument);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            Log.SessionAudioSinkFailed(_logger, ex, ConversationId);
        }
    }

    private void Publish(ConversationEvent e)
    {
        if (_events.Reader.Count >= _eventCapacity)
        {
            if (_overflow == ConversationEventOverflow.DropOldest)
            {
                if (_events.Reader.TryRead(out _))
                {
                    Interlocked.Increment(ref _droppedEvents);
                }
            }
            else
            {
                Log.SessionEventBufferOverflow(_logger, ConversationId, _eventCapacity);
                Fail(
                    new ConversationSessionException(
                        ConversationSessionError.EventBufferOverflow,
                        $"The agent's events were not read fast enough: the buffer of {_eventCapacity} events (ConversationSessionOptions.EventBufferCapacity) was full, so the session was closed with 1011.")
                    { ConversationId = ConversationId },
                    WebSocketCloseStatus.InternalServerError,
                    "event buffer overflow");
                return;
            }
        }

        _events.Writer.TryWrite(e);
    }

    private void Finish(Exception? error)
    {
        var request = Volatile.Read(ref _closeRequest);
        var fault = Volatile.Read(ref _fault);
        ConversationCloseReason? reason = null;
        if (_socket.CloseStatus is { } status)
        {
            reason = new ConversationCloseReason
            {
                Code = (int)status,
                Description = string.IsNullOrEmpty(_socket.CloseStatusDescription) ? null : _socket.CloseStatusDescription,
                ErrorType = _lastError?.ErrorType,
                ErrorMessage = _lastError?.Message,
                ClosedByClient = request is not null,
            };

            // The agent closed first: answer its close (the writer sends it and stops).
            RequestClose(new CloseRequest(status, _socket.CloseStatusDescription, Drain: false));
        }
        else if (request is not null && fault is null)
        {
            // We asked to close and the agent never answered: the socket was aborted.
            reason = new ConversationCloseReason { Code = 1006, Description = "The agent did not answer the close; the socket was aborted.", ClosedByClient = true };
        }

        Volatile.Write(ref _closeReason, reason);
        WakeWriter();
        if (reason is null || fault is not null)
        {
            // Nothing more can be sent: stop the writer now.
            CancelAbort();
        }

        Exception? completion = fault;
        if (completion is null && reason is null)
        {
            var what = error is WebSocketException ws ? $"WebSocketError.{ws.WebSocketErrorCode}" : error?.GetType().Name ?? "no close frame";
            completion = new ConversationSessionException(
                ConversationSessionError.ConnectionLost,
                $"The connection to the agent dropped without a WebSocket close ({what}); the session does not reconnect.",
                null,
                error)
            { ConversationId = ConversationId };
            Log.SessionConnectionLost(_logger, ConversationId, error ?? completion);
        }

        if (completion is null)
        {
            _events.Writer.TryWrite(new ConversationClosedEvent { Reason = reason! });
            _events.Writer.TryComplete();
            Log.SessionClosed(_logger, ConversationId, reason!.Code, reason.Kind, reason.ClosedByClient ? "client" : "agent");
        }
        else
        {
            _events.Writer.TryComplete(completion);
        }

        if (!_started.Task.IsCompleted)
        {
            var startError = completion as ConversationSessionException ?? new ConversationSessionException(
                ConversationSessionError.StartRejected,
                $"The agent closed the socket with {reason!.Code} ({reason.Kind}) before the conversation started"
                + (reason.Description is null ? "." : $": {reason.Description}."),
                reason);
            _started.TrySetException(startError);
            _ = _started.Task.Exception;
        }

        if (_activity is not null)
        {
            if (reason is not null)
            {
                _activity.SetTag(ConvAiTelephonyDiagnostics.CloseCodeTag, reason.Code);
            }

            if (completion is not null || reason is { Kind: not ConversationCloseKind.Normal })
            {
                _activity.SetStatus(ActivityStatusCode.Error, completion?.GetType().Name ?? reason!.Kind.ToString());
            }

            _activity.Stop();
        }

        _instruments.Active.Add(-1);
        _closed.TrySetResult();
    }

    private void CancelAbort()
    {
        try
        {
            _abort.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // Already released.
        }
    }

    private sealed record CloseRequest(WebSocketCloseStatus Status, string? Description, bool Drain);
}
