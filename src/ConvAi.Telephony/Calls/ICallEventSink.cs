namespace ConvAi.Telephony;

/// <summary>
/// Receives verified post-call events so that waits for call outcomes complete from them. The ASP.NET Core add-on's
/// webhook endpoint publishes every accepted <c>post_call_transcription</c> and <c>call_initiation_failure</c> to each
/// registered sink; <see cref="CallOutcomeTracker"/> is the one <c>AddConvAiTelephony</c> registers. Call it from your
/// own webhook code only with events whose signature you verified.
/// </summary>
public interface ICallEventSink
{
    /// <summary>Publishes a <c>post_call_transcription</c> event: the finished conversation.</summary>
    /// <param name="conversation">The event's <c>data</c>.</param>
    void OnPostCallTranscription(Conversation conversation);

    /// <summary>Publishes a <c>call_initiation_failure</c> event: an outbound call that never connected.</summary>
    /// <param name="conversationId">The event's <c>data.conversation_id</c>.</param>
    /// <param name="failureReason">The event's <c>data.failure_reason</c>: <c>busy</c>, <c>no-answer</c>, <c>unknown</c> or a newer value.</param>
    /// <param name="callId">The Twilio call SID or SIP call id from <c>data.metadata.body</c>, when present.</param>
    void OnCallInitiationFailure(string conversationId, string? failureReason, string? callId);
}
