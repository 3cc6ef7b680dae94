using System.Globalization;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Channels;

namespace ConvAi.Telephony.Testing;

/// <summary>
/// One conversation on the emulator's agent socket, played from an <see cref="EmulatedAgent"/> script: initiation data in,
/// <c>conversation_initiation_metadata</c> out, the first message, then one reply per user turn (typed with <c>user_message</c> or
/// spoken: caller audio over the energy threshold followed by silence), with client tool calls, interruptions, pings, and the end.
/// The finished session is a conversation like a call's: listed, readable with its transcript, with its post-call webhook.
/// </summary>
internal sealed class AgentSocketSession
{
    private static readonly TimeSpan SpeechToInterrupt = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan SilenceEndsTurn = TimeSpan.FromMilliseconds(500);

    private readonly WebSocket _socket;
    private readonly string _agentId;
    private readonly EmulatedAgent _agent;
    private readonly EmulatorState _state;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private readonly Channel<string> _userTurns = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Dictionary<long, long> _pendingPings = [];
    private readonly object _gate = new();
    private readonly byte[] _receiveBuffer = new byte[16 * 1024];
    private readonly Dictionary<string, string> _variables = new(StringComparer.Ordinal);
    private ConversationRecord? _conversation;
    private CancellationTokenSource? _speech;
    private long _speechEventId;
    private DateTimeOffset _playingUntil;
    private TaskCompletionSource<string>? _pendingTool;
    private string? _pendingToolCallId;
    private long _eventId;
    private long? _lastPingMs;
    private bool _closeSent;
    private bool _textOnly;
    private TimeSpan _speechHeard;
    private TimeSpan _silenceHeard;
    private ConversationAudioFormat _inputFormat;

    public AgentSocketSession(WebSocket socket, string agentId, EmulatedAgent agent, EmulatorState state)
    {
        _socket = socket;
        _agentId = agentId;
        _agent = agent;
        _state = state;
        _time = state.TimeProvider;
        _inputFormat = agent.UserInputAudioFormat;
    }

    private bool Pacing => _state.Options.PaceAgentAudio;

    public async Task RunAsync(CancellationToken aborted)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(aborted);
        Task? pings = null;
        Task? turns = null;
        try
        {
            var first = await ReceiveAsync(stop.Token).ConfigureAwait(false);
            var firstReceived = System.Diagnostics.Stopwatch.GetTimestamp(); // for the benchmark echo's greeting
            if (first is null)
            {
                return;
            }

            var isInitiation = Type(first) == "conversation_initiation_client_data";
            var clientData = isInitiation ? (JsonObject)first.DeepClone() : null;
            clientData?.Remove("type");
            if (!Initiate(clientData, out var firstMessage, out var missing))
            {
                await SendAsync(new JsonObject
                {
                    ["type"] = "error",
                    ["error_event"] = new JsonObject
                    {
                        ["code"] = 1008,
                        ["message"] = "Missing required dynamic variables: " + string.Join(", ", missing),
                        ["error_type"] = "missing_dynamic_variable",
                        ["reason"] = "Missing required dynamic variables",
                    },
                }).ConfigureAwait(false);
                await CloseAsync(WebSocketCloseStatus.PolicyViolation, "Missing required dynamic variables: " + string.Join(", ", missing)).ConfigureAwait(false);
                await DrainAsync(stop.Token).ConfigureAwait(false);
                return;
            }

            lock (_state.Gate)
            {
                _conversation = _state.BeginSession(_agentId, clientData, _textOnly);
            }

            _variables["system__conversation_id"] = _conversation.ConversationId;
            _variables["system__agent_id"] = _agentId;
            await SendAsync(new JsonObject
            {
                ["type"] = "conversation_initiation_metadata",
                ["conversation_initiation_metadata_event"] = new JsonObject
                {
                    ["conversation_id"] = _conversation.ConversationId,
                    ["agent_output_audio_format"] = _agent.AgentOutputAudioFormat.Value,
                    ["user_input_audio_format"] = _agent.UserInputAudioFormat.Value,
                },
            }).ConfigureAwait(false);

            if (_state.Options.BenchmarkEcho)
            {
                await AgentBenchmarkEcho.RunAsync(_socket, _sendLock, isInitiation ? firstReceived : null, stop.Token).ConfigureAwait(false);
                return;
            }

            pings = PingLoopAsync(stop.Token);
            turns = TurnLoopAsync(firstMessage, stop.Token);
            if (!isInitiation)
            {
                await HandleAsync(first).ConfigureAwait(false);
            }

            while (await ReceiveAsync(stop.Token).ConfigureAwait(false) is { } message)
            {
                await HandleAsync(message).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or IOException)
        {
            // The client went away; the conversation ends below.
        }
        finally
        {
            _userTurns.Writer.TryComplete();
            lock (_gate)
            {
                _pendingTool?.TrySetCanceled();
                _speech?.Cancel();
            }

            await stop.CancelAsync().ConfigureAwait(false);
            foreach (var task in new[] { pings, turns })
            {
                if (task is not null)
                {
                    try
                    {
                        await task.ConfigureAwait(false);
                    }
                    catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or IOException or ObjectDisposedException)
                    {
                    }
                }
            }

            if (_conversation is not null)
            {
                lock (_state.Gate)
                {
                    _state.EndSession(_conversation);
                }
            }
        }
    }

    /// <summary>Reads the initiation data; false when a template needs a dynamic variable the client did not send.</summary>
    private bool Initiate(JsonObject? clientData, out string? firstMessage, out List<string> missing)
    {
        if (clientData?["dynamic_variables"] is JsonObject variables)
        {
            foreach (var (name, value) in variables)
            {
                _variables[name] = value switch
                {
                    null => "null",
                    JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
                    _ => value.ToJsonString(),
                };
            }
        }

        var overrides = clientData?["conversation_config_override"];
        _textOnly = overrides?["conversation"]?["text_only"] is JsonValue textOnly && textOnly.GetValueKind() == JsonValueKind.True;
        firstMessage = overrides?["agent"]?["first_message"] is JsonValue first && first.GetValueKind() == JsonValueKind.String
            ? first.GetValue<string>()
            : _agent.FirstMessage;

        var templates = new List<string?> { firstMessage, _agent.DefaultReply, _agent.EndMessage };
        foreach (var reply in _agent.Replies)
        {
            templates.Add(reply.Text);
            if (reply.ToolParameters is not null)
            {
                templates.Add(reply.ToolParameters.ToJsonString());
            }
        }

        missing = templates
            .Where(t => t is not null)
            .SelectMany(t => TranscriptScript.Placeholder().Matches(t!).Select(m => m.Groups[1].Value))
            .Where(name => name is not ("user_message" or "tool_result") && !name.StartsWith("system__", StringComparison.Ordinal) && !_variables.ContainsKey(name))
            .Distinct(StringComparer.Ordinal)
            .ToList();
        return missing.Count == 0;
    }

    private string Fill(string template, string? userMessage = null, string? toolResult = null)
        => TranscriptScript.Placeholder().Replace(template, m => m.Groups[1].Value switch
        {
            "user_message" => userMessage ?? string.Empty,
            "tool_result" => toolResult ?? string.Empty,
            var name => _variables.TryGetValue(name, out var value) ? value : m.Value,
        });

    private async Task HandleAsync(JsonObject message)
    {
        if (message["user_audio_chunk"] is JsonValue chunk)
        {
            await HearAsync(chunk.GetValue<string>()).ConfigureAwait(false);
            return;
        }

        switch (Type(message))
        {
            case "pong":
                if (message["event_id"] is JsonValue id && id.TryGetValue(out long eventId))
                {
                    lock (_gate)
                    {
                        if (_pendingPings.Remove(eventId, out var sentAt))
                        {
                            _lastPingMs = (long)_time.GetElapsedTime(sentAt).TotalMilliseconds;
                        }
                    }
                }

                break;
            case "user_message":
                var text = message["text"] is JsonValue t && t.GetValueKind() == JsonValueKind.String ? t.GetValue<string>() : string.Empty;
                await UserTurnAsync(text).ConfigureAwait(false);
                break;
            case "client_tool_result":
                lock (_gate)
                {
                    if (_pendingTool is not null && message["tool_call_id"]?.GetValue<string>() == _pendingToolCallId)
                    {
                        _pendingTool.TrySetResult(message["result"]?.ToString() ?? string.Empty);
                    }
                }

                break;
            case "contextual_update":
            case "user_activity":
            case "feedback":
            case "mcp_tool_approval_result":
            case "conversation_initiation_client_data":
                // Accepted; the emulated agent does not act on them.
                break;
            default:
                await SendAsync(new JsonObject
                {
                    ["type"] = "error",
                    ["error_event"] = new JsonObject { ["code"] = 1008, ["message"] = "Invalid message received.", ["error_type"] = "invalid_message" },
                }).ConfigureAwait(false);
                await CloseAsync(WebSocketCloseStatus.PolicyViolation, "Invalid message received").ConfigureAwait(false);
                break;
        }
    }

    /// <summary>A user turn: interrupts the agent if it is still speaking, then queues the turn for the agent to answer.</summary>
    private async Task UserTurnAsync(string text)
    {
        await InterruptIfPlayingAsync().ConfigureAwait(false);
        _userTurns.Writer.TryWrite(text);
    }

    private async Task InterruptIfPlayingAsync()
    {
        long interrupted;
        lock (_gate)
        {
            if (_speech is null || _time.GetUtcNow() >= _playingUntil)
            {
                return;
            }

            _speech.Cancel();
            _speech = null;
            interrupted = _speechEventId;
        }

        await SendAsync(new JsonObject { ["type"] = "interruption", ["interruption_event"] = new JsonObject { ["event_id"] = interrupted } }).ConfigureAwait(false);
    }

    /// <summary>The caller's audio: speech over the threshold interrupts the agent; speech then silence is a user turn.</summary>
    private async Task HearAsync(string base64)
    {
        byte[] audio;
        try
        {
            audio = Convert.FromBase64String(base64);
        }
        catch (FormatException)
        {
            await CloseAsync(WebSocketCloseStatus.PolicyViolation, "Invalid audio chunk").ConfigureAwait(false);
            return;
        }

        var duration = AgentAudio.Duration(audio.Length, _inputFormat);
        if (AgentAudio.Energy(audio, _inputFormat) >= AgentAudio.SpeechThreshold)
        {
            _speechHeard += duration;
            _silenceHeard = TimeSpan.Zero;
            if (_speechHeard >= SpeechToInterrupt)
            {
                await InterruptIfPlayingAsync().ConfigureAwait(false);
            }

            return;
        }

        if (_speechHeard < SpeechToInterrupt)
        {
            _speechHeard = TimeSpan.Zero;
            return;
        }

        _silenceHeard += duration;
        if (_silenceHeard >= SilenceEndsTurn)
        {
            var spoken = _speechHeard;
            _speechHeard = TimeSpan.Zero;
            _silenceHeard = TimeSpan.Zero;
            _userTurns.Writer.TryWrite(string.Create(CultureInfo.InvariantCulture, $"(the caller spoke for {spoken.TotalSeconds:0.0} s)"));
        }
    }

    private async Task TurnLoopAsync(string? firstMessage, CancellationToken cancellationToken)
    {
        if (!string.IsNullOrEmpty(firstMessage))
        {
            await SpeakAsync(Fill(firstMessage), cancellationToken).ConfigureAwait(false);
        }

        var turn = 0;
        await foreach (var text in _userTurns.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
        {
            turn++;
            var eventId = Interlocked.Increment(ref _eventId);
            Record("user", text);
            await SendAsync(new JsonObject
            {
                ["type"] = "user_transcript",
                ["user_transcription_event"] = new JsonObject { ["user_transcript"] = text, ["event_id"] = eventId },
            }).ConfigureAwait(false);

            if (_agent.EndPhrase is { Length: > 0 } phrase && text.Contains(phrase, StringComparison.OrdinalIgnoreCase))
            {
                await EndAsync(cancellationToken).ConfigureAwait(false);
                return;
            }

            var reply = turn <= _agent.Replies.Count ? _agent.Replies[turn - 1] : null;
            string? toolResult = null;
            if (reply?.ToolName is { } toolName)
            {
                toolResult = await CallToolAsync(toolName, reply.ToolParameters, text, cancellationToken).ConfigureAwait(false);
            }

            await SpeakAsync(Fill(reply?.Text ?? _agent.DefaultReply, text, toolResult), cancellationToken).ConfigureAwait(false);
            if (_agent.EndAfterTurns is { } limit && turn >= limit)
            {
                await EndAsync(cancellationToken).ConfigureAwait(false);
                return;
            }
        }
    }

    private async Task<string> CallToolAsync(string toolName, JsonObject? parameters, string userMessage, CancellationToken cancellationToken)
    {
        var toolCallId = EmulatorIds.New("toolu_", 20);
        var result = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            _pendingTool = result;
            _pendingToolCallId = toolCallId;
        }

        var filled = parameters is null ? new JsonObject() : (JsonObject)JsonNode.Parse(Fill(parameters.ToJsonString(), userMessage))!;
        await SendAsync(new JsonObject
        {
            ["type"] = "client_tool_call",
            ["client_tool_call"] = new JsonObject
            {
                ["tool_name"] = toolName,
                ["tool_call_id"] = toolCallId,
                ["parameters"] = filled,
                ["event_id"] = Interlocked.Increment(ref _eventId),
            },
        }).ConfigureAwait(false);
        return await result.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Says <paramref name="text"/>: <c>agent_response</c>, then the audio in 100 ms chunks (paced in real time unless pacing is off).</summary>
    private async Task SpeakAsync(string text, CancellationToken cancellationToken)
    {
        var eventId = Interlocked.Increment(ref _eventId);
        Record("agent", text);
        await SendAsync(new JsonObject
        {
            ["type"] = "agent_response",
            ["agent_response_event"] = new JsonObject { ["agent_response"] = text, ["event_id"] = eventId },
        }).ConfigureAwait(false);
        if (_textOnly)
        {
            return;
        }

        var chunks = AgentAudio.Speak(text, _agent.AgentOutputAudioFormat);
        using var speech = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        lock (_gate)
        {
            _speech = speech;
            _speechEventId = eventId;
            // Without pacing the audio counts as played once sent, so nothing can interrupt it.
            _playingUntil = Pacing ? _time.GetUtcNow() + (AgentAudio.ChunkDuration * chunks.Count) : DateTimeOffset.MinValue;
        }

        try
        {
            foreach (var chunk in chunks)
            {
                speech.Token.ThrowIfCancellationRequested();
                await SendAsync(new JsonObject
                {
                    ["type"] = "audio",
                    ["audio_event"] = new JsonObject { ["audio_base_64"] = Convert.ToBase64String(chunk), ["event_id"] = eventId },
                }).ConfigureAwait(false);
                if (Pacing)
                {
                    await Task.Delay(AgentAudio.ChunkDuration, _time, speech.Token).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // Interrupted: the rest of this turn's audio is never sent.
        }
        finally
        {
            lock (_gate)
            {
                if (_speech == speech)
                {
                    _speech = null;
                }
            }
        }
    }

    private async Task EndAsync(CancellationToken cancellationToken)
    {
        await SpeakAsync(Fill(_agent.EndMessage), cancellationToken).ConfigureAwait(false);
        await CloseAsync(WebSocketCloseStatus.NormalClosure, "Conversation ended by the agent").ConfigureAwait(false);
    }

    /// <summary>Pings every <see cref="ConvAiEmulatorOptions.AgentPingInterval"/>; a ping unanswered for <see cref="ConvAiEmulatorOptions.AgentPongTimeout"/> closes with 1002.</summary>
    private async Task PingLoopAsync(CancellationToken cancellationToken)
    {
        var interval = _state.Options.AgentPingInterval;
        if (interval <= TimeSpan.Zero)
        {
            return;
        }

        while (!cancellationToken.IsCancellationRequested)
        {
            await Task.Delay(interval, _time, cancellationToken).ConfigureAwait(false);
            long id;
            long? pingMs;
            lock (_gate)
            {
                var timeout = _state.Options.AgentPongTimeout;
                if (_pendingPings.Count > 0 && _pendingPings.Values.Any(sentAt => _time.GetElapsedTime(sentAt) >= timeout))
                {
                    id = -1;
                    pingMs = null;
                }
                else
                {
                    id = Interlocked.Increment(ref _eventId);
                    _pendingPings[id] = _time.GetTimestamp();
                    pingMs = _lastPingMs;
                }
            }

            if (id < 0)
            {
                await SendAsync(new JsonObject
                {
                    ["type"] = "error",
                    ["error_event"] = new JsonObject { ["code"] = 1002, ["message"] = "The client stopped answering pings.", ["error_type"] = "asyncio_timeout" },
                }).ConfigureAwait(false);
                await CloseAsync(WebSocketCloseStatus.ProtocolError, "Ping timeout").ConfigureAwait(false);
                return;
            }

            await SendAsync(new JsonObject { ["type"] = "ping", ["ping_event"] = new JsonObject { ["event_id"] = id, ["ping_ms"] = pingMs } }).ConfigureAwait(false);
        }
    }

    private void Record(string role, string text)
    {
        if (_conversation is null)
        {
            return;
        }

        lock (_state.Gate)
        {
            var seconds = (int)(_state.Now - _conversation.StartedAt).TotalSeconds;
            ((List<TranscriptTurn>)_conversation.Script).Add(new TranscriptTurn(role, text, seconds));
        }
    }

    private async Task SendAsync(JsonObject message)
    {
        var bytes = Encoding.UTF8.GetBytes(message.ToJsonString());
        await _sendLock.WaitAsync().ConfigureAwait(false);
        try
        {
            if (_closeSent || _socket.State != WebSocketState.Open)
            {
                return;
            }

            await _socket.SendAsync(bytes, WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None).ConfigureAwait(false);
        }
        finally
        {
            _sendLock.Release();
        }
    }

    private async Task CloseAsync(WebSocketCloseStatus status, string description)
    {
        await _sendLock.WaitAsync().ConfigureAwait(false);
        try
        {
            if (_closeSent || _socket.State is not (WebSocketState.Open or WebSocketState.CloseReceived))
            {
                return;
            }

            _closeSent = true;
            await _socket.CloseOutputAsync(status, description, CancellationToken.None).ConfigureAwait(false);
        }
        finally
        {
            _sendLock.Release();
        }
    }

    /// <summary>Reads one whole message; null when the client closed (its close is answered) or sent something that is not a JSON object.</summary>
    private async Task<JsonObject?> ReceiveAsync(CancellationToken cancellationToken)
    {
        // Most messages fit the reused buffer in one frame; a longer one is gathered in a stream.
        MemoryStream? longer = null;
        int count;
        while (true)
        {
            var result = await _socket.ReceiveAsync(_receiveBuffer, cancellationToken).ConfigureAwait(false);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                longer?.Dispose();
                await CloseAsync(_socket.CloseStatus ?? WebSocketCloseStatus.NormalClosure, string.Empty).ConfigureAwait(false);
                return null;
            }

            count = result.Count;
            if (result.EndOfMessage && longer is null)
            {
                break;
            }

            longer ??= new MemoryStream();
            longer.Write(_receiveBuffer, 0, result.Count);
            if (result.EndOfMessage)
            {
                break;
            }
        }

        try
        {
            using (longer)
            {
                var bytes = longer is null ? _receiveBuffer.AsSpan(0, count) : longer.GetBuffer().AsSpan(0, (int)longer.Length);
                var reader = new Utf8JsonReader(bytes);
                if (JsonNode.Parse(ref reader) is JsonObject json)
                {
                    return json;
                }
            }
        }
        catch (JsonException)
        {
        }

        await CloseAsync(WebSocketCloseStatus.PolicyViolation, "Invalid message received").ConfigureAwait(false);
        await DrainAsync(cancellationToken).ConfigureAwait(false);
        return null;
    }

    /// <summary>After the agent closed: reads until the client's close arrives.</summary>
    private async Task DrainAsync(CancellationToken cancellationToken)
    {
        var buffer = new byte[4096];
        while (_socket.State is WebSocketState.Open or WebSocketState.CloseSent)
        {
            var result = await _socket.ReceiveAsync(buffer, cancellationToken).ConfigureAwait(false);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                return;
            }
        }
    }

    private static string? Type(JsonObject message)
        => message["type"] is JsonValue type && type.GetValueKind() == JsonValueKind.String ? type.GetValue<string>() : null;

}
