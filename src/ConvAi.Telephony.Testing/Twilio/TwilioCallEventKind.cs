namespace ConvAi.Telephony.Testing;

/// <summary>What happened in a simulated Twilio call (a <see cref="TwilioCallEvent"/>).</summary>
public enum TwilioCallEventKind
{
    /// <summary>The simulator requested a TwiML URL (the voice webhook, a <c>&lt;Redirect&gt;</c> or an <c>action</c>); <see cref="TwilioCallEvent.Text"/> is "METHOD URL", <see cref="TwilioCallEvent.Number"/> the HTTP status.</summary>
    TwimlRequested,

    /// <summary>A TwiML document arrived; <see cref="TwilioCallEvent.Text"/> is the document.</summary>
    TwimlReceived,

    /// <summary>A <c>&lt;Say&gt;</c> was spoken to the caller (not simulated as audio); <see cref="TwilioCallEvent.Text"/> is its text.</summary>
    Said,

    /// <summary>A verb the simulator does not run (<c>&lt;Play&gt;</c>, <c>&lt;Pause&gt;</c>, <c>&lt;Gather&gt;</c>, <c>&lt;Start&gt;</c>, …) was skipped; <see cref="TwilioCallEvent.Name"/> is the verb.</summary>
    VerbSkipped,

    /// <summary>The stream's WebSocket opened; <see cref="TwilioCallEvent.Text"/> is the <c>&lt;Stream url&gt;</c>.</summary>
    StreamOpened,

    /// <summary>The simulator sent <c>connected</c>.</summary>
    ConnectedSent,

    /// <summary>The simulator sent <c>start</c>; <see cref="TwilioCallEvent.Name"/> is the stream SID.</summary>
    StartSent,

    /// <summary>The caller's audio began (the first <c>media</c> frame); <see cref="TwilioCallEvent.Number"/> is the audio's length in bytes.</summary>
    CallerAudioStarted,

    /// <summary>The caller's audio was all sent; <see cref="TwilioCallEvent.Number"/> is the number of <c>media</c> frames sent so far.</summary>
    CallerAudioEnded,

    /// <summary>The simulator sent a <c>dtmf</c> message; <see cref="TwilioCallEvent.Name"/> is the digit.</summary>
    DtmfSent,

    /// <summary>The app sent a <c>media</c> message; <see cref="TwilioCallEvent.Number"/> is the number of audio bytes in it.</summary>
    MediaReceived,

    /// <summary>The app sent a <c>mark</c>; <see cref="TwilioCallEvent.Name"/> is its name.</summary>
    MarkReceived,

    /// <summary>The app sent <c>clear</c>; <see cref="TwilioCallEvent.Number"/> is the number of unplayed audio bytes it dropped.</summary>
    ClearReceived,

    /// <summary>The simulator answered a mark after the audio before it played; <see cref="TwilioCallEvent.Name"/> is its name.</summary>
    MarkPlayed,

    /// <summary>The simulator answered a mark early because a <c>clear</c> dropped the audio before it; <see cref="TwilioCallEvent.Name"/> is its name.</summary>
    MarkCleared,

    /// <summary>
    /// The app broke the Media Streams protocol (Twilio's error 31924 and its neighbours): a message that is not JSON, not
    /// <c>media</c>, <c>mark</c> or <c>clear</c>, a wrong <c>streamSid</c>, a payload that is not base64. <see cref="TwilioCallEvent.Text"/> says what.
    /// </summary>
    ProtocolError,

    /// <summary>The simulator sent <c>stop</c> (the caller hung up).</summary>
    StopSent,

    /// <summary>The stream's WebSocket closed; <see cref="TwilioCallEvent.Text"/> says who closed it and how.</summary>
    StreamClosed,

    /// <summary>A <c>&lt;Dial&gt;</c> connected the caller elsewhere; <see cref="TwilioCallEvent.Name"/> is the number, SIP URI or client dialed.</summary>
    Dialed,

    /// <summary>A <c>&lt;Hangup/&gt;</c> or <c>&lt;Reject/&gt;</c> ended the call; <see cref="TwilioCallEvent.Name"/> is the verb.</summary>
    HungUp,

    /// <summary>The call failed the way Twilio fails it ("an application error has occurred"); <see cref="TwilioCallEvent.Text"/> names Twilio's error code and the cause.</summary>
    ApplicationError,

    /// <summary>The call ended; <see cref="TwilioCallEvent.Name"/> is the <see cref="TwilioCallEndReason"/>.</summary>
    CallEnded,
}
