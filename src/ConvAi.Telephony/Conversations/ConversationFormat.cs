namespace ConvAi.Telephony;

/// <summary>The format of a conversation returned by the get endpoint (<c>format</c>; request-only, so a closed set).</summary>
public enum ConversationFormat
{
    /// <summary>Plain JSON (the default). Wire value <c>json</c>.</summary>
    Json,

    /// <summary>JSON with OpenTelemetry traces in <c>otlp_traces</c>. Wire value <c>opentelemetry</c>.</summary>
    OpenTelemetry,
}
