namespace ConvAi.Telephony.Testing;

/// <summary>Where a <see cref="TwilioSimulator"/> calls and how it behaves like Twilio.</summary>
public sealed class TwilioSimulatorOptions
{
    /// <summary>Gets or sets the app's voice webhook ("A call comes in"), for example <c>http://127.0.0.1:5000/twilio/voice</c>. Required.</summary>
    public Uri? VoiceUrl { get; set; }

    /// <summary>
    /// Gets or sets the Twilio auth token that signs every request (<c>X-Twilio-Signature</c> on each webhook and on the
    /// stream's WebSocket handshake). <see langword="null"/> sends no signature, to check that the app refuses it.
    /// </summary>
    public string? AuthToken { get; set; }

    /// <summary>Gets or sets the account SID sent as <c>AccountSid</c> and in <c>start</c>.</summary>
    public string AccountSid { get; set; } = "AC00000000000000000000000000000000";

    /// <summary>
    /// Gets or sets a value indicating whether the caller speaks in real time (the default): one 20 ms frame every 20 ms,
    /// then silent frames until the call ends, as Twilio does. Off, the caller's audio is sent as fast as the socket takes
    /// it and nothing follows it: the mode for fast tests.
    /// </summary>
    public bool Pacing { get; set; } = true;

    /// <summary>
    /// Gets or sets a value indicating whether the app's audio plays at 8,000 bytes a second (the default), so a mark is
    /// answered when the audio sent before it has played and a <c>clear</c> drops what has not played yet. Off, the app's
    /// audio plays the moment it arrives: every mark is answered at once and a <c>clear</c> drops nothing.
    /// </summary>
    public bool RealTimePlayback { get; set; } = true;

    /// <summary>
    /// Gets or sets a value indicating whether a <c>&lt;Stream url&gt;</c> must use <c>wss</c>, as on Twilio (error 31922).
    /// Off by default so that an app on loopback HTTP can answer <c>ws://</c>.
    /// </summary>
    public bool RequireSecureStreamUrl { get; set; }

    /// <summary>
    /// Gets or sets where the simulator opens media streams when that is not where the <c>&lt;Stream url&gt;</c> points, for
    /// example an app behind a TLS proxy in production that answers <c>wss://voice.example.com/twilio/media</c> while the test
    /// runs it on <c>http://127.0.0.1:5000</c>: the stream URL's path is opened on this scheme, host and port (<c>ws</c> for
    /// <c>http</c>, <c>wss</c> for <c>https</c>), and the handshake is still signed over the URL as the TwiML gave it, as
    /// Twilio signs it. <see langword="null"/> (the default) opens the URL as given, except that a <c>wss://</c> URL on the
    /// voice webhook's own host and port is opened with <c>ws://</c> when the voice webhook is plain <c>http</c>.
    /// </summary>
    public Uri? StreamBaseAddress { get; set; }

    /// <summary>Gets or sets how long the simulator waits for a TwiML answer (Twilio waits 15 seconds).</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Gets or sets the longest call: then the caller hangs up (<see cref="TwilioCallEndReason.CallerHungUp"/>).</summary>
    public TimeSpan MaxCallDuration { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Gets or sets the most TwiML documents one call may fetch (a guard against redirect loops).</summary>
    public int MaxTwimlDocuments { get; set; } = 20;

    /// <summary>Gets or sets the largest message the app may send on the stream, in bytes; a larger one is a protocol error.</summary>
    public int MaxMessageBytes { get; set; } = 256 * 1024;

    /// <summary>Gets or sets the clock of every timing the simulator records and of its pacing.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>
    /// Gets or sets the handler behind the simulator's HTTP requests (for example a test server's). <see langword="null"/>
    /// uses a new <see cref="SocketsHttpHandler"/>. The stream always opens a real WebSocket.
    /// </summary>
    public HttpMessageHandler? HttpHandler { get; set; }
}
