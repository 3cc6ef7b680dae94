using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace ConvAi.Telephony.Tests.Webhooks;

/// <summary>The core receiver on its own: a bare service collection, no host, no configuration, no ASP.NET Core.</summary>
public class ConvAiWebhookReceiverTests
{
    private static ServiceProvider Build(ConvAiWebhookMode mode = ConvAiWebhookMode.Inline)
    {
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(new FakeTimeProvider(WebhookFixtures.Now));
        services.AddConvAiWebhooks(options =>
        {
            options.Secret = WebhookFixtures.Secret;
            options.Delivery.Mode = mode;
            options.Verification.MaxRequestBodySize = 64 * 1024;
        });
        return services.BuildServiceProvider();
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
