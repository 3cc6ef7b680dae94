using System.Buffers.Text;
using System.Text.Json;

namespace ConvAi.Telephony;

/// <summary>
/// Writes the client-to-agent messages (api-reference §11; AsyncAPI <c>*Payload</c> schemas) into pooled arrays, each a
/// complete JSON text frame. Audio is written around the payload by hand (no JSON writer, no string).
/// </summary>
internal static class ClientMessages
{
    // {"user_audio_chunk":"<base64>"}
    private static ReadOnlySpan<byte> AudioPrefix => "{\"user_audio_chunk\":\""u8;

    private static ReadOnlySpan<byte> AudioSuffix => "\"}"u8;

    /// <summary>The metric type of audio messages, which have no <c>type</c> on the wire.</summary>
    public const string AudioType = "user_audio_chunk";

    /// <summary>Base64-encodes raw audio into a pooled <c>user_audio_chunk</c> message.</summary>
    public static OutgoingMessage Audio(ReadOnlySpan<byte> audio)
    {
        var length = AudioPrefix.Length + Base64.GetMaxEncodedToUtf8Length(audio.Length) + AudioSuffix.Length;
        var buffer = RealtimeBuffers.Rent(length);
        AudioPrefix.CopyTo(buffer);
        Base64.EncodeToUtf8(audio, buffer.AsSpan(AudioPrefix.Length), out _, out var written);
        var end = AudioPrefix.Length + written;
        AudioSuffix.CopyTo(buffer.AsSpan(end));
        return new OutgoingMessage(buffer, end + AudioSuffix.Length, AudioType);
    }

    /// <summary>Copies already base64-encoded audio (UTF-8) into a pooled <c>user_audio_chunk</c> message, without decoding it.</summary>
    public static OutgoingMessage AudioBase64(ReadOnlySpan<byte> base64Utf8)
    {
        var length = AudioPrefix.Length + base64Utf8.Length + AudioSuffix.Length;
        var buffer = RealtimeBuffers.Rent(length);
        AudioPrefix.CopyTo(buffer);
        base64Utf8.CopyTo(buffer.AsSpan(AudioPrefix.Length));
        AudioSuffix.CopyTo(buffer.AsSpan(AudioPrefix.Length + base64Utf8.Length));
        return new OutgoingMessage(buffer, length, AudioType);
    }

    public static OutgoingMessage Pong(long eventId)
        => Write(ConversationMessageTypes.Pong, eventId, static (w, id) =>
        {
            w.WriteString("type"u8, ConversationMessageTypes.Pong);
            w.WriteNumber("event_id"u8, id);
        });

    public static OutgoingMessage UserMessage(string text)
        => Write(ConversationMessageTypes.UserMessage, text, static (w, t) =>
        {
            w.WriteString("type"u8, ConversationMessageTypes.UserMessage);
            w.WriteString("text"u8, t);
        });

    public static OutgoingMessage UserActivity()
        => Write(ConversationMessageTypes.UserActivity, 0, static (w, _) => w.WriteString("type"u8, ConversationMessageTypes.UserActivity));

    public static OutgoingMessage ContextualUpdate(string text, string? contextId)
        => Write(ConversationMessageTypes.ContextualUpdate, (text, contextId), static (w, s) =>
        {
            w.WriteString("type"u8, ConversationMessageTypes.ContextualUpdate);
            w.WriteString("text"u8, s.text);
            if (s.contextId is not null)
            {
                w.WriteString("context_id"u8, s.contextId);
            }
        });

    public static OutgoingMessage ClientToolResult(string toolCallId, string result, bool isError)
        => Write(ConversationMessageTypes.ClientToolResult, (toolCallId, result, isError), static (w, s) =>
        {
            w.WriteString("type"u8, ConversationMessageTypes.ClientToolResult);
            w.WriteString("tool_call_id"u8, s.toolCallId);
            w.WriteString("result"u8, s.result);
            w.WriteBoolean("is_error"u8, s.isError);
        });

    public static OutgoingMessage Feedback(long eventId, ConversationFeedbackScore score)
        => Write(ConversationMessageTypes.Feedback, (eventId, score), static (w, s) =>
        {
            w.WriteString("type"u8, ConversationMessageTypes.Feedback);
            w.WriteNumber("event_id"u8, s.eventId);
            w.WriteString("score"u8, s.score.Value);
        });

    public static OutgoingMessage McpToolApprovalResult(string toolCallId, bool isApproved)
        => Write(ConversationMessageTypes.McpToolApprovalResult, (toolCallId, isApproved), static (w, s) =>
        {
            w.WriteString("type"u8, ConversationMessageTypes.McpToolApprovalResult);
            w.WriteString("tool_call_id"u8, s.toolCallId);
            w.WriteBoolean("is_approved"u8, s.isApproved);
        });

    /// <summary>
    /// <c>{"type":"conversation_initiation_client_data", …}</c>: the fields of <paramref name="data"/> as the HTTP API writes
    /// them (source-generated, nulls omitted), after the type.
    /// </summary>
    public static OutgoingMessage Initiation(ConversationInitiationClientData data)
    {
        var element = JsonSerializer.SerializeToElement(data, ConvAiJsonContext.Default.ConversationInitiationClientData);
        return Write(ConversationMessageTypes.ConversationInitiationClientData, element, static (w, e) =>
        {
            w.WriteString("type"u8, ConversationMessageTypes.ConversationInitiationClientData);
            foreach (var property in e.EnumerateObject())
            {
                property.WriteTo(w);
            }
        });
    }

    private static OutgoingMessage Write<TState>(string type, TState state, Action<Utf8JsonWriter, TState> body)
    {
        var buffer = new PooledBufferWriter();
        try
        {
            using (var writer = new Utf8JsonWriter(buffer))
            {
                writer.WriteStartObject();
                body(writer, state);
                writer.WriteEndObject();
            }

            return buffer.Detach(type);
        }
        finally
        {
            buffer.Release();
        }
    }
}
