using Microsoft.Extensions.Logging;

namespace ConvAi.Telephony;

/// <summary>Log messages of live conversations: ids, codes and sizes only, never audio, transcripts or the socket URL.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 1100, Level = LogLevel.Debug, Message = "Opened the agent socket for agent {AgentId} at {Host} ({UrlKind} URL).")]
    public static partial void SessionConnected(ILogger logger, string agentId, string host, string urlKind);

    [LoggerMessage(EventId = 1101, Level = LogLevel.Information, Message = "Conversation {ConversationId} started with agent {AgentId}.")]
    public static partial void SessionStarted(ILogger logger, string conversationId, string agentId);

    [LoggerMessage(EventId = 1102, Level = LogLevel.Information, Message = "Conversation {ConversationId} closed with {CloseCode} ({CloseKind}) by the {ClosedBy}.")]
    public static partial void SessionClosed(ILogger logger, string? conversationId, int closeCode, ConversationCloseKind closeKind, string closedBy);

    [LoggerMessage(EventId = 1103, Level = LogLevel.Warning, Message = "The connection of conversation {ConversationId} dropped without a close.")]
    public static partial void SessionConnectionLost(ILogger logger, string? conversationId, Exception exception);

    [LoggerMessage(EventId = 1104, Level = LogLevel.Warning, Message = "Conversation {ConversationId}: skipped a message of {Length} bytes that is not a JSON object with a type.")]
    public static partial void SessionMalformedMessage(ILogger logger, string? conversationId, int length);

    [LoggerMessage(EventId = 1105, Level = LogLevel.Error, Message = "Conversation {ConversationId}: the agent sent a message over the {Limit}-byte limit; closing with 1009.")]
    public static partial void SessionMessageTooLarge(ILogger logger, string? conversationId, int limit);

    [LoggerMessage(EventId = 1106, Level = LogLevel.Error, Message = "Conversation {ConversationId}: the event buffer ({Capacity} events) is full because events are not read; closing with 1011.")]
    public static partial void SessionEventBufferOverflow(ILogger logger, string? conversationId, int capacity);

    [LoggerMessage(EventId = 1107, Level = LogLevel.Warning, Message = "Conversation {ConversationId}: the agent did not answer the close within {TimeoutMs} ms; the socket was aborted.")]
    public static partial void SessionCloseTimedOut(ILogger logger, string? conversationId, double timeoutMs);

    [LoggerMessage(EventId = 1108, Level = LogLevel.Error, Message = "Conversation {ConversationId}: the audio sink threw; the message was skipped.")]
    public static partial void SessionAudioSinkFailed(ILogger logger, Exception exception, string? conversationId);
}
