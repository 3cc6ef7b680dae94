using System.CommandLine;
using System.Globalization;
using System.Text.RegularExpressions;
using ConvAi.Telephony.Testing;

namespace ConvAi.Telephony.Cli.Commands;

/// <summary><c>convai twilio call</c>: the Twilio simulator against a running app, printed as it happens.</summary>
internal static partial class TwilioCommands
{
    /// <summary>The environment variable the auth token is read from when <c>--auth-token</c> is not given.</summary>
    public const string AuthTokenVariable = "TWILIO_AUTH_TOKEN";

    public static Command Create(CliEnvironment environment) =>
        new("twilio", "Play Twilio against your app: a simulated phone call through its voice webhook and Media Streams bridge.")
        {
            CreateCall(environment),
        };

    private static Command CreateCall(CliEnvironment environment)
    {
        var url = CliOptions.Url("--url", "The app's voice webhook (Twilio's \"A call comes in\" URL), e.g. http://localhost:5000/twilio/voice.", required: true);
        var authToken = new Option<string?>("--auth-token") { Description = $"The Twilio auth token that signs the requests (default: ${AuthTokenVariable}; never printed)." };
        var unsigned = new Option<bool>("--unsigned") { Description = "Send no X-Twilio-Signature (a correct app refuses the call)." };
        var audio = new Option<FileInfo?>("--audio") { Description = "What the caller says: a μ-law or 16-bit PCM WAV file at 8 kHz mono, or raw μ-law bytes (default: generated speech-like bursts)." };
        var bursts = new Option<int>("--bursts") { Description = "Without --audio: how many speech-like bursts the caller says (0 for a silent caller).", DefaultValueFactory = _ => 2 };
        var from = new Option<string>("--from") { Description = "The caller's number (From).", DefaultValueFactory = _ => "+15005550006" };
        var to = new Option<string>("--to") { Description = "The number called (To).", DefaultValueFactory = _ => "+15005550001" };
        var dtmf = new Option<string?>("--dtmf") { Description = "Keys the caller presses once the stream starts, e.g. 12#." };
        var hangUp = new Option<bool>("--hang-up-after-audio") { Description = "Hang up (send stop) once the caller's audio is sent, instead of waiting for the app to end the stream." };
        var noPacing = new Option<bool>("--no-pacing") { Description = "Send the caller's audio as fast as possible instead of one 20 ms frame every 20 ms." };
        var maxDuration = new Option<int>("--max-duration-secs") { Description = "Hang up after this many seconds.", DefaultValueFactory = _ => 120 };
        var streamBase = CliOptions.Url("--stream-base-url", "Open media streams on this http(s) base URL instead of the <Stream url> host (an app behind a TLS proxy); the handshake is still signed over the TwiML's URL.");
        var showMedia = new Option<bool>("--show-media") { Description = "Print every media message from the app (by default, each run of audio is one line)." };
        bursts.Validators.Add(r => { if (r.GetValueOrDefault<int>() is < 0 or > 100) { r.AddError("--bursts must be between 0 and 100."); } });
        maxDuration.Validators.Add(r => { if (r.GetValueOrDefault<int>() < 1) { r.AddError("--max-duration-secs must be at least 1."); } });
        dtmf.Validators.Add(r => { if (r.GetValueOrDefault<string?>() is { } keys && !DtmfKeys().IsMatch(keys)) { r.AddError("--dtmf takes the keys 0-9, * and #."); } });

        var command = new Command("call", "Call the app as Twilio would (signed webhook, TwiML, media stream, marks, clear, redirect) and print the conversation as it happens. Exits 1 when the app failed the call or broke the protocol.")
        {
            url, authToken, unsigned, audio, bursts, from, to, dtmf, hangUp, noPacing, maxDuration, streamBase, showMedia,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var token = parse.GetValue(authToken) ?? environment.GetVariable(AuthTokenVariable);
            var isUnsigned = parse.GetValue(unsigned);
            if (isUnsigned)
            {
                token = null;
            }
            else if (string.IsNullOrWhiteSpace(token))
            {
                throw new UsageException($"no Twilio auth token: set {AuthTokenVariable} or --auth-token (or --unsigned to send no signature).");
            }

            TwilioCallerAudio callerAudio;
            var file = parse.GetValue(audio);
            try
            {
                callerAudio = file is not null ? TwilioCallerAudio.FromFile(file.FullName)
                    : parse.GetValue(bursts) is var count and > 0 ? TwilioCallerAudio.SpeechBursts(count) : TwilioCallerAudio.None;
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidDataException)
            {
                throw new UsageException($"cannot use the audio file {file!.FullName}: {ex.Message}");
            }

            var output = environment.Output;
            using var simulator = new TwilioSimulator(new TwilioSimulatorOptions
            {
                VoiceUrl = parse.GetValue(url),
                AuthToken = token,
                Pacing = !parse.GetValue(noPacing),
                MaxCallDuration = TimeSpan.FromSeconds(parse.GetValue(maxDuration)),
                StreamBaseAddress = parse.GetValue(streamBase),
                TimeProvider = environment.Time,
            });
            var options = new TwilioCallOptions
            {
                From = parse.GetValue(from)!,
                To = parse.GetValue(to)!,
                Audio = callerAudio,
                HangUpAfterAudio = parse.GetValue(hangUp),
            };
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"calling {parse.GetValue(url)} from {options.From} to {options.To}, {(token is null ? "unsigned" : "signed")}, caller audio {callerAudio.Duration.TotalSeconds:0.00} s{(file is null ? string.Empty : " from " + file.Name)}"));

            await using var call = simulator.StartCall(options);
            await output.WriteLineAsync("call " + call.CallSid);
            var printer = new EventPrinter(output, parse.GetValue(showMedia), call);
            var keys = parse.GetValue(dtmf);
            try
            {
                await foreach (var e in call.ReadEventsAsync(cancellationToken))
                {
                    await printer.PrintAsync(e);
                    if (e.Kind == TwilioCallEventKind.StartSent && !string.IsNullOrEmpty(keys))
                    {
                        foreach (var key in keys)
                        {
                            await call.SendDtmfAsync(key, cancellationToken);
                        }
                    }
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                await call.HangUpAsync(CancellationToken.None);
                throw;
            }

            await printer.FlushAsync();
            await PrintSummaryAsync(output, call);
            if (call.EndReason == TwilioCallEndReason.ApplicationError || call.ProtocolErrors.Count > 0)
            {
                await environment.Error.WriteLineAsync(call.EndReason == TwilioCallEndReason.ApplicationError
                    ? "the app failed the call: " + call.Error
                    : $"the app broke the Media Streams protocol {call.ProtocolErrors.Count} time(s): Twilio accepts only media, mark and clear on the stream.");
                return ExitCodes.CheckFailed;
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    private static async Task PrintSummaryAsync(TextWriter output, TwilioSimulatedCall call)
    {
        var received = call.ReceivedAudio.Length;
        var heard = call.HeardAudio.Length;
        var first = call.FirstAudioAfterStart is { } f ? string.Create(CultureInfo.InvariantCulture, $", first audio {f.TotalMilliseconds:0} ms after start") : string.Empty;
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"ended: {call.EndReason}{(call.DialedTarget is null ? string.Empty : " to " + call.DialedTarget)}; caller sent {call.MediaFramesSent} frames; app audio {Seconds(received)} received, {Seconds(heard)} heard; "
            + $"{call.MarksReceived.Count} marks, {call.Events.Count(e => e.Kind == TwilioCallEventKind.ClearReceived)} clears, {call.ProtocolErrors.Count} protocol errors{first}"));
        if (call.FinalTwiml is { } twiml)
        {
            await output.WriteLineAsync("final TwiML: " + Printable(twiml));
        }
    }

    private static string Seconds(long bytes) => string.Create(CultureInfo.InvariantCulture, $"{bytes / (double)TwilioCallerAudio.BytesPerSecond:0.00} s");

    /// <summary>TwiML on one line, with the values of secret-named <c>&lt;Parameter&gt;</c>s masked.</summary>
    private static string Printable(string twiml) =>
        Parameter().Replace(Whitespace().Replace(twiml, " ").Trim(), m =>
        {
            var name = ParameterName().Match(m.Value);
            return name.Success && SecretNames().IsMatch(name.Groups[1].Value) ? ParameterValue().Replace(m.Value, "value=\"***\"") : m.Value;
        });

    [GeneratedRegex("<Parameter\\b[^>]*>")]
    private static partial Regex Parameter();

    [GeneratedRegex("\\bname\\s*=\\s*[\"']([^\"']*)[\"']")]
    private static partial Regex ParameterName();

    [GeneratedRegex("\\bvalue\\s*=\\s*(\"[^\"]*\"|'[^']*')")]
    private static partial Regex ParameterValue();

    [GeneratedRegex("^[0-9*#]+$")]
    private static partial Regex DtmfKeys();

    [GeneratedRegex("token|secret|key|signature|password", RegexOptions.IgnoreCase)]
    private static partial Regex SecretNames();

    [GeneratedRegex(@"\s*\n\s*")]
    private static partial Regex Whitespace();

    /// <summary>
    /// Prints events one line each, except runs: the app's media messages and the marks between them become one line, and
    /// so do consecutive marks answered by playback (a bridge marks every chunk).
    /// </summary>
    private sealed class EventPrinter(TextWriter output, bool showMedia, TwilioSimulatedCall call)
    {
        private readonly List<string> _runMarks = [];
        private TwilioCallEvent? _runStart;
        private long _runBytes;
        private int _runMessages;

        public async Task PrintAsync(TwilioCallEvent e)
        {
            if (!showMedia)
            {
                var isMediaRun = e.Kind is TwilioCallEventKind.MediaReceived or TwilioCallEventKind.MarkReceived;
                var isPlayedRun = e.Kind == TwilioCallEventKind.MarkPlayed;
                if (_runStart is not null && (_runStart.Kind == TwilioCallEventKind.MarkPlayed ? !isPlayedRun : !isMediaRun))
                {
                    await FlushAsync();
                }

                if (isMediaRun && (e.Kind == TwilioCallEventKind.MediaReceived || _runStart is not null))
                {
                    _runStart ??= e;
                    if (e.Kind == TwilioCallEventKind.MediaReceived)
                    {
                        _runBytes += e.Number;
                        _runMessages++;
                    }
                    else
                    {
                        _runMarks.Add(e.Name!);
                    }

                    return;
                }

                if (isPlayedRun)
                {
                    _runStart ??= e;
                    _runMarks.Add(e.Name!);
                    return;
                }
            }

            await FlushAsync();
            await output.WriteLineAsync(Time(e) + "  " + Describe(e));
            if (e.Kind == TwilioCallEventKind.StartSent)
            {
                await output.WriteLineAsync("          customParameters: "
                    + (call.CustomParameters.Count == 0 ? "(none)" : string.Join(", ", call.CustomParameters.Select(p => p.Key + "=" + MaskIfSecret(p.Key, p.Value)))));
            }
        }

        public async Task FlushAsync()
        {
            if (_runStart is null)
            {
                return;
            }

            var marks = _runMarks.Count switch
            {
                0 => string.Empty,
                1 => "mark " + _runMarks[0],
                2 => $"marks {_runMarks[0]}, {_runMarks[1]}",
                var n => $"marks {_runMarks[0]} … {_runMarks[^1]} ({n})",
            };
            await output.WriteLineAsync(_runStart.Kind == TwilioCallEventKind.MarkPlayed
                ? $"{Time(_runStart)}  -> {marks} (played)"
                : string.Create(CultureInfo.InvariantCulture,
                    $"{Time(_runStart)}  <- media: {Seconds(_runBytes)} of audio ({_runBytes} bytes in {_runMessages} messages){(marks.Length == 0 ? string.Empty : ", " + marks)}"));
            _runStart = null;
            _runBytes = 0;
            _runMessages = 0;
            _runMarks.Clear();
        }

        // A per-call token or key passed as a <Parameter> is a credential of the call: its value is not printed.
        private static string MaskIfSecret(string name, string value) =>
            SecretNames().IsMatch(name) ? "***" : value;

        private static string Time(TwilioCallEvent e) => string.Create(CultureInfo.InvariantCulture, $"+{e.Elapsed.TotalSeconds,7:0.000}");

        private static string Describe(TwilioCallEvent e) => e.Kind switch
        {
            TwilioCallEventKind.TwimlRequested => $"{e.Text} -> {(e.Number == 0 ? "no answer" : "HTTP " + e.Number.ToString(CultureInfo.InvariantCulture))}",
            TwilioCallEventKind.TwimlReceived => "TwiML: " + Printable(e.Text ?? string.Empty),
            TwilioCallEventKind.Said => "<Say> " + e.Text,
            TwilioCallEventKind.VerbSkipped => $"<{e.Name}> skipped (not simulated)",
            TwilioCallEventKind.StreamOpened => "stream opened " + e.Text,
            TwilioCallEventKind.ConnectedSent => "-> connected",
            TwilioCallEventKind.StartSent => "-> start " + e.Name,
            TwilioCallEventKind.CallerAudioStarted => $"-> caller audio starts ({Seconds(e.Number)})",
            TwilioCallEventKind.CallerAudioEnded => $"-> caller audio ends ({e.Number} frames)",
            TwilioCallEventKind.DtmfSent => "-> dtmf " + e.Name,
            TwilioCallEventKind.MediaReceived => $"<- media {e.Number} bytes",
            TwilioCallEventKind.MarkReceived => "<- mark " + e.Name,
            TwilioCallEventKind.MarkPlayed => "-> mark " + e.Name + " (played)",
            TwilioCallEventKind.ClearReceived => $"<- clear (dropped {Seconds(e.Number)} not yet played)",
            TwilioCallEventKind.MarkCleared => "-> mark " + e.Name + " (cleared)",
            TwilioCallEventKind.ProtocolError => "protocol error: " + e.Text,
            TwilioCallEventKind.StopSent => "-> stop (the caller hung up)",
            TwilioCallEventKind.StreamClosed => "stream closed: " + e.Text,
            TwilioCallEventKind.Dialed => "<Dial> " + e.Name,
            TwilioCallEventKind.HungUp => $"<{e.Name}>",
            TwilioCallEventKind.ApplicationError => "application error: " + e.Text,
            TwilioCallEventKind.CallEnded => "call ended: " + e.Name,
            _ => e.ToString(),
        };
    }
}
