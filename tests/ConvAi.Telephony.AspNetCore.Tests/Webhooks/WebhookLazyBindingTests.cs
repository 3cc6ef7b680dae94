using System.Net;
using ConvAi.Telephony;
using ConvAi.Telephony.AspNetCore;
using Microsoft.Extensions.DependencyInjection;

namespace ConvAi.Telephony.AspNetCore.Tests.Webhooks;

/// <summary>
/// Issue 10: a transcription's <c>data</c> binds when the handler first reads <see cref="PostCallTranscriptionEvent.Data"/>,
/// not on the acknowledge path; data that does not fit the model is dead-lettered (endpoint) or answered 400
/// (middleware), never 500, never retried, never lost.
/// </summary>
[TestFixture(ConvAiWebhookMode.Inline)]
[TestFixture(ConvAiWebhookMode.Queued)]
public class WebhookLazyBindingTests(ConvAiWebhookMode mode)
{
    private const string DeadLetteredLog = "4012";
    private const string MalformedKey = "convai:webhook:post_call_transcription:bad1";
    private static readonly string PayloadException = typeof(ConvAiWebhookPayloadException).FullName!;

    private WebhookTestHost _host = null!;
    private int _reads;

    /// <summary>Well-formed JSON with a well-formed envelope, but <c>transcript</c> must be a list: only binding finds out.</summary>
    [SetUp]
    public async Task SetUp()
    {
        _host = await WebhookTestHost.StartAsync(WebhookSurface.Endpoint, options =>
        {
            options.Delivery.Mode = mode;
            options.Delivery.RetryDelay = TimeSpan.FromSeconds(10);
            options.Delivery.MaxAttempts = 3;
        });
        _reads = 0;
    }

    [TearDown]
    public async Task TearDown() => await _host.DisposeAsync();

    private IConvAiWebhookInbox Inbox => _host.Services.GetRequiredService<IConvAiWebhookInbox>();

    private int LogCount(string eventId) => _host.Logs.GetSnapshot().Count(record => record.Id.Id.ToString(System.Globalization.CultureInfo.InvariantCulture) == eventId);

    private void ReadDataInHandler() => _host.Recorder.Inspect = webhookEvent =>
    {
        Interlocked.Increment(ref _reads);
        _ = ((PostCallTranscriptionEvent)webhookEvent).GetData();
    };

    [Test]
    public async Task Post_MalformedDataNeverRead_ProcessedWithoutBinding()
    {
        var body = WebhookFixtures.MalformedTranscription();

        var answer = await _host.PostAsync(body, WebhookFixtures.Sign(body));
        await _host.WaitForEventsAsync(1);
        var store = _host.Services.GetRequiredService<IConvAiWebhookDeliveryStore>();
        var processed = false;
        for (var i = 0; i < 1000 && !(processed = await store.IsProcessedAsync(MalformedKey)); i++)
        {
            await Task.Delay(10);
        }

        Assert.Multiple(async () =>
        {
            Assert.That(answer, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(_host.Recorder.Events.Single().ConversationId, Is.EqualTo("bad1"), "the id comes from the envelope, not from binding");
            Assert.That(processed, Is.True, "a handler that never reads Data processes the delivery");
            Assert.That(await Inbox.ListDeadLettersAsync(), Is.Empty);
        });
    }

    [Test]
    public async Task Post_MalformedDataReadByHandler_DeadLetteredOnFirstQueuedAttemptNot500()
    {
        ReadDataInHandler();
        var body = WebhookFixtures.MalformedTranscription();

        var answer = await _host.PostAsync(body, WebhookFixtures.Sign(body));
        await WebhookTestHost.EventuallyAsync(() => LogCount(DeadLetteredLog) == 1);
        var deadLetters = await Inbox.ListDeadLettersAsync();

        Assert.Multiple(async () =>
        {
            Assert.That(answer, Is.EqualTo(HttpStatusCode.OK), "kept in the dead-letter list, so acknowledged");

            // No clock advance happened: no backoff retry. Inline: the endpoint's call, then one from the inbox; Queued: one.
            Assert.That(_reads, Is.EqualTo(mode == ConvAiWebhookMode.Inline ? 2 : 1));
            Assert.That(LogCount("4011"), Is.Zero, "not retried with backoff: binding fails the same way every time");
            Assert.That(deadLetters.Select(dead => (dead.Delivery.ConversationId, dead.Delivery.LastFailure)),
                Is.EqualTo(new[] { ((string?)"bad1", (string?)PayloadException) }));
            Assert.That(deadLetters.Single().Delivery.Body.ToArray(), Is.EqualTo(body), "the signed body is kept for a re-drive");
            Assert.That(_host.Recorder.Events, Is.Empty);
            Assert.That(await _host.Services.GetRequiredService<IConvAiWebhookDeliveryStore>().IsProcessedAsync(MalformedKey), Is.False);
            Assert.That(_host.Logs.GetSnapshot().Select(record => record.Message), Has.None.Contains("SECRET-TURN-TEXT"));
        });
    }

    [Test]
    public async Task Post_TranscriptionCutAfterConversationId_AcknowledgedThenDeadLetteredNot500()
    {
        // The acknowledge path reads up to data.conversation_id only; the cut shows when data is bound.
        ReadDataInHandler();
        var body = WebhookFixtures.Utf8("""{"type":"post_call_transcription","event_timestamp":1739537297,"data":{"conversation_id":"cut1","transcript":[{"role":""");

        var answer = await _host.PostAsync(body, WebhookFixtures.Sign(body));
        await WebhookTestHost.EventuallyAsync(() => LogCount(DeadLetteredLog) == 1);
        var deadLetters = await Inbox.ListDeadLettersAsync();

        Assert.Multiple(() =>
        {
            Assert.That(answer, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(deadLetters.Select(dead => (dead.Delivery.ConversationId, dead.Delivery.LastFailure)),
                Is.EqualTo(new[] { ((string?)"cut1", (string?)PayloadException) }));

            // Inline: the endpoint's handler read Data; Queued: the processor's full parse fails before any handler call.
            Assert.That(_reads, Is.EqualTo(mode == ConvAiWebhookMode.Inline ? 1 : 0));
            Assert.That(LogCount("4011"), Is.Zero);
        });
    }

    [Test]
    public async Task Post_RedeliveryOfMalformedDelivery_AcknowledgedAsDuplicateWithoutBinding()
    {
        ReadDataInHandler();
        var body = WebhookFixtures.MalformedTranscription();
        await _host.PostAsync(body, WebhookFixtures.Sign(body));
        await WebhookTestHost.EventuallyAsync(() => LogCount(DeadLetteredLog) == 1);
        var readsBefore = _reads;
        _host.Time.Advance(TimeSpan.FromSeconds(60));

        // Before binding was lazy, Inline bound data before the duplicate check and answered this 400.
        var redelivery = await _host.PostAsync(body, WebhookFixtures.Sign(body, at: WebhookFixtures.Now.AddSeconds(60)));

        Assert.Multiple(() =>
        {
            Assert.That(redelivery, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(_reads, Is.EqualTo(readsBefore), "the duplicate never reached the handler");
            Assert.That(LogCount("4003"), Is.EqualTo(1), "logged as a duplicate");
        });
    }

    [Test]
    public async Task Post_EventsKeptPastTheirRequests_DataBindsFromItsOwnBody()
    {
        var first = WebhookFixtures.Load("post_call_transcription.json");
        var second = WebhookFixtures.Utf8(
            """{"type":"post_call_transcription","event_timestamp":1739537297,"data":{"agent_id":"a2","conversation_id":"other","status":"failed","transcript":[{"role":"user","message":"hi"}]}}""");

        await _host.PostAsync(first, WebhookFixtures.Sign(first));
        await _host.PostAsync(second, WebhookFixtures.Sign(second));
        await _host.WaitForEventsAsync(2);

        // Read only now: the requests are over and (Inline) their pooled buffers were returned and reused.
        var events = _host.Recorder.Events.Cast<PostCallTranscriptionEvent>().OrderBy(e => e.ConversationId, StringComparer.Ordinal).ToList();
        var firstRead = events[0].GetData();

        Assert.Multiple(() =>
        {
            Assert.That(events.Select(e => (e.GetData().ConversationId, e.GetData().AgentId, e.GetData().Transcript?.Count)),
                Is.EqualTo(new[] { ("abc", (string?)"xyz", (int?)2), ("other", "a2", 1) }));
            Assert.That(events[0].GetData(), Is.SameAs(firstRead), "bound once");
        });
    }
}

/// <summary>A marked endpoint reads the event itself: data that does not fit the model fails its read, and the delivery is kept.</summary>
public class WebhookLazyBindingMarkedEndpointTests
{
    [Test]
    public async Task Post_MalformedDataReadByEndpoint_DeadLetteredAnswered200ClaimKept()
    {
        await using var host = await WebhookTestHost.StartAsync(WebhookSurface.MarkedEndpoint);
        host.Recorder.Inspect = webhookEvent => _ = ((PostCallTranscriptionEvent)webhookEvent).GetData();
        var body = WebhookFixtures.MalformedTranscription();

        var answer = await host.PostAsync(body, WebhookFixtures.Sign(body));

        var deadLetters = await host.Services.GetRequiredService<IConvAiWebhookInbox>().ListDeadLettersAsync();
        Assert.Multiple(async () =>
        {
            Assert.That(answer, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(host.Recorder.Events, Is.Empty);
            Assert.That(deadLetters.Single().Delivery.LastFailure, Is.EqualTo(typeof(ConvAiWebhookPayloadException).FullName));
            Assert.That(await host.Services.GetRequiredService<IConvAiWebhookDeliveryStore>().TryClaimAsync("convai:webhook:post_call_transcription:bad1", TimeSpan.FromMinutes(1)),
                Is.False, "the claim is kept with the dead letter, so a redelivery is not processed beside it");
        });
    }

    [Test]
    public async Task Post_MalformedDataNotReadByEndpoint_Answers200()
    {
        await using var host = await WebhookTestHost.StartAsync(WebhookSurface.MarkedEndpoint);
        var body = WebhookFixtures.MalformedTranscription();

        var answer = await host.PostAsync(body, WebhookFixtures.Sign(body));

        Assert.Multiple(() =>
        {
            Assert.That(answer, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(host.Recorder.Events.Single().ConversationId, Is.EqualTo("bad1"));
        });
    }
}
