using System.Net;

namespace ConvAi.Telephony;

/// <summary>
/// The one list of answers after which the same request may succeed later: 408, 429, 500, 502, 503, 504. The resilience
/// pipeline retries requests that are safe to repeat on these, and <see cref="ConvAiApiException.IsTransient"/> reports them.
/// </summary>
internal static class TransientStatus
{
    /// <summary>Returns true for 408, 429, 500, 502, 503 and 504.</summary>
    public static bool Contains(HttpStatusCode status) => status is HttpStatusCode.RequestTimeout
        or HttpStatusCode.TooManyRequests
        or HttpStatusCode.InternalServerError
        or HttpStatusCode.BadGateway
        or HttpStatusCode.ServiceUnavailable
        or HttpStatusCode.GatewayTimeout;
}
