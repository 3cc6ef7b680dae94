using Microsoft.Extensions.Logging;

namespace ConvAi.Telephony;

/// <summary>Source-generated webhook logs (event ids 4001-4099). Ids and statuses only: never secrets, signatures or transcript text.</summary>
internal static partial class WebhookLog
{
    [LoggerMessage(EventId = 4001, Level = LogLevel.Warning, Message = "Rejected an ElevenLabs webhook with {StatusCode}: {Reason}.")]
    public static partial void Rejected(ILogger logger, int statusCode, string reason);

    [LoggerMessage(EventId = 4003, Level = LogLevel.Information, Message = "Ignored a duplicate {EventType} webhook for conversation {ConversationId}.")]
    public static partial void Duplicate(ILogger logger, string eventType, string? conversationId);

    [LoggerMessage(EventId = 4004, Level = LogLevel.Debug, Message = "Accepted a {EventType} webhook for conversation {ConversationId}.")]
    public static partial void Accepted(ILogger logger, string eventType, string? conversationId);

    [LoggerMessage(EventId = 4005, Level = LogLevel.Error, Message = "The handler failed for a {EventType} webhook for conversation {ConversationId} ({ExceptionType}) and the delivery could not be kept; answered 500 and released the claim so that a retry by the sender is processed.")]
    public static partial void HandlerFailed(ILogger logger, string eventType, string? conversationId, string exceptionType);

    [LoggerMessage(EventId = 4006, Level = LogLevel.Error, Message = "The delivery store failed for a {EventType} webhook for conversation {ConversationId} ({ExceptionType}); answered 503 so that a retry is processed.")]
    public static partial void StoreUnavailable(ILogger logger, string eventType, string? conversationId, string exceptionType);

    [LoggerMessage(EventId = 4007, Level = LogLevel.Warning, Message = "The handler failed for a {EventType} webhook for conversation {ConversationId} ({ExceptionType}); the delivery is in the inbox for retries and was answered 200.")]
    public static partial void HandlerFailedQueued(ILogger logger, string eventType, string? conversationId, string exceptionType);

    [LoggerMessage(EventId = 4008, Level = LogLevel.Debug, Message = "Queued a {EventType} webhook for conversation {ConversationId}.")]
    public static partial void Queued(ILogger logger, string eventType, string? conversationId);

    [LoggerMessage(EventId = 4009, Level = LogLevel.Error, Message = "The inbox refused a {EventType} webhook for conversation {ConversationId} ({Reason}); answered 503 and released the claim so that a retry by the sender is processed.")]
    public static partial void InboxRefused(ILogger logger, string eventType, string? conversationId, string reason);

    [LoggerMessage(EventId = 4010, Level = LogLevel.Error, Message = "Could not mark conversation {ConversationId} processed ({ExceptionType}); a redelivery of it may be processed again.")]
    public static partial void MarkFailed(ILogger logger, string? conversationId, string exceptionType);

    [LoggerMessage(EventId = 4011, Level = LogLevel.Warning, Message = "The handler failed for a {EventType} webhook for conversation {ConversationId} (attempt {Attempt}, {ExceptionType}); retrying at {DueAt:O}.")]
    public static partial void RetryScheduled(ILogger logger, string eventType, string? conversationId, int attempt, string exceptionType, DateTimeOffset dueAt);

    [LoggerMessage(EventId = 4012, Level = LogLevel.Error, Message = "The handler failed for a {EventType} webhook for conversation {ConversationId} on the last attempt ({Attempt}, {ExceptionType}); moved it to the dead-letter list (inbox id {InboxId}).")]
    public static partial void DeadLettered(ILogger logger, string eventType, string? conversationId, int attempt, string exceptionType, string inboxId);

    [LoggerMessage(EventId = 4013, Level = LogLevel.Debug, Message = "Processed a queued {EventType} webhook for conversation {ConversationId} (attempt {Attempt}).")]
    public static partial void ProcessedQueued(ILogger logger, string eventType, string? conversationId, int attempt);

    [LoggerMessage(EventId = 4014, Level = LogLevel.Information, Message = "Skipped a queued {EventType} webhook for conversation {ConversationId}: already processed.")]
    public static partial void AlreadyProcessed(ILogger logger, string eventType, string? conversationId);

    [LoggerMessage(EventId = 4015, Level = LogLevel.Warning, Message = "The webhook processor stopped with {Count} deliveries still in the in-memory inbox; they are lost with this process (reconciliation recovers transcriptions).")]
    public static partial void LeftInInbox(ILogger logger, int count);

    [LoggerMessage(EventId = 4016, Level = LogLevel.Error, Message = "The webhook inbox failed ({ExceptionType}); the processor tries again.")]
    public static partial void InboxFailed(ILogger logger, string exceptionType);

    [LoggerMessage(EventId = 4017, Level = LogLevel.Warning, Message = "Reconciled conversation {ConversationId}: no webhook had delivered its transcription; dispatched it from the API.")]
    public static partial void Reconciled(ILogger logger, string conversationId);

    [LoggerMessage(EventId = 4018, Level = LogLevel.Error, Message = "Could not reconcile conversation {ConversationId} ({ExceptionType}); the next pass tries again.")]
    public static partial void ReconcileFailed(ILogger logger, string conversationId, string exceptionType);

    [LoggerMessage(EventId = 4019, Level = LogLevel.Error, Message = "Could not list the conversations of agent {AgentId} to reconcile ({ExceptionType}); the next pass tries again.")]
    public static partial void ReconcileListFailed(ILogger logger, string? agentId, string exceptionType);

    [LoggerMessage(EventId = 4020, Level = LogLevel.Error, Message = "The app's webhook endpoint failed for a {EventType} webhook for conversation {ConversationId} ({Failure}); the delivery is kept as a dead letter (inbox id {InboxId}) and was answered 200.")]
    public static partial void EndpointFailedDeadLettered(ILogger logger, string eventType, string? conversationId, string failure, string inboxId);

    [LoggerMessage(EventId = 4021, Level = LogLevel.Warning, Message = "Lost the claim of a {EventType} webhook for conversation {ConversationId} while its handler ran (the claim had ended: the process paused longer than the lease, or the store was unreachable); another process may process it too.")]
    public static partial void ClaimLost(ILogger logger, string eventType, string? conversationId);

    [LoggerMessage(EventId = 4022, Level = LogLevel.Warning, Message = "Could not renew the claim of a {EventType} webhook for conversation {ConversationId} ({ExceptionType}); the next renewal tries again.")]
    public static partial void ClaimRenewalFailed(ILogger logger, string eventType, string? conversationId, string exceptionType);
}
