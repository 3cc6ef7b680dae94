using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Net.WebSockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace ConvAi.Telephony.Tests.Realtime;

/// <summary>The session's activity, metrics and logs: ids and codes, never audio or transcript text.</summary>
[NonParallelizable]
public class SessionTelemetryTests
{
    private const string Transcript = "my card number is 4111";

    [Test]
    public async Task Session_EmitsActivityMetricsAndLogs_WithoutText()
    {
        var activities = new ConcurrentQueue<Activity>();
        using var activityListener = new ActivityListener
        {
            ShouldListenTo = s => s.Name == ConvAiTelephonyDiagnostics.ActivitySourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activities.Enqueue,
        };
        ActivitySource.AddActivityListener(activityListener);
        var measurements = new ConcurrentQueue<(string Instrument, double Value, Dictionary<string, object?> Tags)>();
        using var meterListener = new MeterListener
        {
            InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == ConvAiTelephonyDiagnostics.MeterName && instrument.Name.StartsWith("convai.telephony.session", StringComparison.Ordinal))
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            },
        };
        meterListener.SetMeasurementEventCallback<long>((i, v, tags, _) => measurements.Enqueue((i.Name, v, Tags(tags))));
        meterListener.SetMeasurementEventCallback<double>((i, v, tags, _) => measurements.Enqueue((i.Name, v, Tags(tags))));
        meterListener.Start();
        var logs = new FakeLogCollector();

        await using var server = await ScriptedAgentServer.StartAsync(async c =>
        {
            await c.AcceptStartAsync("conv_telemetry");
            Assert.That((await c.ReceiveJsonAsync())["type"]!.GetValue<string>(), Is.EqualTo("user_message"));
            await c.SendAsync($$$"""{"type":"user_transcript","user_transcription_event":{"user_transcript":"{{{Transcript}}}","event_id":1}}""");
            await c.PingAndWaitForPongAsync(2);
            await c.SendAsync("not json " + Transcript);
            await c.CloseAsync(WebSocketCloseStatus.NormalClosure, "bye");
        });
        var services = new ServiceCollection();
        services.AddLogging(b => b.SetMinimumLevel(LogLevel.Trace).AddProvider(new FakeLoggerProvider(logs)));
        services.AddConvAiTelephony(o => (o.ApiKey, o.BaseAddress) = ("sk_telemetry", server.HttpAddress));
        await using (var provider = services.BuildServiceProvider())
        {
            var client = provider.GetRequiredService<IConvAiTelephonyClient>();
            await using var session = await client.Conversations.StartSessionAsync("agent_1", new ConversationSessionOptions { IsPublicAgent = true });
            await session.SendUserMessageAsync(Transcript);
            await foreach (var _ in session.ReadEventsAsync())
            {
            }
        }

        meterListener.RecordObservableInstruments();
        var activity = activities.Single(a => a.OperationName == "ConvAi.Telephony conversation");
        Assert.Multiple(() =>
        {
            Assert.That(activity.GetTagItem(ConvAiTelephonyDiagnostics.ConversationIdTag), Is.EqualTo("conv_telemetry"));
            Assert.That(activity.GetTagItem(ConvAiTelephonyDiagnostics.CloseCodeTag), Is.EqualTo(1000));
            Assert.That(activity.Status, Is.Not.EqualTo(ActivityStatusCode.Error));
        });

        var active = measurements.Where(m => m.Instrument == ConvAiTelephonyDiagnostics.SessionsActiveInstrument).Select(m => m.Value).ToList();
        Assert.That(active, Is.EqualTo(new[] { 1.0, -1.0 }));
        string Type(string direction) => string.Join(",", measurements
            .Where(m => m.Instrument == ConvAiTelephonyDiagnostics.SessionMessagesInstrument && (string?)m.Tags[ConvAiTelephonyDiagnostics.MessageDirectionTag] == direction)
            .Select(m => (string?)m.Tags[ConvAiTelephonyDiagnostics.MessageTypeTag]));
        Assert.That(Type("received"), Is.EqualTo("conversation_initiation_metadata,user_transcript,ping"));
        Assert.That(Type("sent"), Does.StartWith("conversation_initiation_client_data,").And.Contain("pong").And.Contain("user_message"));
        Assert.That(measurements.Where(m => m.Instrument == ConvAiTelephonyDiagnostics.SessionPingLatencyInstrument).Select(m => m.Value), Is.EqualTo(new[] { 0.012 }));

        var messages = logs.GetSnapshot().Select(r => r.Message + " " + string.Join(",", r.StructuredState?.Select(kv => kv.Value) ?? [])).ToList();
        Assert.That(messages, Has.Some.Contains("conv_telemetry"));
        Assert.That(messages, Has.Some.Contains("skipped a message of"));
        Assert.That(messages, Has.None.Contains("4111"), "no transcript text in logs");
    }

    private static Dictionary<string, object?> Tags(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var result = new Dictionary<string, object?>();
        foreach (var tag in tags)
        {
            result[tag.Key] = tag.Value;
        }

        return result;
    }
}
