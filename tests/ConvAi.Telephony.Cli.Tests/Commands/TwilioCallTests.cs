using ConvAi.Telephony.Shared;

namespace ConvAi.Telephony.Cli.Tests;

/// <summary><c>convai twilio call</c> against a fake bridge app on Kestrel that verifies Twilio's signatures (tests/Shared/FakeTwilioApp.cs).</summary>
public class TwilioCallTests
{
    private const string Token = FakeTwilioApp.AuthToken;

    [Test]
    public async Task Call_PrintsTheConversationAsItHappens_AndExitsZero()
    {
        await using var app = await StartAppAsync(MarkThenClose);

        var result = await Cli.RunAsync(new Dictionary<string, string>(), TimeProvider.System,
            "twilio", "call", "--url", app.VoiceUrl.AbsoluteUri, "--auth-token", Token, "--no-pacing", "--bursts", "1", "--dtmf", "5#");

        Assert.That(result.ExitCode, Is.EqualTo(0), result.ToString());
        var lines = result.Output.Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        string[] expected =
        [
            $"calling {app.VoiceUrl.AbsoluteUri} from +15005550006 to +15005550001, signed, caller audio 1.50 s",
            "call CA",
            $"POST {app.VoiceUrl.AbsoluteUri} -> HTTP 200",
            "TwiML: <?xml version=\"1.0\" encoding=\"UTF-8\"?><Response><Connect><Stream url=",
            $"stream opened {app.StreamUrl}",
            "-> connected",
            "-> start MZ",
            "          customParameters: call_token=***, customer=Ana",
            "<- media: 0.10 s of audio (800 bytes in 1 messages), mark agent-1",
            "-> mark agent-1 (played)",
            "stream closed: the app closed the stream (1000 bridge done)",
            $"POST {new Uri(app.BaseAddress, "/twilio/after").AbsoluteUri} -> HTTP 200",
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

        // The caller's digits and the app's audio travel in opposite directions at the same time: their relative order is
        // the machine's, so the digits are checked in their own order, after the start and before the stream closed.
        var start = lines.FindIndex(l => l.Contains("-> start MZ", StringComparison.Ordinal));
        var closed = lines.FindIndex(l => l.Contains("stream closed:", StringComparison.Ordinal));
        var five = lines.FindIndex(l => l.EndsWith("-> dtmf 5", StringComparison.Ordinal));
        var hash = lines.FindIndex(l => l.EndsWith("-> dtmf #", StringComparison.Ordinal));
        Assert.That(new[] { start, five, hash, closed }, Is.Ordered.And.All.GreaterThanOrEqualTo(0), result.Output);

        Assert.That(result.All, Does.Not.Contain(Token));
        Assert.That(result.All, Does.Not.Contain("tok-secret-1"), "a token passed as a <Parameter> is masked");
        Assert.That(app.Rejected, Is.Zero, "every request was signed with the token");
        Assert.That(app.Requests.Select(r => r.Method + " " + new Uri(r.Url).AbsolutePath), Is.EqualTo(new[] { "POST /twilio/voice", "GET /twilio/media", "POST /twilio/after" }));
    }

    [Test]
    public async Task Call_TakesTheTokenFromTheEnvironment()
    {
        await using var app = await StartAppAsync(MarkThenClose);

        var result = await Cli.RunAsync(new Dictionary<string, string> { ["TWILIO_AUTH_TOKEN"] = Token }, TimeProvider.System,
            "twilio", "call", "--url", app.VoiceUrl.AbsoluteUri, "--no-pacing", "--bursts", "0");

        Assert.That(result.ExitCode, Is.EqualTo(0), result.ToString());
        Assert.That(result.Output, Does.Contain("call ended: Dialed"));
        Assert.That(result.All, Does.Not.Contain(Token));
    }

    [Test]
    public async Task Call_WithTheWrongToken_ExitsOne_AndSaysWhatTheAppAnswered()
    {
        await using var app = await StartAppAsync(MarkThenClose);

        var result = await Cli.RunAsync(new Dictionary<string, string>(), TimeProvider.System,
            "twilio", "call", "--url", app.VoiceUrl.AbsoluteUri, "--auth-token", "not_the_token_9", "--no-pacing");

        Assert.That(result.ExitCode, Is.EqualTo(1), result.ToString());
        Assert.That(result.Error, Is.EqualTo($"the app failed the call: 11200 HTTP retrieval failure: {app.VoiceUrl.AbsoluteUri} answered HTTP 403" + Environment.NewLine));
        Assert.That(result.All, Does.Not.Contain("not_the_token_9"));
    }

    [Test]
    public async Task Call_WhenTheAppBreaksTheProtocol_ExitsOne()
    {
        await using var app = await StartAppAsync(async (s, sid) =>
        {
            await s.SendAsync($$$"""{"event":"stop","streamSid":"{{{sid}}}"}""");
            await s.CloseAsync();
        });

        var result = await Cli.RunAsync(new Dictionary<string, string>(), TimeProvider.System,
            "twilio", "call", "--url", app.VoiceUrl.AbsoluteUri, "--auth-token", Token, "--no-pacing", "--bursts", "0");

        Assert.That(result.ExitCode, Is.EqualTo(1), result.ToString());
        Assert.That(result.Output, Does.Contain("protocol error: 31924 Stream - Protocol Error: 'stop' is not a message Twilio accepts"));
        Assert.That(result.Error, Does.StartWith("the app broke the Media Streams protocol 1 time(s)"));
    }

    [Test]
    public async Task Call_ClearAndHangUp_ArePrinted()
    {
        await using var app = await StartAppAsync(async (s, sid) =>
        {
            await s.SendMediaAsync(sid, new byte[16000]);
            await s.SendMarkAsync(sid, "long");
            await s.SendAsync($$$"""{"event":"clear","streamSid":"{{{sid}}}"}""");
            await s.ReadUntilClosedAsync();
        });

        var result = await Cli.RunAsync(new Dictionary<string, string>(), TimeProvider.System,
            "twilio", "call", "--url", app.VoiceUrl.AbsoluteUri, "--auth-token", Token, "--no-pacing", "--bursts", "1", "--hang-up-after-audio");

        Assert.That(result.ExitCode, Is.EqualTo(0), result.ToString());
        Assert.That(result.Output, Does.Contain("<- clear (dropped "));
        Assert.That(result.Output, Does.Contain("-> mark long (cleared)"));
        Assert.That(result.Output, Does.Contain("-> stop (the caller hung up)"));
        Assert.That(result.Output, Does.Contain("call ended: CallerHungUp"));
    }

    /// <summary>The shared fake bridge with this file's token parameter (masked in the output) and a plain Dial after the stream.</summary>
    private static async Task<FakeTwilioApp> StartAppAsync(Func<FakeStream, string, Task> onStream)
    {
        var app = await FakeTwilioApp.StartAsync();
        app.VoiceTwiml = a =>
            $"""<?xml version="1.0" encoding="UTF-8"?><Response><Connect><Stream url="{a.StreamUrl}"><Parameter name="call_token" value="tok-secret-1"/><Parameter name="customer" value="Ana"/></Stream></Connect><Redirect>/twilio/after</Redirect></Response>""";
        app.AfterTwiml = "<Response><Dial>+15550100</Dial></Response>";
        app.OnStream = async s => await onStream(s, (string)(await s.ReceiveEventAsync("start"))["streamSid"]!);
        return app;
    }

    private static async Task MarkThenClose(FakeStream s, string sid)
    {
        await s.SendMediaAsync(sid, new byte[800]);
        await s.SendMarkAsync(sid, "agent-1");
        await s.ReceiveEventAsync("mark");
        await s.CloseAsync();
    }
}
