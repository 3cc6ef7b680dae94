using System.Text.Json.Nodes;
using ConvAi.Telephony.Shared;

namespace ConvAi.Telephony.Testing.Tests;

/// <summary>The Twilio simulator against a fake bridge app: what it sends (signed), how it follows TwiML, marks, clear and stop.</summary>
public class TwilioSimulatorTests
{
    private static CancellationToken Guard => new CancellationTokenSource(TimeSpan.FromSeconds(30)).Token;

    private static TwilioSimulator Simulator(FakeTwilioApp app, bool pacing = false, string? token = FakeTwilioApp.AuthToken) =>
        new(new TwilioSimulatorOptions { VoiceUrl = app.VoiceUrl, AuthToken = token, Pacing = pacing, AccountSid = "AC0123456789abcdef0123456789abcdef" });

    [Test]
    public async Task Call_PostsTheVoiceWebhookAndTheRedirect_FormEncodedAndSigned()
    {
        await using var app = await FakeTwilioApp.StartAsync();
        using var simulator = Simulator(app);

        var call = await simulator.CallAsync(new TwilioCallOptions { From = "+15005550006", To = "+15005550001", CallSid = "CA_test_1" }, Guard);

        Assert.That(call.EndReason, Is.EqualTo(TwilioCallEndReason.Dialed), call.Error);
        var webhooks = app.Requests.Where(r => r.Method == "POST").ToList();
        Assert.That(webhooks.Select(r => r.Url), Is.EqualTo(new[] { app.VoiceUrl.AbsoluteUri, new Uri(app.BaseAddress, "/twilio/after").AbsoluteUri }));
        var validator = new TwilioRequestValidator(FakeTwilioApp.AuthToken);
        string[] statuses = ["ringing", "in-progress"];
        for (var i = 0; i < 2; i++)
        {
            var request = webhooks[i];
            Assert.That(request.ContentType, Is.EqualTo("application/x-www-form-urlencoded"));
            Assert.That(request.UserAgent, Is.EqualTo("TwilioProxy/1.1"));
            Assert.That(request.Fields.OrderBy(f => f.Key, StringComparer.Ordinal), Is.EqualTo(new Dictionary<string, string>
            {
                ["AccountSid"] = "AC0123456789abcdef0123456789abcdef",
                ["ApiVersion"] = "2010-04-01",
                ["CallSid"] = "CA_test_1",
                ["CallStatus"] = statuses[i],
                ["Called"] = "+15005550001",
                ["Caller"] = "+15005550006",
                ["Direction"] = "inbound",
                ["From"] = "+15005550006",
                ["To"] = "+15005550001",
            }));
            Assert.That(request.Signature, Is.EqualTo(validator.ComputeSignature(request.Url, request.Fields)));
        }
    }

    [Test]
    public async Task Call_SignsTheStreamHandshake_OverTheStreamUrl()
    {
        await using var app = await FakeTwilioApp.StartAsync();
        using var simulator = Simulator(app);

        var call = await simulator.CallAsync(null, Guard);

        var handshake = app.Requests.Single(r => r.Method == "GET");
        Assert.That(handshake.Url, Is.EqualTo(app.StreamUrl));
        Assert.That(handshake.Signature, Is.EqualTo(new TwilioRequestValidator(FakeTwilioApp.AuthToken).ComputeSignature(app.StreamUrl, [])));
        Assert.That(handshake.UserAgent, Is.EqualTo("Twilio.TmeWs/1.0"));
        Assert.That(call.Events.Select(e => e.Kind).Take(7), Is.EqualTo(new[]
        {
            TwilioCallEventKind.TwimlRequested, TwilioCallEventKind.TwimlReceived, TwilioCallEventKind.StreamOpened, TwilioCallEventKind.ConnectedSent,
            TwilioCallEventKind.StartSent, TwilioCallEventKind.StreamClosed, TwilioCallEventKind.TwimlRequested,
        }));
    }

    [Test]
    public async Task Stream_SendsConnectedStartMediaAndStop_InTwiliosShapes()
    {
        await using var app = await FakeTwilioApp.StartAsync();
        var received = new TaskCompletionSource<List<string>>();
        app.OnStream = async s =>
        {
            await s.ReadUntilClosedAsync();
            received.SetResult(s.Received);
        };
        using var simulator = Simulator(app);
        var audio = Enumerable.Range(0, 400).Select(i => (byte)i).ToArray(); // 2.5 frames

        var call = await simulator.CallAsync(new TwilioCallOptions { CallSid = "CA_frames", Audio = TwilioCallerAudio.FromUlaw(audio), HangUpAfterAudio = true }, Guard);

        var messages = await received.Task.WaitAsync(Guard);
        var sid = call.StreamSid!;
        Assert.That(sid, Does.Match("^MZ[0-9a-f]{32}$"));
        Assert.That(messages, Has.Count.EqualTo(6));
        Assert.That(messages[0], Is.EqualTo("""{"event":"connected","protocol":"Call","version":"1.0.0"}"""));
        Assert.That(messages[1], Is.EqualTo(
            $$$"""{"event":"start","sequenceNumber":"1","start":{"accountSid":"AC0123456789abcdef0123456789abcdef","streamSid":"{{{sid}}}","callSid":"CA_frames","tracks":["inbound"],"customParameters":{"call_token":"tok-1","customer":"Ana & \"Bo\" <x>"},"mediaFormat":{"encoding":"audio/x-mulaw","sampleRate":8000,"channels":1}},"streamSid":"{{{sid}}}"}"""));
        Assert.That(JsonNode.Parse(messages[1])!["start"]!["customParameters"]!["customer"]!.GetValue<string>(), Is.EqualTo("Ana & \"Bo\" <x>"));
        var expectedFrames = new[] { audio[..160], audio[160..320], [.. audio[320..], .. Enumerable.Repeat((byte)0xFF, 80)] };
        for (var k = 0; k < 3; k++)
        {
            Assert.That(messages[2 + k], Is.EqualTo(
                $$$"""{"event":"media","sequenceNumber":"{{{k + 2}}}","media":{"track":"inbound","chunk":"{{{k + 1}}}","timestamp":"{{{k * 20}}}","payload":"{{{Convert.ToBase64String(expectedFrames[k])}}}"},"streamSid":"{{{sid}}}"}"""));
        }

        Assert.That(messages[5], Is.EqualTo($$$"""{"event":"stop","sequenceNumber":"5","streamSid":"{{{sid}}}","stop":{"accountSid":"AC0123456789abcdef0123456789abcdef","callSid":"CA_frames"}}"""));
        Assert.That(call.EndReason, Is.EqualTo(TwilioCallEndReason.CallerHungUp));
        Assert.That(call.MediaFramesSent, Is.EqualTo(3));
        Assert.That(call.CustomParameters, Is.EqualTo(new Dictionary<string, string> { ["call_token"] = "tok-1", ["customer"] = "Ana & \"Bo\" <x>" }));
        Assert.That(app.Requests.Count(r => r.Url.EndsWith("/twilio/after", StringComparison.Ordinal)), Is.Zero, "a caller who hung up runs no more TwiML");
    }

    [Test]
    public async Task Stream_WithPacing_SendsSilentFramesAfterTheAudioUntilTheAppCloses()
    {
        await using var app = await FakeTwilioApp.StartAsync();
        var payloads = new List<byte[]>();
        app.OnStream = async s =>
        {
            while (payloads.Count < 5)
            {
                var media = await s.ReceiveEventAsync("media");
                payloads.Add(Convert.FromBase64String((string)media["media"]!["payload"]!));
            }

            await s.CloseAsync();
        };
        using var simulator = Simulator(app, pacing: true);

        var call = await simulator.CallAsync(new TwilioCallOptions { Audio = TwilioCallerAudio.FromUlaw(Enumerable.Repeat((byte)0x10, 320).ToArray()) }, Guard);

        Assert.That(payloads.Take(2), Has.All.EqualTo(Enumerable.Repeat((byte)0x10, 160).ToArray()));
        Assert.That(payloads.Skip(2), Has.All.EqualTo(Enumerable.Repeat((byte)0xFF, 160).ToArray()));
        Assert.That(call.EndReason, Is.EqualTo(TwilioCallEndReason.Dialed));
        Assert.That(call.Events.Single(e => e.Kind == TwilioCallEventKind.StreamClosed).Text, Is.EqualTo("the app closed the stream (1000 bridge done)"));
    }

    [Test]
    public async Task Marks_AreAnsweredInOrderAfterTheAudioBeforeThemPlayed()
    {
        await using var app = await FakeTwilioApp.StartAsync();
        var answers = new List<JsonObject>();
        app.OnStream = async s =>
        {
            var sid = (string)(await s.ReceiveEventAsync("start"))["streamSid"]!;
            await s.SendMediaAsync(sid, Enumerable.Repeat((byte)0x20, 800).ToArray()); // 100 ms
            await s.SendMarkAsync(sid, "agent-1");
            await s.SendMarkAsync(sid, "agent-2");
            answers.Add(await s.ReceiveEventAsync("mark"));
            answers.Add(await s.ReceiveEventAsync("mark"));
            await s.CloseAsync();
        };
        using var simulator = Simulator(app);

        var call = await simulator.CallAsync(null, Guard);

        var sid = call.StreamSid;
        Assert.That(answers.Select(a => a.ToJsonString()), Is.EqualTo(new[]
        {
            $$$"""{"event":"mark","sequenceNumber":"2","streamSid":"{{{sid}}}","mark":{"name":"agent-1"}}""",
            $$$"""{"event":"mark","sequenceNumber":"3","streamSid":"{{{sid}}}","mark":{"name":"agent-2"}}""",
        }));
        var kinds = call.Events.Where(e => e.Kind is TwilioCallEventKind.MediaReceived or TwilioCallEventKind.MarkReceived or TwilioCallEventKind.MarkPlayed)
            .Select(e => e.Kind + (e.Name is null ? string.Empty : " " + e.Name)).ToList();
        Assert.That(kinds, Is.EqualTo(new[] { "MediaReceived", "MarkReceived agent-1", "MarkReceived agent-2", "MarkPlayed agent-1", "MarkPlayed agent-2" }));
        var played = call.Events.First(e => e.Kind == TwilioCallEventKind.MarkPlayed);
        var media = call.Events.First(e => e.Kind == TwilioCallEventKind.MediaReceived);
        Assert.That(played.Elapsed - media.Elapsed, Is.GreaterThanOrEqualTo(TimeSpan.FromMilliseconds(100)), "the mark waits for 100 ms of audio to play");
        Assert.That(call.MarksReceived, Is.EqualTo(new[] { "agent-1", "agent-2" }));
        Assert.That(call.ReceivedAudio.ToArray(), Is.EqualTo(Enumerable.Repeat((byte)0x20, 800).ToArray()));
        Assert.That(call.HeardAudio.ToArray(), Is.EqualTo(call.ReceivedAudio.ToArray()));
        Assert.That(call.ProtocolErrors, Is.Empty);
    }

    [Test]
    public async Task Clear_DropsUnplayedAudio_AndAnswersPendingMarksAtOnce()
    {
        await using var app = await FakeTwilioApp.StartAsync();
        JsonObject? answer = null;
        app.OnStream = async s =>
        {
            var sid = (string)(await s.ReceiveEventAsync("start"))["streamSid"]!;
            await s.SendMediaAsync(sid, Enumerable.Repeat((byte)0x30, 40_000).ToArray()); // 5 s
            await s.SendMarkAsync(sid, "long-turn");
            await s.SendAsync($$$"""{"event":"clear","streamSid":"{{{sid}}}"}""");
            answer = await s.ReceiveEventAsync("mark");
            await s.CloseAsync();
        };
        using var simulator = Simulator(app);

        var call = await simulator.CallAsync(null, Guard);

        Assert.That((string?)answer!["mark"]!["name"], Is.EqualTo("long-turn"));
        var clear = call.Events.Single(e => e.Kind == TwilioCallEventKind.ClearReceived);
        Assert.That(clear.Number, Is.GreaterThan(0).And.LessThanOrEqualTo(40_000));
        Assert.That(call.Events.Where(e => e.Kind is TwilioCallEventKind.MarkCleared or TwilioCallEventKind.MarkPlayed).Select(e => e.Kind + " " + e.Name),
            Is.EqualTo(new[] { "MarkCleared long-turn" }));
        Assert.That(call.ReceivedAudio.Length, Is.EqualTo(40_000));
        Assert.That(call.HeardAudio.Length, Is.EqualTo(40_000 - clear.Number));
    }

    [Test]
    public async Task Dtmf_IsSentOnTheStream_InTwiliosShape()
    {
        await using var app = await FakeTwilioApp.StartAsync();
        var dtmf = new TaskCompletionSource<string>();
        app.OnStream = async s =>
        {
            await s.ReceiveEventAsync("start");
            await s.ReceiveEventAsync("dtmf");
            dtmf.SetResult(s.Received[^1]);
            await s.CloseAsync();
        };
        using var simulator = Simulator(app);

        await using var call = simulator.StartCall();
        await call.WaitForEventAsync(e => e.Kind == TwilioCallEventKind.StartSent, Guard);
        await call.SendDtmfAsync('7', Guard);
        await call.WhenEndedAsync(Guard);

        Assert.That(await dtmf.Task.WaitAsync(Guard), Is.EqualTo($$$"""{"event":"dtmf","streamSid":"{{{call.StreamSid}}}","sequenceNumber":"2","dtmf":{"track":"inbound_track","digit":"7"}}"""));
        Assert.That(call.Events.Count(e => e.Kind == TwilioCallEventKind.DtmfSent && e.Name == "7"), Is.EqualTo(1));
        Assert.Throws<ArgumentOutOfRangeException>(() => call.SendDtmfAsync('x'));
    }

    [Test]
    public async Task HangUp_SendsStopAndClosesTheStream()
    {
        await using var app = await FakeTwilioApp.StartAsync();
        var closed = new TaskCompletionSource<List<string>>();
        app.OnStream = async s =>
        {
            await s.ReadUntilClosedAsync();
            closed.SetResult(s.Received);
        };
        using var simulator = Simulator(app, pacing: true);

        await using var call = simulator.StartCall();
        await call.WaitForEventAsync(e => e.Kind == TwilioCallEventKind.StartSent, Guard);
        await call.HangUpAsync(Guard);

        var messages = await closed.Task.WaitAsync(Guard);
        Assert.That((string?)JsonNode.Parse(messages[^1])!["event"], Is.EqualTo("stop"));
        Assert.That(call.EndReason, Is.EqualTo(TwilioCallEndReason.CallerHungUp));
        Assert.That(call.Events.Select(e => e.Kind).TakeLast(3), Is.EqualTo(new[] { TwilioCallEventKind.StopSent, TwilioCallEventKind.StreamClosed, TwilioCallEventKind.CallEnded }));
        await call.HangUpAsync(Guard);
        await call.DisposeAsync();
        await call.DisposeAsync();
        Assert.That(call.Events.Count(e => e.Kind == TwilioCallEventKind.CallEnded), Is.EqualTo(1), "hanging up or disposing an ended call changes nothing");
    }

    private static readonly object[] Endings =
    [
        new object[] { "<Response><Say>Goodbye.</Say><Hangup/></Response>", TwilioCallEndReason.HungUpByTwiml, null! },
        new object[] { "<Response><Say>Goodbye.</Say></Response>", TwilioCallEndReason.TwimlCompleted, null! },
        new object[] { "<Response><Reject/></Response>", TwilioCallEndReason.HungUpByTwiml, null! },
        new object[] { "<Response><Dial>+15550199</Dial></Response>", TwilioCallEndReason.Dialed, null! },
        new object[] { "<Response><Pause length=\"1\"/><Redirect method=\"GET\">/twilio/after</Redirect></Response>", TwilioCallEndReason.Dialed, null! },
        new object[] { "<Response><Connect><Stream url=\"{stream}?token=1\"/></Connect></Response>", TwilioCallEndReason.ApplicationError, "31920 Stream - WebSocket - Handshake Error: '{stream}?token=1' has a query string" },
        new object[] { "<Response><Connect><Stream url=\"http://127.0.0.1/x\"/></Connect></Response>", TwilioCallEndReason.ApplicationError, "31922 Stream - WebSocket - URL Schema Not Supported" },
        new object[] { "<Response><Connect><Stream url=\"{stream}/nowhere\"/></Connect></Response>", TwilioCallEndReason.ApplicationError, "31920 Stream - WebSocket - Handshake Error: {stream}/nowhere answered HTTP 404" },
        new object[] { "<Response><Say>unclosed</Response>", TwilioCallEndReason.ApplicationError, "12100 Document parse failure" },
        new object[] { "<Twiml/>", TwilioCallEndReason.ApplicationError, "12100 Document parse failure: the root element is <Twiml>, not <Response>" },
        new object[] { "<Response><Redirect>/twilio/voice</Redirect></Response>", TwilioCallEndReason.ApplicationError, "too many TwiML documents: more than 20" },
    ];

    [TestCaseSource(nameof(Endings))]
    public async Task Twiml_EndsTheCallAsTwilioWould(string twiml, TwilioCallEndReason reason, string? error)
    {
        await using var app = await FakeTwilioApp.StartAsync();
        app.VoiceTwiml = a => twiml.Replace("{stream}", a.StreamUrl, StringComparison.Ordinal);
        using var simulator = Simulator(app);

        var call = await simulator.CallAsync(null, Guard);

        Assert.That(call.EndReason, Is.EqualTo(reason), call.Error);
        if (error is null)
        {
            Assert.That(call.Error, Is.Null);
        }
        else
        {
            Assert.That(call.Error, Does.StartWith(error.Replace("{stream}", app.StreamUrl, StringComparison.Ordinal)));
        }

        Assert.That(call.Events[^1].Kind, Is.EqualTo(TwilioCallEventKind.CallEnded));
        Assert.That(call.Events[^1].Name, Is.EqualTo(reason.ToString()));
    }

    [Test]
    public async Task Twiml_SayAndSkippedVerbs_AreRecorded_AndTheFinalTwimlIsKept()
    {
        await using var app = await FakeTwilioApp.StartAsync();
        app.VoiceTwiml = _ => "<Response><Say voice=\"alice\"> Hello there. </Say><Gather/><Redirect>/twilio/after</Redirect></Response>";
        using var simulator = Simulator(app);

        var call = await simulator.CallAsync(null, Guard);

        Assert.That(call.Events.Where(e => e.Kind is TwilioCallEventKind.Said or TwilioCallEventKind.VerbSkipped or TwilioCallEventKind.Dialed).Select(e => $"{e.Kind} {e.Name}{e.Text}"),
            Is.EqualTo(new[] { "Said Hello there.", "VerbSkipped Gather", "Dialed +15550100" }));
        Assert.That(call.TwimlDocuments, Has.Count.EqualTo(2));
        Assert.That(call.FinalTwiml, Is.EqualTo(app.AfterTwiml));
        Assert.That(call.DialedTarget, Is.EqualTo("+15550100"));
    }

    [Test]
    public async Task Webhook_Rejected_IsAnApplicationError_WithTheStatus()
    {
        await using var app = await FakeTwilioApp.StartAsync();
        using var unsigned = Simulator(app, token: null);
        using var wrongToken = Simulator(app, token: "not_the_token");
        app.VoiceStatus = 500;
        using var signedButFailing = Simulator(app);

        var calls = new[] { await unsigned.CallAsync(null, Guard), await wrongToken.CallAsync(null, Guard), await signedButFailing.CallAsync(null, Guard) };

        Assert.That(calls.Select(c => c.Error), Is.EqualTo(new[]
        {
            $"11200 HTTP retrieval failure: {app.VoiceUrl.AbsoluteUri} answered HTTP 403",
            $"11200 HTTP retrieval failure: {app.VoiceUrl.AbsoluteUri} answered HTTP 403",
            $"11200 HTTP retrieval failure: {app.VoiceUrl.AbsoluteUri} answered HTTP 500",
        }));
        Assert.That(app.Requests.First().Signature, Is.Empty, "no token, no signature header");
        Assert.That(calls.SelectMany(c => c.Events).Any(e => (e.Text ?? string.Empty).Contains("not_the_token", StringComparison.Ordinal)), Is.False);
    }

    private static readonly object[] BadMessages =
    [
        new object[] { """{"event":"stop","streamSid":"{sid}"}""", "'stop' is not a message Twilio accepts on a bidirectional stream (media, mark, clear)" },
        new object[] { """{"event":"media","streamSid":"MZwrong","media":{"payload":"AAAA"}}""", "a media message whose streamSid is not this stream's" },
        new object[] { """{"event":"media","streamSid":"{sid}","media":{"payload":"not base64!"}}""", "a media payload that is not base64" },
        new object[] { """{"event":"media","streamSid":"{sid}","media":{}}""", "a media message without media.payload" },
        new object[] { """{"event":"mark","streamSid":"{sid}","mark":{}}""", "a mark message without mark.name" },
        new object[] { """{"streamSid":"{sid}"}""", "a message without an \"event\" string" },
        new object[] { "hello", "a message that is not JSON" },
    ];

    [TestCaseSource(nameof(BadMessages))]
    public async Task ProtocolErrors_AreRecorded_AndTheStreamGoesOn(string message, string error)
    {
        await using var app = await FakeTwilioApp.StartAsync();
        app.OnStream = async s =>
        {
            var sid = (string)(await s.ReceiveEventAsync("start"))["streamSid"]!;
            await s.SendAsync(message.Replace("{sid}", sid, StringComparison.Ordinal));
            await s.SendMarkAsync(sid, "after-error");
            await s.ReceiveEventAsync("mark");
            await s.CloseAsync();
        };
        using var simulator = Simulator(app);

        var call = await simulator.CallAsync(null, Guard);

        Assert.That(call.ProtocolErrors, Has.Count.EqualTo(1));
        Assert.That(call.ProtocolErrors[0], Does.StartWith("31924 Stream - Protocol Error: " + error));
        Assert.That(call.MarksReceived, Is.EqualTo(new[] { "after-error" }));
    }

    [Test]
    public async Task Stream_BinaryMessage_IsAProtocolError()
    {
        await using var app = await FakeTwilioApp.StartAsync();
        app.OnStream = async s =>
        {
            await s.ReceiveEventAsync("start");
            await s.Socket.SendAsync(new byte[] { 1, 2, 3 }, System.Net.WebSockets.WebSocketMessageType.Binary, true, CancellationToken.None);
            await s.CloseAsync();
        };
        using var simulator = Simulator(app);

        var call = await simulator.CallAsync(null, Guard);

        Assert.That(call.ProtocolErrors, Is.EqualTo(new[] { "31924 a binary message: Twilio accepts JSON text messages only" }));
    }

    [Test]
    public async Task Stream_SecureUrlRequired_RejectsWs()
    {
        await using var app = await FakeTwilioApp.StartAsync();
        using var simulator = new TwilioSimulator(new TwilioSimulatorOptions { VoiceUrl = app.VoiceUrl, AuthToken = FakeTwilioApp.AuthToken, RequireSecureStreamUrl = true });

        var call = await simulator.CallAsync(null, Guard);

        Assert.That(call.Error, Is.EqualTo($"31922 Stream - WebSocket - URL Schema Not Supported: '{app.StreamUrl}' uses ws://; Twilio supports only wss://"));
    }

    [Test]
    public async Task ReadEventsAsync_YieldsEveryEventLive_AndEndsWithTheCall()
    {
        await using var app = await FakeTwilioApp.StartAsync();
        using var simulator = Simulator(app);

        await using var call = simulator.StartCall();
        var read = new List<TwilioCallEvent>();
        await foreach (var e in call.ReadEventsAsync(Guard))
        {
            read.Add(e);
        }

        Assert.That(read, Is.EqualTo(call.Events));
        Assert.That(read[^1].Kind, Is.EqualTo(TwilioCallEventKind.CallEnded));
        Assert.That(read.Select(e => e.Elapsed), Is.Ordered);
        var error = Assert.ThrowsAsync<InvalidOperationException>(() => call.WaitForEventAsync(e => e.Kind == TwilioCallEventKind.ClearReceived, Guard));
        Assert.That(error!.Message, Does.StartWith("The call ended without the awaited event."));
    }

    [Test]
    public async Task ManyCalls_AtOnce_EachGetsItsOwnStream()
    {
        await using var app = await FakeTwilioApp.StartAsync();
        app.OnStream = async s =>
        {
            var start = await s.ReceiveEventAsync("start");
            var sid = (string)start["streamSid"]!;
            await s.SendMediaAsync(sid, System.Text.Encoding.ASCII.GetBytes((string)start["start"]!["callSid"]!));
            await s.SendMarkAsync(sid, "done");
            await s.ReceiveEventAsync("mark");
            await s.CloseAsync();
        };
        using var simulator = Simulator(app);

        var calls = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => simulator.CallAsync(new TwilioCallOptions { CallSid = $"CA_many_{i:00}" }, Guard)));

        Assert.That(calls.Select(c => System.Text.Encoding.ASCII.GetString(c.ReceivedAudio.Span)), Is.EqualTo(calls.Select(c => c.CallSid)));
        Assert.That(calls.Select(c => c.EndReason), Has.All.EqualTo(TwilioCallEndReason.Dialed));
        Assert.That(calls.Select(c => c.StreamSid).Distinct().Count(), Is.EqualTo(20));
    }

    [Test]
    public void Options_WithoutAVoiceUrl_AreRejected()
    {
        var error = Assert.Throws<ArgumentException>(() => new TwilioSimulator(new TwilioSimulatorOptions()));
        Assert.That(error!.Message, Does.StartWith("TwilioSimulatorOptions.VoiceUrl must be an absolute http or https URL."));
        Assert.Throws<ArgumentException>(() => new TwilioSimulator(new TwilioSimulatorOptions { VoiceUrl = new Uri("ws://127.0.0.1/x") }));
    }

    [Test]
    public async Task Stream_WssOnThePlainHttpApp_IsOpenedWithWs_AndSignedOverTheWssUrl()
    {
        await using var app = await FakeTwilioApp.StartAsync();
        var wss = "wss://" + app.BaseAddress.Authority + "/twilio/media";
        app.VoiceTwiml = _ => $"<Response><Connect><Stream url=\"{wss}\"/></Connect><Redirect>/twilio/after</Redirect></Response>";
        using var simulator = Simulator(app);

        var call = await simulator.CallAsync(null, Guard);

        Assert.That(call.EndReason, Is.EqualTo(TwilioCallEndReason.Dialed), call.Error);
        Assert.That(app.Requests.Single(r => r.Method == "GET").Signature, Is.EqualTo(new TwilioRequestValidator(FakeTwilioApp.AuthToken).ComputeSignature(wss, [])));
        Assert.That(call.Events.Single(e => e.Kind == TwilioCallEventKind.StreamOpened).Text, Is.EqualTo($"{wss} (opened at {app.StreamUrl})"));
    }

    [Test]
    public async Task Stream_BehindAProxy_IsOpenedAtTheStreamBaseAddress_AndSignedOverThePublicUrl()
    {
        await using var app = await FakeTwilioApp.StartAsync();
        app.PublicStreamUrl = "wss://voice.example.com/twilio/media";
        app.VoiceTwiml = a => $"<Response><Connect><Stream url=\"{a.PublicStreamUrl}\"/></Connect><Hangup/></Response>";
        using var simulator = new TwilioSimulator(new TwilioSimulatorOptions
        {
            VoiceUrl = app.VoiceUrl, AuthToken = FakeTwilioApp.AuthToken, Pacing = false, StreamBaseAddress = app.BaseAddress,
        });

        var call = await simulator.CallAsync(null, Guard);

        Assert.That(call.EndReason, Is.EqualTo(TwilioCallEndReason.HungUpByTwiml), call.Error);
        Assert.That(app.Requests.Single(r => r.Method == "GET").Signature,
            Is.EqualTo(new TwilioRequestValidator(FakeTwilioApp.AuthToken).ComputeSignature("wss://voice.example.com/twilio/media", [])));
        Assert.Throws<ArgumentException>(() => new TwilioSimulator(new TwilioSimulatorOptions { VoiceUrl = app.VoiceUrl, StreamBaseAddress = new Uri("ws://127.0.0.1/") }));
    }
}
