using System.Text.Json;

namespace ConvAi.Telephony;

/// <summary>
/// How a call ended: completed, no answer, busy, failed, voicemail, or timed out waiting. The same value results from
/// the post-call webhooks (<c>post_call_transcription</c>, <c>call_initiation_failure</c>) and from polling the conversation.
/// </summary>
public sealed record CallOutcome
{
    /// <summary>Gets how the call ended.</summary>
    public CallOutcomeKind Kind { get; init; }

    /// <summary>Gets the id of the call's conversation.</summary>
    public string ConversationId { get; init; } = string.Empty;

    /// <summary>Gets the Twilio call SID or the SIP call id, when known.</summary>
    public string? CallId { get; init; }

    /// <summary>Gets the conversation status the outcome was read from (null when the wait timed out before any status was read).</summary>
    public ConversationStatus? Status { get; init; }

    /// <summary>Gets how long the call lasted: <c>metadata.call_duration_secs</c>, zero for a call that never connected, null when not known.</summary>
    public TimeSpan? Duration { get; init; }

    /// <summary>Gets the analysis verdict (<c>analysis.call_successful</c>) of a completed or voicemail call; null otherwise or before analysis.</summary>
    public EvaluationResult? CallSuccessful { get; init; }

    /// <summary>
    /// Gets why a call failed: the <c>failure_reason</c> of <c>call_initiation_failure</c> (<c>busy</c>, <c>no-answer</c>,
    /// <c>unknown</c>), else the conversation's <c>metadata.error.reason</c> or <c>termination_reason</c>. Null for other kinds.
    /// </summary>
    public string? FailureReason { get; init; }

    /// <summary>Gets the conversation (transcript, metadata, analysis) of a <see cref="CallOutcomeKind.Completed"/> or <see cref="CallOutcomeKind.Voicemail"/> call.</summary>
    public Conversation? Conversation { get; init; }

    /// <summary>The <c>result_type</c> of the system tool result that reports a detected voicemail (system tool results, api-reference §6.2).</summary>
    internal const string VoicemailResultType = "voicemail_detection_success";

    /// <summary>
    /// Reads the outcome of a conversation (<c>GET</c> conversation or <c>post_call_transcription</c>), or null while
    /// the call has not ended. <paramref name="acceptProcessing"/> takes <c>processing</c> (ended, not yet analysed) as an end.
    /// </summary>
    internal static CallOutcome? FromConversation(Conversation conversation, bool acceptProcessing)
    {
        var status = conversation.Status;
        var metadata = conversation.Metadata;
        if (status == ConversationStatus.Failed)
        {
            var reason = metadata?.Error?.Reason is { Length: > 0 } errorReason ? errorReason
                : metadata?.TerminationReason is { Length: > 0 } termination ? termination
                : null;
            return Failure(conversation.ConversationId, reason, CallIdOf(metadata?.PhoneCall)) with
            {
                Duration = TimeSpan.FromSeconds(metadata?.CallDurationSecs ?? 0),
            };
        }

        if (status != ConversationStatus.Done && !(acceptProcessing && status == ConversationStatus.Processing))
        {
            return null;
        }

        return new CallOutcome
        {
            Kind = ReachedVoicemail(conversation) ? CallOutcomeKind.Voicemail : CallOutcomeKind.Completed,
            ConversationId = conversation.ConversationId,
            CallId = CallIdOf(metadata?.PhoneCall),
            Status = status,
            Duration = metadata is null ? null : TimeSpan.FromSeconds(metadata.CallDurationSecs),
            CallSuccessful = conversation.Analysis?.CallSuccessful is { Value.Length: > 0 } verdict ? verdict : null,
            Conversation = conversation,
        };
    }

    /// <summary>
    /// The outcome of a call that failed: <c>busy</c> and <c>no-answer</c> (the <c>call_initiation_failure</c> reasons)
    /// become <see cref="CallOutcomeKind.Busy"/> and <see cref="CallOutcomeKind.NoAnswer"/>, anything else <see cref="CallOutcomeKind.Failed"/>.
    /// </summary>
    internal static CallOutcome Failure(string conversationId, string? reason, string? callId) => new()
    {
        Kind = reason switch
        {
            "busy" => CallOutcomeKind.Busy,
            "no-answer" => CallOutcomeKind.NoAnswer,
            _ => CallOutcomeKind.Failed,
        },
        ConversationId = conversationId,
        CallId = callId,
        Status = ConversationStatus.Failed,
        Duration = TimeSpan.Zero,
        FailureReason = reason,
    };

    private static string? CallIdOf(PhoneCallInfo? call) =>
        call?.Type == PhoneCallType.SipTrunking ? call.CallId ?? call.CallSid : call?.CallSid ?? call?.CallId;

    private static bool ReachedVoicemail(Conversation conversation)
    {
        foreach (var entry in conversation.Transcript ?? [])
        {
            foreach (var result in entry.ToolResults)
            {
                if (result.Result is { ValueKind: JsonValueKind.Object } body
                    && body.TryGetProperty("result_type", out var type)
                    && type.ValueKind == JsonValueKind.String
                    && type.ValueEquals(VoicemailResultType))
                {
                    return true;
                }
            }
        }

        return false;
    }
}
