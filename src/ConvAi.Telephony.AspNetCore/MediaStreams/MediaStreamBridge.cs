using System.Net.WebSockets;
using System.Text;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;

namespace ConvAi.Telephony.AspNetCore;

/// <summary>
/// One call between a Twilio media stream and the agent. Three loops and no shared writer: the Twilio reader (this request's task) relays
/// caller audio to the session's queue; the session's receive loop hands agent audio, the start and interruptions to this object as an
/// <see cref="ConversationAudioSink"/>, which queues <c>media</c>+<c>mark</c> and <c>clear</c> for the Twilio writer loop; the agent
/// event loop feeds the hooks, which run on a queue of their own (tool calls each on a task), never on the audio path.
/// </summary>
internal sealed class MediaStreamBridge : ConversationAudioSink
{
    private const int MaxHeldFrames = 500;
    private const int ReceiveBufferSize = 4096;
    private const int HookQueueCapacity = 256;
    private static readonly TimeSpan CloseHandshakeTimeout = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan EndedHookTimeout = TimeSpan.FromSeconds(10);

    private readonly WebSocket _twilio;
    private readonly ConvAiTwilioBridgeHandler _handler;
    private readonly IConvAiTelephonyClient _client;
    private readonly ConvAiTwilioBridgeOptions _options;
    private readonly string? _agentId;
    private readonly LiveCallRegistry _registry;
    private readonly MediaStreamTokens _tokens;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    // Without a reachable bound (the sink never waits or drops), but a bounded channel: its storage grows with what is queued, where an
    // unbounded channel allocates a 32-slot segment up front (about 1.4 KB per call).
    private readonly Channel<TwilioOutgoing> _out = Channel.CreateBounded<TwilioOutgoing>(new BoundedChannelOptions(int.MaxValue) { SingleReader = true });
    private readonly Channel<HookWork> _hooks = Channel.CreateBounded<HookWork>(new BoundedChannelOptions(HookQueueCapacity) { SingleReader = true, FullMode = BoundedChannelFullMode.DropWrite });
    private readonly Channel<bool> _markSignal = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private readonly TaskCompletionSource<LiveCallEnd> _end = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _startReceived = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource _callCts = new();
    private readonly List<Task> _tools = [];
    private readonly Queue<(byte[] Buffer, int Length)> _held = new();
    private Task<ConversationSession?>? _connect;
    private Task? _agentTask;
    private volatile ConversationSession? _session;
    private LiveCall? _call;
    private string? _conversationId;
    private byte[]? _mediaPrefix;
    private byte[]? _markPrefix;
    private byte[]? _clear;
    private volatile bool _audioReady;
    private bool _flushed;
    private volatile bool _endingByApplication;
    private long _generation;
    private long _markCounter;
    private long _marksSent;
    private long _marksAcked;
    private long _heldDropped;
    private long _queuedAudio;
    private long _hooksDropped;
    private WebSocketCloseStatus _closeStatus = WebSocketCloseStatus.NormalClosure;
    private string _closeDescription = "The conversation ended.";

    public MediaStreamBridge(
        WebSocket twilio,
        ConvAiTwilioBridgeHandler handler,
        IConvAiTelephonyClient client,
        ConvAiTwilioBridgeOptions options,
        string? agentId,
        LiveCallRegistry registry,
        MediaStreamTokens tokens,
        ILogger logger,
        TimeProvider time)
    {
        _twilio = twilio;
        _handler = handler;
        _client = client;
        _options = options;
        _agentId = agentId;
        _registry = registry;
        _tokens = tokens;
        _logger = logger;
        _time = time;
    }

    /// <summary>Gets a task that completes when the call is over and everything is released.</summary>
    public Task Completion => _completion.Task;

    public string? ConversationId => Volatile.Read(ref _conversationId);

    /// <summary>Gets the number of <c>mark</c>s sent to Twilio and echoed back, for tests.</summary>
    public (long Sent, long Acked) Marks => (Interlocked.Read(ref _marksSent), Interlocked.Read(ref _marksAcked));

    public async Task RunAsync()
    {
        var writer = Task.Run(WriteLoopAsync);
        var reader = Task.Run(ReadLoopAsync);
        var startWatch = WatchStartAsync();
        var hooks = Task.Run(HookLoopAsync);
        LiveCallEnd end;
        try
        {
            end = await _end.Task.ConfigureAwait(false);
            if (end.EndedBy is LiveCallEndedBy.Agent or LiveCallEndedBy.Application && end.Error == LiveCallError.None)
            {
                // The agent's last words: wait until Twilio has played (marked) everything sent, bounded.
                await DrainMarksAsync(reader).ConfigureAwait(false);
            }

            (_closeStatus, _closeDescription) = CloseFor(end);
            _out.Writer.TryComplete();
            await WaitAsync(writer, CloseHandshakeTimeout).ConfigureAwait(false);
            // Twilio answers the close; then the reader ends. Past the wait, the socket is aborted.
            await WaitAsync(reader, CloseHandshakeTimeout).ConfigureAwait(false);
            if (reader.IsCompleted && _twilio.State == WebSocketState.CloseSent)
            {
                // The reader stopped first (a refused or malformed stream): read up to Twilio's close answer, so aborting the
                // connection cannot discard the close frame before Twilio has read it.
                await WaitAsync(ReadUntilCloseAsync(), CloseHandshakeTimeout).ConfigureAwait(false);
            }
        }
        finally
        {
            await _callCts.CancelAsync().ConfigureAwait(false);
            _out.Writer.TryComplete();
            _twilio.Abort();
            await Quietly(writer).ConfigureAwait(false);
            await Quietly(reader).ConfigureAwait(false);
            await Quietly(startWatch).ConfigureAwait(false);

            var session = _session;
            if (_connect is { } connect)
            {
                session = await Quietly(connect).ConfigureAwait(false) ?? session;
            }

            if (session is not null)
            {
                await session.DisposeAsync().ConfigureAwait(false);
            }

            if (_agentTask is { } agentTask)
            {
                await Quietly(agentTask).ConfigureAwait(false);
            }

            _hooks.Writer.TryComplete();
            await Quietly(hooks).ConfigureAwait(false);
            Task[] tools;
            lock (_tools)
            {
                tools = [.. _tools];
            }

            await Quietly(Task.WhenAll(tools)).ConfigureAwait(false);
            ReleaseHeld();
            end = _end.Task.IsCompleted ? _end.Task.Result : new LiveCallEnd { EndedBy = LiveCallEndedBy.Bridge, Message = "The bridge stopped." };
            if (Interlocked.Read(ref _hooksDropped) is > 0 and var dropped)
            {
                MediaStreamLog.HooksDropped(_logger, _call?.CallSid, dropped);
            }

            if (Interlocked.Read(ref _heldDropped) is > 0 and var heldDropped)
            {
                MediaStreamLog.HeldAudioDropped(_logger, _call?.CallSid, heldDropped);
            }

            MediaStreamLog.CallEnded(_logger, _call?.CallSid, end.EndedBy, end.Error, end.Message);
            if (_call is { } call)
            {
                _registry.Remove(call);
                await CallEndedHookAsync(call, end with { ConversationId = ConversationId, CallSid = call.CallSid }).ConfigureAwait(false);
            }

            _callCts.Dispose();
            _completion.TrySetResult();
        }
    }

    /// <summary>Ends the call with the first reason given; later reasons are ignored.</summary>
    private void End(LiveCallEndedBy endedBy, LiveCallError error, string message, ConversationCloseReason? agentClose = null) =>
        _end.TrySetResult(new LiveCallEnd
        {
            EndedBy = endedBy,
            Error = error,
            Message = message,
            CallSid = _call?.CallSid ?? string.Empty,
            AgentCloseReason = agentClose,
        });

    public void EndOnShutdown() => End(LiveCallEndedBy.Shutdown, LiveCallError.None, "The app stopped and the call outlived the shutdown timeout.");

    public void RecordHandOff(string callSid, string target) => _registry.RecordHandOff(callSid, target);

    public async ValueTask<LiveCallSendResult> SendAsync(Func<ConversationSession, string, CancellationToken, ValueTask> send, string text, CancellationToken cancellationToken)
    {
        if (_session is not { ConversationId: not null } session || _end.Task.IsCompleted)
        {
            return LiveCallSendResult.Ended;
        }

        try
        {
            await send(session, text, cancellationToken).ConfigureAwait(false);
            return LiveCallSendResult.Sent;
        }
        catch (ConversationSessionException)
        {
            return LiveCallSendResult.Ended;
        }
    }

    public async Task<LiveCallSendResult> EndByApplicationAsync(CancellationToken cancellationToken)
    {
        if (_end.Task.IsCompleted)
        {
            return LiveCallSendResult.Ended;
        }

        _endingByApplication = true;
        if (_session is { } session)
        {
            // The agent socket's close comes back as the closed event, which ends the call (marks drained first).
            await session.EndAsync(cancellationToken).ConfigureAwait(false);
        }
        else
        {
            End(LiveCallEndedBy.Application, LiveCallError.None, "The application ended the call before the agent started.");
        }

        return LiveCallSendResult.Sent;
    }

    // ---- Twilio → agent ------------------------------------------------------------------------------------------------

    private async Task ReadLoopAsync()
    {
        byte[]? buffer = null;
        var token = _callCts.Token;
        try
        {
            while (true)
            {
                // Waits for the next message with an empty buffer (a zero-byte read takes nothing of it): between frames, which is
                // most of a call, the call holds no receive buffer; the pooled one is rented once a message is there.
                var result = await _twilio.ReceiveAsync(Memory<byte>.Empty, token).ConfigureAwait(false);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    End(LiveCallEndedBy.Caller, LiveCallError.None, "Twilio closed the stream.");
                    return;
                }

                buffer = MediaStreamBuffers.Rent(ReceiveBufferSize);
                var count = 0;
                while (!result.EndOfMessage)
                {
                    if (count == buffer.Length)
                    {
                        if (buffer.Length >= _options.MaxFrameBytes)
                        {
                            End(LiveCallEndedBy.Bridge, LiveCallError.FrameTooLarge, $"Twilio sent a message larger than ConvAi:TwilioBridge:MaxFrameBytes ({_options.MaxFrameBytes} bytes).");
                            return;
                        }

                        var bigger = MediaStreamBuffers.Rent(Math.Min(buffer.Length * 2, _options.MaxFrameBytes));
                        buffer.AsSpan(0, count).CopyTo(bigger);
                        MediaStreamBuffers.Return(buffer);
                        buffer = bigger;
                    }

                    var limit = Math.Min(buffer.Length, _options.MaxFrameBytes);
                    result = await _twilio.ReceiveAsync(buffer.AsMemory(count, limit - count), token).ConfigureAwait(false);
                    if (result.MessageType == WebSocketMessageType.Close)
                    {
                        End(LiveCallEndedBy.Caller, LiveCallError.None, "Twilio closed the stream.");
                        return;
                    }

                    count += result.Count;
                    if (!result.EndOfMessage && count >= _options.MaxFrameBytes)
                    {
                        End(LiveCallEndedBy.Bridge, LiveCallError.FrameTooLarge, $"Twilio sent a message larger than ConvAi:TwilioBridge:MaxFrameBytes ({_options.MaxFrameBytes} bytes).");
                        return;
                    }
                }

                if (result.MessageType != WebSocketMessageType.Text)
                {
                    End(LiveCallEndedBy.Bridge, LiveCallError.MalformedFrame, "Twilio sent a binary message; media-stream messages are JSON text.");
                    return;
                }

                var goOn = await HandleAsync(buffer, count, token).ConfigureAwait(false);
                MediaStreamBuffers.Return(buffer);
                buffer = null;
                if (!goOn)
                {
                    return;
                }
            }
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            // The call is over.
        }
        catch (Exception ex) when (ex is WebSocketException or IOException or ObjectDisposedException or InvalidOperationException)
        {
            End(LiveCallEndedBy.Caller, LiveCallError.None, "The stream's connection dropped.");
        }
        finally
        {
            if (buffer is not null)
            {
                MediaStreamBuffers.Return(buffer);
            }

            _markSignal.Writer.TryWrite(true);
        }
    }

    private async Task ReadUntilCloseAsync()
    {
        var buffer = MediaStreamBuffers.Rent(1024);
        try
        {
            while (_twilio.State == WebSocketState.CloseSent)
            {
                var result = await _twilio.ReceiveAsync(buffer.AsMemory(), CancellationToken.None).ConfigureAwait(false);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    return;
                }
            }
        }
        catch (Exception ex) when (ex is WebSocketException or IOException or ObjectDisposedException or OperationCanceledException)
        {
            // Gone already.
        }
        finally
        {
            MediaStreamBuffers.Return(buffer);
        }
    }

    /// <summary>Handles one message; false ends the read loop.</summary>
    private async ValueTask<bool> HandleAsync(byte[] buffer, int count, CancellationToken token)
    {
        var message = TwilioStreamMessages.Read(buffer.AsSpan(0, count));
        switch (message.Event)
        {
            case TwilioStreamEvent.Media:
                if (!message.IsInbound || _end.Task.IsCompleted)
                {
                    return true;
                }

                if (message.PayloadEscaped)
                {
                    End(LiveCallEndedBy.Bridge, LiveCallError.MalformedFrame, "Twilio sent a media payload that is not plain base64 text.");
                    return false;
                }

                var payload = buffer.AsMemory(message.PayloadStart, message.PayloadLength);
                lock (_held)
                {
                    if (!_flushed)
                    {
                        // Caller audio waits until the agent has started with checked formats (then it is flushed in order).
                        Hold(payload.Span);
                        return true;
                    }
                }

                if (_session is not { } session)
                {
                    return true;
                }

                try
                {
                    await session.SendAudioBase64Async(payload, token).ConfigureAwait(false);
                }
                catch (ArgumentException)
                {
                    End(LiveCallEndedBy.Bridge, LiveCallError.MalformedFrame, "Twilio sent a media payload that is not base64.");
                    return false;
                }
                catch (ConversationSessionException)
                {
                    // The agent side is closing; its closed event ends the call.
                }

                return true;
            case TwilioStreamEvent.Mark:
                if (message.MarkNumber > 0)
                {
                    Interlocked.Increment(ref _marksAcked);
                    _markSignal.Writer.TryWrite(true);
                }

                return true;
            case TwilioStreamEvent.Connected:
                _connect ??= ConnectAgentAsync();
                return true;
            case TwilioStreamEvent.Start:
                return OnStart(buffer.AsSpan(0, count), message.ObjectStart);
            case TwilioStreamEvent.Dtmf:
                if (_call is not null && TwilioStreamMessages.ReadDtmfDigit(buffer.AsSpan(0, count), message.ObjectStart) is { Length: > 0 } digit)
                {
                    EnqueueHook(new HookWork(HookKind.Dtmf, digit));
                }

                return true;
            case TwilioStreamEvent.Stop:
                End(LiveCallEndedBy.Caller, LiveCallError.None, "Twilio stopped the stream (the caller hung up or the call moved on).");
                return true;
            case TwilioStreamEvent.Unknown:
                return true;
            default:
                End(LiveCallEndedBy.Bridge, LiveCallError.MalformedFrame, "Twilio sent a message that is not a JSON object with a string event.");
                return false;
        }
    }

    private bool OnStart(ReadOnlySpan<byte> frame, int offset)
    {
        if (_call is not null)
        {
            return true;
        }

        var start = TwilioStreamMessages.ReadStart(frame, offset);
        if (start is null)
        {
            End(LiveCallEndedBy.Bridge, LiveCallError.MalformedFrame, "Twilio's start has no valid streamSid or callSid (letters and digits).");
            return false;
        }

        start.CustomParameters.Remove(MediaStreamTokens.ParameterName, out var token);
        var check = _tokens.Check(token, start.CallSid, start.CustomParameters);
        if (check != CallTokenCheck.Valid)
        {
            End(LiveCallEndedBy.Bridge, LiveCallError.InvalidStream, $"The stream's call token is {check.ToString().ToLowerInvariant()}: it was not opened by this app's voice webhook for call {start.CallSid}.");
            return false;
        }

        if ((start.Encoding is not null && start.Encoding != "audio/x-mulaw") || start.SampleRate is not (null or 8000) || start.Channels is not (null or 1))
        {
            End(LiveCallEndedBy.Bridge, LiveCallError.UnsupportedStreamFormat, "Twilio's start announced audio other than audio/x-mulaw at 8000 Hz, mono.");
            return false;
        }

        _mediaPrefix = TwilioStreamMessages.MediaPrefix(start.StreamSid);
        _markPrefix = TwilioStreamMessages.MarkPrefix(start.StreamSid);
        _clear = TwilioStreamMessages.Clear(start.StreamSid);
        var call = new LiveCall(this, start.CallSid, start.StreamSid, start.AccountSid, start.CustomParameters);
        if (!_registry.TryAdd(call))
        {
            End(LiveCallEndedBy.Bridge, LiveCallError.InvalidStream, $"Call {start.CallSid} already has a live stream on this instance.");
            return false;
        }

        Volatile.Write(ref _call, call);
        _startReceived.TrySetResult();
        MediaStreamLog.StreamStarted(_logger, call.CallSid, call.StreamSid);
        _connect ??= ConnectAgentAsync();
        _agentTask = StartAgentAsync(call);
        return true;
    }

    private void Hold(ReadOnlySpan<byte> payload)
    {
        if (_held.Count >= MaxHeldFrames && _held.TryDequeue(out var oldest))
        {
            MediaStreamBuffers.Return(oldest.Buffer);
            Interlocked.Increment(ref _heldDropped);
        }

        var copy = MediaStreamBuffers.Rent(payload.Length);
        payload.CopyTo(copy);
        _held.Enqueue((copy, payload.Length));
    }

    /// <summary>Sends the held caller audio in order; the reader holds new frames until the last held one is queued, then sends directly.</summary>
    private async Task FlushHeldAsync(ConversationSession session, CancellationToken token)
    {
        while (true)
        {
            (byte[] Buffer, int Length) held;
            lock (_held)
            {
                if (!_held.TryDequeue(out held))
                {
                    _flushed = true;
                    return;
                }
            }

            try
            {
                await session.SendAudioBase64Async(held.Buffer.AsMemory(0, held.Length), token).ConfigureAwait(false);
            }
            catch (ArgumentException)
            {
                End(LiveCallEndedBy.Bridge, LiveCallError.MalformedFrame, "Twilio sent a media payload that is not base64.");
                return;
            }
            catch (ConversationSessionException)
            {
                return;
            }
            finally
            {
                MediaStreamBuffers.Return(held.Buffer);
            }
        }
    }

    private void ReleaseHeld()
    {
        lock (_held)
        {
            _flushed = true;
            while (_held.TryDequeue(out var held))
            {
                MediaStreamBuffers.Return(held.Buffer);
            }
        }
    }

    private async Task WatchStartAsync()
    {
        try
        {
            await _startReceived.Task.WaitAsync(_options.StartTimeout, _time, _callCts.Token).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            End(LiveCallEndedBy.Bridge, LiveCallError.NoStart, $"Twilio's start did not arrive within ConvAi:TwilioBridge:StartTimeout ({_options.StartTimeout}).");
        }
    }

    // ---- the agent ------------------------------------------------------------------------------------------------------

    private async Task<ConversationSession?> ConnectAgentAsync()
    {
        try
        {
            var options = new ConversationSessionOptions { IsPublicAgent = _options.IsPublicAgent, AudioSink = this };
            var session = await _client.Conversations.ConnectSessionAsync(_agentId, options, _callCts.Token).ConfigureAwait(false);
            _session = session;
            return session;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            End(LiveCallEndedBy.Bridge, LiveCallError.AgentUnavailable, "Could not open the agent socket: " + ex.Message);
            return null;
        }
    }

    private async Task StartAgentAsync(LiveCall call)
    {
        var token = _callCts.Token;
        try
        {
            if (await _connect!.ConfigureAwait(false) is not { } session)
            {
                return;
            }

            ConversationInitiationClientData? data;
            try
            {
                data = await _handler.OnCallStartingAsync(call, token).ConfigureAwait(false);
            }
            catch (Exception ex) when (!token.IsCancellationRequested)
            {
                MediaStreamLog.HookFailed(_logger, ex, call.CallSid, nameof(ConvAiTwilioBridgeHandler.OnCallStartingAsync));
                End(LiveCallEndedBy.Bridge, LiveCallError.HandlerFailed, "The bridge handler's OnCallStartingAsync failed, so the agent could not start.");
                return;
            }

            try
            {
                await session.StartAsync(data, token).ConfigureAwait(false);
            }
            catch (ConversationSessionException ex)
            {
                End(LiveCallEndedBy.Agent, LiveCallError.AgentUnavailable, "The agent did not start the conversation: " + ex.Message, ex.CloseReason);
                return;
            }

            Volatile.Write(ref _conversationId, session.ConversationId);
            _registry.IndexConversation(call, session.ConversationId!);
            var loop = AgentLoopAsync(session, call);
            if (_audioReady)
            {
                await FlushHeldAsync(session, token).ConfigureAwait(false);
            }

            await loop.ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            // The call ended first.
        }
    }

    private async Task AgentLoopAsync(ConversationSession session, LiveCall call)
    {
        try
        {
            await foreach (var e in session.ReadEventsAsync(CancellationToken.None).ConfigureAwait(false))
            {
                switch (e)
                {
                    case UserTranscriptEvent transcript:
                        EnqueueHook(new HookWork(HookKind.Transcript, transcript));
                        break;
                    case AgentResponseEvent response:
                        EnqueueHook(new HookWork(HookKind.AgentResponse, response));
                        break;
                    case ClientToolCallEvent tool:
                        RunTool(session, call, tool);
                        break;
                    case ConversationClosedEvent closed:
                        if (_endingByApplication)
                        {
                            End(LiveCallEndedBy.Application, LiveCallError.None, "The application ended the call.", closed.Reason);
                        }
                        else if (closed.Reason.ClosedByClient)
                        {
                            End(LiveCallEndedBy.Bridge, LiveCallError.None, "The bridge closed the agent socket.", closed.Reason);
                        }
                        else
                        {
                            End(LiveCallEndedBy.Agent, LiveCallError.None, $"The agent ended the conversation ({closed.Reason.Code}, {closed.Reason.Kind}).", closed.Reason);
                        }

                        break;
                }
            }
        }
        catch (ConversationSessionException ex)
        {
            End(LiveCallEndedBy.Bridge, LiveCallError.AgentConnectionLost, "The agent socket failed: " + ex.Message, ex.CloseReason);
        }
    }

    public override void OnStarted(ConversationStartedEvent started)
    {
        if (started.AgentOutputAudioFormat == ConversationAudioFormat.Ulaw8000 && started.UserInputAudioFormat == ConversationAudioFormat.Ulaw8000)
        {
            _audioReady = true;
            return;
        }

        End(
            LiveCallEndedBy.Bridge,
            LiveCallError.UnsupportedAgentAudioFormat,
            $"The agent's audio is {Format(started.AgentOutputAudioFormat)} out and {Format(started.UserInputAudioFormat)} in; a Twilio media stream needs ulaw_8000 both ways. "
            + "In the agent's settings set the TTS output format (conversation_config.tts.agent_output_audio_format) and the user input audio format "
            + "(conversation_config.asr.user_input_audio_format) to μ-law 8000 Hz (ulaw_8000).");

        static string Format(ConversationAudioFormat? format) => format?.ToString() ?? "(not reported)";
    }

    // ---- agent → Twilio -------------------------------------------------------------------------------------------------

    public override void OnAudio(ReadOnlySpan<byte> audioBase64Utf8, long eventId)
    {
        if (!_audioReady || _mediaPrefix is not { } mediaPrefix || _markPrefix is not { } markPrefix)
        {
            return;
        }

        // One pooled array holds the media message and its mark, written around the payload by hand (no JSON writer, no string).
        var mark = Interlocked.Increment(ref _markCounter);
        var mediaLength = mediaPrefix.Length + audioBase64Utf8.Length + TwilioStreamMessages.MediaSuffix.Length;
        var buffer = MediaStreamBuffers.Rent(mediaLength + markPrefix.Length + 20 + TwilioStreamMessages.MarkSuffix.Length);
        var span = buffer.AsSpan();
        mediaPrefix.CopyTo(span);
        audioBase64Utf8.CopyTo(span[mediaPrefix.Length..]);
        TwilioStreamMessages.MediaSuffix.CopyTo(span[(mediaPrefix.Length + audioBase64Utf8.Length)..]);
        var position = mediaLength;
        markPrefix.CopyTo(span[position..]);
        position += markPrefix.Length;
        System.Buffers.Text.Utf8Formatter.TryFormat(mark, span[position..], out var digits);
        position += digits;
        TwilioStreamMessages.MarkSuffix.CopyTo(span[position..]);
        position += TwilioStreamMessages.MarkSuffix.Length;
        Interlocked.Increment(ref _queuedAudio);
        if (!_out.Writer.TryWrite(new TwilioOutgoing(buffer, mediaLength, position - mediaLength, Interlocked.Read(ref _generation))))
        {
            Interlocked.Decrement(ref _queuedAudio);
            MediaStreamBuffers.Return(buffer);
        }
    }

    public override void OnInterruption(long eventId)
    {
        if (_clear is not { } clear)
        {
            return;
        }

        // Audio queued before the interruption is dropped by the writer; clear flushes what Twilio has buffered.
        var generation = Interlocked.Increment(ref _generation);
        _out.Writer.TryWrite(new TwilioOutgoing(clear, clear.Length, 0, generation) { IsPooled = false });
    }

    private async Task WriteLoopAsync()
    {
        try
        {
            // No token on the wait (a wait with one allocates, once per frame here): the end of the call completes the queue instead.
            while (await _out.Reader.WaitToReadAsync().ConfigureAwait(false))
            {
                while (_out.Reader.TryRead(out var item))
                {
                    if (item.MarkLength > 0)
                    {
                        Interlocked.Decrement(ref _queuedAudio);
                    }

                    try
                    {
                        if (item.MarkLength > 0 && item.Generation < Interlocked.Read(ref _generation))
                        {
                            continue;
                        }

                        await _twilio.SendAsync(item.Buffer.AsMemory(0, item.Length), WebSocketMessageType.Text, true, _callCts.Token).ConfigureAwait(false);
                        if (item.MarkLength > 0)
                        {
                            Interlocked.Increment(ref _marksSent);
                            await _twilio.SendAsync(item.Buffer.AsMemory(item.Length, item.MarkLength), WebSocketMessageType.Text, true, _callCts.Token).ConfigureAwait(false);
                        }
                    }
                    finally
                    {
                        if (item.IsPooled)
                        {
                            MediaStreamBuffers.Return(item.Buffer);
                        }
                    }
                }
            }

            if (_twilio.State is WebSocketState.Open or WebSocketState.CloseReceived)
            {
                await _twilio.CloseOutputAsync(_closeStatus, _closeDescription, _callCts.Token).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or WebSocketException or IOException or ObjectDisposedException or InvalidOperationException)
        {
            End(LiveCallEndedBy.Caller, LiveCallError.None, "The stream's connection dropped.");
        }
        finally
        {
            _out.Writer.TryComplete();
            _markSignal.Writer.TryWrite(true);
            while (_out.Reader.TryRead(out var left))
            {
                if (left.IsPooled)
                {
                    MediaStreamBuffers.Return(left.Buffer);
                }
            }
        }
    }

    /// <summary>Gets a value indicating whether the agent has ended and the bridge is waiting for Twilio's marks, for tests.</summary>
    public bool IsDrainingMarks { get; private set; }

    private async Task DrainMarksAsync(Task reader)
    {
        IsDrainingMarks = true;
        using var limit = new CancellationTokenSource(_options.MarkDrainTimeout, _time);
        try
        {
            while (!reader.IsCompleted
                && (Interlocked.Read(ref _queuedAudio) > 0 || Interlocked.Read(ref _marksSent) > Interlocked.Read(ref _marksAcked)))
            {
                await _markSignal.Reader.ReadAsync(limit.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
            // Bounded: the stream closes anyway.
        }
    }

    private static (WebSocketCloseStatus, string) CloseFor(LiveCallEnd end) => end.Error switch
    {
        LiveCallError.InvalidStream => (WebSocketCloseStatus.PolicyViolation, "Refused: invalid call token."),
        LiveCallError.NoStart => (WebSocketCloseStatus.PolicyViolation, "Refused: no start message."),
        LiveCallError.UnsupportedStreamFormat => (WebSocketCloseStatus.PolicyViolation, "Refused: audio must be audio/x-mulaw 8000."),
        LiveCallError.FrameTooLarge => (WebSocketCloseStatus.MessageTooBig, "Message too large."),
        LiveCallError.MalformedFrame => (WebSocketCloseStatus.InvalidPayloadData, "Malformed message."),
        LiveCallError.UnsupportedAgentAudioFormat => (WebSocketCloseStatus.InternalServerError, "The agent's audio format is not ulaw_8000."),
        LiveCallError.None when end.EndedBy == LiveCallEndedBy.Shutdown => (WebSocketCloseStatus.EndpointUnavailable, "The server is shutting down."),
        LiveCallError.None => (WebSocketCloseStatus.NormalClosure, "The conversation ended."),
        _ => (WebSocketCloseStatus.InternalServerError, "The agent is unavailable."),
    };

    // ---- hooks ----------------------------------------------------------------------------------------------------------

    private void EnqueueHook(HookWork work)
    {
        if (!_hooks.Writer.TryWrite(work))
        {
            Interlocked.Increment(ref _hooksDropped);
        }
    }

    private async Task HookLoopAsync()
    {
        var token = _callCts.Token;
        await foreach (var work in _hooks.Reader.ReadAllAsync(CancellationToken.None).ConfigureAwait(false))
        {
            if (token.IsCancellationRequested || _call is not { } call)
            {
                continue;
            }

            try
            {
                await (work.Kind switch
                {
                    HookKind.Transcript => _handler.OnTranscriptAsync(call, (UserTranscriptEvent)work.Payload, token),
                    HookKind.AgentResponse => _handler.OnAgentResponseAsync(call, (AgentResponseEvent)work.Payload, token),
                    _ => _handler.OnDtmfAsync(call, (string)work.Payload, token),
                }).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                if (!token.IsCancellationRequested)
                {
                    MediaStreamLog.HookFailed(_logger, ex, call.CallSid, work.Kind switch
                    {
                        HookKind.Transcript => nameof(ConvAiTwilioBridgeHandler.OnTranscriptAsync),
                        HookKind.AgentResponse => nameof(ConvAiTwilioBridgeHandler.OnAgentResponseAsync),
                        _ => nameof(ConvAiTwilioBridgeHandler.OnDtmfAsync),
                    });
                }
            }
        }
    }

    private void RunTool(ConversationSession session, LiveCall call, ClientToolCallEvent tool)
    {
        var task = Task.Run(async () =>
        {
            var token = _callCts.Token;
            ClientToolResult result;
            try
            {
                result = await _handler.OnClientToolCallAsync(call, tool, token).ConfigureAwait(false)
                    ?? ClientToolResult.Error("The tool returned no result.");
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                if (token.IsCancellationRequested)
                {
                    return;
                }

                MediaStreamLog.ToolFailed(_logger, ex, call.CallSid, tool.ToolName);
                result = ClientToolResult.Error($"The tool '{tool.ToolName}' failed.");
            }

            try
            {
                await session.SendToolResultAsync(tool.ToolCallId, result.Result, result.IsError, token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is ConversationSessionException or OperationCanceledException)
            {
                // The conversation ended while the tool ran.
            }
        });
        lock (_tools)
        {
            _tools.RemoveAll(t => t.IsCompleted);
            _tools.Add(task);
        }
    }

    private async Task CallEndedHookAsync(LiveCall call, LiveCallEnd end)
    {
        using var limit = new CancellationTokenSource(EndedHookTimeout, _time);
        try
        {
            await _handler.OnCallEndedAsync(call, end, limit.Token).AsTask().WaitAsync(limit.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            MediaStreamLog.HookFailed(_logger, ex, call.CallSid, nameof(ConvAiTwilioBridgeHandler.OnCallEndedAsync));
        }
    }

    private async Task WaitAsync(Task task, TimeSpan timeout)
    {
        try
        {
            await task.WaitAsync(timeout, _time, CancellationToken.None).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // Aborted below.
        }
    }

    /// <summary>Awaits a loop of this call during cleanup: whatever it threw, the rest of the cleanup runs (the loops report their own errors).</summary>
    private async Task Quietly(Task task)
    {
        try
        {
            await task.ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            if (ex is not (OperationCanceledException or WebSocketException or IOException or ObjectDisposedException or ConversationSessionException))
            {
                MediaStreamLog.HookFailed(_logger, ex, _call?.CallSid, "the bridge");
            }
        }
    }

    private static async Task<T?> Quietly<T>(Task<T?> task)
    {
        try
        {
            return await task.ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            return default;
        }
    }

    private enum HookKind
    {
        Transcript,
        AgentResponse,
        Dtmf,
    }

    private readonly record struct HookWork(HookKind Kind, object Payload);

    /// <summary>A message for Twilio: a pooled <c>media</c> message followed by its <c>mark</c> (<see cref="MarkLength"/> bytes), or a <c>clear</c>.</summary>
    private readonly record struct TwilioOutgoing(byte[] Buffer, int Length, int MarkLength, long Generation)
    {
        public bool IsPooled { get; init; } = true;
    }
}
