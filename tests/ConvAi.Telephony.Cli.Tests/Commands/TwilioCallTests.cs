using System.Net;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace ConvAi.Telephony.Cli.Tests;

/// <summary><c>convai twilio call</c> against a small bridge app on Kestrel that verifies Twilio's signatures.</summary>
public class TwilioCallTests
{
    private const string Token = "twilio_TOKEN_for_cli_tests_4d1c";

    [Test]
    public async Task Call_PrintsTheConversationAsItHappens_AndExitsZero()
    {
        await using var app = await BridgeApp.StartAsync(BridgeApp.MarkThenClose);

        var result = await Cli.RunAsync(new Dictionary<string, string>(), TimeProvider.System,
            "twilio", "call", "--url", app.VoiceUrl, "--auth-token", Token, "--no-pacing", "--bursts", "1", "--dtmf", "5#");

        Assert.That(result.ExitCode, Is.EqualTo(0), result.ToString());
        var lines = result.Output.Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        string[] expected =
        [
            $"calling {app.VoiceUrl} from +15005550006 to +15005550001, signed, caller audio 1.50 s",
            "call CA",
            $"POST {app.VoiceUrl} -> HTTP 200",
            "TwiML: <?xml version=\"1.0\" encoding=\"UTF-8\"?><Response><Connect><Stream url=",
            $"stream opened {app.StreamUrl}",
            "-> connected",
            "-> start MZ",
            "          customParameters: call_token=***, customer=Ana",
            "-> dtmf 5",
            "-> dtmf #",
            "<- media: 0.10 s of audio (800 bytes in 1 messages), mark agent-1",
            "-> mark agent-1 (played)",
            "stream closed: the app closed the stream (1000 bridge done)",
            $"POST {app.AfterUrl} -> HTTP 200",
            "TwiML: <Response><Dial>+15550100</Dial></Response>",
            "<Dial> +15550100",
            "call ended: Dialed",
            "ended: Dialed to +15550100; caller sent 75 frames; app audio 0.10 s received, 0.10 s heard; 1 marks, 0 clears, 0 protocol errors, first audio ",
            "final TwiML: <Response><Dial>+15550100</Dial></Response>",
        ];
        var position = 0;
        foreach (var line in expected)
        {
            var found = lines.FindIndex(position, l => l.Contains(line, StringComparison.Ordinal));
            Assert.That(found, Is.GreaterThanOrEqualTo(0), $"'{line}' missing or out of order in:\n{result.Output}");
            position = found + 1;
        }

        Assert.That(result.All, Does.Not.Contain(Token));
        Assert.That(result.All, Does.Not.Contain("tok-secret-1"), "a token passed as a <Parameter> is masked");
        Assert.That(app.Rejected, Is.Zero, "every request was signed with the token");
    }

    [Test]
    public async Task Call_TakesTheTokenFromTheEnvironment()
    {
        await using var app = await BridgeApp.StartAsync(BridgeApp.MarkThenClose);

        var result = await Cli.RunAsync(new Dictionary<string, string> { ["TWILIO_AUTH_TOKEN"] = Token }, TimeProvider.System,
            "twilio", "call", "--url", app.VoiceUrl, "--no-pacing", "--bursts", "0");

        Assert.That(result.ExitCode, Is.EqualTo(0), result.ToString());
        Assert.That(result.Output, Does.Contain("call ended: Dialed"));
        Assert.That(result.All, Does.Not.Contain(Token));
    }

    [Test]
    public async Task Call_WithTheWrongToken_ExitsOne_AndSaysWhatTheAppAnswered()
    {
        await using var app = await BridgeApp.StartAsync(BridgeApp.MarkThenClose);

        var result = await Cli.RunAsync(new Dictionary<string, string>(), TimeProvider.System,
            "twilio", "call", "--url", app.VoiceUrl, "--auth-token", "not_the_token_9", "--no-pacing");

        Assert.That(result.ExitCode, Is.EqualTo(1), result.ToString());
        Assert.That(result.Error, Is.EqualTo($"the app failed the call: 11200 HTTP retrieval failure: {app.VoiceUrl} answered HTTP 403" + Environment.NewLine));
        Assert.That(result.All, Does.Not.Contain("not_the_token_9"));
    }

    [Test]
    public async Task Call_WhenTheAppBreaksTheProtocol_ExitsOne()
    {
        await using var app = await BridgeApp.StartAsync(async (socket, sid) =>
        {
            await BridgeApp.SendAsync(socket, $$$"""{"event":"stop","streamSid":"{{{sid}}}"}""");
            await BridgeApp.CloseAsync(socket);
        });

        var result = await Cli.RunAsync(new Dictionary<string, string>(), TimeProvider.System,
            "twilio", "call", "--url", app.VoiceUrl, "--auth-token", Token, "--no-pacing", "--bursts", "0");

        Assert.That(result.ExitCode, Is.EqualTo(1), result.ToString());
        Assert.That(result.Output, Does.Contain("protocol error: 31924 Stream - Protocol Error: 'stop' is not a message Twilio accepts"));
        Assert.That(result.Error, Does.StartWith("the app broke the Media Streams protocol 1 time(s)"));
    }

    [Test]
    public async Task Call_ClearAndHangUp_ArePrinted()
    {
        await using var app = await BridgeApp.StartAsync(async (socket, sid) =>
        {
            await BridgeApp.SendAsync(socket, $$$"""{"event":"media","streamSid":"{{{sid}}}","media":{"payload":"{{{Convert.ToBase64String(new byte[16000])}}}"}}""");
            await BridgeApp.SendAsync(socket, $$$"""{"event":"mark","streamSid":"{{{sid}}}","mark":{"name":"long"}}""");
            await BridgeApp.SendAsync(socket, $$$"""{"event":"clear","streamSid":"{{{sid}}}"}""");
            await BridgeApp.ReadUntilClosedAsync(socket);
        });

        var result = await Cli.RunAsync(new Dictionary<string, string>(), TimeProvider.System,
            "twilio", "call", "--url", app.VoiceUrl, "--auth-token", Token, "--no-pacing", "--bursts", "1", "--hang-up-after-audio");

        Assert.That(result.ExitCode, Is.EqualTo(0), result.ToString());
        Assert.That(result.Output, Does.Contain("<- clear (dropped "));
        Assert.That(result.Output, Does.Contain("-> mark long (cleared)"));
        Assert.That(result.Output, Does.Contain("-> stop (the caller hung up)"));
        Assert.That(result.Output, Does.Contain("call ended: CallerHungUp"));
    }

    /// <summary>A bridge-shaped app: voice webhook (signed), a stream (signed handshake) that runs a script, an after webhook answering a Dial.</summary>
    private sealed class BridgeApp : IAsyncDisposable
    {
        private readonly WebApplication _app;
        private int _rejected;

        private BridgeApp(WebApplication app) => _app = app;

        public string VoiceUrl => Base + "/twilio/voice";

        public string AfterUrl => Base + "/twilio/after";

        public string StreamUrl => "ws://" + new Uri(Base).Authority + "/twilio/media";

        public int Rejected => Volatile.Read(ref _rejected);

        private string Base => _app.Urls.First();

        public static async Task MarkThenClose(WebSocket socket, string sid)
        {
            await SendAsync(socket, $$$"""{"event":"media","streamSid":"{{{sid}}}","media":{"payload":"{{{Convert.ToBase64String(new byte[800])}}}"}}""");
            await SendAsync(socket, $$$"""{"event":"mark","streamSid":"{{{sid}}}","mark":{"name":"agent-1"}}""");
            while (await ReceiveAsync(socket) is { } message && (string?)message["event"] != "mark")
            {
            }

            await CloseAsync(socket);
        }

        public static async Task<BridgeApp> StartAsync(Func<WebSocket, string, Task> onStream)
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.Logging.ClearProviders();
            builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
            var web = builder.Build();
            web.UseWebSockets();
            var validator = new TwilioRequestValidator(Token);
            BridgeApp? self = null;
            web.MapPost("/twilio/voice", (RequestDelegate)(ctx => TwimlAsync(ctx, validator, self!,
                $"""<?xml version="1.0" encoding="UTF-8"?><Response><Connect><Stream url="{self!.StreamUrl}"><Parameter name="call_token" value="tok-secret-1"/><Parameter name="customer" value="Ana"/></Stream></Connect><Redirect>/twilio/after</Redirect></Response>""")));
            web.MapPost("/twilio/after", (RequestDelegate)(ctx => TwimlAsync(ctx, validator, self!, "<Response><Dial>+15550100</Dial></Response>")));
            web.Map("/twilio/media", (RequestDelegate)(async ctx =>
            {
                var url = "ws://" + ctx.Request.Host + ctx.Request.Path;
                if (!ctx.WebSockets.IsWebSocketRequest || validator.ComputeSignature(url, []) != ctx.Request.Headers[TwilioRequestValidator.HeaderName].ToString())
                {
                    Interlocked.Increment(ref self!._rejected);
                    ctx.Response.StatusCode = StatusCodes.Status403Forbidden;
                    return;
                }

                using var socket = await ctx.WebSockets.AcceptWebSocketAsync();
                JsonObject? start;
                while ((start = await ReceiveAsync(socket)) is not null && (string?)start["event"] != "start")
                {
                }

                await onStream(socket, (string)start!["streamSid"]!);
            }));
            await web.StartAsync();
            self = new BridgeApp(web);
            return self;
        }

        public static Task SendAsync(WebSocket socket, string json) =>
            socket.SendAsync(Encoding.UTF8.GetBytes(json), WebSocketMessageType.Text, true, CancellationToken.None);

        public static async Task<JsonObject?> ReceiveAsync(WebSocket socket)
        {
            var buffer = new byte[64 * 1024];
            using var message = new MemoryStream();
            while (true)
            {
                var result = await socket.ReceiveAsync(buffer, CancellationToken.None);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    return null;
                }

                message.Write(buffer, 0, result.Count);
                if (result.EndOfMessage)
                {
                    return JsonNode.Parse(message.ToArray())!.AsObject();
                }
            }
        }

        public static async Task CloseAsync(WebSocket socket)
        {
            await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "bridge done", CancellationToken.None);
            while (socket.State == WebSocketState.CloseSent && await ReceiveAsync(socket) is not null)
            {
            }
        }

        public static async Task ReadUntilClosedAsync(WebSocket socket)
        {
            while (await ReceiveAsync(socket) is not null)
            {
            }

            if (socket.State == WebSocketState.CloseReceived)
            {
                await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
            }
        }

        public async ValueTask DisposeAsync()
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }

        private static async Task TwimlAsync(HttpContext ctx, TwilioRequestValidator validator, BridgeApp self, string twiml)
        {
            var form = await ctx.Request.ReadFormAsync();
            var fields = form.SelectMany(f => f.Value.Select(v => new KeyValuePair<string, string>(f.Key, v ?? string.Empty)));
            var url = ctx.Request.Scheme + "://" + ctx.Request.Host + ctx.Request.Path;
            if (validator.Verify(url, fields, ctx.Request.Headers[TwilioRequestValidator.HeaderName]) != ConvAiWebhookSignatureResult.Valid)
            {
                Interlocked.Increment(ref self._rejected);
                ctx.Response.StatusCode = StatusCodes.Status403Forbidden;
                return;
            }

            ctx.Response.ContentType = "text/xml";
            await ctx.Response.WriteAsync(twiml);
        }
    }
}
