using System.Text.Json;

namespace ConvAi.Telephony;

/// <summary>What one text frame from the agent turned out to be.</summary>
internal enum ServerMessageKind
{
    /// <summary>An event to hand to the consumer.</summary>
    Event,

    /// <summary>A ping, answered by the session and not surfaced.</summary>
    Ping,

    /// <summary>Not JSON, or not a JSON object with a string <c>type</c>.</summary>
    Malformed,
}

/// <summary>The parsed frame: an event, or a ping's id and latency.</summary>
internal readonly record struct ServerMessage(ServerMessageKind Kind, ConversationEvent? Event, long PingEventId, long? PingMs)
{
    public static ServerMessage Malformed { get; } = new(ServerMessageKind.Malformed, null, 0, null);
}

/// <summary>What <see cref="ServerMessageParser.ScanAudio"/> found.</summary>
internal enum AudioScan
{
    /// <summary>Not an <c>audio</c> message: parse it as usual.</summary>
    NotAudio,

    /// <summary>An <c>audio</c> message with an <c>event_id</c> and a string <c>audio_base_64</c>.</summary>
    Audio,

    /// <summary>Not JSON, or an <c>audio</c> message that does not fit: let <see cref="ServerMessageParser.Parse"/> classify it.</summary>
    Other,
}

/// <summary>
/// Reads the agent's messages (AsyncAPI <c>*Payload</c> / <c>*Data</c> schemas) with <see cref="Utf8JsonReader"/> straight from
/// the pooled receive buffer: one pass over the top level finds <c>type</c> and where each payload object starts (the order of
/// the two does not matter), a second reads the payload. Audio stays base64; unknown types and known types whose payload does
/// not fit are kept as raw JSON.
/// </summary>
internal static class ServerMessageParser
{
    // Index i of Types goes with index i of Payloads (the AsyncAPI property that holds the message's data).
    private static readonly string[] Types =
    [
        ConversationMessageTypes.ConversationInitiationMetadata,
        ConversationMessageTypes.Audio,
        ConversationMessageTypes.Interruption,
        ConversationMessageTypes.Ping,
        ConversationMessageTypes.UserTranscript,
        ConversationMessageTypes.TentativeUserTranscript,
        ConversationMessageTypes.AgentResponse,
        ConversationMessageTypes.AgentResponseCorrection,
        ConversationMessageTypes.AgentChatResponsePart,
        ConversationMessageTypes.ClientToolCall,
        ConversationMessageTypes.VadScore,
        ConversationMessageTypes.Error,
    ];

    private static readonly byte[][] TypeBytes = Types.Select(System.Text.Encoding.UTF8.GetBytes).ToArray();

    private static readonly byte[][] Payloads =
    [
        "conversation_initiation_metadata_event"u8.ToArray(),
        "audio_event"u8.ToArray(),
        "interruption_event"u8.ToArray(),
        "ping_event"u8.ToArray(),
        "user_transcription_event"u8.ToArray(),
        "tentative_user_transcription_event"u8.ToArray(),
        "agent_response_event"u8.ToArray(),
        "agent_response_correction_event"u8.ToArray(),
        "text_response_part"u8.ToArray(),
        "client_tool_call"u8.ToArray(),
        "vad_score_event"u8.ToArray(),
        "error_event"u8.ToArray(),
    ];

    private static readonly JsonReaderOptions ReaderOptions = new() { MaxDepth = 64 };

    public static ServerMessage Parse(ReadOnlyMemory<byte> frame)
    {
        try
        {
            return ParseCore(frame);
        }
        catch (JsonException)
        {
            return ServerMessage.Malformed;
        }
        catch (InvalidOperationException)
        {
            // A value of the wrong JSON kind (a string where a number belongs); the frame is still JSON, keep it raw.
            return Unknown(frame, null);
        }
        catch (FormatException)
        {
            return Unknown(frame, null);
        }
    }

    /// <summary>
    /// The pass-through path of <see cref="ConversationAudioSink"/>: finds an <c>audio</c> message's <c>event_id</c> and where the text of
    /// its <c>audio_base_64</c> lies in the frame (between the quotes, still JSON-escaped when <paramref name="escaped"/> is set), without
    /// creating anything. The whole frame is read, so a truncated one is not half-used.
    /// </summary>
    public static AudioScan ScanAudio(ReadOnlySpan<byte> frame, out long eventId, out int audioStart, out int audioLength, out bool escaped)
    {
        eventId = 0;
        audioStart = 0;
        audioLength = 0;
        escaped = false;
        try
        {
            var reader = new Utf8JsonReader(frame, ReaderOptions);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return AudioScan.Other;
            }

            var isAudio = false;
            long payload = -1;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("type"u8))
                {
                    reader.Read();
                    if (reader.TokenType != JsonTokenType.String || !reader.ValueTextEquals(ConversationMessageTypes.Audio))
                    {
                        return reader.TokenType == JsonTokenType.String ? AudioScan.NotAudio : AudioScan.Other;
                    }

                    isAudio = true;
                    continue;
                }

                var isPayload = reader.ValueTextEquals("audio_event"u8);
                reader.Read();
                if (isPayload && reader.TokenType == JsonTokenType.StartObject)
                {
                    payload = reader.TokenStartIndex;
                }

                reader.Skip();
            }

            while (reader.Read())
            {
            }

            if (!isAudio || payload < 0)
            {
                return AudioScan.Other;
            }

            var body = new Utf8JsonReader(frame[(int)payload..], ReaderOptions);
            body.Read();
            long? id = null;
            var found = false;
            while (body.Read() && body.TokenType == JsonTokenType.PropertyName)
            {
                if (body.ValueTextEquals("event_id"u8))
                {
                    body.Read();
                    if (body.TokenType != JsonTokenType.Number || !body.TryGetInt64(out var value))
                    {
                        return AudioScan.Other;
                    }

                    id = value;
                }
                else if (body.ValueTextEquals("audio_base_64"u8))
                {
                    body.Read();
                    if (body.TokenType != JsonTokenType.String)
                    {
                        return AudioScan.Other;
                    }

                    found = true;
                    audioStart = (int)payload + (int)body.TokenStartIndex + 1;
                    audioLength = body.ValueSpan.Length;
                    escaped = body.ValueIsEscaped;
                }
                else
                {
                    body.Read();
                    body.Skip();
                }
            }

            if (id is not { } eventIdValue || !found)
            {
                return AudioScan.Other;
            }

            eventId = eventIdValue;
            return AudioScan.Audio;
        }
        catch (JsonException)
        {
            return AudioScan.Other;
        }
    }

    private static ServerMessage ParseCore(ReadOnlyMemory<byte> frame)
    {
        var reader = new Utf8JsonReader(frame.Span, ReaderOptions);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            return ServerMessage.Malformed;
        }

        var typeIndex = -1;
        string? unknownType = null;
        var hasType = false;
        Span<long> payloadOffsets = stackalloc long[Payloads.Length];
        payloadOffsets.Fill(-1);
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("type"u8))
            {
                reader.Read();
                if (reader.TokenType != JsonTokenType.String)
                {
                    return ServerMessage.Malformed;
                }

                hasType = true;
                typeIndex = IndexOf(ref reader, TypeBytes);
                if (typeIndex < 0)
                {
                    unknownType = reader.GetString();
                }

                continue;
            }

            var payload = IndexOf(ref reader, Payloads);
            reader.Read();
            if (payload >= 0 && reader.TokenType == JsonTokenType.StartObject)
            {
                payloadOffsets[payload] = reader.TokenStartIndex;
            }

            reader.Skip();
        }

        // Reads to the end, so a truncated or trailing-garbage frame is malformed rather than half-used.
        while (reader.Read())
        {
        }

        if (!hasType)
        {
            return ServerMessage.Malformed;
        }

        if (typeIndex < 0)
        {
            return Unknown(frame, unknownType);
        }

        var offset = payloadOffsets[typeIndex];
        if (offset < 0)
        {
            return Unknown(frame, Types[typeIndex]);
        }

        var body = new Utf8JsonReader(frame.Span[(int)offset..], ReaderOptions);
        body.Read();
        return Types[typeIndex] switch
        {
            ConversationMessageTypes.Ping => ReadPing(ref body, frame),
            ConversationMessageTypes.ConversationInitiationMetadata => ReadMetadata(ref body, frame),
            ConversationMessageTypes.Audio => ReadAudio(ref body, frame),
            ConversationMessageTypes.Interruption => ReadInterruption(ref body, frame),
            ConversationMessageTypes.UserTranscript => ReadTranscript(ref body, frame, Types[typeIndex]),
            ConversationMessageTypes.TentativeUserTranscript => ReadTranscript(ref body, frame, Types[typeIndex]),
            ConversationMessageTypes.AgentResponse => ReadAgentResponse(ref body, frame),
            ConversationMessageTypes.AgentResponseCorrection => ReadCorrection(ref body, frame),
            ConversationMessageTypes.AgentChatResponsePart => ReadChatPart(ref body, frame),
            ConversationMessageTypes.ClientToolCall => ReadToolCall(ref body, frame),
            ConversationMessageTypes.VadScore => ReadVad(ref body, frame),
            _ => ReadError(ref body),
        };
    }

    private static int IndexOf(ref Utf8JsonReader reader, byte[][] candidates)
    {
        for (var i = 0; i < candidates.Length; i++)
        {
            if (reader.ValueTextEquals(candidates[i]))
            {
                return i;
            }
        }

        return -1;
    }

    private static ServerMessage Event(ConversationEvent e) => new(ServerMessageKind.Event, e, 0, null);

    private static ServerMessage Unknown(ReadOnlyMemory<byte> frame, string? type)
    {
        using var document = JsonDocument.Parse(frame);
        type ??= document.RootElement.ValueKind == JsonValueKind.Object
            && document.RootElement.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String
                ? t.GetString()
                : null;
        return Event(new UnknownConversationEvent(type ?? string.Empty) { Json = document.RootElement.Clone() });
    }

    private static ServerMessage ReadPing(ref Utf8JsonReader reader, ReadOnlyMemory<byte> frame)
    {
        long? eventId = null;
        long? pingMs = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("event_id"u8))
            {
                reader.Read();
                eventId = reader.GetInt64();
            }
            else if (reader.ValueTextEquals("ping_ms"u8))
            {
                reader.Read();
                pingMs = reader.TokenType == JsonTokenType.Null ? null : (long)reader.GetDouble();
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        return eventId is { } id ? new ServerMessage(ServerMessageKind.Ping, null, id, pingMs) : Unknown(frame, ConversationMessageTypes.Ping);
    }

    private static ServerMessage ReadMetadata(ref Utf8JsonReader reader, ReadOnlyMemory<byte> frame)
    {
        string? conversationId = null;
        string? output = null;
        string? input = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("conversation_id"u8))
            {
                reader.Read();
                conversationId = reader.GetString();
            }
            else if (reader.ValueTextEquals("agent_output_audio_format"u8))
            {
                reader.Read();
                output = reader.GetString();
            }
            else if (reader.ValueTextEquals("user_input_audio_format"u8))
            {
                reader.Read();
                input = reader.GetString();
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        if (string.IsNullOrEmpty(conversationId))
        {
            return Unknown(frame, ConversationMessageTypes.ConversationInitiationMetadata);
        }

        return Event(new ConversationStartedEvent
        {
            ConversationId = conversationId,
            AgentOutputAudioFormat = output is null ? null : ConversationAudioFormat.FromString(output),
            UserInputAudioFormat = input is null ? null : ConversationAudioFormat.FromString(input),
        });
    }

    private static ServerMessage ReadAudio(ref Utf8JsonReader reader, ReadOnlyMemory<byte> frame)
    {
        long? eventId = null;
        byte[]? audio = null;
        JsonElement? alignment = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("event_id"u8))
            {
                reader.Read();
                eventId = reader.GetInt64();
            }
            else if (reader.ValueTextEquals("audio_base_64"u8))
            {
                reader.Read();
                if (reader.TokenType != JsonTokenType.String)
                {
                    return Unknown(frame, ConversationMessageTypes.Audio);
                }

                if (reader.ValueIsEscaped)
                {
                    // A JSON encoder may write '/' as "\/": unescape into a copy.
                    var unescaped = new byte[reader.ValueSpan.Length];
                    var written = reader.CopyString(unescaped);
                    audio = written == unescaped.Length ? unescaped : unescaped[..written];
                }
                else
                {
                    audio = reader.ValueSpan.ToArray();
                }
            }
            else if (reader.ValueTextEquals("alignment"u8))
            {
                reader.Read();
                alignment = reader.TokenType == JsonTokenType.Null ? null : JsonElement.ParseValue(ref reader);
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        return eventId is { } id && audio is not null
            ? Event(new AgentAudioEvent { EventId = id, AudioBase64 = audio, Alignment = alignment })
            : Unknown(frame, ConversationMessageTypes.Audio);
    }

    /// <summary>
    /// Reads <c>event_id</c> and one string property of a payload: <c>interruption_event</c> (no text), the two transcription events
    /// (<c>user_transcript</c>) and <c>agent_response_event</c> (<c>agent_response</c>).
    /// </summary>
    private static (long? EventId, string? Text) ReadEventIdAndText(ref Utf8JsonReader reader, ReadOnlySpan<byte> textProperty)
    {
        long? eventId = null;
        string? text = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("event_id"u8))
            {
                reader.Read();
                eventId = reader.GetInt64();
            }
            else if (!textProperty.IsEmpty && reader.ValueTextEquals(textProperty))
            {
                reader.Read();
                text = reader.GetString();
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        return (eventId, text);
    }

    private static ServerMessage ReadInterruption(ref Utf8JsonReader reader, ReadOnlyMemory<byte> frame)
        => ReadEventIdAndText(ref reader, default) is ({ } id, _)
            ? Event(new InterruptionEvent { EventId = id })
            : Unknown(frame, ConversationMessageTypes.Interruption);

    private static ServerMessage ReadTranscript(ref Utf8JsonReader reader, ReadOnlyMemory<byte> frame, string type)
        => ReadEventIdAndText(ref reader, "user_transcript"u8) switch
        {
            (var id, { } text) when type == ConversationMessageTypes.UserTranscript => Event(new UserTranscriptEvent { EventId = id ?? 0, Text = text }),
            (var id, { } text) => Event(new TentativeUserTranscriptEvent { EventId = id ?? 0, Text = text }),
            _ => Unknown(frame, type),
        };

    private static ServerMessage ReadAgentResponse(ref Utf8JsonReader reader, ReadOnlyMemory<byte> frame)
        => ReadEventIdAndText(ref reader, "agent_response"u8) is (var id, { } text)
            ? Event(new AgentResponseEvent { EventId = id ?? 0, Text = text })
            : Unknown(frame, ConversationMessageTypes.AgentResponse);

    private static ServerMessage ReadCorrection(ref Utf8JsonReader reader, ReadOnlyMemory<byte> frame)
    {
        long? eventId = null;
        string? original = null;
        string? corrected = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("event_id"u8))
            {
                reader.Read();
                eventId = reader.GetInt64();
            }
            else if (reader.ValueTextEquals("original_agent_response"u8))
            {
                reader.Read();
                original = reader.GetString();
            }
            else if (reader.ValueTextEquals("corrected_agent_response"u8))
            {
                reader.Read();
                corrected = reader.GetString();
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        return original is null || corrected is null
            ? Unknown(frame, ConversationMessageTypes.AgentResponseCorrection)
            : Event(new AgentResponseCorrectionEvent { EventId = eventId ?? 0, OriginalText = original, CorrectedText = corrected });
    }

    private static ServerMessage ReadChatPart(ref Utf8JsonReader reader, ReadOnlyMemory<byte> frame)
    {
        long? eventId = null;
        string? text = null;
        string? partType = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("event_id"u8))
            {
                reader.Read();
                eventId = reader.GetInt64();
            }
            else if (reader.ValueTextEquals("text"u8))
            {
                reader.Read();
                text = reader.GetString();
            }
            else if (reader.ValueTextEquals("type"u8))
            {
                reader.Read();
                partType = reader.GetString();
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        return partType is null
            ? Unknown(frame, ConversationMessageTypes.AgentChatResponsePart)
            : Event(new AgentChatResponsePartEvent { EventId = eventId ?? 0, PartType = partType, Text = text ?? string.Empty });
    }

    private static ServerMessage ReadToolCall(ref Utf8JsonReader reader, ReadOnlyMemory<byte> frame)
    {
        long? eventId = null;
        string? toolName = null;
        string? toolCallId = null;
        JsonElement? parameters = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("event_id"u8))
            {
                reader.Read();
                eventId = reader.GetInt64();
            }
            else if (reader.ValueTextEquals("tool_name"u8))
            {
                reader.Read();
                toolName = reader.GetString();
            }
            else if (reader.ValueTextEquals("tool_call_id"u8))
            {
                reader.Read();
                toolCallId = reader.GetString();
            }
            else if (reader.ValueTextEquals("parameters"u8))
            {
                reader.Read();
                parameters = JsonElement.ParseValue(ref reader);
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        return toolName is null || toolCallId is null
            ? Unknown(frame, ConversationMessageTypes.ClientToolCall)
            : Event(new ClientToolCallEvent
            {
                EventId = eventId ?? 0,
                ToolName = toolName,
                ToolCallId = toolCallId,
                Parameters = parameters ?? EmptyObject,
            });
    }

    private static ServerMessage ReadVad(ref Utf8JsonReader reader, ReadOnlyMemory<byte> frame)
    {
        double? score = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("vad_score"u8))
            {
                reader.Read();
                score = reader.GetDouble();
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        return score is { } s ? Event(new VadScoreEvent { Score = s }) : Unknown(frame, ConversationMessageTypes.VadScore);
    }

    private static ServerMessage ReadError(ref Utf8JsonReader reader)
    {
        int? code = null;
        string? message = null;
        string? errorType = null;
        string? reason = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("code"u8))
            {
                reader.Read();
                code = reader.TokenType == JsonTokenType.Number ? reader.GetInt32() : null;
            }
            else if (reader.ValueTextEquals("message"u8))
            {
                reader.Read();
                message = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
            }
            else if (reader.ValueTextEquals("error_type"u8))
            {
                reader.Read();
                errorType = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
            }
            else if (reader.ValueTextEquals("reason"u8))
            {
                reader.Read();
                reason = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        return Event(new ConversationErrorEvent { Code = code, Message = message, ErrorType = errorType, Reason = reason });
    }

    private static readonly JsonElement EmptyObject = CreateEmptyObject();

    private static JsonElement CreateEmptyObject()
    {
        using var document = JsonDocument.Parse("{}"u8.ToArray());
        return document.RootElement.Clone();
    }
}
