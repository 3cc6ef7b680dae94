using Microsoft.Extensions.Logging;

namespace ConvAi.Telephony.AspNetCore;

/// <summary>Source-generated logs of the media-stream bridge. Ids only: never tokens, secrets, audio, transcripts or caller numbers.</summary>
internal static partial class MediaStreamLog
{
    public const string CategoryName = "ConvAi.Telephony.AspNetCore.MediaStreams";

    [LoggerMessage(EventId = 3101, Level = LogLevel.Information, Message = "Twilio call {CallSid}: answered the voice webhook with a media stream to {StreamUrl}.")]
    public static partial void VoiceAnswered(ILogger logger, string callSid, string streamUrl);

    [LoggerMessage(EventId = 3102, Level = LogLevel.Error, Message = "Twilio call {CallSid}: the bridge handler's OnIncomingCallAsync failed; answering the fallback TwiML.")]
    public static partial void IncomingCallHookFailed(ILogger logger, Exception exception, string callSid);

    [LoggerMessage(EventId = 3103, Level = LogLevel.Information, Message = "Twilio call {CallSid}: the stream ended; answering {Answer}.")]
    public static partial void AfterStreamAnswered(ILogger logger, string callSid, string answer);

    [LoggerMessage(EventId = 3104, Level = LogLevel.Warning, Message = "Refused a media stream on {Path}: {Reason}.")]
    public static partial void StreamRefused(ILogger logger, string path, string reason);

    [LoggerMessage(EventId = 3105, Level = LogLevel.Information, Message = "Twilio call {CallSid}: stream {StreamSid} started.")]
    public static partial void StreamStarted(ILogger logger, string callSid, string streamSid);

    [LoggerMessage(EventId = 3106, Level = LogLevel.Information, Message = "Twilio call {CallSid}: the call ended by the {EndedBy} ({Error}): {Message}")]
    public static partial void CallEnded(ILogger logger, string? callSid, LiveCallEndedBy endedBy, LiveCallError error, string message);

    [LoggerMessage(EventId = 3107, Level = LogLevel.Error, Message = "Twilio call {CallSid}: the bridge handler's {Hook} failed; the call goes on.")]
    public static partial void HookFailed(ILogger logger, Exception exception, string? callSid, string hook);

    [LoggerMessage(EventId = 3108, Level = LogLevel.Error, Message = "Twilio call {CallSid}: the client tool {ToolName} failed; an error result was sent to the agent.")]
    public static partial void ToolFailed(ILogger logger, Exception exception, string? callSid, string toolName);

    [LoggerMessage(EventId = 3109, Level = LogLevel.Warning, Message = "Twilio call {CallSid}: {Count} hook notifications were dropped because the hooks fell behind.")]
    public static partial void HooksDropped(ILogger logger, string? callSid, long count);

    [LoggerMessage(EventId = 3110, Level = LogLevel.Information, Message = "Stopping: waiting up to {Timeout} for {Count} live calls to finish.")]
    public static partial void Draining(ILogger logger, int count, TimeSpan timeout);

    [LoggerMessage(EventId = 3111, Level = LogLevel.Warning, Message = "Stopping: ending {Count} calls that outlived the shutdown timeout.")]
    public static partial void EndingOnShutdown(ILogger logger, int count);

    [LoggerMessage(EventId = 3112, Level = LogLevel.Warning, Message = "Twilio call {CallSid}: {Count} caller audio frames were dropped while waiting for the agent to start.")]
    public static partial void HeldAudioDropped(ILogger logger, string? callSid, long count);
}
