using Microsoft.Extensions.Primitives;

namespace ConvAi.Telephony.AspNetCore;

/// <summary>
/// An inbound call as Twilio's voice webhook posts it: the common fields typed, every field in <see cref="Form"/>.
/// </summary>
public sealed record TwilioInboundCall
{
    /// <summary>Gets the Twilio call SID (<c>CallSid</c>).</summary>
    public string CallSid { get; init; } = string.Empty;

    /// <summary>Gets the caller's number (<c>From</c>); Twilio sends a placeholder for anonymous callers.</summary>
    public string From { get; init; } = string.Empty;

    /// <summary>Gets the called Twilio number (<c>To</c>).</summary>
    public string To { get; init; } = string.Empty;

    /// <summary>Gets Twilio's call direction (<c>Direction</c>): <c>inbound</c>, <c>outbound-api</c> or <c>outbound-dial</c>.</summary>
    public string? Direction { get; init; }

    /// <summary>Gets the Twilio account SID (<c>AccountSid</c>).</summary>
    public string? AccountSid { get; init; }

    /// <summary>Gets every form field Twilio posted (for example <c>CallerName</c>, <c>FromCountry</c>, <c>StirVerstat</c>), by name.</summary>
    public IReadOnlyDictionary<string, StringValues> Form { get; init; } = new Dictionary<string, StringValues>(StringComparer.Ordinal);
}
