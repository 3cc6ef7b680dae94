namespace ConvAi.Telephony.Testing;

/// <summary>One entry of a simulated call's transcript (<see cref="TwilioSimulatedCall.Events"/>).</summary>
public sealed class TwilioCallEvent
{
    internal TwilioCallEvent(TwilioCallEventKind kind, TimeSpan elapsed, string? name, string? text, long number)
    {
        Kind = kind;
        Elapsed = elapsed;
        Name = name;
        Text = text;
        Number = number;
    }

    /// <summary>Gets what happened.</summary>
    public TwilioCallEventKind Kind { get; }

    /// <summary>Gets when it happened, measured from the start of the call on the simulator's monotonic clock (<see cref="TwilioSimulatorOptions.TimeProvider"/>).</summary>
    public TimeSpan Elapsed { get; }

    /// <summary>Gets a short value that depends on <see cref="Kind"/>: a mark name, a digit, a verb, a stream SID or a dialed target.</summary>
    public string? Name { get; }

    /// <summary>Gets a longer text that depends on <see cref="Kind"/>: a URL, a TwiML document, an error.</summary>
    public string? Text { get; }

    /// <summary>Gets a number that depends on <see cref="Kind"/>: bytes of audio, an HTTP status, a frame count; otherwise 0.</summary>
    public long Number { get; }

    /// <summary>Returns one line: the time, the kind and its values.</summary>
    /// <returns>For example <c>+00:00.412 MarkPlayed agent-3</c>.</returns>
    public override string ToString()
    {
        var line = $"+{Elapsed:mm\\:ss\\.fff} {Kind}";
        if (Name is not null)
        {
            line += " " + Name;
        }

        if (Number != 0)
        {
            line += " (" + Number.ToString(System.Globalization.CultureInfo.InvariantCulture) + ")";
        }

        if (Text is not null)
        {
            line += " " + Text;
        }

        return line;
    }
}
