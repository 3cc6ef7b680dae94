namespace ConvAi.Telephony;

/// <summary>How a call ended, as reported by <see cref="CallsClient.WaitForOutcomeAsync(string, CallOutcomeWaitOptions?, CancellationToken)"/>.</summary>
/// <remarks>The library defines this set and decides each value; it is not read from the wire, so it is a plain enum.</remarks>
public enum CallOutcomeKind
{
    /// <summary>The call connected and the conversation finished; <see cref="CallOutcome.Conversation"/> holds it.</summary>
    Completed,

    /// <summary>The callee did not pick up (<c>call_initiation_failure</c> with reason <c>no-answer</c>).</summary>
    NoAnswer,

    /// <summary>The callee was busy (<c>call_initiation_failure</c> with reason <c>busy</c>).</summary>
    Busy,

    /// <summary>The call failed for another reason; <see cref="CallOutcome.FailureReason"/> says why when the API said.</summary>
    Failed,

    /// <summary>
    /// The call reached voicemail: the agent's voicemail-detection tool reported <c>voicemail_detection_success</c> in
    /// the transcript. <see cref="CallOutcome.Conversation"/> holds the conversation.
    /// </summary>
    Voicemail,

    /// <summary>The wait ended (<see cref="CallOutcomeWaitOptions.Timeout"/>) before the call did; the call may still be running.</summary>
    TimedOut,
}
