using System.Text.Json;

namespace ConvAi.Telephony.AspNetCore;

/// <summary>
/// A parsed ElevenLabs webhook: <see cref="PostCallTranscriptionEvent"/>, <see cref="PostCallAudioEvent"/>,
/// <see cref="CallInitiationFailureEvent"/>, or <see cref="UnknownWebhookEvent"/> for types this version does not know.
/// </summary>
public abstract record ConvAiWebhookEvent
{
    private protected ConvAiWebhookEvent()
    {
    }

    /// <summary>The payload's <c>type</c>.</summary>
    public ConvAiWebhookEventType Type { get; init; }

    /// <summary>The payload's <c>event_timestamp</c> (sent as Unix seconds, as a number or a string); null when absent or unreadable.</summary>
    public DateTimeOffset? EventTimestamp { get; init; }

    /// <summary>The <c>data.conversation_id</c> the event is about, when the payload names one.</summary>
    public string? ConversationId { get; init; }

    /// <summary>
    /// Parses a webhook body (UTF-8 JSON). Does not verify the signature: call
    /// <see cref="ConvAiWebhookSignature.Verify(ReadOnlySpan{byte}, string?)"/> first. A
    /// <see cref="PostCallAudioEvent"/> reads its audio from <paramref name="utf8Json"/>, so keep that memory
    /// unchanged while the event is used.
    /// </summary>
    /// <param name="utf8Json">The raw request body.</param>
    /// <returns>The typed event; unknown event types and new fields never fail.</returns>
    /// <exception cref="ConvAiWebhookPayloadException">The body is not JSON or not a webhook envelope.</exception>
    public static ConvAiWebhookEvent Parse(ReadOnlyMemory<byte> utf8Json) =>
        ConvAiWebhookEventParser.TryParse(utf8Json, lease: null, out var webhookEvent, out var error)
            ? webhookEvent
            : throw new ConvAiWebhookPayloadException(error);
}

/// <summary>A <c>post_call_transcription</c> webhook: transcript, analysis and metadata of a finished conversation.</summary>
public sealed record PostCallTranscriptionEvent : ConvAiWebhookEvent
{
    /// <summary>The conversation, in the same model as <c>GET /v1/convai/conversations/{id}</c>.</summary>
    public Conversation Data { get; init; } = null!;

    /// <summary>
    /// True when no webhook delivered this event: the reconciler found the finished conversation unprocessed after the
    /// grace period, fetched it with the API client and dispatched it (<see cref="ConvAiWebhookEvent.EventTimestamp"/>
    /// is then null).
    /// </summary>
    public bool IsReconciled { get; init; }
}

/// <summary>A <c>call_initiation_failure</c> webhook: an outbound call that could not be connected.</summary>
public sealed record CallInitiationFailureEvent : ConvAiWebhookEvent
{
    /// <summary>The failure details.</summary>
    public CallInitiationFailure Data { get; init; } = null!;
}

/// <summary>A webhook whose <c>type</c> this version does not know; the whole payload is kept.</summary>
public sealed record UnknownWebhookEvent : ConvAiWebhookEvent
{
    /// <summary>The whole JSON payload as received (detached from the request buffer).</summary>
    public JsonElement Payload { get; init; }

}

/// <summary>The body of a webhook is not valid JSON or not a webhook envelope.</summary>
public sealed class ConvAiWebhookPayloadException : ConvAiException
{
    /// <summary>Creates the exception with a message that describes the problem (never the payload).</summary>
    /// <param name="message">The description.</param>
    public ConvAiWebhookPayloadException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the underlying error.</summary>
    /// <param name="message">The description.</param>
    /// <param name="innerException">The underlying error.</param>
    public ConvAiWebhookPayloadException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception with a default message.</summary>
    public ConvAiWebhookPayloadException()
        : base("The webhook payload is not valid.")
    {
    }
}
