using System.Buffers;
using System.Globalization;
using System.Net.WebSockets;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace ConvAi.Telephony.Testing;

/// <summary>
/// One <c>&lt;Connect&gt;&lt;Stream&gt;</c> of a simulated call: the WebSocket to the app, Twilio's side of the Media Streams
/// protocol, the caller's paced audio and the playback of the app's audio that decides when marks are answered.
/// </summary>
internal sealed class TwilioMediaStream : IAsyncDisposable
{
    public const int FrameBytes = 160;
    private static readonly TimeSpan FrameDuration = TimeSpan.FromMilliseconds(20);
    private static readonly TimeSpan CloseTimeout = TimeSpan.FromSeconds(5);

    // Twilio writes base64 payloads and parameters as they are ('+', '/', '&', '<' unescaped).
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private readonly TwilioSimulatedCall _call;
    private readonly TwilioSimulatorOptions _options;
    private readonly TwilioCallOptions _callOptions;
    private readonly string _streamSid;
    private readonly IReadOnlyDictionary<string, string> _parameters;
    private readonly ClientWebSocket _socket = new();
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private readonly CancellationTokenSource _receiveStop = new();
    private readonly TaskCompletionSource _callerDone = new(TaskCreationOptions.RunContinuationsAsynchronously);

    // Playback of the app's audio, under _playLock.
    private readonly object _playLock = new();
    private readonly MemoryStream _received = new();
    private readonly MemoryStream _heard = new();
    private readonly List<(TimeSpan Start, TimeSpan End, int Bytes)> _segments = [];
    private readonly Queue<(string Name, TimeSpan Due)> _marks = new();
    private TaskCompletionSource _playSignal = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private TimeSpan _playbackEnd;
    private int _sequence;

    public TwilioMediaStream(TwilioSimulatedCall call, TwilioSimulatorOptions options, TwilioCallOptions callOptions, string streamSid, IReadOnlyDictionary<string, string> parameters)
    {
        _call = call;
        _options = options;
        _callOptions = callOptions;
        _streamSid = streamSid;
        _parameters = parameters;
    }

    public byte[] ReceivedAudio()
    {
        lock (_playLock)
        {
            return _received.ToArray();
        }
    }

    public byte[] HeardAudio()
    {
        lock (_playLock)
        {
            return _heard.ToArray();
        }
    }

    /// <summary>Opens the WebSocket with Twilio's signed handshake; returns Twilio's error text when it fails.</summary>
    public async Task<string?> ConnectAsync(string url, Uri connectTo, string? signature, CancellationToken hangUp)
    {
        _socket.Options.CollectHttpResponseDetails = true;
        _socket.Options.SetRequestHeader("User-Agent", "Twilio.TmeWs/1.0");
        if (signature is not null)
        {
            _socket.Options.SetRequestHeader(TwilioRequestValidator.HeaderName, signature);
        }

        using var timeout = new CancellationTokenSource(_options.RequestTimeout, _options.TimeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, hangUp);
        try
        {
            await _socket.ConnectAsync(connectTo, linked.Token).ConfigureAwait(false);
        }
        catch (WebSocketException ex)
        {
            var status = (int)_socket.HttpStatusCode;
            return status != 0
                ? $"31920 Stream - WebSocket - Handshake Error: {url} answered HTTP {status} instead of 101 Switching Protocols"
                : $"31920 Stream - WebSocket - Handshake Error: {url}: {ex.Message}";
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !hangUp.IsCancellationRequested)
        {
            return $"31920 Stream - WebSocket - Handshake Error: {url} did not answer within {_options.RequestTimeout.TotalSeconds:0.#} s";
        }

        _call.Record(TwilioCallEventKind.StreamOpened, text: connectTo.AbsoluteUri == url ? url : url + " (opened at " + connectTo.AbsoluteUri + ")");
        return null;
    }

    /// <summary>Runs the stream until the app closes it (false) or the caller hangs up (true).</summary>
    public async Task<bool> RunAsync(CancellationToken hangUp)
    {
        using var streamEnd = CancellationTokenSource.CreateLinkedTokenSource(hangUp);
        await SendAsync(static (w, _, _) =>
        {
            w.WriteString("event", "connected");
            w.WriteString("protocol", "Call");
            w.WriteString("version", "1.0.0");
        }, null, numbered: false, CancellationToken.None).ConfigureAwait(false);
        _call.Record(TwilioCallEventKind.ConnectedSent);
        await SendAsync(WriteStart, null, numbered: true, CancellationToken.None).ConfigureAwait(false);
        _call.Record(TwilioCallEventKind.StartSent, _streamSid);

        var receive = ReceiveLoopAsync(_receiveStop.Token);
        var sender = SendCallerAudioAsync(streamEnd.Token);
        var playback = PlaybackLoopAsync(streamEnd.Token);
        using var registration = hangUp.Register(static s => ((TaskCompletionSource)s!).TrySetResult(), _callerDone);
        var first = await Task.WhenAny(receive, _callerDone.Task).ConfigureAwait(false);
        await streamEnd.CancelAsync().ConfigureAwait(false);
        await IgnoreCancellationAsync(sender).ConfigureAwait(false);
        await IgnoreCancellationAsync(playback).ConfigureAwait(false);
        if (first == receive)
        {
            _call.Record(TwilioCallEventKind.StreamClosed, text: await receive.ConfigureAwait(false));
            return false;
        }

        // The caller hung up: Twilio sends stop and closes the socket.
        using var closing = new CancellationTokenSource(CloseTimeout, _options.TimeProvider);
        try
        {
            await SendAsync(WriteStop, null, numbered: true, closing.Token).ConfigureAwait(false);
            _call.Record(TwilioCallEventKind.StopSent);
            await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "call ended", closing.Token).ConfigureAwait(false);
            await receive.WaitAsync(closing.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
            _socket.Abort();
        }

        _call.Record(TwilioCallEventKind.StreamClosed, text: "the caller hung up");
        return true;
    }

    public async ValueTask DisposeAsync()
    {
        await _receiveStop.CancelAsync().ConfigureAwait(false);
        _socket.Dispose();
        _receiveStop.Dispose();
    }

    private static async Task IgnoreCancellationAsync(Task task)
    {
        try
        {
            await task.ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is OperationCanceledException or WebSocketException or ObjectDisposedException or IOException)
        {
            // The stream is ending: a send cut short by the close is expected.
        }
    }

    public async Task SendDtmfAsync(char digit, CancellationToken cancellationToken)
    {
        await SendAsync(static (w, sid, d) =>
        {
            w.WriteString("event", "dtmf");
            w.WriteString("streamSid", sid);
            w.WriteString("sequenceNumber", d.Sequence);
            w.WriteStartObject("dtmf");
            w.WriteString("track", "inbound_track");
            w.WriteString("digit", d.Text);
            w.WriteEndObject();
        }, digit.ToString(), numbered: true, cancellationToken).ConfigureAwait(false);
        _call.Record(TwilioCallEventKind.DtmfSent, digit.ToString());
    }

    private readonly record struct MessageData(string Sequence, string? Text);

    private async Task SendAsync(Action<Utf8JsonWriter, string, MessageData> write, string? text, bool numbered, CancellationToken cancellationToken)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        await _sendLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var sequence = numbered ? (++_sequence).ToString(CultureInfo.InvariantCulture) : string.Empty;
            using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
            {
                writer.WriteStartObject();
                write(writer, _streamSid, new MessageData(sequence, text));
                writer.WriteEndObject();
            }

            await _socket.SendAsync(buffer.WrittenMemory, WebSocketMessageType.Text, endOfMessage: true, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _sendLock.Release();
        }
    }

    private void WriteStart(Utf8JsonWriter w, string sid, MessageData d)
    {
        w.WriteString("event", "start");
        w.WriteString("sequenceNumber", d.Sequence);
        w.WriteStartObject("start");
        w.WriteString("accountSid", _call.AccountSid);
        w.WriteString("streamSid", sid);
        w.WriteString("callSid", _call.CallSid);
        w.WriteStartArray("tracks");
        w.WriteStringValue("inbound");
        w.WriteEndArray();
        w.WriteStartObject("customParameters");
        foreach (var (name, value) in _parameters)
        {
            w.WriteString(name, value);
        }

        w.WriteEndObject();
        w.WriteStartObject("mediaFormat");
        w.WriteString("encoding", "audio/x-mulaw");
        w.WriteNumber("sampleRate", 8000);
        w.WriteNumber("channels", 1);
        w.WriteEndObject();
        w.WriteEndObject();
        w.WriteString("streamSid", sid);
    }

    private void WriteStop(Utf8JsonWriter w, string sid, MessageData d)
    {
        w.WriteString("event", "stop");
        w.WriteString("sequenceNumber", d.Sequence);
        w.WriteString("streamSid", sid);
        w.WriteStartObject("stop");
        w.WriteString("accountSid", _call.AccountSid);
        w.WriteString("callSid", _call.CallSid);
        w.WriteEndObject();
    }

    private async Task SendCallerAudioAsync(CancellationToken cancellationToken)
    {
        var audio = _callOptions.Audio.Ulaw;
        var frames = (audio.Length + FrameBytes - 1) / FrameBytes;
        var started = _call.Elapsed();
        var frame = new byte[FrameBytes];
        for (var k = 0; ; k++)
        {
            if (k == frames)
            {
                if (frames > 0)
                {
                    _call.Record(TwilioCallEventKind.CallerAudioEnded, number: _call.MediaFramesSent);
                }

                if (_callOptions.HangUpAfterAudio)
                {
                    _callerDone.TrySetResult();
                    return;
                }

                if (!_options.Pacing)
                {
                    return;
                }
            }

            frame.AsSpan().Fill(TwilioCallerAudio.SilenceByte);
            if (k < frames)
            {
                var offset = k * FrameBytes;
                audio.Span.Slice(offset, Math.Min(FrameBytes, audio.Length - offset)).CopyTo(frame);
            }

            if (_options.Pacing)
            {
                var wait = started + (k * FrameDuration) - _call.Elapsed();
                if (wait > TimeSpan.Zero)
                {
                    await Task.Delay(wait, _options.TimeProvider, cancellationToken).ConfigureAwait(false);
                }
            }

            var payload = Convert.ToBase64String(frame);
            var chunk = (k + 1).ToString(CultureInfo.InvariantCulture);
            var timestamp = (k * (int)FrameDuration.TotalMilliseconds).ToString(CultureInfo.InvariantCulture);
            await SendAsync((w, sid, d) =>
            {
                w.WriteString("event", "media");
                w.WriteString("sequenceNumber", d.Sequence);
                w.WriteStartObject("media");
                w.WriteString("track", "inbound");
                w.WriteString("chunk", chunk);
                w.WriteString("timestamp", timestamp);
                w.WriteString("payload", payload);
                w.WriteEndObject();
                w.WriteString("streamSid", sid);
            }, null, numbered: true, cancellationToken).ConfigureAwait(false);
            _call.CountFrame();
            if (k == 0 && frames > 0)
            {
                _call.Record(TwilioCallEventKind.CallerAudioStarted, number: audio.Length);
            }
        }
    }

    private async Task<string> ReceiveLoopAsync(CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(16 * 1024);
        var message = new ArrayBufferWriter<byte>(4096);
        var oversized = false;
        try
        {
            while (true)
            {
                var result = await _socket.ReceiveAsync(buffer.AsMemory(), cancellationToken).ConfigureAwait(false);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    var status = _socket.CloseStatus is { } s ? ((int)s).ToString(CultureInfo.InvariantCulture) : "no status";
                    if (_socket.State == WebSocketState.CloseReceived)
                    {
                        await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None).ConfigureAwait(false);
                        return $"the app closed the stream ({status}{(string.IsNullOrEmpty(_socket.CloseStatusDescription) ? string.Empty : " " + _socket.CloseStatusDescription)})";
                    }

                    return "closed";
                }

                if (!oversized)
                {
                    if (message.WrittenCount + result.Count > _options.MaxMessageBytes)
                    {
                        oversized = true;
                        _call.Record(TwilioCallEventKind.ProtocolError, text: $"31924 a message of more than {_options.MaxMessageBytes} bytes");
                    }
                    else
                    {
                        message.Write(buffer.AsSpan(0, result.Count));
                    }
                }

                if (!result.EndOfMessage)
                {
                    continue;
                }

                if (!oversized)
                {
                    if (result.MessageType == WebSocketMessageType.Binary)
                    {
                        _call.Record(TwilioCallEventKind.ProtocolError, text: "31924 a binary message: Twilio accepts JSON text messages only");
                    }
                    else
                    {
                        await HandleAsync(message.WrittenMemory).ConfigureAwait(false);
                    }
                }

                oversized = false;
                message.Clear();
            }
        }
        catch (OperationCanceledException)
        {
            return "closed by the simulator";
        }
        catch (Exception ex) when (ex is WebSocketException or IOException or ObjectDisposedException)
        {
            return "the connection dropped: " + ex.Message;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private async Task HandleAsync(ReadOnlyMemory<byte> json)
    {
        string? kind;
        string? name = null;
        byte[]? audio = null;
        try
        {
            using var document = JsonDocument.Parse(json);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("event", out var e) || e.ValueKind != JsonValueKind.String)
            {
                Error("a message without an \"event\" string");
                return;
            }

            kind = e.GetString();
            if (kind is not ("media" or "mark" or "clear"))
            {
                Error($"'{kind}' is not a message Twilio accepts on a bidirectional stream (media, mark, clear)");
                return;
            }

            if (!root.TryGetProperty("streamSid", out var sid) || sid.ValueKind != JsonValueKind.String || sid.GetString() != _streamSid)
            {
                Error($"a {kind} message whose streamSid is not this stream's ({_streamSid})");
                return;
            }

            if (kind == "media")
            {
                if (!root.TryGetProperty("media", out var media) || media.ValueKind != JsonValueKind.Object
                    || !media.TryGetProperty("payload", out var payload) || payload.ValueKind != JsonValueKind.String)
                {
                    Error("a media message without media.payload");
                    return;
                }

                var base64 = payload.GetString()!;
                audio = new byte[base64.Length];
                if (!Convert.TryFromBase64String(base64, audio, out var written))
                {
                    Error("a media payload that is not base64");
                    return;
                }

                audio = audio[..written];
            }
            else if (kind == "mark")
            {
                if (!root.TryGetProperty("mark", out var mark) || mark.ValueKind != JsonValueKind.Object
                    || !mark.TryGetProperty("name", out var markName) || markName.ValueKind != JsonValueKind.String)
                {
                    Error("a mark message without mark.name");
                    return;
                }

                name = markName.GetString();
            }
        }
        catch (JsonException)
        {
            Error("a message that is not JSON");
            return;
        }

        switch (kind)
        {
            case "media":
                Play(audio!);
                break;
            case "mark":
                _call.Record(TwilioCallEventKind.MarkReceived, name);
                lock (_playLock)
                {
                    var now = _call.Elapsed();
                    _marks.Enqueue((name!, _playbackEnd > now ? _playbackEnd : now));
                    Signal();
                }

                break;
            default:
                await ClearAsync().ConfigureAwait(false);
                break;
        }
    }

    private void Error(string what) => _call.Record(TwilioCallEventKind.ProtocolError, text: "31924 Stream - Protocol Error: " + what);

    private void Play(byte[] audio)
    {
        lock (_playLock)
        {
            // Recorded first, so the event's time is never later than the start of the audio's playback.
            _call.Record(TwilioCallEventKind.MediaReceived, number: audio.Length);
            var now = _call.Elapsed();
            _segments.RemoveAll(s => s.End <= now);
            var start = _playbackEnd > now ? _playbackEnd : now;
            var end = _options.RealTimePlayback ? start + TimeSpan.FromSeconds((double)audio.Length / TwilioCallerAudio.BytesPerSecond) : start;
            _segments.Add((start, end, audio.Length));
            _playbackEnd = end;
            _received.Write(audio);
            _heard.Write(audio);
        }
    }

    private async Task ClearAsync()
    {
        List<string> cleared;
        lock (_playLock)
        {
            var now = _call.Elapsed();
            long dropped = 0;
            foreach (var (start, end, bytes) in _segments)
            {
                if (end <= now)
                {
                    continue;
                }

                dropped += start >= now ? bytes : (long)Math.Ceiling(bytes * (end - now).TotalSeconds / (end - start).TotalSeconds);
            }

            _segments.Clear();
            _playbackEnd = now;
            _heard.SetLength(_heard.Length - dropped);
            _call.Record(TwilioCallEventKind.ClearReceived, number: dropped);
            cleared = [.. _marks.Select(m => m.Name)];
            _marks.Clear();
            Signal();
            foreach (var name in cleared)
            {
                _call.Record(TwilioCallEventKind.MarkCleared, name);
            }
        }

        foreach (var name in cleared)
        {
            await SendMarkAsync(name, CancellationToken.None).ConfigureAwait(false);
        }
    }

    private void Signal()
    {
        var signal = _playSignal;
        _playSignal = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        signal.TrySetResult();
    }

    private Task SendMarkAsync(string name, CancellationToken cancellationToken) =>
        SendAsync(static (w, sid, d) =>
        {
            w.WriteString("event", "mark");
            w.WriteString("sequenceNumber", d.Sequence);
            w.WriteString("streamSid", sid);
            w.WriteStartObject("mark");
            w.WriteString("name", d.Text);
            w.WriteEndObject();
        }, name, numbered: true, cancellationToken);

    private async Task PlaybackLoopAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            (string Name, TimeSpan Due)? head = null;
            Task signal;
            lock (_playLock)
            {
                signal = _playSignal.Task;
                if (_marks.Count > 0)
                {
                    var next = _marks.Peek();
                    if (next.Due <= _call.Elapsed())
                    {
                        head = _marks.Dequeue();
                        _call.Record(TwilioCallEventKind.MarkPlayed, next.Name);
                    }
                    else
                    {
                        var wait = next.Due - _call.Elapsed();
                        signal = Task.WhenAny(signal, Task.Delay(wait > TimeSpan.Zero ? wait : TimeSpan.Zero, _options.TimeProvider, cancellationToken));
                    }
                }
            }

            if (head is { } played)
            {
                await SendMarkAsync(played.Name, cancellationToken).ConfigureAwait(false);
                continue;
            }

            await signal.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }
}
