namespace ConvAi.Telephony;

/// <summary>
/// The outcome of checking a webhook signature: an <c>ElevenLabs-Signature</c> header against a request body
/// (<see cref="ConvAiWebhookSignature"/>), or an <c>X-Twilio-Signature</c> header against a request (<see cref="TwilioRequestValidator"/>).
/// </summary>
public enum ConvAiWebhookSignatureResult
{
    /// <summary>The signature matches one of the configured secrets and the timestamp is inside the tolerance.</summary>
    Valid = 0,

    /// <summary>The request carries no signature header, or the header is empty.</summary>
    MissingHeader = 1,

    /// <summary>The header is present but has no valid <c>t=</c> timestamp or no <c>v0=</c> entry.</summary>
    Malformed = 2,

    /// <summary>The timestamp is older than the tolerance or further in the future than the allowed clock skew.</summary>
    Stale = 3,

    /// <summary>No <c>v0=</c> entry matches the body signed with any configured secret.</summary>
    Mismatch = 4,
}
