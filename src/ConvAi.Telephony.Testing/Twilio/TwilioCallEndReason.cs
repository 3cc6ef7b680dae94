namespace ConvAi.Telephony.Testing;

/// <summary>Why a simulated Twilio call ended.</summary>
public enum TwilioCallEndReason
{
    /// <summary>The call has not ended yet.</summary>
    None,

    /// <summary>The TwiML ran out of verbs (Twilio then hangs up).</summary>
    TwimlCompleted,

    /// <summary>A <c>&lt;Hangup/&gt;</c> or <c>&lt;Reject/&gt;</c> ended it.</summary>
    HungUpByTwiml,

    /// <summary>A <c>&lt;Dial&gt;</c> handed the caller over (the simulation ends there); see <see cref="TwilioSimulatedCall.DialedTarget"/>.</summary>
    Dialed,

    /// <summary>The caller hung up: <see cref="TwilioSimulatedCall.HangUpAsync(CancellationToken)"/>, <see cref="TwilioCallOptions.HangUpAfterAudio"/> or <see cref="TwilioSimulatorOptions.MaxCallDuration"/>.</summary>
    CallerHungUp,

    /// <summary>The app failed the call (a webhook error, TwiML that does not parse, a stream that cannot open); see <see cref="TwilioSimulatedCall.Error"/>.</summary>
    ApplicationError,
}
