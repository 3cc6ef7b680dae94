using System.Buffers.Text;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace ConvAi.Telephony;

/// <summary>
/// Parses webhook bodies: reads the envelope (<c>type</c>, <c>event_timestamp</c>, <c>data</c>) with a
/// <see cref="Utf8JsonReader"/>, then types <c>data</c> by <c>type</c>. Reports bad input instead of throwing.
/// </summary>
internal static class ConvAiWebhookEventParser
{
    private const string NullTranscriptionData = "The post_call_transcription webhook has null 'data'.";

    private static readonly JsonTypeInfo<Conversation> ConversationTypeInfo =
        (JsonTypeInfo<Conversation>)ConvAiJson.Options.GetTypeInfo(typeof(Conversation));

    /// <summary>
    /// Parses <paramref name="body"/>; on failure <paramref name="error"/> says why (never quoting the payload). With
    /// <paramref name="bindLazily"/>, a <see cref="PostCallTranscriptionEvent"/> binds its <c>data</c> on first access.
    /// </summary>
    public static bool TryParse(
        ReadOnlyMemory<byte> body,
        WebhookBodyLease? lease,
        bool bindLazily,
        [NotNullWhen(true)] out ConvAiWebhookEvent? webhookEvent,
        [NotNullWhen(false)] out string? error)
    {
        webhookEvent = null;
        return TryReadEnvelope(body.Span, out var envelope, out error)
            && TryParse(body, envelope, lease, bindLazily, out webhookEvent, out error);
    }

    /// <summary>
    /// Types the <c>data</c> of an envelope read by <see cref="TryReadEnvelope"/>. With <paramref name="bindLazily"/>, a
    /// <c>post_call_transcription</c>'s <c>data</c> is only checked to be an object here and bound to
    /// <see cref="Conversation"/> on first access of <see cref="PostCallTranscriptionEvent.GetData"/> (from a copy when
    /// <paramref name="lease"/> says the body is a pooled buffer).
    /// </summary>
    public static bool TryParse(
        ReadOnlyMemory<byte> body,
        in WebhookEnvelope envelope,
        WebhookBodyLease? lease,
        bool bindLazily,
        [NotNullWhen(true)] out ConvAiWebhookEvent? webhookEvent,
        [NotNullWhen(false)] out string? error)
    {
        webhookEvent = null;
        try
        {
            var data = envelope.DataStart < 0 ? default
                : envelope.DataLength < 0 ? body[envelope.DataStart..]
                : body.Slice(envelope.DataStart, envelope.DataLength);
            webhookEvent = envelope.Type.Value switch
            {
                "post_call_transcription" when bindLazily => DeferTranscription(data, lease, out error),
                "post_call_transcription" => ParseTranscription(data.Span, out error),
                "post_call_audio" => ParseAudio(body, envelope.DataStart, envelope.DataLength, lease, out error),
                "call_initiation_failure" => ParseInitiationFailure(data.Span, out error),
                _ => ParseUnknown(body.Span, out error),
            };
            if (webhookEvent is null)
            {
                error ??= "The webhook body could not be read.";
                return false;
            }

            webhookEvent = webhookEvent with
            {
                Type = envelope.Type,
                EventTimestamp = envelope.Timestamp,
                ConversationId = webhookEvent.ConversationId ?? envelope.ConversationId,
            };
            error = null;
            return true;
        }
        catch (Exception exception) when (DescribeBindingFailure(exception) is { } description)
        {
            error = description;
            return false;
        }
    }

    /// <summary>Why binding failed, for the exceptions that mean "the payload does not fit its type"; null for any other exception.</summary>
    private static string? DescribeBindingFailure(Exception exception) => exception switch
    {
        JsonException json => $"The webhook body is not valid JSON for its type (line {json.LineNumber}, byte {json.BytePositionInLine}).",
        FormatException or InvalidOperationException or ArgumentException => "The webhook body has a value of the wrong type.",
        _ => null,
    };

    /// <summary>
    /// Reads the envelope (<c>type</c>, <c>event_timestamp</c>, where <c>data</c> is, and <c>data.conversation_id</c>)
    /// without binding <c>data</c>, and proves the whole body is well-formed JSON. With <paramref name="stopEarly"/> (the
    /// acknowledge path), a <c>post_call_transcription</c> whose <c>type</c> and <c>event_timestamp</c> come before
    /// <c>data</c> (as ElevenLabs sends them) is read only up to <c>data.conversation_id</c>: the rest is checked when
    /// <c>data</c> is bound (<see cref="WebhookEnvelope.DataLength"/> is then -1, "to the end of the value").
    /// </summary>
    public static bool TryReadEnvelope(ReadOnlySpan<byte> body, out WebhookEnvelope envelope, [NotNullWhen(false)] out string? error, bool stopEarly = false)
    {
        envelope = default;
        try
        {
            return TryReadEnvelopeCore(body, stopEarly, out envelope, out error);
        }
        catch (JsonException exception)
        {
            error = $"The webhook body is not valid JSON (line {exception.LineNumber}, byte {exception.BytePositionInLine}).";
            return false;
        }
    }

    private static bool TryReadEnvelopeCore(ReadOnlySpan<byte> body, bool stopEarly, out WebhookEnvelope envelope, [NotNullWhen(false)] out string? error)
    {
        envelope = default;
        var sawTimestamp = false;
        DateTimeOffset? timestamp = null;
        var dataStart = -1;
        var dataLength = 0;
        string? typeValue = null;
        string? conversationId = null;
        var reader = new Utf8JsonReader(body, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Disallow });
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            error = "The webhook body is not a JSON object.";
            return false;
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("type"u8))
            {
                reader.Read();
                typeValue = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
            }
            else if (reader.ValueTextEquals("event_timestamp"u8))
            {
                reader.Read();
                timestamp = ReadTimestamp(ref reader);
                sawTimestamp = true;
            }
            else if (reader.ValueTextEquals("data"u8))
            {
                reader.Read();
                dataStart = (int)reader.TokenStartIndex;
                var stopAtId = stopEarly && sawTimestamp && typeValue == "post_call_transcription";
                conversationId = ReadConversationId(ref reader, stopAtId, out var stopped);
                if (stopped)
                {
                    envelope = new WebhookEnvelope(ConvAiWebhookEventType.PostCallTranscription, timestamp, conversationId, dataStart, DataLength: -1);
                    error = null;
                    return true;
                }

                dataLength = (int)reader.BytesConsumed - dataStart;
                continue;
            }
            else
            {
                reader.Read();
            }

            reader.Skip();
        }

        // Reading to the end proves the whole body is well-formed JSON.
        while (reader.Read())
        {
        }

        if (string.IsNullOrEmpty(typeValue))
        {
            error = "The webhook body has no string 'type'.";
            return false;
        }

        var type = new ConvAiWebhookEventType(typeValue);
        if (dataStart < 0 && IsKnown(type))
        {
            error = "The webhook body has no 'data'.";
            return false;
        }

        envelope = new WebhookEnvelope(type, timestamp, conversationId, dataStart, dataLength);
        error = null;
        return true;
    }

    /// <summary>
    /// Reads past the <c>data</c> value the reader is on, returning its top-level <c>conversation_id</c> string; with
    /// <paramref name="stopAtId"/>, stops right after that string (<paramref name="stopped"/> is then true).
    /// </summary>
    private static string? ReadConversationId(ref Utf8JsonReader reader, bool stopAtId, out bool stopped)
    {
        stopped = false;
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            return null;
        }

        string? conversationId = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isId = reader.ValueTextEquals("conversation_id"u8);
            reader.Read();
            if (isId && reader.TokenType == JsonTokenType.String)
            {
                conversationId = reader.GetString();
                if (stopAtId)
                {
                    stopped = true;
                    return conversationId;
                }
            }
            else
            {
                reader.Skip();
            }
        }

        return conversationId;
    }

    private static bool IsKnown(ConvAiWebhookEventType type) =>
        type == ConvAiWebhookEventType.PostCallTranscription
        || type == ConvAiWebhookEventType.PostCallAudio
        || type == ConvAiWebhookEventType.CallInitiationFailure;

    /// <summary>Reads Unix seconds sent as a number or a string (digits or an ISO 8601 date); null when unreadable.</summary>
    private static DateTimeOffset? ReadTimestamp(ref Utf8JsonReader reader)
    {
        long seconds;
        switch (reader.TokenType)
        {
            case JsonTokenType.Number when reader.TryGetInt64(out seconds):
                break;
            case JsonTokenType.Number when reader.TryGetDouble(out var fractional) && Math.Abs(fractional) < long.MaxValue:
                seconds = (long)fractional;
                break;
            case JsonTokenType.String when long.TryParse(reader.GetString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out seconds):
                break;
            case JsonTokenType.String when DateTimeOffset.TryParse(reader.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var date):
                return date;
            default:
                return null;
        }

        const long MaxUnixSeconds = 253_402_300_799;
        return seconds is >= -62_135_596_800 and <= MaxUnixSeconds ? DateTimeOffset.FromUnixTimeSeconds(seconds) : null;
    }

    private static PostCallTranscriptionEvent? ParseTranscription(ReadOnlySpan<byte> data, out string? error)
    {
        var conversation = JsonSerializer.Deserialize(data, ConversationTypeInfo);
        if (conversation is null)
        {
            error = NullTranscriptionData;
            return null;
        }

        error = null;
        return new PostCallTranscriptionEvent(conversation) { ConversationId = conversation.ConversationId };
    }

    /// <summary>
    /// The lazy form of <see cref="ParseTranscription"/>: <c>data</c> must be an object (the envelope pass proved it is
    /// well-formed JSON); binding waits for the first read of <see cref="PostCallTranscriptionEvent.GetData"/>.
    /// </summary>
    private static PostCallTranscriptionEvent? DeferTranscription(ReadOnlyMemory<byte> data, WebhookBodyLease? lease, out string? error)
    {
        if (data.IsEmpty || data.Span[0] != (byte)'{')
        {
            error = data.Span.StartsWith("null"u8) ? NullTranscriptionData : "The post_call_transcription webhook 'data' is not an object.";
            return null;
        }

        error = null;

        // A pooled request buffer is reused after the request; the event may outlive it (a handler may keep it).
        return new PostCallTranscriptionEvent(lease is null ? data : data.ToArray());
    }

    /// <summary>Binds a <c>post_call_transcription</c>'s <c>data</c> object; on failure <paramref name="error"/> says why (never quoting it).</summary>
    internal static bool TryBindConversation(ReadOnlySpan<byte> data, [NotNullWhen(true)] out Conversation? conversation, [NotNullWhen(false)] out string? error)
    {
        conversation = null;
        try
        {
            // One value from its start: data read by the early-stopping envelope pass runs to the end of the body.
            var reader = new Utf8JsonReader(data);
            conversation = JsonSerializer.Deserialize(ref reader, ConversationTypeInfo);
            error = conversation is null ? NullTranscriptionData : null;
            return conversation is not null;
        }
        catch (Exception exception) when (DescribeBindingFailure(exception) is { } description)
        {
            error = description;
            return false;
        }
    }

    private static CallInitiationFailureEvent? ParseInitiationFailure(ReadOnlySpan<byte> data, out string? error)
    {
        var failure = JsonSerializer.Deserialize(data, WebhookJsonContext.Default.CallInitiationFailure);
        if (failure is null)
        {
            error = "The call_initiation_failure webhook has null 'data'.";
            return null;
        }

        error = null;
        return new CallInitiationFailureEvent { Data = failure, ConversationId = failure.ConversationId };
    }

    /// <summary>
    /// Reads <c>agent_id</c>, <c>conversation_id</c> and the location of <c>full_audio</c> without copying the audio. An
    /// escaped or spaced base64 value (legal JSON, not what ElevenLabs sends) is decoded once into an array instead.
    /// </summary>
    private static PostCallAudioEvent? ParseAudio(ReadOnlyMemory<byte> body, int dataStart, int dataLength, WebhookBodyLease? lease, out string? error)
    {
        var data = body.Span.Slice(dataStart, dataLength);
        var reader = new Utf8JsonReader(data);
        reader.Read();
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            error = "The post_call_audio webhook 'data' is not an object.";
            return null;
        }

        string? agentId = null;
        string? conversationId = null;
        ReadOnlyMemory<byte> base64 = default;
        byte[]? decoded = null;
        var sawAudio = false;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("agent_id"u8))
            {
                reader.Read();
                agentId = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
            }
            else if (reader.ValueTextEquals("conversation_id"u8))
            {
                reader.Read();
                conversationId = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
            }
            else if (reader.ValueTextEquals("full_audio"u8))
            {
                reader.Read();
                if (reader.TokenType != JsonTokenType.String)
                {
                    error = "The post_call_audio webhook 'full_audio' is not a string.";
                    return null;
                }

                sawAudio = true;
                var value = reader.ValueSpan;
                if (reader.ValueIsEscaped || value.IndexOfAny(" \t\r\n"u8) >= 0)
                {
                    decoded = reader.GetBytesFromBase64();
                }
                else if (Base64.IsValid(value) && value.Length % 4 == 0)
                {
                    // TokenStartIndex is the opening quote; the value follows it.
                    base64 = body.Slice(dataStart + (int)reader.TokenStartIndex + 1, value.Length);
                }
                else
                {
                    error = "The post_call_audio webhook 'full_audio' is not valid base64.";
                    return null;
                }
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        if (!sawAudio)
        {
            error = "The post_call_audio webhook has no 'full_audio'.";
            return null;
        }

        error = null;
        return new PostCallAudioEvent(base64, decoded, lease) { AgentId = agentId, ConversationId = conversationId };
    }

    private static UnknownWebhookEvent ParseUnknown(ReadOnlySpan<byte> body, out string? error)
    {
        // Deserializing to JsonElement copies it out of the (pooled) request buffer.
        var payload = JsonSerializer.Deserialize(body, WebhookJsonContext.Default.JsonElement);
        error = null;
        return new UnknownWebhookEvent { Payload = payload };
    }
}

/// <summary>
/// A webhook's envelope: what the ack path reads without binding <c>data</c>. <see cref="DataStart"/> is -1 without
/// <c>data</c>; <see cref="DataLength"/> is -1 when the envelope pass stopped inside <c>data</c> (its value runs from
/// <see cref="DataStart"/> to somewhere before the end of the body).
/// </summary>
internal readonly record struct WebhookEnvelope(
    ConvAiWebhookEventType Type,
    DateTimeOffset? Timestamp,
    string? ConversationId,
    int DataStart,
    int DataLength);
