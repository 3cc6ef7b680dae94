namespace ConvAi.Telephony.Testing;

/// <summary>How an emulated call ends, chosen from the options when the call is placed.</summary>
internal enum CallOutcome
{
    /// <summary>The call completes and is analysed as successful.</summary>
    Success,

    /// <summary>The call completes and is analysed as unsuccessful.</summary>
    Unsuccessful,

    /// <summary>The callee is busy: the conversation fails and a <c>call_initiation_failure</c> webhook is sent.</summary>
    Busy,

    /// <summary>The callee does not answer: the conversation fails and a <c>call_initiation_failure</c> webhook is sent.</summary>
    NoAnswer,
}
