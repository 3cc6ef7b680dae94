namespace ConvAi.Telephony.Testing;

/// <summary>
/// Plays Twilio against an app under test: it posts the voice webhook like Twilio ("A call comes in", form-encoded,
/// signed with <c>X-Twilio-Signature</c>), follows the TwiML it answers (<c>&lt;Connect&gt;&lt;Stream&gt;</c> with its
/// <c>&lt;Parameter&gt;</c>s, <c>&lt;Redirect&gt;</c>, <c>&lt;Dial&gt;</c>, <c>&lt;Hangup/&gt;</c>; <c>&lt;Say&gt;</c> is recorded),
/// opens the media stream with a signed WebSocket handshake and speaks Twilio's Media Streams protocol on it: <c>connected</c>,
/// <c>start</c>, the caller's audio in 20 ms <c>media</c> frames, <c>dtmf</c>, <c>stop</c>; it plays the app's audio, answers
/// each <c>mark</c> once the audio before it has played, honours <c>clear</c>, and records everything with timings.
/// </summary>
/// <remarks>
/// Create one per app under test and dispose it at the end. Calls are independent and may run at the same time.
/// The auth token is used for signing only and never appears in a recorded event or an exception.
/// </remarks>
public sealed class TwilioSimulator : IDisposable
{
    private readonly TwilioSimulatorOptions _options;
    private readonly HttpClient _http;
    private readonly TwilioRequestValidator? _signer;

    /// <summary>Creates a simulator.</summary>
    /// <param name="options">Where to call and how to behave; read once, here.</param>
    /// <exception cref="ArgumentException"><see cref="TwilioSimulatorOptions.VoiceUrl"/> is missing or not an absolute http or https URL, or a limit is not positive.</exception>
    public TwilioSimulator(TwilioSimulatorOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.VoiceUrl is not { IsAbsoluteUri: true } voiceUrl || (voiceUrl.Scheme != Uri.UriSchemeHttp && voiceUrl.Scheme != Uri.UriSchemeHttps))
        {
            throw new ArgumentException("TwilioSimulatorOptions.VoiceUrl must be an absolute http or https URL.", nameof(options));
        }

        if (options.StreamBaseAddress is { } streamBase && (!streamBase.IsAbsoluteUri || (streamBase.Scheme != Uri.UriSchemeHttp && streamBase.Scheme != Uri.UriSchemeHttps)))
        {
            throw new ArgumentException("TwilioSimulatorOptions.StreamBaseAddress must be an absolute http or https URL.", nameof(options));
        }

        if (options.RequestTimeout <= TimeSpan.Zero || options.MaxCallDuration <= TimeSpan.Zero || options.MaxTwimlDocuments < 1 || options.MaxMessageBytes < 1024)
        {
            throw new ArgumentException(
                "TwilioSimulatorOptions.RequestTimeout and MaxCallDuration must be positive, MaxTwimlDocuments at least 1 and MaxMessageBytes at least 1024.", nameof(options));
        }

        _options = new TwilioSimulatorOptions
        {
            VoiceUrl = voiceUrl,
            AuthToken = string.IsNullOrEmpty(options.AuthToken) ? null : options.AuthToken,
            AccountSid = options.AccountSid,
            Pacing = options.Pacing,
            RealTimePlayback = options.RealTimePlayback,
            RequireSecureStreamUrl = options.RequireSecureStreamUrl,
            StreamBaseAddress = options.StreamBaseAddress,
            RequestTimeout = options.RequestTimeout,
            MaxCallDuration = options.MaxCallDuration,
            MaxTwimlDocuments = options.MaxTwimlDocuments,
            MaxMessageBytes = options.MaxMessageBytes,
            TimeProvider = options.TimeProvider ?? TimeProvider.System,
        };
        _signer = _options.AuthToken is null ? null : new TwilioRequestValidator(_options.AuthToken);
        _http = options.HttpHandler is null
            ? new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = true }) { Timeout = Timeout.InfiniteTimeSpan }
            : new HttpClient(options.HttpHandler, disposeHandler: false) { Timeout = Timeout.InfiniteTimeSpan };
    }

    /// <summary>
    /// Starts a call and returns it at once; the call runs in the background. Watch it with
    /// <see cref="TwilioSimulatedCall.ReadEventsAsync(CancellationToken)"/> or <see cref="TwilioSimulatedCall.WaitForEventAsync(Func{TwilioCallEvent, bool}, CancellationToken)"/>,
    /// act as the caller with <see cref="TwilioSimulatedCall.SendDtmfAsync(char, CancellationToken)"/> and
    /// <see cref="TwilioSimulatedCall.HangUpAsync(CancellationToken)"/>, and wait for the end with <see cref="TwilioSimulatedCall.WhenEndedAsync(CancellationToken)"/>.
    /// </summary>
    /// <param name="call">Who calls and what the caller says; <see langword="null"/> for the defaults (a silent caller).</param>
    /// <returns>The live call.</returns>
    public TwilioSimulatedCall StartCall(TwilioCallOptions? call = null)
    {
        var simulated = new TwilioSimulatedCall(_options, _http, _signer, call ?? new TwilioCallOptions());
        simulated.Start();
        return simulated;
    }

    /// <summary>Runs a whole call: starts it and waits until it ends.</summary>
    /// <param name="call">Who calls and what the caller says; <see langword="null"/> for the defaults (a silent caller).</param>
    /// <param name="cancellationToken">Hangs up (as the caller) and throws when cancelled.</param>
    /// <returns>The ended call with its transcript.</returns>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled; the call was hung up first.</exception>
    public async Task<TwilioSimulatedCall> CallAsync(TwilioCallOptions? call = null, CancellationToken cancellationToken = default)
    {
        var simulated = StartCall(call);
        try
        {
            return await simulated.WhenEndedAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            await simulated.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Releases the HTTP client (not a handler given in <see cref="TwilioSimulatorOptions.HttpHandler"/>).</summary>
    public void Dispose() => _http.Dispose();
}
