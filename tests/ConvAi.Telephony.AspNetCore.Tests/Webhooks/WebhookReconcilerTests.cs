using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using ConvAi.Telephony;
using ConvAi.Telephony.AspNetCore;
using ConvAi.Telephony.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;

namespace ConvAi.Telephony.AspNetCore.Tests.Webhooks;

/// <summary>The reconciler against the emulator on one fake clock: what no webhook delivered is recovered, once.</summary>
[TestFixture(ConvAiWebhookMode.Inline)]
[TestFixture(ConvAiWebhookMode.Queued)]
public class WebhookReconcilerTests(ConvAiWebhookMode mode)
{
    private const string Agent = "agent_1";
    private static readonly TimeSpan Step = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan Interval = TimeSpan.FromMinutes(5);

    private FakeTimeProvider _time = null!;
    private SwitchableHandler _network = null!;
    private ConvAiEmulator _emulator = null!;
    private HttpClient _api = null!;
    private WebhookTestHost _host = null!;

    [SetUp]
    public async Task SetUp()
    {
        _time = new FakeTimeProvider(WebhookFixtures.Now);
        _network = new SwitchableHandler();
        _emulator = await ConvAiEmulator.StartNewAsync(new ConvAiEmulatorOptions
        {
            TimeProvider = _time,
            StepDelay = Step,
            WebhookUrl = new Uri("http://receiver" + WebhookTestHost.EndpointPath),
            WebhookSecret = WebhookFixtures.Secret,
            WebhookHandler = _network,
        });
        _api = new HttpClient { BaseAddress = _emulator.BaseAddress };
        _api.DefaultRequestHeaders.Add("xi-api-key", _emulator.ApiKey);
        _host = await WebhookTestHost.StartAsync(
            WebhookSurface.Endpoint,
            options => options.Delivery.Mode = mode,
            webhooks: builder => builder.AddReconciliation(options =>
            {
                options.AgentIds.Add(Agent);
                options.Interval = Interval;
                options.GracePeriod = TimeSpan.FromMinutes(2);
                options.LookBack = TimeSpan.FromHours(1);
            }),
            services: services =>
            {
                services.Replace(ServiceDescriptor.Singleton<TimeProvider>(_time));
                services.AddConvAiTelephony(options => options.BaseAddress = _emulator.BaseAddress).UseConvAiEmulator(_emulator);
            });
        _network.Inner = _host.CreateHandler();
        await WaitForStartupPassAsync();
    }

    [TearDown]
    public async Task TearDown()
    {
        await _host.DisposeAsync();
        _api.Dispose();
        await _emulator.DisposeAsync();
        _network.Dispose();
    }

    [Test]
    public async Task ReceiverDownForPartOfRun_ReconcilerRecoversEveryMissedConversationOnce()
    {
        var phone = await PostAsync("/v1/convai/phone-numbers", """{"provider":"twilio","phone_number":"+14155550100","label":"L","sid":"AC1","token":"t"}""", "phone_number_id");
        var delivered = await CallAndFinishAsync(phone, 3);

        _network.Down = true;
        var missed = await CallAndFinishAsync(phone, 3);
        _network.Down = false;
        var deliveredLater = await CallAndFinishAsync(phone, 2);

        // The next pass is past every call's grace period.
        _time.Advance(Interval);
        await _host.WaitForEventsAsync(8);
        var reconciler = _host.Services.GetServices<IHostedService>().OfType<WebhookReconciler>().Single();
        var secondPass = await reconciler.ReconcileAsync(CancellationToken.None);
        _time.Advance(Interval);
        var thirdPass = await reconciler.ReconcileAsync(CancellationToken.None);

        var transcriptions = _host.Recorder.Events.OfType<PostCallTranscriptionEvent>().ToArray();
        Assert.Multiple(() =>
        {
            Assert.That(_emulator.WebhookDeliveries.Count(d => d.StatusCode is null), Is.EqualTo(3), "the receiver was down for three deliveries");
            Assert.That(transcriptions.Select(t => t.ConversationId), Is.EquivalentTo(delivered.Concat(missed).Concat(deliveredLater)), "every conversation processed once");
            Assert.That(transcriptions.Where(t => t.IsReconciled).Select(t => t.ConversationId), Is.EquivalentTo(missed));
            Assert.That(transcriptions.Where(t => t.IsReconciled).Select(t => t.GetData().ConversationId), Is.EquivalentTo(missed), "the conversation was fetched");
            Assert.That(transcriptions.Where(t => t.IsReconciled).Select(t => t.GetData().Transcript?.Count ?? 0), Is.All.GreaterThan(0));
            Assert.That(new[] { secondPass, thirdPass }, Is.All.Zero, "later passes dispatch nothing again");
            Assert.That(_host.Logs.GetSnapshot().Count(r => r.Id.Id == 4017), Is.EqualTo(3));
        });
    }

    [Test]
    public async Task ConversationWithinGracePeriod_LeftForTheWebhook()
    {
        var phone = await PostAsync("/v1/convai/phone-numbers", """{"provider":"twilio","phone_number":"+14155550100","label":"L","sid":"AC1","token":"t"}""", "phone_number_id");
        _network.Down = true;
        var missed = await CallAndFinishAsync(phone, 1);
        var reconciler = _host.Services.GetServices<IHostedService>().OfType<WebhookReconciler>().Single();

        var withinGrace = await reconciler.ReconcileAsync(CancellationToken.None);
        _time.Advance(TimeSpan.FromMinutes(2));
        var afterGrace = await reconciler.ReconcileAsync(CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(withinGrace, Is.Zero);
            Assert.That(afterGrace, Is.EqualTo(1));
            Assert.That(_host.Recorder.Events.Select(e => e.ConversationId), Is.EqualTo(missed));
        });
    }

    [Test]
    public async Task Checkpoint_KeptInTheDeliveryStore_ARestartedReconcilerListsFromIt()
    {
        var store = _host.Services.GetRequiredService<IConvAiWebhookDeliveryStore>();
        var name = "convai:webhook:reconcile:" + Agent;
        var afterStartup = await store.GetCheckpointAsync(name);

        // What a restarted process finds in a durable store: a checkpoint written by the process before it.
        var stored = _time.GetUtcNow() - TimeSpan.FromMinutes(10);
        await store.SetCheckpointAsync(name, stored);
        var reconciler = _host.Services.GetServices<IHostedService>().OfType<WebhookReconciler>().Single();
        await reconciler.ReconcileAsync(CancellationToken.None);

        var listing = _emulator.ReceivedRequests.Last(r => r.Path == "/v1/convai/conversations");
        Assert.Multiple(() =>
        {
            Assert.That(afterStartup, Is.Not.Null, "the start-up pass stored its checkpoint");
            Assert.That(listing.QueryString, Does.Contain($"call_start_after_unix={stored.ToUnixTimeSeconds() - 1}"));
        });
    }

    private async Task<string[]> CallAndFinishAsync(string phone, int count)
    {
        var ids = new List<string>();
        for (var i = 0; i < count; i++)
        {
            ids.Add(await PostAsync("/v1/convai/twilio/outbound-call", $$"""{"agent_id":"{{Agent}}","agent_phone_number_id":"{{phone}}","to_number":"+44770090012{{i}}"}""", "conversation_id"));
        }

        _time.Advance(Step * 3);
        foreach (var id in ids)
        {
            await _emulator.WaitForWebhookAsync("post_call_transcription", id).WaitAsync(TimeSpan.FromSeconds(10));
        }

        await _emulator.WhenWebhooksDeliveredAsync().WaitAsync(TimeSpan.FromSeconds(30));
        if (!_network.Down)
        {
            await WebhookTestHost.EventuallyAsync(() => ids.All(id => _host.Recorder.Events.Any(e => e.ConversationId == id)));
        }

        return [.. ids];
    }

    /// <summary>
    /// Waits until the hosted reconciler's first pass (it runs at start) is over. The client's resilience runs on the
    /// same fake clock, so advancing the clock while that pass is in flight would time its request out and park the
    /// retry on a clock nobody advances, holding the pass lock until the client's real-time timeout.
    /// </summary>
    private async Task WaitForStartupPassAsync()
    {
        await WebhookTestHost.EventuallyAsync(() => _emulator.ReceivedRequests.Any(r => r.Path == "/v1/convai/conversations"));
        var reconciler = _host.Services.GetServices<IHostedService>().OfType<WebhookReconciler>().Single();
        Assert.That(await reconciler.ReconcileAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30)), Is.Zero);
    }

    private async Task<string> PostAsync(string path, string json, string idField)
    {
        using var response = await _api.PostAsync(new Uri(path, UriKind.Relative), new StringContent(json, Encoding.UTF8, "application/json"));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())![idField]!.GetValue<string>();
    }

    /// <summary>The network between the emulator and the receiver: forwards, or fails like a receiver that is down.</summary>
    private sealed class SwitchableHandler : DelegatingHandler
    {
        public volatile bool Down;

        public HttpMessageHandler Inner { set => InnerHandler = value; }

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            Down ? throw new HttpRequestException("Connection refused (receiver down).") : base.SendAsync(request, cancellationToken);
    }
}
