namespace ConvAi.Telephony.AspNetCore;

/// <summary>
/// Settings of the Twilio Media Streams bridge, bound from the configuration section <c>ConvAi:TwilioBridge</c>. The Twilio auth
/// token, the public base URL and the agent come from <see cref="TwilioInboundOptions"/> (<c>ConvAi:Twilio</c>, and
/// <c>TWILIO_AUTH_TOKEN</c>), shared with the inbound-call endpoint.
/// </summary>
public sealed class ConvAiTwilioBridgeOptions
{
    /// <summary>The configuration section these options are bound from.</summary>
    public const string SectionName = "ConvAi:TwilioBridge";

    /// <summary>The default of <see cref="MediaStreamPath"/>.</summary>
    public const string DefaultMediaStreamPath = "/twilio/media";

    /// <summary>The default of <see cref="MaxFrameBytes"/>: 64 KiB (a Twilio media frame is about 300 bytes).</summary>
    public const int DefaultMaxFrameBytes = 64 * 1024;

    /// <summary>
    /// Gets or sets the path of the media-stream endpoint (<c>MapConvAiTwilioMediaStream</c>) that the voice webhook puts into
    /// <c>&lt;Stream url="wss://…"&gt;</c>, relative to the app's root. The default is <c>/twilio/media</c>.
    /// </summary>
    public string MediaStreamPath { get; set; } = DefaultMediaStreamPath;

    /// <summary>
    /// Gets or sets a value indicating whether the agent is public (authentication off in its settings): its socket is opened without a
    /// signed URL. Otherwise a signed URL is fetched with the API key for each call.
    /// </summary>
    public bool IsPublicAgent { get; set; }

    /// <summary>
    /// Gets or sets how long the bridge waits, once the agent has ended, for Twilio to confirm (with <c>mark</c> messages) that the agent's
    /// last words were played, before it closes the stream so the TwiML after <c>&lt;/Connect&gt;</c> runs. The default is 5 seconds.
    /// </summary>
    public TimeSpan MarkDrainTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Gets or sets how long a stream may take to send Twilio's <c>start</c> after the WebSocket opened; then the stream is refused
    /// (1008) and the agent socket opened for it is closed. The default is 10 seconds.
    /// </summary>
    public TimeSpan StartTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Gets or sets how long the app, when it stops, lets live calls go on before it ends them (the agent socket with 1000, the stream
    /// with 1001). New streams are refused (503) as soon as stopping begins. Keep it below the host's <c>HostOptions.ShutdownTimeout</c>
    /// (30 seconds by default). The default is 25 seconds.
    /// </summary>
    public TimeSpan ShutdownTimeout { get; set; } = TimeSpan.FromSeconds(25);

    /// <summary>
    /// Gets or sets the largest message Twilio may send on the stream, in bytes; a larger one ends that call (1009). The default is
    /// <see cref="DefaultMaxFrameBytes"/>.
    /// </summary>
    public int MaxFrameBytes { get; set; } = DefaultMaxFrameBytes;

    /// <summary>
    /// Gets or sets how long the per-call token of a voice webhook's answer stays valid: the stream must start within it. The default
    /// is 5 minutes.
    /// </summary>
    public TimeSpan CallTokenLifetime { get; set; } = TimeSpan.FromMinutes(5);
}
