using System.Buffers;
using System.Buffers.Text;
using System.Text.Json;

namespace ConvAi.Telephony;

/// <summary>
/// One message the agent sent during a live conversation, read from <see cref="ConversationSession.ReadEventsAsync"/>.
/// Each server message type has its own sealed record; a type this library does not know arrives as
/// <see cref="UnknownConversationEvent"/> with its raw JSON, and the enumeration ends with a <see cref="ConversationClosedEvent"/>.
/// </summary>
public abstract record ConversationEvent
{
    /// <summary>Initializes a new instance of the <see cref="ConversationEvent"/> class.</summary>
    /// <param name="type">The wire <c>type</c> of the message.</param>
    private protected ConversationEvent(string type) => Type = type;

    /// <summary>Gets the wire <c>type</c> of the message, for example <c>agent_response</c>.</summary>
    public string Type { get; }
}

/// <summary>
/// The conversation started (<c>conversation_initiation_metadata</c>): its id and the audio formats of both directions.
/// The same values are on <see cref="ConversationSession.ConversationId"/> and its format properties once it has arrived.
/// </summary>
public sealed record ConversationStartedEvent : ConversationEvent
{
    internal ConversationStartedEvent()
        : base(ConversationMessageTypes.ConversationInitiationMetadata)
    {
    }

    /// <summary>Gets the id of the conversation, to read it later with <see cref="ConversationsClient.GetAsync"/>.</summary>
    public string ConversationId { get; init; } = string.Empty;

    /// <summary>Gets the format of the audio the agent sends (<see cref="AgentAudioEvent"/>).</summary>
    public ConversationAudioFormat? AgentOutputAudioFormat { get; init; }

    /// <summary>Gets the format the agent expects for <see cref="ConversationSession.SendAudioAsync"/>.</summary>
    public ConversationAudioFormat? UserInputAudioFormat { get; init; }
}

/// <summary>
/// A chunk of the agent's speech (<c>audio</c>). The audio stays base64 as it came (UTF-8 bytes, no decoding on receipt):
/// pass <see cref="AudioBase64"/> straight to another base64 consumer (a Twilio media stream), or decode it with
/// <see cref="DecodeAudio()"/> or <see cref="TryDecodeAudio"/> when you need the samples.
/// </summary>
public sealed record AgentAudioEvent : ConversationEvent
{
    internal AgentAudioEvent()
        : base(ConversationMessageTypes.Audio)
    {
    }

    /// <summary>Gets the id of the agent turn this audio belongs to; audio of an interrupted turn is dropped (see <see cref="InterruptionEvent"/>).</summary>
    public long EventId { get; init; }

    /// <summary>Gets the audio as base64 text in UTF-8 bytes (<c>audio_base_64</c>), in <see cref="ConversationSession.AgentOutputAudioFormat"/>.</summary>
    public ReadOnlyMemory<byte> AudioBase64 { get; init; }

    /// <summary>Gets the character timing of the spoken text (<c>alignment</c>) when the agent sent it, as raw JSON.</summary>
    public JsonElement? Alignment { get; init; }

    /// <summary>Gets the number of bytes the decoded audio has.</summary>
    public int DecodedLength => Base64.GetMaxDecodedFromUtf8Length(AudioBase64.Length) - Padding(AudioBase64.Span);

    /// <summary>Decodes the audio into a new array.</summary>
    /// <returns>The raw audio bytes.</returns>
    /// <exception cref="FormatException">The agent sent text that is not base64.</exception>
    public byte[] DecodeAudio()
    {
        var bytes = new byte[DecodedLength];
        if (!TryDecodeAudio(bytes, out var written))
        {
            throw new FormatException("The agent's audio is not valid base64.");
        }

        return written == bytes.Length ? bytes : bytes[..written];
    }

    /// <summary>Decodes the audio into a buffer of yours (for example a pooled one) without allocating.</summary>
    /// <param name="destination">Where to write the audio; it needs <see cref="DecodedLength"/> bytes.</param>
    /// <param name="bytesWritten">The number of bytes written.</param>
    /// <returns>True when the audio was decoded; false when the buffer is too small or the text is not base64.</returns>
    public bool TryDecodeAudio(Span<byte> destination, out int bytesWritten)
        => Base64.DecodeFromUtf8(AudioBase64.Span, destination, out _, out bytesWritten) == OperationStatus.Done;

    private static int Padding(ReadOnlySpan<byte> base64)
        => base64.Length == 0 ? 0 : base64[^1] != (byte)'=' ? 0 : base64.Length > 1 && base64[^2] == (byte)'=' ? 2 : 1;
}

/// <summary>
/// The user interrupted the agent (<c>interruption</c>): stop playing the agent's audio now. The session drops any later
/// audio whose <see cref="AgentAudioEvent.EventId"/> is at most <see cref="EventId"/>, and audio of that turn still in its buffer.
/// </summary>
public sealed record InterruptionEvent : ConversationEvent
{
    internal InterruptionEvent()
        : base(ConversationMessageTypes.Interruption)
    {
    }

    /// <summary>Gets the id of the interrupted agent turn.</summary>
    public long EventId { get; init; }
}

/// <summary>The final transcript of what the user said (<c>user_transcript</c>).</summary>
public sealed record UserTranscriptEvent : ConversationEvent
{
    internal UserTranscriptEvent()
        : base(ConversationMessageTypes.UserTranscript)
    {
    }

    /// <summary>Gets the id of the user turn.</summary>
    public long EventId { get; init; }

    /// <summary>Gets the transcript.</summary>
    public string Text { get; init; } = string.Empty;
}

/// <summary>A transcript of what the user is saying that may still change (<c>tentative_user_transcript</c>).</summary>
public sealed record TentativeUserTranscriptEvent : ConversationEvent
{
    internal TentativeUserTranscriptEvent()
        : base(ConversationMessageTypes.TentativeUserTranscript)
    {
    }

    /// <summary>Gets the id of the user turn.</summary>
    public long EventId { get; init; }

    /// <summary>Gets the transcript so far.</summary>
    public string Text { get; init; } = string.Empty;
}

/// <summary>What the agent says in one turn, as text (<c>agent_response</c>).</summary>
public sealed record AgentResponseEvent : ConversationEvent
{
    internal AgentResponseEvent()
        : base(ConversationMessageTypes.AgentResponse)
    {
    }

    /// <summary>Gets the id of the agent turn; its audio carries the same id.</summary>
    public long EventId { get; init; }

    /// <summary>Gets the text of the agent's response.</summary>
    public string Text { get; init; } = string.Empty;
}

/// <summary>The agent's text corrected after an interruption to what was actually spoken (<c>agent_response_correction</c>).</summary>
public sealed record AgentResponseCorrectionEvent : ConversationEvent
{
    internal AgentResponseCorrectionEvent()
        : base(ConversationMessageTypes.AgentResponseCorrection)
    {
    }

    /// <summary>Gets the id of the corrected agent turn.</summary>
    public long EventId { get; init; }

    /// <summary>Gets the response as first sent.</summary>
    public string OriginalText { get; init; } = string.Empty;

    /// <summary>Gets the response as spoken before the interruption.</summary>
    public string CorrectedText { get; init; } = string.Empty;
}

/// <summary>
/// A streamed part of the agent's text in text-only conversations (<c>agent_chat_response_part</c>): a <c>start</c>,
/// any number of <c>delta</c>s, then a <c>stop</c>.
/// </summary>
public sealed record AgentChatResponsePartEvent : ConversationEvent
{
    internal AgentChatResponsePartEvent()
        : base(ConversationMessageTypes.AgentChatResponsePart)
    {
    }

    /// <summary>Gets the id of the agent turn.</summary>
    public long EventId { get; init; }

    /// <summary>Gets the part's kind: <c>start</c>, <c>delta</c> or <c>stop</c>.</summary>
    public string PartType { get; init; } = string.Empty;

    /// <summary>Gets the text of the part (empty for <c>start</c> and <c>stop</c>).</summary>
    public string Text { get; init; } = string.Empty;
}

/// <summary>
/// The agent asks your code to run a client tool (<c>client_tool_call</c>). Answer with
/// <see cref="ConversationSession.SendToolResultAsync"/> and the same <see cref="ToolCallId"/>.
/// </summary>
public sealed record ClientToolCallEvent : ConversationEvent
{
    internal ClientToolCallEvent()
        : base(ConversationMessageTypes.ClientToolCall)
    {
    }

    /// <summary>Gets the id of the event.</summary>
    public long EventId { get; init; }

    /// <summary>Gets the name of the tool, as configured on the agent.</summary>
    public string ToolName { get; init; } = string.Empty;

    /// <summary>Gets the id to send back with the result.</summary>
    public string ToolCallId { get; init; } = string.Empty;

    /// <summary>Gets the parameters the agent chose, as a JSON object.</summary>
    public JsonElement Parameters { get; init; }
}

/// <summary>The voice-activity score of the user's audio, from 0 to 1 (<c>vad_score</c>).</summary>
public sealed record VadScoreEvent : ConversationEvent
{
    internal VadScoreEvent()
        : base(ConversationMessageTypes.VadScore)
    {
    }

    /// <summary>Gets the score: 0 is silence, 1 is certain speech.</summary>
    public double Score { get; init; }
}

/// <summary>
/// The agent reports an error (<c>error</c>), usually just before it closes the socket; the close that follows carries
/// the same code in <see cref="ConversationCloseReason"/>.
/// </summary>
public sealed record ConversationErrorEvent : ConversationEvent
{
    internal ConversationErrorEvent()
        : base(ConversationMessageTypes.Error)
    {
    }

    /// <summary>Gets the WebSocket close code the error maps to (1000, 1002, 1008 or 1011).</summary>
    public int? Code { get; init; }

    /// <summary>Gets the human-readable description.</summary>
    public string? Message { get; init; }

    /// <summary>Gets the error type, for example <c>missing_dynamic_variable</c> or <c>transport_receive_timeout</c>.</summary>
    public string? ErrorType { get; init; }

    /// <summary>Gets the generic reason the server gives every client.</summary>
    public string? Reason { get; init; }
}

/// <summary>
/// A message whose type this version of the library does not model (for example <c>agent_tool_response</c>,
/// <c>mcp_tool_call</c> or <c>context_usage</c>), or a known type whose fields did not fit; it is kept as raw JSON and never fatal.
/// </summary>
public sealed record UnknownConversationEvent : ConversationEvent
{
    internal UnknownConversationEvent(string type)
        : base(type)
    {
    }

    /// <summary>Gets the whole message as JSON.</summary>
    public JsonElement Json { get; init; }
}

/// <summary>The last event of every session: the socket closed, and why.</summary>
public sealed record ConversationClosedEvent : ConversationEvent
{
    internal ConversationClosedEvent()
        : base("closed")
    {
    }

    /// <summary>Gets why the conversation ended.</summary>
    public ConversationCloseReason Reason { get; init; } = null!;
}
