using System.Collections.Concurrent;
using ConvAi.Telephony;
using ConvAi.Telephony.AspNetCore;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace ConvAi.Telephony.Testing.Tests;

/// <summary>The emulator delivering over the network to an app that receives webhooks with the add-on's endpoint.</summary>
public class WebhookReceiverEndToEndTests
{
    private const string Secret = "wsec_end_to_end";

    [Test]
    public async Task CallDone_AddOnEndpointVerifiesAndDispatchesEveryEvent()
    {
        var received = new ConcurrentQueue<ConvAiWebhookEvent>();
        var time = new FakeTimeProvider(EmulatorHarness.Start);
        await using var receiverApp = await StartReceiverAsync(time, received);
        var receiverUrl = new Uri(receiverApp.Urls.Single() + "/webhooks/elevenlabs");
        await using var emulator = await ConvAiEmulator.StartNewAsync(new ConvAiEmulatorOptions
        {
            TimeProvider = time,
            StepDelay = EmulatorHarness.Step,
            WebhookUrl = receiverUrl,
            WebhookSecret = Secret,
            SendAudioWebhook = true,
            BusyNumbers = { "+447700900500" },
        });
        using var http = new HttpClient { BaseAddress = emulator.BaseAddress };
        http.DefaultRequestHeaders.Add("xi-api-key", emulator.ApiKey);
        var phone = await PostAsync(http, "/v1/convai/phone-numbers", """{"provider":"twilio","phone_number":"+14155550100","label":"L","sid":"AC1","token":"t"}""", "phone_number_id");
        var answered = await PostAsync(http, "/v1/convai/twilio/outbound-call", $$"""{"agent_id":"a","agent_phone_number_id":"{{phone}}","to_number":"+447700900123"}""", "conversation_id");
        var busy = await PostAsync(http, "/v1/convai/twilio/outbound-call", $$"""{"agent_id":"a","agent_phone_number_id":"{{phone}}","to_number":"+447700900500"}""", "conversation_id");

        time.Advance(EmulatorHarness.Step * 3);
        await emulator.WaitForWebhookAsync("post_call_audio", answered).WaitAsync(TimeSpan.FromSeconds(10));
        await emulator.WaitForWebhookAsync("call_initiation_failure", busy).WaitAsync(TimeSpan.FromSeconds(10));
        await emulator.WhenWebhooksDeliveredAsync();

        Assert.That(emulator.WebhookDeliveries.Select(d => d.StatusCode), Is.All.EqualTo(200));
        Assert.That(received.OfType<PostCallTranscriptionEvent>().Single().GetData().ConversationId, Is.EqualTo(answered));
        Assert.That(received.OfType<PostCallAudioEvent>().Single().ConversationId, Is.EqualTo(answered));
        Assert.That(received.OfType<CallInitiationFailureEvent>().Single().Data.ConversationId, Is.EqualTo(busy));
    }

    private static async Task<string> PostAsync(HttpClient http, string path, string json, string idField)
    {
        using var response = await http.PostAsync(new Uri(path, UriKind.Relative), new StringContent(json, System.Text.Encoding.UTF8, "application/json"));
        var body = System.Text.Json.Nodes.JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        return body[idField]!.GetValue<string>();
    }

    private static async Task<WebApplication> StartReceiverAsync(TimeProvider time, ConcurrentQueue<ConvAiWebhookEvent> received)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Services.AddSingleton(time);
        builder.Services.AddSingleton(received);
        builder.Services.AddConvAiWebhooks(o => o.Secret = Secret).AddHandler<RecordingWebhookHandler>();
        var app = builder.Build();
        app.MapConvAiWebhooks("/webhooks/elevenlabs");
        await app.StartAsync();
        return app;
    }

    private sealed class RecordingWebhookHandler(ConcurrentQueue<ConvAiWebhookEvent> received) : ConvAiWebhookHandler
    {
        public override Task OnPostCallTranscriptionAsync(PostCallTranscriptionEvent webhookEvent, CancellationToken cancellationToken = default) => Record(webhookEvent);

        public override Task OnPostCallAudioAsync(PostCallAudioEvent webhookEvent, CancellationToken cancellationToken = default) => Record(webhookEvent);

        public override Task OnCallInitiationFailureAsync(CallInitiationFailureEvent webhookEvent, CancellationToken cancellationToken = default) => Record(webhookEvent);

        private Task Record(ConvAiWebhookEvent webhookEvent)
        {
            received.Enqueue(webhookEvent);
            return Task.CompletedTask;
        }
    }
}
