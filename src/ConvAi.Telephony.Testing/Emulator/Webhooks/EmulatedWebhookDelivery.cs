namespace ConvAi.Telephony.Testing;

/// <summary>One webhook the emulator built, signed and (when a URL is configured) delivered.</summary>
/// <param name="EventType">The payload's <c>type</c>: <c>post_call_transcription</c>, <c>post_call_audio</c> or <c>call_initiation_failure</c>.</param>
/// <param name="ConversationId">The conversation the webhook is about.</param>
/// <param name="Body">The exact JSON body that was signed and sent.</param>
/// <param name="SignatureHeader">The <c>ElevenLabs-Signature</c> header value sent with it.</param>
/// <param name="Url">Where it was sent, or <see langword="null"/> when no webhook URL is configured.</param>
/// <param name="StatusCode">The receiver's HTTP status code, or <see langword="null"/> when it was not sent or the send failed.</param>
/// <param name="Error">Why the send failed (exception type and message), or <see langword="null"/>.</param>
public sealed record EmulatedWebhookDelivery(
    string EventType,
    string ConversationId,
    string Body,
    string SignatureHeader,
    Uri? Url,
    int? StatusCode,
    string? Error);
