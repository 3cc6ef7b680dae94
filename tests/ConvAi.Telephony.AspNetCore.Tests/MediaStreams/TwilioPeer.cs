using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using System.Xml.Linq;

namespace ConvAi.Telephony.AspNetCore.Tests.MediaStreams;

/// <summary>
/// A small raw Twilio for the bridge tests: posts the signed voice webhook, reads the TwiML, opens the signed stream handshake and
/// speaks the media-stream protocol frame by frame; records every message the bridge sends back.
/// </summary>
internal sealed class TwilioPeer : IAsyncDisposable
{
    public const string AuthToken = "twilio_test_auth_token";

    private readonly Uri _app;
    private readonly ClientWebSocket _socket = new();
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private readonly Channel<JsonNode?> _received = Channel.CreateUnbounded<JsonNode?>();
    private Task? _receiveLoop;

    private TwilioPeer(Uri app, string callSid)
    {
        _app = app;
        CallSid = callSid;
    }

    public string CallSid { get; }

    public string StreamSid { get; } = "MZ" + Guid.NewGuid().ToString("N");

    /// <summary>Gets the TwiML the voice webhook answered.</summary>
    public string TwiML { get; private set; } = string.Empty;

    /// <summary>Gets the stream URL of the TwiML.</summary>
    public string StreamUrl { get; private set; } = string.Empty;

    /// <summary>Gets the <c>&lt;Parameter&gt;</c>s of the TwiML, in order.</summary>
    public List<KeyValuePair<string, string>> Parameters { get; } = [];

    /// <summary>Gets or sets a value indicating whether the peer echoes each mark it receives, as Twilio does once the audio played.</summary>
    public bool EchoMarks { get; set; } = true;

    /// <summary>Gets every message the bridge sent, in order, as the text on the wire.</summary>
    public ConcurrentQueue<string> Sent { get; } = new();

    public WebSocketCloseStatus? CloseStatus => _socket.CloseStatus;

    public string? CloseDescription => _socket.CloseStatusDescription;

    public static async Task<TwilioPeer> CallAsync(Uri app, string? callSid = null, IDictionary<string, string>? form = null)
    {
        var peer = new TwilioPeer(app, callSid ?? "CA" + Guid.NewGuid().ToString("N"));
        var fields = new Dictionary<string, string> { ["CallSid"] = peer.CallSid, ["AccountSid"] = "AC123", ["From"] = "+14155550100", ["To"] = "+14155550199" };
        foreach (var (k, v) in form ?? new Dictionary<string, string>())
        {
            fields[k] = v;
        }

        using var response = await PostSignedAsync(new Uri(app, "/twilio/voice"), fields);
        Assert.That((int)response.StatusCode, Is.EqualTo(200), "voice webhook status");
        peer.TwiML = await response.Content.ReadAsStringAsync();
        var stream = XDocument.Parse(peer.TwiML).Descendants("Stream").Single();
        peer.StreamUrl = stream.Attribute("url")!.Value;
        peer.Parameters.AddRange(stream.Elements("Parameter").Select(p => new KeyValuePair<string, string>(p.Attribute("name")!.Value, p.Attribute("value")!.Value)));
        return peer;
    }

    public static async Task<HttpResponseMessage> PostSignedAsync(Uri url, IDictionary<string, string> fields, string? signature = null)
    {
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new FormUrlEncodedContent(fields) };
        request.Headers.Add(TwilioRequestValidator.HeaderName, signature ?? new TwilioRequestValidator(AuthToken).ComputeSignature(url.ToString(), fields));
        return await http.SendAsync(request);
    }

    /// <summary>Opens the stream's WebSocket like Twilio: the handshake signed over the wss:// URL of the TwiML.</summary>
    public async Task OpenAsync(string? signature = null)
    {
        _socket.Options.SetRequestHeader(TwilioRequestValidator.HeaderName, signature ?? new TwilioRequestValidator(AuthToken).ComputeSignature(StreamUrl, []));
        var target = new UriBuilder(StreamUrl) { Scheme = "ws" }.Uri;
        await _socket.ConnectAsync(target, Guard);
        _receiveLoop = Task.Run(ReceiveLoopAsync);
    }

    public Task SendConnectedAsync() => SendAsync("""{"event":"connected","protocol":"Call","version":"1.0.0"}""");

    public Task SendStartAsync(IEnumerable<KeyValuePair<string, string>>? parameters = null, string encoding = "audio/x-mulaw", int sampleRate = 8000)
    {
        var custom = new JsonObject();
        foreach (var (name, value) in parameters ?? Parameters)
        {
            custom[name] = value;
        }

        var start = new JsonObject
        {
            ["event"] = "start",
            ["sequenceNumber"] = "1",
            ["start"] = new JsonObject
            {
                ["accountSid"] = "AC123",
                ["streamSid"] = StreamSid,
                ["callSid"] = CallSid,
                ["tracks"] = new JsonArray("inbound"),
                ["mediaFormat"] = new JsonObject { ["encoding"] = encoding, ["sampleRate"] = sampleRate, ["channels"] = 1 },
                ["customParameters"] = custom,
            },
            ["streamSid"] = StreamSid,
        };
        return SendAsync(start.ToJsonString());
    }

    public Task SendMediaAsync(string payload, int chunk = 1) =>
        SendAsync($$$"""{"event":"media","sequenceNumber":"{{{chunk + 1}}}","media":{"track":"inbound","chunk":"{{{chunk}}}","timestamp":"{{{chunk * 20}}}","payload":"{{{payload}}}"},"streamSid":"{{{StreamSid}}}"}""");

    public Task SendMarkAsync(string name) => SendAsync($$$"""{"event":"mark","sequenceNumber":"9","streamSid":"{{{StreamSid}}}","mark":{"name":"{{{name}}}"}}""");

    public Task SendDtmfAsync(string digit) => SendAsync($$$"""{"event":"dtmf","streamSid":"{{{StreamSid}}}","sequenceNumber":"5","dtmf":{"track":"inbound_track","digit":"{{{digit}}}"}}""");

    public Task SendStopAsync() => SendAsync($$$"""{"event":"stop","sequenceNumber":"99","streamSid":"{{{StreamSid}}}","stop":{"accountSid":"AC123","callSid":"{{{CallSid}}}"}}""");

    public Task SendAsync(string text) => SendBytesAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text);

    public async Task SendBytesAsync(byte[] bytes, WebSocketMessageType type)
    {
        // One sender at a time: the test and the mark echo of the receive loop.
        await _sendLock.WaitAsync();
        try
        {
            await _socket.SendAsync(bytes, type, true, Guard);
        }
        finally
        {
            _sendLock.Release();
        }
    }

    public void Abort() => _socket.Abort();

    /// <summary>Reads the next message the bridge sent; null when the bridge closed the stream.</summary>
    public async Task<JsonNode?> ReceiveAsync()
    {
        if (await _received.Reader.WaitToReadAsync(Guard) && _received.Reader.TryRead(out var message))
        {
            return message;
        }

        return null;
    }

    /// <summary>Reads messages until the bridge closes the stream; returns them.</summary>
    public async Task<List<JsonNode>> ReceiveUntilClosedAsync()
    {
        var messages = new List<JsonNode>();
        while (await ReceiveAsync() is { } message)
        {
            messages.Add(message);
        }

        return messages;
    }

    private async Task ReceiveLoopAsync()
    {
        var buffer = new byte[256 * 1024];
        try
        {
            while (true)
            {
                var count = 0;
                ValueWebSocketReceiveResult result;
                do
                {
                    result = await _socket.ReceiveAsync(buffer.AsMemory(count), CancellationToken.None);
                    count += result.Count;
                }
                while (!result.EndOfMessage && result.MessageType != WebSocketMessageType.Close);

                if (result.MessageType == WebSocketMessageType.Close)
                {
                    if (_socket.State == WebSocketState.CloseReceived)
                    {
                        await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
                    }

                    return;
                }

                JsonNode message;
                try
                {
                    message = JsonNode.Parse(buffer.AsSpan(0, count))!;
                }
                catch (System.Text.Json.JsonException ex)
                {
                    throw new InvalidOperationException("The bridge sent a message that is not JSON: " + Encoding.UTF8.GetString(buffer, 0, count), ex);
                }

                Sent.Enqueue(Encoding.UTF8.GetString(buffer, 0, count));
                _received.Writer.TryWrite(message);
                if (EchoMarks && message["event"]?.GetValue<string>() == "mark")
                {
                    await SendMarkAsync(message["mark"]!["name"]!.GetValue<string>());
                }
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
        }
        finally
        {
            _received.Writer.TryComplete();
        }
    }

    private static CancellationToken Guard => new CancellationTokenSource(TimeSpan.FromSeconds(30)).Token;

    /// <summary>Gets the failure of the receive loop (a message that is not JSON), if any.</summary>
    public Exception? Failure => _receiveLoop?.Exception?.InnerException;

    public async ValueTask DisposeAsync()
    {
        _socket.Abort();
        if (_receiveLoop is not null)
        {
            await _receiveLoop;
        }

        _socket.Dispose();
    }

}
