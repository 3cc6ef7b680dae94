using System.Globalization;
using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text;
using System.Xml;
using System.Xml.Linq;

namespace ConvAi.Telephony.Testing;

/// <summary>
/// A call placed by a <see cref="TwilioSimulator"/>: live while it runs (watch its events, press keys, hang up) and,
/// once ended, the record of what happened (the TwiML documents, the stream's custom parameters, the app's audio, marks
/// and clears, every event with its time).
/// </summary>
public sealed class TwilioSimulatedCall : IAsyncDisposable
{
    private const string ApiVersion = "2010-04-01";
    private const string UserAgent = "TwilioProxy/1.1";

    private readonly TwilioSimulatorOptions _options;
    private readonly HttpClient _http;
    private readonly TwilioRequestValidator? _signer;
    private readonly TwilioCallOptions _call;
    private readonly Dictionary<string, string> _extraParameters;
    private readonly long _startedAt;
    private readonly object _gate = new();
    private readonly List<TwilioCallEvent> _events = [];
    private readonly List<string> _twiml = [];
    private readonly List<string> _protocolErrors = [];
    private readonly List<string> _marksReceived = [];
    private readonly CancellationTokenSource _hangUp = new();
    private readonly TaskCompletionSource _ended = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Dictionary<string, string> _customParameters = new(StringComparer.Ordinal);
    private TwilioMediaStream? _stream;
    private byte[] _receivedAudio = [];
    private byte[] _heardAudio = [];
    private Task _run = Task.CompletedTask;
    private int _disposed;

    internal TwilioSimulatedCall(TwilioSimulatorOptions options, HttpClient http, TwilioRequestValidator? signer, TwilioCallOptions call)
    {
        ArgumentNullException.ThrowIfNull(call.Audio);
        ArgumentException.ThrowIfNullOrEmpty(call.From);
        ArgumentException.ThrowIfNullOrEmpty(call.To);
        _options = options;
        _http = http;
        _signer = signer;
        _call = call;
        _extraParameters = new Dictionary<string, string>(call.ExtraParameters, StringComparer.Ordinal);
        CallSid = call.CallSid ?? NewSid("CA");
        _startedAt = options.TimeProvider.GetTimestamp();
    }

    /// <summary>Gets the call SID sent as <c>CallSid</c> and in <c>start</c>.</summary>
    public string CallSid { get; }

    /// <summary>Gets the account SID of the call.</summary>
    public string AccountSid => _options.AccountSid;

    /// <summary>Gets the SID of the current or last media stream (<c>MZ…</c>), or <see langword="null"/> before a stream started.</summary>
    public string? StreamSid { get; private set; }

    /// <summary>Gets the <c>&lt;Parameter&gt;</c>s of the last <c>&lt;Stream&gt;</c>, as sent in <c>start.customParameters</c>.</summary>
    public IReadOnlyDictionary<string, string> CustomParameters
    {
        get { lock (_gate) { return _customParameters; } }
    }

    /// <summary>Gets a snapshot of what has happened so far, in order.</summary>
    public IReadOnlyList<TwilioCallEvent> Events
    {
        get { lock (_gate) { return [.. _events]; } }
    }

    /// <summary>Gets every TwiML document the call received, in order.</summary>
    public IReadOnlyList<string> TwimlDocuments
    {
        get { lock (_gate) { return [.. _twiml]; } }
    }

    /// <summary>Gets the last TwiML document: the one that ended the call (for example the <c>&lt;Dial&gt;</c> or <c>&lt;Hangup/&gt;</c> after the stream).</summary>
    public string? FinalTwiml
    {
        get { lock (_gate) { return _twiml.Count == 0 ? null : _twiml[^1]; } }
    }

    /// <summary>Gets the names of the marks the app sent, in order.</summary>
    public IReadOnlyList<string> MarksReceived
    {
        get { lock (_gate) { return [.. _marksReceived]; } }
    }

    /// <summary>Gets the protocol errors the app made on its streams (each also an event of kind <see cref="TwilioCallEventKind.ProtocolError"/>).</summary>
    public IReadOnlyList<string> ProtocolErrors
    {
        get { lock (_gate) { return [.. _protocolErrors]; } }
    }

    /// <summary>Gets every byte of μ-law audio the app sent on its streams, in order (decoded from base64).</summary>
    public ReadOnlyMemory<byte> ReceivedAudio
    {
        get { lock (_gate) { return _stream is { } s ? Concat(_receivedAudio, s.ReceivedAudio()) : _receivedAudio; } }
    }

    /// <summary>Gets the audio the caller heard: <see cref="ReceivedAudio"/> without what a <c>clear</c> dropped before it played.</summary>
    public ReadOnlyMemory<byte> HeardAudio
    {
        get { lock (_gate) { return _stream is { } s ? Concat(_heardAudio, s.HeardAudio()) : _heardAudio; } }
    }

    /// <summary>Gets the number of <c>media</c> frames the caller sent.</summary>
    public int MediaFramesSent { get; private set; }

    /// <summary>Gets why the call ended, or <see cref="TwilioCallEndReason.None"/> while it runs.</summary>
    public TwilioCallEndReason EndReason { get; private set; }

    /// <summary>Gets the number, SIP URI or client a <c>&lt;Dial&gt;</c> handed the call to, if one did.</summary>
    public string? DialedTarget { get; private set; }

    /// <summary>Gets what failed when <see cref="EndReason"/> is <see cref="TwilioCallEndReason.ApplicationError"/>: Twilio's error code and the cause.</summary>
    public string? Error { get; private set; }

    /// <summary>Gets the time from the <c>start</c> message to the first audio the app sent, or <see langword="null"/> when it sent none.</summary>
    public TimeSpan? FirstAudioAfterStart
    {
        get
        {
            var events = Events;
            var start = events.FirstOrDefault(e => e.Kind == TwilioCallEventKind.StartSent);
            var media = events.FirstOrDefault(e => e.Kind == TwilioCallEventKind.MediaReceived);
            return start is null || media is null ? null : media.Elapsed - start.Elapsed;
        }
    }

    /// <summary>Gets a value indicating whether the call has ended.</summary>
    public bool IsEnded => _ended.Task.IsCompleted;

    /// <summary>Reads the call's events from the first, as they happen, until the call ends.</summary>
    /// <param name="cancellationToken">Stops reading (the call goes on).</param>
    /// <returns>The events in order.</returns>
    public async IAsyncEnumerable<TwilioCallEvent> ReadEventsAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var next = 0;
        while (true)
        {
            TwilioCallEvent? item = null;
            Task changed;
            bool ended;
            lock (_gate)
            {
                if (next < _events.Count)
                {
                    item = _events[next++];
                }

                changed = _changed.Task;
                ended = _ended.Task.IsCompleted;
            }

            if (item is not null)
            {
                yield return item;
                continue;
            }

            if (ended)
            {
                yield break;
            }

            await changed.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Waits for the first event (already recorded or still to come) that matches <paramref name="predicate"/>.</summary>
    /// <param name="predicate">The event to wait for.</param>
    /// <param name="cancellationToken">Stops waiting (the call goes on).</param>
    /// <returns>The event.</returns>
    /// <exception cref="InvalidOperationException">The call ended without such an event; the message lists what happened.</exception>
    public async Task<TwilioCallEvent> WaitForEventAsync(Func<TwilioCallEvent, bool> predicate, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(predicate);
        await foreach (var e in ReadEventsAsync(cancellationToken).ConfigureAwait(false))
        {
            if (predicate(e))
            {
                return e;
            }
        }

        throw new InvalidOperationException("The call ended without the awaited event. What happened:" + Environment.NewLine + string.Join(Environment.NewLine, Events));
    }

    /// <summary>Presses a key: sends a <c>dtmf</c> message on the running stream.</summary>
    /// <param name="digit">0-9, <c>*</c> or <c>#</c>.</param>
    /// <param name="cancellationToken">Cancels the send.</param>
    /// <returns>A task that completes when the message was sent.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="digit"/> is not a key of a phone.</exception>
    /// <exception cref="InvalidOperationException">No stream has started or it has ended.</exception>
    public Task SendDtmfAsync(char digit, CancellationToken cancellationToken = default)
    {
        if (!char.IsAsciiDigit(digit) && digit is not '*' and not '#')
        {
            throw new ArgumentOutOfRangeException(nameof(digit), digit, "A DTMF digit is 0-9, * or #.");
        }

        var stream = _stream ?? throw new InvalidOperationException("No media stream is running: wait for the StartSent event first.");
        return stream.SendDtmfAsync(digit, cancellationToken);
    }

    /// <summary>Hangs up as the caller (a running stream gets <c>stop</c> and is closed) and waits for the call to end.</summary>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <returns>A task that completes when the call has ended.</returns>
    public async Task HangUpAsync(CancellationToken cancellationToken = default)
    {
        await _hangUp.CancelAsync().ConfigureAwait(false);
        await _ended.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Waits until the call has ended.</summary>
    /// <param name="cancellationToken">Stops waiting (the call goes on).</param>
    /// <returns>This call, ended.</returns>
    public async Task<TwilioSimulatedCall> WhenEndedAsync(CancellationToken cancellationToken = default)
    {
        await _ended.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        return this;
    }

    /// <summary>Hangs up if the call is still running and waits until it has ended.</summary>
    /// <returns>A task that completes when the call has ended.</returns>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            await _run.ConfigureAwait(false);
            return;
        }

        await _hangUp.CancelAsync().ConfigureAwait(false);
        await _run.ConfigureAwait(false);
    }

    internal void Start() => _run = Task.Run(RunAsync);

    internal TimeSpan Elapsed() => _options.TimeProvider.GetElapsedTime(_startedAt);

    internal void Record(TwilioCallEventKind kind, string? name = null, string? text = null, long number = 0)
    {
        lock (_gate)
        {
            _events.Add(new TwilioCallEvent(kind, Elapsed(), name, text, number));
            switch (kind)
            {
                case TwilioCallEventKind.MarkReceived: _marksReceived.Add(name!); break;
                case TwilioCallEventKind.ProtocolError: _protocolErrors.Add(text!); break;
                case TwilioCallEventKind.TwimlReceived: _twiml.Add(text!); break;
            }

            var changed = _changed;
            _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            changed.TrySetResult();
        }
    }

    internal void CountFrame() => MediaFramesSent++;

    internal static string NewSid(string prefix) => prefix + RandomNumberGenerator.GetHexString(32, lowercase: true);

    private static byte[] Concat(byte[] first, byte[] second) => first.Length == 0 ? second : [.. first, .. second];

    private async Task RunAsync()
    {
        using var maxDuration = new CancellationTokenSource(_options.MaxCallDuration, _options.TimeProvider);
        using var hangUp = CancellationTokenSource.CreateLinkedTokenSource(_hangUp.Token, maxDuration.Token);
        try
        {
            var (reason, error) = await FollowTwimlAsync(hangUp.Token).ConfigureAwait(false);
            End(reason, error);
        }
        catch (OperationCanceledException) when (hangUp.IsCancellationRequested)
        {
            End(TwilioCallEndReason.CallerHungUp, null);
        }
        catch (Exception ex)
        {
            // The simulator's own failure (never the app's): keep the call's record usable.
            End(TwilioCallEndReason.ApplicationError, "simulator failure: " + ex.GetType().Name + ": " + ex.Message);
        }
    }

    private void End(TwilioCallEndReason reason, string? error)
    {
        EndReason = reason;
        Error = error;
        if (error is not null)
        {
            Record(TwilioCallEventKind.ApplicationError, text: error);
        }

        Record(TwilioCallEventKind.CallEnded, reason.ToString());
        _ended.TrySetResult();
        lock (_gate)
        {
            _changed.TrySetResult();
        }
    }

    private async Task<(TwilioCallEndReason Reason, string? Error)> FollowTwimlAsync(CancellationToken hangUp)
    {
        var url = _options.VoiceUrl!;
        var method = HttpMethod.Post;
        var callStatus = "ringing";
        for (var documents = 1; ; documents++)
        {
            if (documents > _options.MaxTwimlDocuments)
            {
                return (TwilioCallEndReason.ApplicationError, $"too many TwiML documents: more than {_options.MaxTwimlDocuments} (a <Redirect> loop?)");
            }

            var (document, error) = await FetchTwimlAsync(url, method, callStatus, hangUp).ConfigureAwait(false);
            if (document is null)
            {
                return (TwilioCallEndReason.ApplicationError, error);
            }

            callStatus = "in-progress";
            Uri? next = null;
            foreach (var verb in document.Root!.Elements())
            {
                switch (verb.Name.LocalName)
                {
                    case "Say":
                        Record(TwilioCallEventKind.Said, text: verb.Value.Trim());
                        break;
                    case "Connect" when verb.Element(verb.Name.Namespace + "Stream") is { } stream:
                        var outcome = await RunStreamAsync(stream, hangUp).ConfigureAwait(false);
                        if (outcome is not null)
                        {
                            return outcome.Value;
                        }

                        if (verb.Attribute("action") is { } action)
                        {
                            (next, method, error) = Resolve(url, action.Value, verb.Attribute("method")?.Value);
                        }

                        break;
                    case "Redirect":
                        (next, method, error) = Resolve(url, verb.Value.Trim(), verb.Attribute("method")?.Value);
                        break;
                    case "Dial":
                        DialedTarget = DialTarget(verb);
                        Record(TwilioCallEventKind.Dialed, DialedTarget);
                        return (TwilioCallEndReason.Dialed, null);
                    case "Hangup" or "Reject":
                        Record(TwilioCallEventKind.HungUp, verb.Name.LocalName);
                        return (TwilioCallEndReason.HungUpByTwiml, null);
                    default:
                        Record(TwilioCallEventKind.VerbSkipped, verb.Name.LocalName);
                        break;
                }

                if (error is not null)
                {
                    return (TwilioCallEndReason.ApplicationError, error);
                }

                if (next is not null)
                {
                    break;
                }
            }

            if (next is null)
            {
                return (TwilioCallEndReason.TwimlCompleted, null);
            }

            url = next;
        }
    }

    // Where the stream's WebSocket is opened: see TwilioSimulatorOptions.StreamBaseAddress.
    private Uri ConnectionUrl(Uri streamUrl)
    {
        var voice = _options.VoiceUrl!;
        var target = _options.StreamBaseAddress
            ?? (streamUrl.Scheme == "wss" && voice.Scheme == Uri.UriSchemeHttp && string.Equals(streamUrl.Authority, voice.Authority, StringComparison.OrdinalIgnoreCase) ? voice : null);
        if (target is null)
        {
            return streamUrl;
        }

        return new UriBuilder(streamUrl) { Scheme = target.Scheme == Uri.UriSchemeHttps ? "wss" : "ws", Host = target.Host, Port = target.Port }.Uri;
    }

    private static string DialTarget(XElement dial)
    {
        var noun = dial.Elements().FirstOrDefault(e => e.Name.LocalName is "Number" or "Sip" or "Client" or "Queue" or "Conference");
        return (noun ?? dial).Value.Trim();
    }

    private static (Uri? Url, HttpMethod Method, string? Error) Resolve(Uri current, string target, string? method)
    {
        var verbMethod = string.Equals(method, "GET", StringComparison.OrdinalIgnoreCase) ? HttpMethod.Get : HttpMethod.Post;
        if (target.Length == 0 || !Uri.TryCreate(current, target, out var url) || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps))
        {
            return (null, verbMethod, $"12100 Document parse failure: '{target}' is not a URL Twilio can request");
        }

        return (url, verbMethod, null);
    }

    private List<KeyValuePair<string, string>> CallParameters(string callStatus)
    {
        var fields = new List<KeyValuePair<string, string>>
        {
            new("AccountSid", _options.AccountSid),
            new("ApiVersion", ApiVersion),
            new("CallSid", CallSid),
            new("CallStatus", callStatus),
            new("Called", _call.To),
            new("Caller", _call.From),
            new("Direction", _call.Direction),
            new("From", _call.From),
            new("To", _call.To),
        };
        foreach (var (name, value) in _extraParameters)
        {
            fields.RemoveAll(f => f.Key == name);
            fields.Add(new(name, value));
        }

        return fields;
    }

    private async Task<(XDocument? Document, string? Error)> FetchTwimlAsync(Uri url, HttpMethod method, string callStatus, CancellationToken hangUp)
    {
        var fields = CallParameters(callStatus);
        var target = url;
        if (method == HttpMethod.Get)
        {
            var query = string.Join('&', fields.Select(f => Uri.EscapeDataString(f.Key) + "=" + Uri.EscapeDataString(f.Value)));
            target = new Uri(url.AbsoluteUri + (string.IsNullOrEmpty(url.Query) ? "?" : "&") + query);
        }

        using var request = new HttpRequestMessage(method, target);
        if (method == HttpMethod.Post)
        {
            request.Content = new FormUrlEncodedContent(fields);
        }

        request.Headers.UserAgent.ParseAdd(UserAgent);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("*/*"));
        if (_signer is not null)
        {
            request.Headers.TryAddWithoutValidation(TwilioRequestValidator.HeaderName,
                _signer.ComputeSignature(target.AbsoluteUri, method == HttpMethod.Post ? fields : []));
        }

        using var timeout = new CancellationTokenSource(_options.RequestTimeout, _options.TimeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, hangUp);
        string body;
        int status;
        try
        {
            using var response = await _http.SendAsync(request, linked.Token).ConfigureAwait(false);
            status = (int)response.StatusCode;
            body = await response.Content.ReadAsStringAsync(linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !hangUp.IsCancellationRequested)
        {
            Record(TwilioCallEventKind.TwimlRequested, text: method.Method + " " + target.AbsoluteUri);
            return (null, $"11205 HTTP connection failure: no answer from {target.AbsoluteUri} within {_options.RequestTimeout.TotalSeconds:0.#} s");
        }
        catch (HttpRequestException ex)
        {
            Record(TwilioCallEventKind.TwimlRequested, text: method.Method + " " + target.AbsoluteUri);
            return (null, $"11205 HTTP connection failure: {ex.Message}");
        }

        Record(TwilioCallEventKind.TwimlRequested, text: method.Method + " " + target.AbsoluteUri, number: status);
        if (status is < 200 or > 299)
        {
            return (null, $"11200 HTTP retrieval failure: {target.AbsoluteUri} answered HTTP {status}");
        }

        Record(TwilioCallEventKind.TwimlReceived, text: body);
        try
        {
            var document = XDocument.Parse(body);
            if (document.Root?.Name.LocalName != "Response")
            {
                return (null, $"12100 Document parse failure: the root element is <{document.Root?.Name.LocalName}>, not <Response>");
            }

            return (document, null);
        }
        catch (XmlException ex)
        {
            return (null, "12100 Document parse failure: " + ex.Message);
        }
    }

    // Runs one <Connect><Stream>. Returns null when the app closed the stream (the TwiML goes on), or how the call ended.
    private async Task<(TwilioCallEndReason, string?)?> RunStreamAsync(XElement stream, CancellationToken hangUp)
    {
        var urlText = stream.Attribute("url")?.Value ?? string.Empty;
        if (!Uri.TryCreate(urlText, UriKind.Absolute, out var url) || (url.Scheme != "wss" && url.Scheme != "ws"))
        {
            return (TwilioCallEndReason.ApplicationError, $"31922 Stream - WebSocket - URL Schema Not Supported: '{urlText}' is not a wss:// URL");
        }

        if (url.Scheme == "ws" && _options.RequireSecureStreamUrl)
        {
            return (TwilioCallEndReason.ApplicationError, $"31922 Stream - WebSocket - URL Schema Not Supported: '{urlText}' uses ws://; Twilio supports only wss://");
        }

        if (!string.IsNullOrEmpty(url.Query))
        {
            return (TwilioCallEndReason.ApplicationError,
                $"31920 Stream - WebSocket - Handshake Error: '{urlText}' has a query string, which <Stream> does not support; pass values as <Parameter>s");
        }

        var parameters = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var parameter in stream.Elements(stream.Name.Namespace + "Parameter"))
        {
            if (parameter.Attribute("name")?.Value is { Length: > 0 } name)
            {
                parameters[name] = parameter.Attribute("value")?.Value ?? string.Empty;
            }
        }

        var streamSid = NewSid("MZ");
        lock (_gate)
        {
            _customParameters = parameters;
        }

        StreamSid = streamSid;
        var media = new TwilioMediaStream(this, _options, _call, streamSid, parameters);
        var signature = _signer?.ComputeSignature(urlText, []);
        var error = await media.ConnectAsync(urlText, ConnectionUrl(url), signature, hangUp).ConfigureAwait(false);
        if (error is not null)
        {
            await media.DisposeAsync().ConfigureAwait(false);
            return (TwilioCallEndReason.ApplicationError, error);
        }

        _stream = media;
        bool callerHungUp;
        try
        {
            callerHungUp = await media.RunAsync(hangUp).ConfigureAwait(false);
        }
        finally
        {
            lock (_gate)
            {
                _receivedAudio = Concat(_receivedAudio, media.ReceivedAudio());
                _heardAudio = Concat(_heardAudio, media.HeardAudio());
                _stream = null;
            }

            await media.DisposeAsync().ConfigureAwait(false);
        }

        return callerHungUp ? (TwilioCallEndReason.CallerHungUp, null) : null;
    }
}
