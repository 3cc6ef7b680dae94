using System.Net;
using Microsoft.Extensions.Logging;

namespace ConvAi.Telephony.AspNetCore;

/// <summary>Source-generated webhook logs (event ids 4001-4099). Ids and statuses only: never secrets, signatures or transcript text.</summary>
internal static partial class WebhookLog
{
    [LoggerMessage(EventId = 4001, Level = LogLevel.Warning, Message = "Rejected an ElevenLabs webhook with {StatusCode}: {Reason}.")]
    public static partial void Rejected(ILogger logger, int statusCode, string reason);

    [LoggerMessage(EventId = 4002, Level = LogLevel.Warning, Message = "Rejected an ElevenLabs webhook from {RemoteAddress}: not in the source-IP allowlist.")]
    public static partial void ForbiddenSource(ILogger logger, IPAddress? remoteAddress);

    [LoggerMessage(EventId = 4003, Level = LogLevel.Information, Message = "Ignored a duplicate {EventType} webhook for conversation {ConversationId}.")]
    public static partial void Duplicate(ILogger logger, string eventType, string? conversationId);

    [LoggerMessage(EventId = 4004, Level = LogLevel.Debug, Message = "Accepted a {EventType} webhook for conversation {ConversationId}.")]
    public static partial void Accepted(ILogger logger, string eventType, string? conversationId);

    [LoggerMessage(EventId = 4005, Level = LogLevel.Error, Message = "The handler failed for a {EventType} webhook for conversation {ConversationId} ({ExceptionType}); answered 500 so that a retry is processed.")]
    public static partial void HandlerFailed(ILogger logger, string eventType, string? conversationId, string exceptionType);

    [LoggerMessage(EventId = 4006, Level = LogLevel.Error, Message = "The delivery store failed for a {EventType} webhook for conversation {ConversationId} ({ExceptionType}); answered 503 so that a retry is processed.")]
    public static partial void StoreUnavailable(ILogger logger, string eventType, string? conversationId, string exceptionType);
}
