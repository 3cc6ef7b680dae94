namespace ConvAi.Telephony.Testing;

/// <summary>One simulated call: who calls whom, what the caller says.</summary>
public sealed class TwilioCallOptions
{
    /// <summary>Gets or sets the caller's number (<c>From</c>, <c>Caller</c>).</summary>
    public string From { get; set; } = "+15005550006";

    /// <summary>Gets or sets the number called (<c>To</c>, <c>Called</c>).</summary>
    public string To { get; set; } = "+15005550001";

    /// <summary>Gets or sets the call SID; <see langword="null"/> makes a new <c>CA…</c> SID.</summary>
    public string? CallSid { get; set; }

    /// <summary>Gets or sets <c>Direction</c>: <c>inbound</c> (a call comes in) or <c>outbound-api</c> (a call placed through the REST API).</summary>
    public string Direction { get; set; } = "inbound";

    /// <summary>Gets or sets what the caller says once the stream starts.</summary>
    public TwilioCallerAudio Audio { get; set; } = TwilioCallerAudio.None;

    /// <summary>Gets or sets a value indicating whether the caller hangs up (sends <c>stop</c>) as soon as its audio is sent, instead of staying on the line until the app ends the stream.</summary>
    public bool HangUpAfterAudio { get; set; }

    /// <summary>Gets form fields added to every webhook request of the call (for example <c>CallerName</c> or <c>AnsweredBy</c>).</summary>
    public IDictionary<string, string> ExtraParameters { get; } = new Dictionary<string, string>(StringComparer.Ordinal);
}
