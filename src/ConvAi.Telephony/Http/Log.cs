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

    [LoggerMessage(EventId = 1010, Level = LogLevel.Warning, Message = "Retrying {OperationKind} {Method} {Path} after {Outcome}: retry {Retry} in {DelayMs} ms.")]
    public static partial void RetryScheduled(ILogger logger, string operationKind, string method, string? path, string outcome, int retry, double delayMs);

    [LoggerMessage(EventId = 1011, Level = LogLevel.Warning, Message = "Not retrying {OperationKind} {Method} {Path}: the server asked to wait {RetryAfterMs} ms, past the remaining {RemainingMs} ms of ConvAi:Resilience:TotalTimeout.")]
    public static partial void RetryAfterBeyondBudget(ILogger logger, string operationKind, string method, string? path, double retryAfterMs, double remainingMs);

    [LoggerMessage(EventId = 1012, Level = LogLevel.Error, Message = "The ConvAi.Telephony circuit opened for {BreakDurationMs} ms after {Outcome}; requests fail fast until it closes.")]
    public static partial void CircuitOpened(ILogger logger, double breakDurationMs, string outcome);

    [LoggerMessage(EventId = 1013, Level = LogLevel.Information, Message = "The ConvAi.Telephony circuit is half-open: the next request tests the API.")]
    public static partial void CircuitHalfOpened(ILogger logger);

    [LoggerMessage(EventId = 1014, Level = LogLevel.Information, Message = "The ConvAi.Telephony circuit closed.")]
    public static partial void CircuitClosed(ILogger logger);

    [LoggerMessage(EventId = 1015, Level = LogLevel.Warning, Message = "The ConvAi.Telephony concurrency queue is full (ConvAi:Resilience:MaxQueuedRequests); the request was not sent.")]
    public static partial void ConcurrencyQueueFull(ILogger logger);

    [LoggerMessage(EventId = 1016, Level = LogLevel.Debug, Message = "The ElevenLabs API answered 429 to {OperationKind} {Method} {Path} (concurrent requests {Current} of {Maximum}).")]
    public static partial void RateLimited(ILogger logger, string operationKind, string method, string? path, string? current, string? maximum);

    [LoggerMessage(EventId = 1020, Level = LogLevel.Debug, Message = "Sending {Method} {Path}.")]
    public static partial void AttemptStarted(ILogger logger, string method, string? path);

    [LoggerMessage(EventId = 1021, Level = LogLevel.Debug, Message = "{Method} {Path} answered {StatusCode} after {ElapsedMs} ms.")]
    public static partial void AttemptAnswered(ILogger logger, string method, string? path, int statusCode, double elapsedMs);

    [LoggerMessage(EventId = 1022, Level = LogLevel.Debug, Message = "{Method} {Path} failed after {ElapsedMs} ms: {Error}.")]
    public static partial void AttemptFailed(ILogger logger, string method, string? path, string error, double elapsedMs);
}
