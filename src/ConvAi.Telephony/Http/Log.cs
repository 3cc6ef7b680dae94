using Microsoft.Extensions.Logging;

namespace ConvAi.Telephony;

/// <summary>Source-generated log messages of the core client. They carry ids and status codes only, never secrets or transcript text.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 1001, Level = LogLevel.Warning, Message = "ElevenLabs API {Method} {Path} answered {StatusCode} (code {ErrorCode}, request id {RequestId}).")]
    public static partial void ApiError(ILogger logger, string method, string? path, int statusCode, string? errorCode, string? requestId);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Error, Message = "The outcome of {Operation} for agent {AgentId} is unknown; the call may have been placed.")]
    public static partial void OutcomeUnknown(ILogger logger, string operation, string? agentId, Exception exception);

    [LoggerMessage(EventId = 1003, Level = LogLevel.Warning, Message = "The outbound call for agent {AgentId} was rejected (conversation {ConversationId}).")]
    public static partial void CallRejected(ILogger logger, string? agentId, string? conversationId);
}
