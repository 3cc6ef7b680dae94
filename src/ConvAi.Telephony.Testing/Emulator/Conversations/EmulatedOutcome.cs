namespace ConvAi.Telephony.Testing;

/// <summary>How an emulated call ends, chosen from the options when the call is placed.</summary>
internal enum EmulatedOutcome
{
    /// <summary>The call completes and is analysed as successful.</summary>
    Success,

    /// <summary>The call completes and is analysed as unsuccessful.</summary>
    Unsuccessful,

    /// <summary>The callee is busy: the conversation fails and a <c>call_initiation_failure</c> webhook is sent.</summary>
    Busy,

    /// <summary>The callee does not answer: the conversation fails and a <c>call_initiation_failure</c> webhook is sent.</summary>
    NoAnswer,

    /// <summary>The call fails for another reason: the conversation fails and a <c>call_initiation_failure</c> webhook with reason <c>unknown</c> is sent.</summary>
    Failed,

    /// <summary>
    /// Voicemail answers: the conversation completes, analysed as unsuccessful, with the agent's voicemail-detection tool
    /// result (<c>voicemail_detection_success</c>) in the transcript; <c>post_call_transcription</c> is sent (no initiation failure).
    /// </summary>
    Voicemail,
}
