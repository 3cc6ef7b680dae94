using System.Net;
using System.Text;
using ConvAi.Telephony;
using ConvAi.Telephony.AspNetCore;
using Microsoft.Extensions.DependencyInjection;

namespace ConvAi.Telephony.AspNetCore.Tests.Webhooks;

/// <summary>Issue 10: no result lost, none processed twice, through the endpoint in both modes.</summary>
[TestFixture(ConvAiWebhookMode.Inline)]
[TestFixture(ConvAiWebhookMode.Queued)]
public class WebhookDeliveryGuaranteeTests(ConvAiWebhookMode mode)
{
    private const string Transcription = "post_call_transcription.json";
    private const string Key = "convai:webhook:post_call_transcription:abc";

    private WebhookTestHost _host = null!;

    [SetUp]
    public async Task SetUp() => _host = await StartAsync();

    [TearDown]
    public async Task TearDown() => await _host.DisposeAsync();

    private Task<WebhookTestHost> StartAsync(Action<ConvAiWebhookOptions>? configure = null, Action<IConvAiWebhooksBuilder>? webhooks = null) =>
        WebhookTestHost.StartAsync(
            WebhookSurface.Endpoint,
            options =>
            {
                options.Delivery.Mode = mode;
                options.Delivery.RetryDelay = TimeSpan.FromSeconds(10);
                options.Delivery.MaxAttempts = 3;
                configure?.Invoke(options);
            },
            webhooks: webhooks);

    private int LogCount(int eventId) => _host.Logs.GetSnapshot().Count(record => record.Id.Id == eventId);

    private static byte[] WithTimestamp(byte[] body, long timestamp) =>
        WebhookFixtures.Utf8(Encoding.UTF8.GetString(body).Replace("\"event_timestamp\":1739537297", $"\"event_timestamp\":{timestamp}", StringComparison.Ordinal));

    [TestCase(false, TestName = "Post_ResignedRedeliverySameEventTimestamp_DispatchedOnce")]
    [TestCase(true, TestName = "Post_ResignedRedeliveryNewEventTimestamp_DispatchedOnce")]
    public async Task Post_ResignedRedelivery_DispatchedOnce(bool newEventTimestamp)
    {
        var body = WebhookFixtures.Load(Transcription);
        Assume.That(Encoding.UTF8.GetString(body), Does.Contain("\"event_timestamp\":1739537297"));
        var redelivery = newEventTimestamp ? WithTimestamp(body, 1739537357) : body;

        var first = await _host.PostAsync(body, WebhookFixtures.Sign(body));
        await _host.WaitForEventsAsync(1);
        _host.Time.Advance(TimeSpan.FromSeconds(60));
        var second = await _host.PostAsync(redelivery, WebhookFixtures.Sign(redelivery, at: WebhookFixtures.Now.AddSeconds(60)));
        _host.Time.Advance(TimeSpan.FromMinutes(20));
        var third = await _host.PostAsync(redelivery, WebhookFixtures.Sign(redelivery, at: WebhookFixtures.Now.AddMinutes(21)));
        await WebhookTestHost.EventuallyAsync(() => ((InMemoryWebhookInbox)_host.Services.GetRequiredService<IConvAiWebhookInbox>()).Count == 0);

        Assert.Multiple(async () =>
        {
            Assert.That(new[] { first, second, third }, Is.All.EqualTo(HttpStatusCode.OK));
            Assert.That(_host.Recorder.Events, Has.Count.EqualTo(1));
            Assert.That(await _host.Services.GetRequiredService<IConvAiWebhookDeliveryStore>().IsProcessedAsync(Key), Is.True);
        });
    }

    [Test]
    public async Task Post_HandlerFailsTwiceThenSucceeds_ProcessedOnce()
    {
        var body = WebhookFixtures.Load(Transcription);
        _host.Recorder.FailuresToThrow = 2;

        var answer = await _host.PostAsync(body, WebhookFixtures.Sign(body));

        // Queued: attempt 1 fails, retry after 10 s fails, retry after 20 s succeeds. Inline: the endpoint's call is
        // attempt 1 and the inbox retries at once (attempt 2), then after 20 s (attempt 3).
        await WebhookTestHost.EventuallyAsync(() => LogCount(4011) == 1);
        _host.Time.Advance(mode == ConvAiWebhookMode.Queued ? TimeSpan.FromSeconds(10) : TimeSpan.FromSeconds(20));
        if (mode == ConvAiWebhookMode.Queued)
        {
            await WebhookTestHost.EventuallyAsync(() => LogCount(4011) == 2);
            _host.Time.Advance(TimeSpan.FromSeconds(20));
        }

        await _host.WaitForEventsAsync(1);
        var redelivery = await _host.PostAsync(body, WebhookFixtures.Sign(body, at: WebhookFixtures.Now.AddSeconds(5)));

        Assert.Multiple(async () =>
        {
            Assert.That(answer, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(redelivery, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(_host.Recorder.Events, Has.Count.EqualTo(1));
            Assert.That(_host.Recorder.FailuresToThrow, Is.EqualTo(-1), "the handler ran three times");
            Assert.That(await _host.Services.GetRequiredService<IConvAiWebhookInbox>().ListDeadLettersAsync(), Is.Empty);
            Assert.That(await _host.Services.GetRequiredService<IConvAiWebhookDeliveryStore>().IsProcessedAsync(Key), Is.True);
        });
    }

    [Test]
    public async Task Post_HandlerFailsEveryAttempt_DeadLetteredThenRedriven()
    {
        var body = WebhookFixtures.Load(Transcription);
        _host.Recorder.FailuresToThrow = 3;
        var inbox = _host.Services.GetRequiredService<IConvAiWebhookInbox>();

        var answer = await _host.PostAsync(body, WebhookFixtures.Sign(body));
        await WebhookTestHost.EventuallyAsync(() => LogCount(4011) >= 1);
        _host.Time.Advance(TimeSpan.FromSeconds(20));
        if (mode == ConvAiWebhookMode.Queued)
        {
            await WebhookTestHost.EventuallyAsync(() => LogCount(4011) == 2);
            _host.Time.Advance(TimeSpan.FromSeconds(20));
        }

        await WebhookTestHost.EventuallyAsync(() => LogCount(4012) == 1);
        var deadLetters = await inbox.ListDeadLettersAsync();
        var redelivery = await _host.PostAsync(body, WebhookFixtures.Sign(body, at: WebhookFixtures.Now.AddSeconds(5)));
        var dispatchedBeforeRedrive = _host.Recorder.Events.Count;

        var redriven = await inbox.RedriveAsync(deadLetters.Single().Id);
        await _host.WaitForEventsAsync(1);

        Assert.Multiple(async () =>
        {
            Assert.That(answer, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(deadLetters.Select(dead => (dead.Delivery.ConversationId, dead.Delivery.Attempts, dead.Delivery.LastFailure)),
                Is.EqualTo(new[] { ((string?)"abc", 3, (string?)"System.InvalidOperationException") }));
            Assert.That(deadLetters.Single().Delivery.DeliveryKey, Is.EqualTo(Key));
            Assert.That(redelivery, Is.EqualTo(HttpStatusCode.OK), "a redelivery while the dead letter waits is acknowledged");
            Assert.That(dispatchedBeforeRedrive, Is.Zero, "and not dispatched: the dead letter holds the delivery");
            Assert.That(redriven, Is.True);
            Assert.That(_host.Recorder.Events, Has.Count.EqualTo(1));
            Assert.That(await inbox.ListDeadLettersAsync(), Is.Empty);
            Assert.That(await _host.Services.GetRequiredService<IConvAiWebhookDeliveryStore>().IsProcessedAsync(Key), Is.True);
        });
    }

    [Test]
    public async Task Post_InboxRefuses_ClaimReleasedAndSenderToldToRetry()
    {
        await using var host = await StartAsync(webhooks: builder => builder.UseInbox<RefusingWebhookInbox>());
        var body = WebhookFixtures.Load(Transcription);
        host.Recorder.FailuresToThrow = 1;

        var answer = await host.PostAsync(body, WebhookFixtures.Sign(body));

        Assert.Multiple(async () =>
        {
            // Queued: the inbox is full, 503. Inline: the handler threw and the inbox cannot keep the delivery, 500.
            Assert.That(answer, Is.EqualTo(mode == ConvAiWebhookMode.Queued ? HttpStatusCode.ServiceUnavailable : HttpStatusCode.InternalServerError));
            Assert.That(host.Logs.GetSnapshot().Count(record => record.Id.Id is 4005 or 4009), Is.GreaterThanOrEqualTo(1));
            Assert.That(await host.Services.GetRequiredService<IConvAiWebhookDeliveryStore>().TryClaimAsync(Key, TimeSpan.FromMinutes(1)), Is.True, "the claim was released");
        });
    }

    [Test]
    public async Task Post_AudioOf20MiB_ProcessedWithEveryByte()
    {
        var spool = Path.Combine(Path.GetTempPath(), "convai-inbox-tests", Guid.NewGuid().ToString("N"));
        await using var host = await StartAsync(webhooks: builder => builder.Services.Configure<InMemoryWebhookOptions>(options => options.SpoolDirectory = spool));
        var audio = WebhookFixtures.RandomBytes(20 * 1024 * 1024, seed: 20);
        var body = WebhookFixtures.AudioBody(audio);

        var answer = await host.PostAsync(body, WebhookFixtures.Sign(body));
        await WebhookTestHost.EventuallyAsync(() => !host.Recorder.Audio.IsEmpty);
        await WebhookTestHost.EventuallyAsync(() => ((InMemoryWebhookInbox)host.Services.GetRequiredService<IConvAiWebhookInbox>()).Count == 0);

        Assert.Multiple(() =>
        {
            Assert.That(answer, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(host.Recorder.Audio.Single().Length, Is.EqualTo(audio.Length));
            Assert.That(host.Recorder.Audio.Single().AsSpan().SequenceEqual(audio), Is.True);
            Assert.That(Directory.Exists(spool) ? Directory.GetFiles(spool) : [], Is.Empty, "the spooled body is deleted once processed");
        });
    }
}
