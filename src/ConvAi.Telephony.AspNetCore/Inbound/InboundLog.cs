using Microsoft.Extensions.Logging;

namespace ConvAi.Telephony.AspNetCore;

/// <summary>Source-generated logs of the inbound endpoints. Ids only: never tokens, secrets, signatures or caller data.</summary>
internal static partial class InboundLog
{
    public const string CategoryName = "ConvAi.Telephony.AspNetCore.Inbound";

    [LoggerMessage(EventId = 3001, Level = LogLevel.Warning, Message = "Rejected a Twilio request to {Path}: the X-Twilio-Signature header is missing or does not match.")]
    public static partial void TwilioSignatureRejected(ILogger logger, string path);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Warning, Message = "Accepted a Twilio request to {Path} WITHOUT signature validation (DangerouslyDisableSignatureValidation is set). Never run like this in production.")]
    public static partial void TwilioSignatureValidationDisabled(ILogger logger, string path);

    [LoggerMessage(EventId = 3003, Level = LogLevel.Warning, Message = "Rejected a Twilio request to {Path}: {Reason}.")]
    public static partial void TwilioBadRequest(ILogger logger, string path, string reason);

    [LoggerMessage(EventId = 3004, Level = LogLevel.Error, Message = "Twilio call {CallSid}: the call router failed; answering the fallback TwiML.")]
    public static partial void TwilioRouterFailed(ILogger logger, Exception exception, string callSid);

    [LoggerMessage(EventId = 3006, Level = LogLevel.Error, Message = "Twilio call {CallSid}: register-call for agent {AgentId} failed; answering the fallback TwiML.")]
    public static partial void TwilioRegisterCallFailed(ILogger logger, Exception exception, string callSid, string agentId);

    [LoggerMessage(EventId = 3007, Level = LogLevel.Information, Message = "Twilio call {CallSid}: connected to agent {AgentId}.")]
    public static partial void TwilioCallRegistered(ILogger logger, string callSid, string agentId);

    [LoggerMessage(EventId = 3008, Level = LogLevel.Information, Message = "Twilio call {CallSid}: answered with the router's own TwiML.")]
    public static partial void TwilioCallAnsweredByRouter(ILogger logger, string callSid);

    [LoggerMessage(EventId = 3011, Level = LogLevel.Warning, Message = "Rejected a conversation-initiation request to {Path}: the secret header is missing or does not match.")]
    public static partial void InitiationUnauthorized(ILogger logger, string path);

    [LoggerMessage(EventId = 3012, Level = LogLevel.Warning, Message = "Accepted a conversation-initiation request to {Path} WITHOUT authentication (DangerouslyDisableAuthentication is set). Never run like this in production.")]
    public static partial void InitiationAuthenticationDisabled(ILogger logger, string path);

    [LoggerMessage(EventId = 3013, Level = LogLevel.Warning, Message = "Rejected a conversation-initiation request to {Path}: the body is not valid JSON or form data.")]
    public static partial void InitiationBadRequest(ILogger logger, string path);

    [LoggerMessage(EventId = 3014, Level = LogLevel.Error, Message = "Conversation initiation for call {CallSid}: the handler failed; answering the default response.")]
    public static partial void InitiationHandlerFailed(ILogger logger, Exception exception, string? callSid);

    [LoggerMessage(EventId = 3015, Level = LogLevel.Error, Message = "Conversation initiation for call {CallSid}: the handler did not answer within {Timeout}; answering the default response.")]
    public static partial void InitiationHandlerTimedOut(ILogger logger, string? callSid, TimeSpan timeout);
}
