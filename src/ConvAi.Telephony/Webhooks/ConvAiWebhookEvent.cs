using System.Diagnostics.CodeAnalysis;
using System.Text.Json;

namespace ConvAi.Telephony;

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
    public ConvAiWebhookEventType Type { get; init; } = ConvAiWebhookEventType.Empty;

    /// <summary>The payload's <c>event_timestamp</c> (sent as Unix seconds, as a number or a string); null when absent or unreadable.</summary>
    public DateTimeOffset? EventTimestamp { get; init; }

    /// <summary>The <c>data.conversation_id</c> the event is about, when the payload names one.</summary>
    public string? ConversationId { get; init; }

    /// <summary>True when the event's lazily bound data turned out not to fit its model (the read threw <see cref="ConvAiWebhookPayloadException"/>).</summary>
    internal virtual bool HasMalformedData => false;

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
        ConvAiWebhookEventParser.TryParse(utf8Json, lease: null, bindLazily: false, out var webhookEvent, out var error)
            ? webhookEvent
            : throw new ConvAiWebhookPayloadException(error);
}

/// <summary>
/// A <c>post_call_transcription</c> webhook: transcript, analysis and metadata of a finished conversation. Received
/// through <c>MapConvAiWebhooks</c>, a marked endpoint or the inbox, <see cref="GetData"/> binds it from the body on
/// the first call, so that a duplicate, a queued acknowledgement or a handler that needs only
/// <see cref="ConvAiWebhookEvent.ConversationId"/> never pays for binding the whole conversation.
/// </summary>
public sealed record PostCallTranscriptionEvent : ConvAiWebhookEvent
{
    private Conversation? _data;
    private ReadOnlyMemory<byte> _unboundData;
    private string? _dataError;

    /// <summary>Creates an event that carries <paramref name="data"/> (e.g. in a test of your handler, or a reconciled conversation).</summary>
    /// <param name="data">The conversation.</param>
    public PostCallTranscriptionEvent(Conversation data)
    {
        ArgumentNullException.ThrowIfNull(data);
        _data = data;
        Type = ConvAiWebhookEventType.PostCallTranscription;
        ConversationId = data.ConversationId;
    }

    /// <summary>Creates an event that binds its data from <paramref name="unboundData"/> (a JSON object it owns) on first read.</summary>
    internal PostCallTranscriptionEvent(ReadOnlyMemory<byte> unboundData)
    {
        _unboundData = unboundData;
    }

    /// <summary>
    /// Returns the conversation, in the same model as <c>GET /v1/convai/conversations/{id}</c>. A delivered webhook's
    /// <c>data</c> is bound on the first call (once; later calls and other threads get the same instance), so that a
    /// duplicate, a queued acknowledgement or a handler that needs only <see cref="ConvAiWebhookEvent.ConversationId"/>
    /// never pays for binding the whole conversation.
    /// </summary>
    /// <returns>The conversation.</returns>
    /// <exception cref="ConvAiWebhookPayloadException">
    /// The signed <c>data</c> does not fit the model (a value of the wrong type). Let it propagate from a handler: the
    /// delivery is then dead-lettered without retries (see <see cref="ConvAiWebhookHandler"/>), never answered 500.
    /// </exception>
    public Conversation GetData() => _data ?? BindData();

    /// <summary>
    /// True when no webhook delivered this event: the reconciler found the finished conversation unprocessed after the
    /// grace period, fetched it with the API client and dispatched it (<see cref="ConvAiWebhookEvent.EventTimestamp"/>
    /// is then null).
    /// </summary>
    public bool IsReconciled { get; init; }

    /// <summary>True once <see cref="GetData"/> failed because the signed <c>data</c> does not fit the model.</summary>
    internal override bool HasMalformedData => _dataError is not null;

    /// <summary>Binds the data when it binds, without throwing for malformed data.</summary>
    internal bool TryGetData([NotNullWhen(true)] out Conversation? data)
    {
        if (_data is null && _dataError is null)
        {
            try
            {
                _ = BindData();
            }
            catch (ConvAiWebhookPayloadException)
            {
                // Recorded in _dataError; the handler's GetData() reports it.
            }
        }

        data = _data;
        return data is not null;
    }

    private Conversation BindData()
    {
        if (_dataError is null)
        {
            if (ConvAiWebhookEventParser.TryBindConversation(_unboundData.Span, out var conversation, out var error))
            {
                // Another thread may have bound it first: everyone gets the first instance.
                return Interlocked.CompareExchange(ref _data, conversation, null) ?? conversation;
            }

            _dataError = error;
        }

        throw new ConvAiWebhookPayloadException(_dataError);
    }
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
