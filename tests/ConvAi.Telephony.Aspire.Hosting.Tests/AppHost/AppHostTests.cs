using System.Collections.Concurrent;
using System.Data.Common;
using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace ConvAi.Telephony.Aspire.Hosting.Tests;

/// <summary>
/// samples/AppHost under Aspire.Hosting.Testing (the orchestrator runs locally, no container runtime): the emulator
/// and the webhook receiver start together, a call placed through the emulator ends up stored by the receiver, and the
/// call's activity and the receiver's webhook span carry the same conversation id in separate traces.
/// </summary>
public class AppHostTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(3);

    [Test]
    [CancelAfter(300_000)]
    public async Task PlacedCall_IsStoredByTheReceiver_AndLinkedToItsWebhookByConversationId(CancellationToken cancellationToken)
    {
        var folder = Directory.CreateTempSubdirectory("convai-apphost-test-");
        try
        {
            await using var collector = await OtlpTraceCollector.StartAsync();
            var appHost = await DistributedApplicationTestingBuilder.CreateAsync<Projects.AppHost>(
                [$"--Receiver:Database={Path.Combine(folder.FullName, "results.db")}", "--Emulator:StepDelayMs=100"],
                cancellationToken);
            // The receiver's traces go to this test's collector instead of a dashboard.
            appHost.CreateResourceBuilder<ProjectResource>("receiver")
                .WithEnvironment("OTEL_EXPORTER_OTLP_ENDPOINT", collector.Endpoint)
                .WithEnvironment("OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf")
                .WithEnvironment("OTEL_BSP_SCHEDULE_DELAY", "200");

            await using var app = await appHost.BuildAsync(cancellationToken);
            await app.StartAsync(cancellationToken);
            await app.ResourceNotifications.WaitForResourceHealthyAsync("convai", cancellationToken).WaitAsync(Timeout, cancellationToken);
            await app.ResourceNotifications.WaitForResourceHealthyAsync("receiver", cancellationToken).WaitAsync(Timeout, cancellationToken);

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
            var webhook = await collector.WaitForSpanAsync(
                s => s.Name == "ConvAi.Telephony webhook"
                    && s.Attributes.GetValueOrDefault(ConvAiTelephonyDiagnostics.ConversationIdTag) == call.ConversationId,
                Timeout);
            Assert.That(webhook.Attributes[ConvAiTelephonyDiagnostics.WebhookEventTypeTag], Is.EqualTo("post_call_transcription"));
            Assert.That(webhook.TraceId, Is.Not.EqualTo(placed.TraceId.ToHexString()));
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }
}
