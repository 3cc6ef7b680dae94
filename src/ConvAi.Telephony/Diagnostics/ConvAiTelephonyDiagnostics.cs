namespace ConvAi.Telephony;

/// <summary>
/// Names of the client's telemetry, for <c>AddSource</c> / <c>AddMeter</c> in OpenTelemetry. Request tags carry the
/// operation kind and the HTTP status code; the activities of a placed call, a live conversation and a webhook also carry
/// the conversation id (never on metrics). Never phone numbers, secrets or transcript text.
/// </summary>
public static class ConvAiTelephonyDiagnostics
{
    /// <summary>The name of the <see cref="System.Diagnostics.ActivitySource"/>: one activity per client request, retries included.</summary>
    public const string ActivitySourceName = "ConvAi.Telephony";

    /// <summary>The name of the <see cref="System.Diagnostics.Metrics.Meter"/>.</summary>
    public const string MeterName = "ConvAi.Telephony";

    /// <summary>Histogram (seconds) of the duration of a client request, retries and waits included.</summary>
    public const string RequestDurationInstrument = "convai.telephony.request.duration";

    /// <summary>Counter of retries the resilience pipeline scheduled.</summary>
    public const string RetriesInstrument = "convai.telephony.retries";

    /// <summary>Counter of call-placing requests whose outcome is unknown (<see cref="ConvAiOutcomeUnknownException"/>).</summary>
    public const string OutcomeUnknownInstrument = "convai.telephony.outcome_unknown";

    /// <summary>Counter of 429 answers received from the API, one per attempt.</summary>
    public const string RateLimitRejectionsInstrument = "convai.telephony.rate_limit.rejections";

    /// <summary>The tag holding the request kind: <c>retry_safe</c>, <c>call_placing</c>, <c>phone_number_import</c> or <c>resource_creation</c>.</summary>
    public const string OperationKindTag = "convai.operation.kind";

    /// <summary>The tag holding the HTTP status code, when the API answered.</summary>
    public const string StatusCodeTag = "http.response.status_code";

    /// <summary>Up-down counter of the live conversations (<see cref="ConversationSession"/>) open now.</summary>
    public const string SessionsActiveInstrument = "convai.telephony.session.active";

    /// <summary>Counter of the messages of live conversations, tagged with <see cref="MessageDirectionTag"/> and <see cref="MessageTypeTag"/>.</summary>
    public const string SessionMessagesInstrument = "convai.telephony.session.messages";

    /// <summary>Histogram (seconds) of the round-trip time the agent reports in its pings (<c>ping_ms</c>).</summary>
    public const string SessionPingLatencyInstrument = "convai.telephony.session.ping_latency";

    /// <summary>
    /// The tag holding a conversation's id, on the activities of a placed call (<c>ConvAi.Telephony start call</c>), a live
    /// conversation and a webhook (<c>ConvAi.Telephony webhook</c>), never on metrics. ElevenLabs does not propagate
    /// <c>traceparent</c> into its webhooks, so this shared tag links a call's trace to the webhook's.
    /// </summary>
    public const string ConversationIdTag = "convai.conversation.id";

    /// <summary>The tag holding a webhook's event type (<c>post_call_transcription</c>, …) on the <c>ConvAi.Telephony webhook</c> activity.</summary>
    public const string WebhookEventTypeTag = "convai.webhook.event_type";

    /// <summary>The tag holding a message's direction: <c>sent</c> or <c>received</c>.</summary>
    public const string MessageDirectionTag = "convai.message.direction";

    /// <summary>The tag holding a message's <c>type</c> (<c>user_audio_chunk</c> for audio sent; <c>unknown</c> for types this library does not model).</summary>
    public const string MessageTypeTag = "convai.message.type";

    /// <summary>The tag holding the WebSocket close code that ended a live conversation, on its activity.</summary>
    public const string CloseCodeTag = "convai.close.code";
}
