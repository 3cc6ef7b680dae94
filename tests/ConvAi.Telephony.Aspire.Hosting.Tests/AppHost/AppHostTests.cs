using System.Collections.Concurrent;
using System.Data.Common;
using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using ConvAi.Telephony.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace ConvAi.Telephony.Aspire.Hosting.Tests;

/// <summary>
/// samples/AppHost under Aspire.Hosting.Testing (the orchestrator runs locally, no container runtime), started once for
/// these tests: the emulator, the webhook receiver and the media-stream bridge start together and become healthy; a call
/// placed through the emulator ends up stored by the receiver, and the call's activity and the receiver's webhook span
/// carry the same conversation id in separate traces; a Twilio call to the bridge reaches the emulator's agent and its
/// audio comes back on the stream.
/// </summary>
public class AppHostTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(3);

    private DirectoryInfo? _folder;
    private OtlpTraceCollector? _collector;
    private DistributedApplication? _app;

    private DistributedApplication App => _app ?? throw new InvalidOperationException("The AppHost did not start.");

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        using var starting = new CancellationTokenSource(TimeSpan.FromMinutes(4));
        _folder = Directory.CreateTempSubdirectory("convai-apphost-test-");
        _collector = await OtlpTraceCollector.StartAsync();
        var appHost = await DistributedApplicationTestingBuilder.CreateAsync<Projects.AppHost>(
            [$"--Receiver:Database={Path.Combine(_folder.FullName, "results.db")}", "--Emulator:StepDelayMs=100"],
            starting.Token);
        // The receiver's traces go to this test's collector instead of a dashboard.
        appHost.CreateResourceBuilder<ProjectResource>("receiver")
            .WithEnvironment("OTEL_EXPORTER_OTLP_ENDPOINT", _collector.Endpoint)
            .WithEnvironment("OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf")
            .WithEnvironment("OTEL_BSP_SCHEDULE_DELAY", "200");

        _app = await appHost.BuildAsync(starting.Token);
        await _app.StartAsync(starting.Token);
        foreach (var resource in new[] { "convai", "receiver", "bridge" })
        {
            await _app.ResourceNotifications.WaitForResourceHealthyAsync(resource, starting.Token);
        }
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }

        if (_collector is not null)
        {
            await _collector.DisposeAsync();
        }

        _folder?.Delete(recursive: true);
    }

    [Test]
    [CancelAfter(300_000)]
    public async Task PlacedCall_IsStoredByTheReceiver_AndLinkedToItsWebhookByConversationId(CancellationToken cancellationToken)
    {
        var app = App;
        // The connection the receiver was given, used here the way an app would.
        var connection = new DbConnectionStringBuilder { ConnectionString = await app.GetConnectionStringAsync("convai", cancellationToken) };
        Assert.That(connection["Endpoint"].ToString(), Does.StartWith("http://"));
        var client = new ConvAiTelephonyClient(new ConvAiTelephonyOptions
        {
            ApiKey = connection["ApiKey"].ToString(),
            BaseAddress = new Uri(connection["Endpoint"].ToString()!),
        });

        var stopped = new ConcurrentQueue<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == ConvAiTelephonyDiagnostics.ActivitySourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = stopped.Enqueue,
        };
        ActivitySource.AddActivityListener(listener);

        var number = await client.PhoneNumbers.ImportTwilioAsync(new ImportTwilioPhoneNumberRequest
        {
            PhoneNumber = "+14155550100", Label = "apphost", Sid = "AC00000000000000000000000000000000", Token = "token",
        }, cancellationToken);
        var call = await client.Calls.StartTwilioCallAsync(new StartTwilioCallRequest
        {
            AgentId = "agent_apphost",
            AgentPhoneNumberId = number.PhoneNumberId,
            ToNumber = "+447700900123",
        }, cancellationToken);

        // The receiver stored the result its webhook delivered.
        using var receiver = app.CreateHttpClient("receiver");
        JsonNode? stored = null;
        using (var waiting = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
        {
            waiting.CancelAfter(Timeout);
            while (stored is null)
            {
                using var response = await receiver.GetAsync(new Uri($"/conversations/{call.ConversationId}", UriKind.Relative), waiting.Token);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    stored = JsonNode.Parse(await response.Content.ReadAsStringAsync(waiting.Token));
                }
                else
                {
                    Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
                    await Task.Delay(TimeSpan.FromMilliseconds(200), waiting.Token);
                }
            }
        }

        Assert.That(stored!["conversation_id"]!.GetValue<string>(), Is.EqualTo(call.ConversationId));
        Assert.That(stored["processed_count"]!.GetValue<int>(), Is.EqualTo(1));
        Assert.That(stored["reconciled"]!.GetValue<bool>(), Is.False);
        Assert.That(stored["status"]!.GetValue<string>(), Is.EqualTo("done"));
        Assert.That(stored["transcript"]!.AsArray(), Is.Not.Empty);

        // Linked by the conversation id: the call's activity here, the webhook's span in the receiver, two traces.
        var placed = stopped.Single(a => a.OperationName == "ConvAi.Telephony start call");
        Assert.That(placed.GetTagItem(ConvAiTelephonyDiagnostics.ConversationIdTag), Is.EqualTo(call.ConversationId));
        var webhook = await _collector!.WaitForSpanAsync(
            s => s.Name == "ConvAi.Telephony webhook"
                && s.Attributes.GetValueOrDefault(ConvAiTelephonyDiagnostics.ConversationIdTag) == call.ConversationId,
            Timeout);
        Assert.That(webhook.Attributes[ConvAiTelephonyDiagnostics.WebhookEventTypeTag], Is.EqualTo("post_call_transcription"));
        Assert.That(webhook.TraceId, Is.Not.EqualTo(placed.TraceId.ToHexString()));
    }

    [Test]
    [CancelAfter(120_000)]
    public async Task TwilioCallToTheBridge_ReachesTheEmulatorsAgent_AndItsAudioComesBack(CancellationToken cancellationToken)
    {
        // The Twilio auth token WithReference(convai) gave the bridge, and the bridge's own endpoint.
        var convai = App.Services.GetRequiredService<DistributedApplicationModel>().Resources.OfType<ConvAiEmulatorResource>().Single();
        var authToken = await convai.TwilioAuthToken.GetValueAsync(cancellationToken);
        using var bridge = App.CreateHttpClient("bridge");
        using var twilio = new TwilioSimulator(new TwilioSimulatorOptions
        {
            VoiceUrl = new Uri(bridge.BaseAddress!, "/twilio/voice"),
            AuthToken = authToken,
            Pacing = false,
        });

        await using var call = twilio.StartCall();
        // The emulator's agent greets the caller: its audio crosses the bridge onto the stream.
        var media = await call.WaitForEventAsync(e => e.Kind == TwilioCallEventKind.MediaReceived, cancellationToken);
        await call.HangUpAsync(cancellationToken);

        Assert.That(media.Number, Is.GreaterThan(0));
        Assert.That(call.Error, Is.Null);
        Assert.That(call.EndReason, Is.EqualTo(TwilioCallEndReason.CallerHungUp));
        Assert.That(call.ProtocolErrors, Is.Empty);
        var voice = call.Events.First(e => e.Kind == TwilioCallEventKind.TwimlRequested);
        Assert.That(voice.Text, Is.EqualTo($"POST {new Uri(bridge.BaseAddress!, "/twilio/voice")}"));
        Assert.That(voice.Number, Is.EqualTo(200));
        Assert.That(call.CustomParameters, Does.ContainKey("convai_call_token"));
    }
}
