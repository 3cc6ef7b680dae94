namespace ConvAi.Telephony.Testing;

/// <summary>One turn of an emulated conversation's synthetic transcript.</summary>
/// <param name="Role">Who spoke: <c>agent</c> or <c>user</c>.</param>
/// <param name="Message">What was said.</param>
/// <param name="TimeInCallSecs">Seconds from the start of the call.</param>
public sealed record TranscriptTurn(string Role, string Message, int TimeInCallSecs);
