using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace ConvAi.Telephony.Tests.Webhooks;

/// <summary>The core receiver on its own: a bare service collection, no host, no configuration, no ASP.NET Core.</summary>
public class ConvAiWebhookReceiverTests
{
    private static ServiceProvider Build(ConvAiWebhookMode mode = ConvAiWebhookMode.Inline, FakeTimeProvider? time = null, Action<ConvAiWebhookOptions>? configure = null)
    {
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(time ?? new FakeTimeProvider(WebhookFixtures.Now));
        services.AddConvAiWebhooks(options =>
        {
            options.Secret = WebhookFixtures.Secret;
            options.Delivery.Mode = mode;
            options.Verification.MaxRequestBodySize = 64 * 1024;
            configure?.Invoke(options);
        });
        return services.BuildServiceProvider();
    }

    /// <summary>Lets <paramref name="span"/> pass a second at a time, so that every renewal timer due meanwhile fires.</summary>
    private static void Pass(FakeTimeProvider time, TimeSpan span)
    {
        for (var passed = TimeSpan.Zero; passed < span; passed += TimeSpan.FromSeconds(1))
        {
            time.Advance(TimeSpan.FromSeconds(1));
        }
    }

    [Test]
    public async Task ReceiveAsync_HandlerStillRunningAfterThreeLeases_ClaimRenewedSoARedeliveryIsADuplicate()
    {
        var time = new FakeTimeProvider(WebhookFixtures.Now);
        await using var services = Build(time: time);
        var receiver = services.GetRequiredService<ConvAiWebhookReceiver>();
        var body = WebhookFixtures.Load("post_call_transcription.json");
        using var running = await receiver.ReceiveAsync(Body(body), WebhookFixtures.Sign(body));

        Pass(time, 3 * receiver.Options.Deduplication.ClaimLease); // the handler is still running
        using var redelivery = await receiver.ReceiveAsync(Body(body), WebhookFixtures.Sign(body));
        var processed = await running.HandleAsync((_, _) => Task.FromResult<string?>(null));

        Assert.Multiple(() =>
        {
            Assert.That(receiver.Options.Deduplication.ClaimLease, Is.EqualTo(TimeSpan.FromSeconds(15)), "the default lease");
            Assert.That(running.Status, Is.EqualTo(ConvAiWebhookReceiptStatus.Processed));
            Assert.That(redelivery.Status, Is.EqualTo(ConvAiWebhookReceiptStatus.Duplicate), "a live handler's renewed claim keeps others out");
            Assert.That(processed, Is.True);
        });
    }

    [Test]
    public async Task ReceiveAsync_HolderStoppedRenewing_RedeliveryAcceptedOnceTheLeaseEnded()
    {
        var time = new FakeTimeProvider(WebhookFixtures.Now);
        await using var services = Build(time: time);
        var receiver = services.GetRequiredService<ConvAiWebhookReceiver>();
        var body = WebhookFixtures.Load("post_call_transcription.json");
        var abandoned = await receiver.ReceiveAsync(Body(body), WebhookFixtures.Sign(body));
        abandoned.Dispose(); // never handled: what a process that died mid-handler leaves behind is a claim nobody renews

        Pass(time, receiver.Options.Deduplication.ClaimLease - TimeSpan.FromSeconds(1)); // the default, 15 s
        using var withinLease = await receiver.ReceiveAsync(Body(body), WebhookFixtures.Sign(body));
        Pass(time, TimeSpan.FromSeconds(1));
        using var afterLease = await receiver.ReceiveAsync(Body(body), WebhookFixtures.Sign(body));

        Assert.Multiple(() =>
        {
            Assert.That(withinLease.Status, Is.EqualTo(ConvAiWebhookReceiptStatus.Duplicate));
            Assert.That(afterLease.Status, Is.EqualTo(ConvAiWebhookReceiptStatus.Accepted), "not blocked for ClaimLifetime (1 hour)");
        });
    }

    [Test]
    public async Task ProcessAsync_Queued_ClaimHandedToTheInboxOutlivesTheLease()
    {
        var time = new FakeTimeProvider(WebhookFixtures.Now);
        await using var services = Build(ConvAiWebhookMode.Queued, time);
        var receiver = services.GetRequiredService<ConvAiWebhookReceiver>();
        var body = WebhookFixtures.Load("post_call_transcription.json");
        using var queued = await receiver.ProcessAsync(Body(body), WebhookFixtures.Sign(body));

        time.Advance(TimeSpan.FromMinutes(59));
        using var withinLifetime = await receiver.ProcessAsync(Body(body), WebhookFixtures.Sign(body, at: time.GetUtcNow()));
        time.Advance(TimeSpan.FromMinutes(1));
        using var afterLifetime = await receiver.ProcessAsync(Body(body), WebhookFixtures.Sign(body, at: time.GetUtcNow()));

        Assert.Multiple(() =>
        {
            Assert.That(queued.Status, Is.EqualTo(ConvAiWebhookReceiptStatus.Queued));
            Assert.That(withinLifetime.Status, Is.EqualTo(ConvAiWebhookReceiptStatus.Duplicate), "the inbox holds it: ClaimLifetime, not the lease");
            Assert.That(afterLifetime.Status, Is.EqualTo(ConvAiWebhookReceiptStatus.Queued));
        });
    }

    [TestCase(0, "'ConvAi:Webhooks:Deduplication:ClaimLease' must be at least 1 second and at most ':ClaimLifetime'.")]
    [TestCase(7200, "'ConvAi:Webhooks:Deduplication:ClaimLease' must be at least 1 second and at most ':ClaimLifetime'.")]
    public void AddConvAiWebhooks_ClaimLeaseOutOfRange_ValidationNamesTheKey(int seconds, string message)
    {
        using var services = Build(configure: options => options.Deduplication.ClaimLease = TimeSpan.FromSeconds(seconds));

        var exception = Assert.Throws<Microsoft.Extensions.Options.OptionsValidationException>(() => _ = services.GetRequiredService<Microsoft.Extensions.Options.IOptions<ConvAiWebhookOptions>>().Value);

        Assert.That(exception!.Failures, Is.EqualTo(new[] { message }));
    }

    private static MemoryStream Body(byte[] body) => new(body);

    [Test]
    public async Task ProcessAsync_Queued_WithoutConfigurationOrHost_QueuedThenDuplicate()
    {
        await using var services = Build(ConvAiWebhookMode.Queued);
        var receiver = services.GetRequiredService<ConvAiWebhookReceiver>();
        var body = WebhookFixtures.Load("post_call_transcription.json");

        using var first = await receiver.ProcessAsync(Body(body), WebhookFixtures.Sign(body));
        using var second = await receiver.ProcessAsync(Body(body), WebhookFixtures.Sign(body));

        Assert.Multiple(() =>
        {
            Assert.That((first.Status, first.StatusCode), Is.EqualTo((ConvAiWebhookReceiptStatus.Queued, 200)));
            Assert.That((second.Status, second.StatusCode), Is.EqualTo((ConvAiWebhookReceiptStatus.Duplicate, 200)));
        });
    }

    [Test]
    public async Task ReceiveAsync_BadInput_TypedStatusAndNothingClaimed()
    {
        await using var services = Build();
        var receiver = services.GetRequiredService<ConvAiWebhookReceiver>();
        var body = WebhookFixtures.Load("post_call_transcription.json");

        using var missing = await receiver.ReceiveAsync(Body(body), signatureHeader: null);
        using var tampered = await receiver.ReceiveAsync(Body([.. body, (byte)' ']), WebhookFixtures.Sign(body));
        using var tooLarge = await receiver.ReceiveAsync(Body(WebhookFixtures.AudioBody(new byte[64 * 1024])), "t=1,v0=00");
        using var notJson = await receiver.ReceiveAsync(Body(WebhookFixtures.Utf8("{\"type\":")), WebhookFixtures.Sign(WebhookFixtures.Utf8("{\"type\":")));
        using var accepted = await receiver.ReceiveAsync(Body(body), WebhookFixtures.Sign(body));

        Assert.Multiple(() =>
        {
            Assert.That((missing.Status, missing.StatusCode, missing.Signature), Is.EqualTo((ConvAiWebhookReceiptStatus.SignatureRejected, 401, ConvAiWebhookSignatureResult.MissingHeader)));
            Assert.That((tampered.Status, tampered.StatusCode, tampered.Signature), Is.EqualTo((ConvAiWebhookReceiptStatus.SignatureRejected, 401, ConvAiWebhookSignatureResult.Mismatch)));
            Assert.That((tooLarge.Status, tooLarge.StatusCode), Is.EqualTo((ConvAiWebhookReceiptStatus.TooLarge, 413)));
            Assert.That((notJson.Status, notJson.StatusCode), Is.EqualTo((ConvAiWebhookReceiptStatus.PayloadRejected, 400)));
            Assert.That(accepted.Status, Is.EqualTo(ConvAiWebhookReceiptStatus.Accepted), "none of the rejected ones claimed the delivery");
            Assert.That(accepted.Event?.ConversationId, Is.EqualTo("abc"));
        });
    }

    [Test]
    public async Task HandleAsync_HandlerThrows_KeptAsDeadLetterAndARedeliveryIsADuplicate()
    {
        await using var services = Build();
        var receiver = services.GetRequiredService<ConvAiWebhookReceiver>();
        var body = WebhookFixtures.Load("post_call_transcription.json");

        using var receipt = await receiver.ReceiveAsync(Body(body), WebhookFixtures.Sign(body));
        var processed = await receipt.HandleAsync((_, _) => throw new IOException("storage down"));
        using var redelivery = await receiver.ReceiveAsync(Body(body), WebhookFixtures.Sign(body));

        var deadLetter = (await services.GetRequiredService<IConvAiWebhookInbox>().ListDeadLettersAsync()).Single();
        Assert.Multiple(() =>
        {
            Assert.That(processed, Is.False);
            Assert.That(receipt.StatusCode, Is.EqualTo(200));
            Assert.That(deadLetter.Delivery.LastFailure, Is.EqualTo(typeof(IOException).FullName));
            Assert.That(deadLetter.Delivery.Body.ToArray(), Is.EqualTo(body));
            Assert.That(redelivery.Status, Is.EqualTo(ConvAiWebhookReceiptStatus.Duplicate));
            Assert.That(() => receipt.HandleAsync((_, _) => Task.FromResult<string?>(null)), Throws.InvalidOperationException, "handled once");
        });
    }

    [TestCase(false, ActivityStatusCode.Unset)]
    [TestCase(true, ActivityStatusCode.Error)]
    public async Task HandleAsync_Dispatch_OneWebhookActivityTaggedWithTheConversationId(bool handlerThrows, ActivityStatusCode status)
    {
        var stopped = new ConcurrentQueue<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == ConvAiTelephonyDiagnostics.ActivitySourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = stopped.Enqueue,
        };
        ActivitySource.AddActivityListener(listener);
        await using var services = Build();
        var receiver = services.GetRequiredService<ConvAiWebhookReceiver>();
        var body = WebhookFixtures.Load("post_call_transcription.json");

        using var receipt = await receiver.ReceiveAsync(Body(body), WebhookFixtures.Sign(body));
        await receipt.HandleAsync((_, _) => handlerThrows ? throw new IOException("storage down") : Task.FromResult<string?>(null));

        var webhook = stopped.Single(a => a.OperationName == "ConvAi.Telephony webhook");
        Assert.Multiple(() =>
        {
            Assert.That(webhook.Kind, Is.EqualTo(ActivityKind.Consumer));
            Assert.That(webhook.GetTagItem(ConvAiTelephonyDiagnostics.ConversationIdTag), Is.EqualTo("abc"));
            Assert.That(webhook.GetTagItem(ConvAiTelephonyDiagnostics.WebhookEventTypeTag), Is.EqualTo("post_call_transcription"));
            Assert.That(webhook.Status, Is.EqualTo(status));
            Assert.That(webhook.StatusDescription ?? "", Does.Not.Contain("storage down"), "never the handler's message");
        });
    }
}
