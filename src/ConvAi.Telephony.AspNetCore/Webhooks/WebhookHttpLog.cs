using System.Net;
using Microsoft.Extensions.Logging;

namespace ConvAi.Telephony.AspNetCore;

/// <summary>Source-generated logs of the HTTP half of webhook receiving (event ids 4001-4002, as the core's receiver). Never secrets, signatures or bodies.</summary>
internal static partial class WebhookHttpLog
{
    [LoggerMessage(EventId = 4001, Level = LogLevel.Warning, Message = "Rejected an ElevenLabs webhook with {StatusCode}: {Reason}.")]
    public static partial void Rejected(ILogger logger, int statusCode, string reason);

    [LoggerMessage(EventId = 4002, Level = LogLevel.Warning, Message = "Rejected an ElevenLabs webhook from {RemoteAddress}: not in the source-IP allowlist.")]
    public static partial void ForbiddenSource(ILogger logger, IPAddress? remoteAddress);
}
