using System.Collections.Concurrent;
using System.Net;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace ConvAi.Telephony.Shared;

/// <summary>
/// A small app on Kestrel (127.0.0.1, a free port) that plays the user's side of a Media Streams bridge for the Twilio
/// simulator's tests and <c>convai twilio call</c>'s: a voice webhook and an "after" webhook that verify
/// <c>X-Twilio-Signature</c> and answer TwiML, and a WebSocket endpoint that verifies the handshake's signature and then
/// runs the test's script on the stream. One source file, linked into both test projects.
/// </summary>
internal sealed class FakeTwilioApp : IAsyncDisposable
{
    public const string AuthToken = "fake_auth_token_0123456789";

    private readonly WebApplication _app;
    private int _rejected;

    private FakeTwilioApp(WebApplication app, Uri baseAddress)
    {
        _app = app;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    /// <summary>Gets the number of requests refused for a missing or wrong signature.</summary>
    public int Rejected => Volatile.Read(ref _rejected);

    public Uri VoiceUrl => new(BaseAddress, "/twilio/voice");

    public string StreamUrl => "ws://" + BaseAddress.Authority + "/twilio/media";

    /// <summary>Gets every HTTP request the app received (webhooks and the handshake).</summary>
    public ConcurrentQueue<ReceivedWebhook> Requests { get; } = new();

    /// <summary>Gets or sets the TwiML the voice webhook answers (default: a stream with two parameters, then a redirect to /twilio/after).</summary>
    public Func<FakeTwilioApp, string> VoiceTwiml { get; set; } = app =>
        $"""<?xml version="1.0" encoding="UTF-8"?><Response><Connect><Stream url="{app.StreamUrl}"><Parameter name="call_token" value="tok-1" /><Parameter name="customer" value="Ana &amp; &quot;Bo&quot; &lt;x&gt;" /></Stream></Connect><Redirect>/twilio/after</Redirect></Response>""";

    /// <summary>Gets or sets the TwiML the after webhook answers.</summary>
    public string AfterTwiml { get; set; } = """<?xml version="1.0" encoding="UTF-8"?><Response><Dial><Number>+15550100</Number></Dial></Response>""";

    /// <summary>Gets or sets what the app does on an accepted stream (default: close it at once).</summary>
    public Func<FakeStream, Task> OnStream { get; set; } = s => s.CloseAsync();

    /// <summary>Gets or sets the public stream URL the app puts in its TwiML behind a proxy (accepted as a signed URL too).</summary>
    public string? PublicStreamUrl { get; set; }

    /// <summary>Gets or sets the status the voice webhook answers with (200 by default).</summary>
    public int VoiceStatus { get; set; } = 200;

    public static async Task<FakeTwilioApp> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        app.UseWebSockets();
        FakeTwilioApp? self = null;
        var validator = new TwilioRequestValidator(AuthToken);
        app.MapPost("/twilio/voice", (RequestDelegate)(ctx => Webhook(ctx, self!, validator, () => self!.VoiceStatus, () => self!.VoiceTwiml(self!))));
        app.MapPost("/twilio/after", (RequestDelegate)(ctx => Webhook(ctx, self!, validator, () => 200, () => self!.AfterTwiml)));
        app.MapGet("/twilio/after", (RequestDelegate)(ctx => Webhook(ctx, self!, validator, () => 200, () => self!.AfterTwiml)));
        app.Map("/twilio/media", (RequestDelegate)(async ctx =>
        {
            var url = "ws://" + ctx.Request.Host + ctx.Request.Path;
            var signature = ctx.Request.Headers[TwilioRequestValidator.HeaderName].ToString();
            self!.Requests.Enqueue(new ReceivedWebhook(ctx.Request.Method, url, ctx.Request.ContentType, [], signature, ctx.Request.Headers.UserAgent.ToString()));
            // Twilio signs the stream's URL exactly as the TwiML gave it (ws:// or wss://, no query string) with no fields.
            // TwilioRequestValidator.Verify takes http(s) URLs only, so the fake compares with the computed signature.
            string[] signedUrls = [url, "wss://" + ctx.Request.Host + ctx.Request.Path, self.PublicStreamUrl ?? url];
            if (!ctx.WebSockets.IsWebSocketRequest || !signedUrls.Any(u => string.Equals(validator.ComputeSignature(u, []), signature, StringComparison.Ordinal)))
            {
                Interlocked.Increment(ref self._rejected);
                ctx.Response.StatusCode = StatusCodes.Status403Forbidden;
                return;
            }

            using var socket = await ctx.WebSockets.AcceptWebSocketAsync();
            var stream = new FakeStream(socket);
            await self.OnStream(stream);
        }));
        await app.StartAsync();
        var address = new Uri(app.Urls.First());
        self = new FakeTwilioApp(app, address);
        return self;
    }

    private static async Task Webhook(HttpContext ctx, FakeTwilioApp self, TwilioRequestValidator validator, Func<int> status, Func<string> twiml)
    {
        var form = ctx.Request.HasFormContentType ? await ctx.Request.ReadFormAsync() : null;
        var fields = form?.SelectMany(f => f.Value.Select(v => new KeyValuePair<string, string>(f.Key, v ?? string.Empty))).ToList() ?? [];
        var url = ctx.Request.Scheme + "://" + ctx.Request.Host + ctx.Request.Path + ctx.Request.QueryString;
        var signature = ctx.Request.Headers[TwilioRequestValidator.HeaderName].ToString();
        self.Requests.Enqueue(new ReceivedWebhook(ctx.Request.Method, url, ctx.Request.ContentType, fields, signature, ctx.Request.Headers.UserAgent.ToString()));
        if (validator.Verify(url, fields, signature) != ConvAiWebhookSignatureResult.Valid)
        {
            Interlocked.Increment(ref self._rejected);
            ctx.Response.StatusCode = StatusCodes.Status403Forbidden;
            return;
        }

        ctx.Response.StatusCode = status();
        ctx.Response.ContentType = "text/xml";
        await ctx.Response.WriteAsync(twiml());
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

internal sealed record ReceivedWebhook(string Method, string Url, string? ContentType, List<KeyValuePair<string, string>> Fields, string Signature, string UserAgent);

/// <summary>The app's end of one stream: read Twilio's JSON messages, send the app's.</summary>
internal sealed class FakeStream(WebSocket socket)
{
    public WebSocket Socket { get; } = socket;

    /// <summary>Gets every text message received so far, as sent.</summary>
    public List<string> Received { get; } = [];

    public async Task<string?> ReceiveTextAsync()
    {
        var text = await WebSocketText.ReceiveAsync(Socket);
        if (text is not null)
        {
            Received.Add(text);
        }

        return text;
    }

    public async Task<JsonObject?> ReceiveAsync() => await ReceiveTextAsync() is { } text ? JsonNode.Parse(text)!.AsObject() : null;

    /// <summary>Reads until a message of the given event arrives.</summary>
    public async Task<JsonObject> ReceiveEventAsync(string eventName)
    {
        while (await ReceiveAsync() is { } message)
        {
            if ((string?)message["event"] == eventName)
            {
                return message;
            }
        }

        throw new InvalidOperationException($"The stream closed before a '{eventName}' message.");
    }

    public Task SendAsync(string json) => Socket.SendAsync(Encoding.UTF8.GetBytes(json), WebSocketMessageType.Text, true, CancellationToken.None);

    public Task SendMediaAsync(string streamSid, byte[] audio) =>
        SendAsync($$$"""{"event":"media","streamSid":"{{{streamSid}}}","media":{"payload":"{{{Convert.ToBase64String(audio)}}}"}}""");

    public Task SendMarkAsync(string streamSid, string name) =>
        SendAsync($$$"""{"event":"mark","streamSid":"{{{streamSid}}}","mark":{"name":"{{{name}}}"}}""");

    public async Task CloseAsync()
    {
        if (Socket.State == WebSocketState.Open)
        {
            await Socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "bridge done", CancellationToken.None);
        }

        // Wait for the simulator's close (or the end of the socket).
        while (Socket.State is WebSocketState.CloseSent or WebSocketState.Open)
        {
            try
            {
                if ((await Socket.ReceiveAsync(new byte[4096], CancellationToken.None)).MessageType == WebSocketMessageType.Close)
                {
                    break;
                }
            }
            catch (WebSocketException)
            {
                break;
            }
        }
    }

    /// <summary>Reads until the simulator closes the stream (after its stop), answering the close.</summary>
    public async Task ReadUntilClosedAsync()
    {
        while (await ReceiveTextAsync() is not null)
        {
        }

        if (Socket.State == WebSocketState.CloseReceived)
        {
            await Socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
        }
    }
}
