using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using ConvAi.Telephony;
using ConvAi.Telephony.AspNetCore;

namespace ConvAi.Telephony.Testing.Tests;

public class WebhookDeliveryTests
{
    private const string Secret = "wsec_test";
    private static readonly Uri WebhookUrl = new("https://app.example.com/webhooks/elevenlabs");

    private static Task<EmulatorHarness> StartAsync(CapturingHandler receiver, Action<ConvAiEmulatorOptions>? configure = null) =>
        EmulatorHarness.StartAsync(o =>
        {
            o.WebhookUrl = WebhookUrl;
            o.WebhookSecret = Secret;
            o.WebhookHandler = receiver;
            configure?.Invoke(o);
        });

    /// <summary>The documented algorithm, computed independently of the emulator and the add-on.</summary>
    private static string ExpectedSignature(long timestamp, byte[] body)
    {
        var signed = Encoding.UTF8.GetBytes($"{timestamp}.").Concat(body).ToArray();
        return $"t={timestamp},v0={Convert.ToHexString(HMACSHA256.HashData(Encoding.UTF8.GetBytes(Secret), signed)).ToLowerInvariant()}";
    }

    [Test]
    public async Task CallDone_DeliversSignedPostCallTranscriptionMatchingGetConversation()
    {
        var receiver = new CapturingHandler();
        await using var harness = await StartAsync(receiver);
        var id = await harness.CallAsync(await harness.ImportTwilioNumberAsync(), clientDataJson: """{"dynamic_variables":{"customer_name":"Ana"}}""");
        harness.Time.Advance(EmulatorHarness.Step * 2);
        Assert.That(harness.Emulator.WebhookDeliveries, Is.Empty);

        harness.Time.Advance(EmulatorHarness.Step);
        var delivery = await harness.Emulator.WaitForWebhookAsync("post_call_transcription", id).WaitAsync(TimeSpan.FromSeconds(10));

        var (url, contentType, signature, body) = receiver.Requests.Single();
        var payload = JsonNode.Parse(body)!;
        var timestamp = harness.Time.GetUtcNow().ToUnixTimeSeconds();
        var current = (await harness.GetAsync($"/v1/convai/conversations/{id}")).Json;
        Assert.Multiple(() =>
        {
            Assert.That(url, Is.EqualTo(WebhookUrl));
            Assert.That(contentType, Is.EqualTo("application/json"));
            Assert.That(signature, Is.EqualTo(ExpectedSignature(timestamp, body)));
            Assert.That(new ConvAiWebhookSignature(Secret, harness.Time).Verify(body, signature), Is.EqualTo(ConvAiWebhookSignatureResult.Valid));
            Assert.That(payload["type"]!.GetValue<string>(), Is.EqualTo("post_call_transcription"));
            Assert.That(payload["event_timestamp"]!.GetValue<long>(), Is.EqualTo(timestamp));
            Assert.That(JsonNode.DeepEquals(payload["data"], current), Is.True, "webhook data equals the GET conversation response");
            Assert.That(payload["data"]!["transcript"]![0]!["message"]!.GetValue<string>(), Does.Contain("Ana"));
            Assert.That(delivery.StatusCode, Is.EqualTo(200));
            Assert.That(delivery.SignatureHeader, Is.EqualTo(signature));
            Assert.That(delivery.Body, Is.EqualTo(Encoding.UTF8.GetString(body)));
        });
    }

    [Test]
    public async Task CallDone_SendAudioWebhook_DeliversPostCallAudioAfterTranscription()
    {
        var receiver = new CapturingHandler();
        await using var harness = await StartAsync(receiver, o => o.SendAudioWebhook = true);
        var id = await harness.CallAsync(await harness.ImportTwilioNumberAsync());

        harness.FinishCalls();
        var audio = await harness.Emulator.WaitForWebhookAsync("post_call_audio", id).WaitAsync(TimeSpan.FromSeconds(10));

        var types = receiver.Requests.Select(r => JsonNode.Parse(r.Body)!["type"]!.GetValue<string>());
        var data = JsonNode.Parse(audio.Body)!["data"]!.AsObject();
        Assert.That(types, Is.EqualTo(new[] { "post_call_transcription", "post_call_audio" }));
        Assert.That(data.Select(p => p.Key), Is.EquivalentTo(new[] { "agent_id", "conversation_id", "full_audio" }));
        var mp3 = Convert.FromBase64String(data["full_audio"]!.GetValue<string>());
        var downloaded = await harness.GetAsync($"/v1/convai/conversations/{id}/audio");
        Assert.That(mp3, Is.EqualTo(downloaded.Bytes));
    }

    [Test]
    public async Task TwilioCallToBusyNumber_FailsAndDeliversCallInitiationFailureWithTwilioBody()
    {
        var receiver = new CapturingHandler();
        await using var harness = await StartAsync(receiver, o => o.BusyNumbers.Add("+447700900500"));
        var id = await harness.CallAsync(await harness.ImportTwilioNumberAsync("+14155550100"), toNumber: "+447700900500");

        harness.Time.Advance(EmulatorHarness.Step);
        var delivery = await harness.Emulator.WaitForWebhookAsync("call_initiation_failure", id).WaitAsync(TimeSpan.FromSeconds(10));

        var data = JsonNode.Parse(delivery.Body)!["data"]!;
        var body = data["metadata"]!["body"]!;
        Assert.Multiple(() =>
        {
            Assert.That(data["failure_reason"]!.GetValue<string>(), Is.EqualTo("busy"));
            Assert.That(data["agent_id"]!.GetValue<string>(), Is.EqualTo("agent_1"));
            Assert.That(data["metadata"]!["type"]!.GetValue<string>(), Is.EqualTo("twilio"));
            Assert.That(body["CallStatus"]!.GetValue<string>(), Is.EqualTo("busy"));
            Assert.That(body["SipResponseCode"]!.GetValue<string>(), Is.EqualTo("486"));
            Assert.That(body["To"]!.GetValue<string>(), Is.EqualTo("+447700900500"));
            Assert.That(body["From"]!.GetValue<string>(), Is.EqualTo("+14155550100"));
            Assert.That(harness.Emulator.Conversations.Single().Status, Is.EqualTo("failed"));
            Assert.That(receiver.Requests, Has.Count.EqualTo(1));
        });
    }

    [Test]
    public async Task TwilioCallToNoAnswerNumber_DeliversNoAnswerFailureAndFails()
    {
        var receiver = new CapturingHandler();
        await using var harness = await StartAsync(receiver, o => o.NoAnswerNumbers.Add("+447700900600"));
        var id = await harness.CallAsync(await harness.ImportTwilioNumberAsync(), toNumber: "+447700900600");

        harness.Time.Advance(EmulatorHarness.Step);
        var delivery = await harness.Emulator.WaitForWebhookAsync("call_initiation_failure", id).WaitAsync(TimeSpan.FromSeconds(10));

        var data = JsonNode.Parse(delivery.Body)!["data"]!;
        var conversation = (await harness.GetAsync($"/v1/convai/conversations/{id}")).Json;
        Assert.That(data["failure_reason"]!.GetValue<string>(), Is.EqualTo("no-answer"));
        Assert.That(data["metadata"]!["body"]!["CallStatus"]!.GetValue<string>(), Is.EqualTo("no-answer"));
        Assert.That(conversation["status"]!.GetValue<string>(), Is.EqualTo("failed"));
        Assert.That(conversation["metadata"]!["error"]!["reason"]!.GetValue<string>(), Is.EqualTo("no-answer"));
    }

    [TestCase("busy", 486)]
    [TestCase("no-answer", 480)]
    public async Task SipCallThatFailsToConnect_DeliversCallInitiationFailureWithSipBody(string reason, int sipStatus)
    {
        var receiver = new CapturingHandler();
        await using var harness = await StartAsync(receiver, o => (reason == "busy" ? o.BusyNumbers : o.NoAnswerNumbers).Add("+447700900500"));
        var phone = await harness.ImportSipNumberAsync();
        var call = await harness.PostAsync("/v1/convai/sip-trunk/outbound-call", $$"""{"agent_id":"a","agent_phone_number_id":"{{phone}}","to_number":"+447700900500"}""");

        harness.FinishCalls();
        var delivery = await harness.Emulator.WaitForWebhookAsync("call_initiation_failure").WaitAsync(TimeSpan.FromSeconds(10));

        var data = JsonNode.Parse(delivery.Body)!["data"]!;
        var metadata = data["metadata"]!;
        Assert.That(data["failure_reason"]!.GetValue<string>(), Is.EqualTo(reason));
        Assert.That(metadata["type"]!.GetValue<string>(), Is.EqualTo("sip"));
        Assert.That(metadata["body"]!["sip_status_code"]!.GetValue<int>(), Is.EqualTo(sipStatus));
        Assert.That(metadata["body"]!["call_sid"]!.GetValue<string>(), Is.EqualTo(call.Json["sip_call_id"]!.GetValue<string>()));
    }

    [Test]
    public async Task CallDone_NoWebhookUrl_RecordsSignedDeliveryWithoutSending()
    {
        await using var harness = await EmulatorHarness.StartAsync();
        var id = await harness.CallAsync(await harness.ImportTwilioNumberAsync());

        harness.FinishCalls();
        var delivery = await harness.Emulator.WaitForWebhookAsync("post_call_transcription", id).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.That(delivery.Url, Is.Null);
        Assert.That(delivery.StatusCode, Is.Null);
        var verifier = new ConvAiWebhookSignature(harness.Emulator.WebhookSecret, harness.Time);
        Assert.That(verifier.Verify(Encoding.UTF8.GetBytes(delivery.Body), delivery.SignatureHeader), Is.EqualTo(ConvAiWebhookSignatureResult.Valid));
    }

    [Test]
    public async Task CallDone_ReceiverAnswers500_RecordsTheStatus()
    {
        var receiver = new CapturingHandler(HttpStatusCode.InternalServerError);
        await using var harness = await StartAsync(receiver);
        await harness.CallAsync(await harness.ImportTwilioNumberAsync());

        harness.FinishCalls();
        var delivery = await harness.Emulator.WaitForWebhookAsync("post_call_transcription").WaitAsync(TimeSpan.FromSeconds(10));

        Assert.That(delivery.StatusCode, Is.EqualTo(500));
        Assert.That(receiver.Requests, Has.Count.EqualTo(1));
    }

    [Test]
    public async Task WaitForWebhookAsync_EmulatorDisposedFirst_FailsWithObjectDisposedException()
    {
        var harness = await EmulatorHarness.StartAsync();
        var waiting = harness.Emulator.WaitForWebhookAsync("post_call_transcription");

        await harness.DisposeAsync();

        Assert.That(async () => await waiting, Throws.InstanceOf<ObjectDisposedException>());
    }

    [Test]
    public async Task WaitForWebhookAsync_Cancelled_StopsWaiting()
    {
        await using var harness = await EmulatorHarness.StartAsync();
        using var cancellation = new CancellationTokenSource();
        var waiting = harness.Emulator.WaitForWebhookAsync("post_call_transcription", cancellationToken: cancellation.Token);

        await cancellation.CancelAsync();

        Assert.That(async () => await waiting, Throws.InstanceOf<OperationCanceledException>());
    }

    [Test]
    public async Task WhenWebhooksDeliveredAsync_CancelledWhileADeliveryIsInFlight_StopsWaitingAndTheDeliveryGoesOn()
    {
        var receiver = new CapturingHandler { Hold = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously) };
        await using var harness = await StartAsync(receiver);
        var id = await harness.CallAsync(await harness.ImportTwilioNumberAsync());
        harness.FinishCalls();
        using var cancellation = new CancellationTokenSource();

        var waiting = harness.Emulator.WhenWebhooksDeliveredAsync(cancellation.Token);
        Assert.That(waiting.IsCompleted, Is.False, "the receiver holds the delivery");
        await cancellation.CancelAsync();

        Assert.That(async () => await waiting, Throws.InstanceOf<OperationCanceledException>());
        receiver.Hold.SetResult();
        await harness.Emulator.WhenWebhooksDeliveredAsync();
        Assert.That(harness.Emulator.WebhookDeliveries.Select(d => d.ConversationId), Does.Contain(id));
    }

    [Test]
    public async Task CallDeleted_BeforeItEnds_SendsNoWebhook()
    {
        var receiver = new CapturingHandler();
        await using var harness = await StartAsync(receiver);
        var id = await harness.CallAsync(await harness.ImportTwilioNumberAsync());
        await harness.DeleteAsync($"/v1/convai/conversations/{id}");

        harness.FinishCalls();
        await harness.Emulator.WhenWebhooksDeliveredAsync();

        Assert.That(harness.Emulator.WebhookDeliveries, Is.Empty);
        Assert.That(receiver.Requests, Is.Empty);
    }
}
