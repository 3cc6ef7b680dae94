namespace ConvAi.Telephony;

/// <summary>
/// Hands a verified, accepted post-call event to the core's <see cref="ICallEventSink"/>s (the <see cref="CallOutcomeTracker"/>
/// that <c>AddConvAiTelephony</c> registers), so that <c>WaitForOutcomeAsync</c> completes from webhooks received in the same app.
/// </summary>
internal static class CallEventPublisher
{
    public static void Publish(ICallEventSink[] sinks, ConvAiWebhookEvent webhookEvent)
    {
        foreach (var sink in sinks)
        {
            switch (webhookEvent)
            {
                case PostCallTranscriptionEvent transcription when transcription.TryGetData(out var conversation):
                    // Malformed data is not published; the handler's GetData() reports it.
                    sink.OnPostCallTranscription(conversation);
                    break;
                case CallInitiationFailureEvent { ConversationId: { Length: > 0 } conversationId } failure:
                    sink.OnCallInitiationFailure(conversationId, failure.Data?.FailureReason?.Value, CallId(failure.Data?.Metadata));
                    break;
            }
        }
    }

    /// <summary>The SIP <c>call_sid</c> or Twilio <c>CallSid</c> of the failed call.</summary>
    private static string? CallId(CallInitiationFailureMetadata? metadata) =>
        metadata?.Sip?.CallSid ?? (metadata?.Twilio is { } twilio && twilio.TryGetValue("CallSid", out var sid) ? sid : null);
}
