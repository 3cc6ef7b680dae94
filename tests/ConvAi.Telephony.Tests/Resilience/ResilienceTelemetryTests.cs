using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using System.Text.Json.Nodes;
using ConvAi.Telephony.Tests.TestSupport;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Polly;
using Polly.Telemetry;

namespace ConvAi.Telephony.Tests.Resilience;

/// <summary>
/// Logs, traces and metrics through the full stack (HttpClientFactory logging, Polly's telemetry, the client's own
/// logs) on a real Kestrel server, with everything captured at Trace level.
/// </summary>
[NonParallelizable]
public class ResilienceTelemetryTests
{
    private const string TwilioToken = "twilio-auth-token-SECRET-9f8e7d";
    private const string TranscriptText = "TRANSCRIPT-SECRET my card ends in 4242";

    private LoopbackServer _server = null!;

    [OneTimeSetUp]
    public async Task StartServer() => _server = await LoopbackServer.StartAsync();

    [OneTimeTearDown]
    public async Task StopServer() => await _server.DisposeAsync();

    [Test]
    public async Task FullStack_TraceLevel_NeverEmitsApiKeyTwilioTokenOrTranscript()
    {
        var conversation = JsonNode.Parse(Resources.Read("Conversations/get.json"))!;
        conversation["transcript"]![0]!["message"] = TranscriptText;
        var attempts = new ConcurrentDictionary<string, int>();
        _server.Handler = async context =>
        {
            var key = context.Request.Method + " " + context.Request.Path;
            var attempt = attempts.AddOrUpdate(key, 1, (_, n) => n + 1);
            await FaultMatrixTests.ReadBodyAsync(context);
            (int Status, string Body) answer = key switch
            {
                "POST /v1/convai/phone-numbers" => attempt == 1 ? (429, "{}") : (503, """{"detail":{"status":"unavailable","message":"Try later."}}"""),
                "POST /v1/convai/twilio/outbound-call" => attempt == 1 ? (429, "{}") : (500, "{}"),
                "GET /v1/convai/conversations/conv_1" => attempt == 1 ? (502, "{}") : (200, conversation.ToJsonString()),
                _ => (404, "{}"),
            };
            context.Response.StatusCode = answer.Status;
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(answer.Body);
        };

        var logs = new FakeLogCollector();
        var activities = new ConcurrentQueue<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = _ => true,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activities.Enqueue,
        };
        ActivitySource.AddActivityListener(listener);

        var clock = new SteppingTimeProvider();
        await using var services = BuildServices(clock, s => s.AddLogging(b => b.SetMinimumLevel(LogLevel.Trace).AddProvider(new FakeLoggerProvider(logs))));
        var client = services.GetRequiredService<IConvAiTelephonyClient>();

        var errors = new List<Exception>();
        await Capture(errors, () => client.PhoneNumbers.ImportTwilioAsync(new ImportTwilioPhoneNumberRequest
        {
            PhoneNumber = "+14155550100",
            Label = "Support",
            Sid = "AC0123456789abcdef0123456789abcdef",
            Token = TwilioToken,
        }));
        await Capture(errors, () => client.Calls.StartTwilioCallAsync(new StartTwilioCallRequest { ToNumber = "+14155550100" }));
        var fetched = await client.Conversations.GetAsync("conv_1");

        var logText = new StringBuilder();
        foreach (var record in logs.GetSnapshot())
        {
            logText.AppendLine($"{record.Level} {record.Category} {record.Message} {record.Exception}");
            foreach (var pair in record.StructuredState ?? [])
            {
                logText.AppendLine($"  {pair.Key}={pair.Value}");
            }
        }

        var traceText = new StringBuilder();
        foreach (var activity in activities)
        {
            traceText.AppendLine($"{activity.Source.Name} {activity.DisplayName} {activity.StatusDescription}");
            foreach (var tag in activity.TagObjects)
            {
                traceText.AppendLine($"  {tag.Key}={tag.Value}");
            }
        }

        var errorText = string.Join("\n", errors.SelectMany(Flatten).Select(e => e.Message));
        var categories = logs.GetSnapshot().Select(r => r.Category).Distinct().ToList();

        Assert.Multiple(() =>
        {
            Assert.That(fetched.Transcript?[0].Message, Is.EqualTo(TranscriptText), "the transcript did travel through the stack");
            Assert.That(errors.Select(e => e.GetType()), Is.EqualTo(new[] { typeof(ConvAiApiException), typeof(ConvAiOutcomeUnknownException) }));
            Assert.That(categories, Has.Some.EqualTo("Polly"), "Polly's telemetry logging was captured");
            Assert.That(categories, Has.Some.EqualTo("ConvAi.Telephony"), "the client's own logging was captured");
            Assert.That(logText.ToString(), Does.Contain("Sending POST /v1/convai/twilio/outbound-call."), "HttpClient attempts were logged");
            var ours = activities.Where(a => a.Source.Name == ConvAiTelephonyDiagnostics.ActivitySourceName).ToList();
            var calls = ours.Where(a => a.OperationName == "ConvAi.Telephony start call").ToList();
            Assert.That(ours.Except(calls).ToList(), Has.Count.EqualTo(3), "one activity per client request, retries included");
            Assert.That(calls.Select(a => (a.Status, a.StatusDescription)), Is.EqualTo(new[] { (ActivityStatusCode.Error, nameof(ConvAiOutcomeUnknownException)) }), "one activity per placed call, failed with the error's type");
            Assert.That(calls.Single().GetTagItem(ConvAiTelephonyDiagnostics.ConversationIdTag), Is.Null, "no conversation id when the call was not placed");
            Assert.That(
                ours.SelectMany(a => a.TagObjects.Select(t => t.Key)).Distinct(),
                Is.SubsetOf(new[] { ConvAiTelephonyDiagnostics.OperationKindTag, ConvAiTelephonyDiagnostics.StatusCodeTag }));
            foreach (var secret in new[] { ClientFixture.ApiKey, TwilioToken, TranscriptText })
            {
                Assert.That(logText.ToString(), Does.Not.Contain(secret), "logs");
                Assert.That(traceText.ToString(), Does.Not.Contain(secret), "traces");
                Assert.That(errorText, Does.Not.Contain(secret), "exception messages");
            }
        });
    }

    [Test]
    public async Task DefaultHttpClientLoggerAddedBack_TraceLevel_MessagesShowApiKeyRedacted()
    {
        _server.Handler = static context => context.Response.WriteAsync("{}");
        var logs = new FakeLogCollector();
        var services = new ServiceCollection();
        services.AddLogging(b => b.SetMinimumLevel(LogLevel.Trace).AddProvider(new FakeLoggerProvider(logs)));
        services.AddConvAiTelephony(o =>
        {
            o.ApiKey = ClientFixture.ApiKey;
            o.BaseAddress = _server.BaseAddress;
        }).HttpClientBuilder.AddDefaultLogger();
        await using var provider = services.BuildServiceProvider();

        await provider.GetRequiredService<IConvAiTelephonyClient>().Conversations.DeleteAsync("conv_1");

        var messages = logs.GetSnapshot().Where(r => r.Category is { } category && category.StartsWith("System.Net.Http.HttpClient.ConvAi.Telephony", StringComparison.Ordinal)).Select(r => r.Message ?? string.Empty).ToList();
        Assert.That(messages, Has.Some.Contains("xi-api-key: *"));
        Assert.That(messages, Has.Some.Contains("User-Agent: ConvAi.Telephony/"), "harmless headers stay readable");
        Assert.That(messages, Has.None.Contains(ClientFixture.ApiKey));
    }

    [Test]
    public async Task StartTwilioCallAsync_429Then503_RecordsRetryRateLimitOutcomeUnknownAndDuration()
    {
        var attempt = 0;
        _server.Handler = async context =>
        {
            await FaultMatrixTests.ReadBodyAsync(context);
            context.Response.StatusCode = Interlocked.Increment(ref attempt) == 1 ? 429 : 503;
        };
        var clock = new SteppingTimeProvider();
        await using var services = BuildServices(clock, s => s.AddMetrics());
        var meter = services.GetRequiredService<ConvAiTelemetry>().Meter;
        using var duration = new MetricCollector<double>(meter, ConvAiTelephonyDiagnostics.RequestDurationInstrument);
        using var retries = new MetricCollector<long>(meter, ConvAiTelephonyDiagnostics.RetriesInstrument);
        using var rateLimited = new MetricCollector<long>(meter, ConvAiTelephonyDiagnostics.RateLimitRejectionsInstrument);
        using var unknown = new MetricCollector<long>(meter, ConvAiTelephonyDiagnostics.OutcomeUnknownInstrument);
        var client = services.GetRequiredService<IConvAiTelephonyClient>();

        Assert.ThrowsAsync<ConvAiOutcomeUnknownException>(() => client.Calls.StartTwilioCallAsync(new StartTwilioCallRequest { ToNumber = "+14155550100" }));

        Assert.Multiple(() =>
        {
            AssertSingle(retries, 1, 429);
            AssertSingle(rateLimited, 1, 429);
            AssertSingle(unknown, 1, 503);
            var measurement = duration.GetMeasurementSnapshot().Single();
            Assert.That(measurement.Tags.Keys, Is.EquivalentTo(new[] { ConvAiTelephonyDiagnostics.OperationKindTag, ConvAiTelephonyDiagnostics.StatusCodeTag }));
            Assert.That(measurement.Tags[ConvAiTelephonyDiagnostics.StatusCodeTag], Is.EqualTo(503));
            Assert.That(measurement.Value, Is.EqualTo(1.0), "one second of backoff on the fake clock");
        });
        await Task.CompletedTask;
    }

    [Test]
    public async Task GetAsync_SucceedsAtOnce_InformationLevel_WritesNoPollyLine()
    {
        var logs = await GetConversationAsync(LogLevel.Information, failuresFirst: 0);

        // The same call at Debug level writes the attempt line (the next test), so the logger is wired.
        Assert.That(logs.Where(r => r.Category == "Polly").Select(r => $"{r.Level} {r.Message}"), Is.Empty);
    }

    [Test]
    public async Task GetAsync_SucceedsAtOnce_DebugLevel_AttemptLineIsDebug()
    {
        var logs = await GetConversationAsync(LogLevel.Debug, failuresFirst: 0);

        var attempts = logs.Where(r => r.Category == "Polly" && r.Message.StartsWith("Execution attempt.", StringComparison.Ordinal)).ToList();
        Assert.That(attempts.Select(r => r.Level), Is.EqualTo(new[] { LogLevel.Debug }), "demoted, not dropped");
        Assert.That(attempts[0].Message, Does.Contain("Handled: 'False'"));
    }

    [Test]
    public async Task GetAsync_502Then200_InformationLevel_WritesTheHandledAttemptAndTheRetry()
    {
        var logs = await GetConversationAsync(LogLevel.Information, failuresFirst: 1);

        var polly = logs.Where(r => r.Category == "Polly").ToList();
        Assert.That(polly.Select(r => r.Level), Is.All.EqualTo(LogLevel.Warning));
        Assert.That(polly, Has.Count.EqualTo(2), string.Join("\n", polly.Select(r => r.Message)));
        Assert.That(polly[0].Message, Does.StartWith("Execution attempt.").And.Contain("'502'").And.Contain("Handled: 'True'"));
        Assert.That(polly[1].Message, Does.Contain("EventName: 'OnRetry'"));
        Assert.That(polly.Select(r => r.Message), Has.All.Contain("/Retry'"), "the strategy name is the source dashboards group by");
    }

    [Test]
    public async Task GetAsync_AppSetItsOwnSeverityProvider_AppWins()
    {
        var logs = await GetConversationAsync(
            LogLevel.Information, failuresFirst: 0, s => s.Configure<TelemetryOptions>(o => o.SeverityProvider = _ => ResilienceEventSeverity.Critical));

        var attempts = logs.Where(r => r.Category == "Polly" && r.Message.StartsWith("Execution attempt.", StringComparison.Ordinal));
        Assert.That(attempts.Select(r => r.Level), Is.EqualTo(new[] { LogLevel.Critical }));
    }

    [TestCase("ExecutionAttempt", ResilienceEventSeverity.Information, ResilienceEventSeverity.Debug)]
    [TestCase("ExecutionAttempt", ResilienceEventSeverity.Warning, ResilienceEventSeverity.Warning)]
    [TestCase("OnRetry", ResilienceEventSeverity.Warning, ResilienceEventSeverity.Warning)]
    [TestCase("OnCircuitOpened", ResilienceEventSeverity.Error, ResilienceEventSeverity.Error)]
    [TestCase("OnCircuitHalfOpened", ResilienceEventSeverity.Warning, ResilienceEventSeverity.Warning)]
    [TestCase("OnCircuitClosed", ResilienceEventSeverity.Information, ResilienceEventSeverity.Information)]
    [TestCase("OnTimeout", ResilienceEventSeverity.Error, ResilienceEventSeverity.Error)]
    [TestCase("OnRateLimiterRejected", ResilienceEventSeverity.Error, ResilienceEventSeverity.Error)]
    public void Severity_PollyEvent_OnlyRoutineAttemptsAreDemoted(string name, ResilienceEventSeverity reported, ResilienceEventSeverity expected)
    {
        var context = ResilienceContextPool.Shared.Get();
        var args = new SeverityProviderArguments(new ResilienceTelemetrySource("p", "i", "s"), new ResilienceEvent(reported, name), context);

        Assert.That(ConvAiResiliencePipeline.Severity(args), Is.EqualTo(expected));
        ResilienceContextPool.Shared.Return(context);
    }

    private static void AssertSingle(MetricCollector<long> collector, long value, int status)
    {
        var measurement = collector.GetMeasurementSnapshot().Single();
        Assert.That(measurement.Value, Is.EqualTo(value), collector.Instrument?.Name);
        Assert.That(measurement.Tags[ConvAiTelephonyDiagnostics.OperationKindTag], Is.EqualTo("call_placing"));
        Assert.That(measurement.Tags[ConvAiTelephonyDiagnostics.StatusCodeTag], Is.EqualTo(status));
        Assert.That(measurement.Tags, Has.Count.EqualTo(2), "only kind and status code are tagged");
    }

    private ServiceProvider BuildServices(SteppingTimeProvider clock, Action<IServiceCollection> configure)
    {
        var services = new ServiceCollection();
        configure(services);
        services.AddSingleton<TimeProvider>(clock);
        services.Configure<TelemetryOptions>(o => o.TelemetryListeners.Add(new RetryRecorder(clock)));
        services.AddConvAiTelephony(o =>
        {
            o.ApiKey = ClientFixture.ApiKey;
            o.BaseAddress = _server.BaseAddress;
            o.DefaultAgentId = ClientFixture.AgentId;
            o.DefaultPhoneNumberId = ClientFixture.PhoneNumberId;
        }).ConfigureResilience(r => r.UseJitter = false);
        return services.BuildServiceProvider();
    }

    /// <summary>Gets a conversation the server fails with 502 <paramref name="failuresFirst"/> times, and returns what was logged at <paramref name="level"/>.</summary>
    private async Task<IReadOnlyList<FakeLogRecord>> GetConversationAsync(LogLevel level, int failuresFirst, Action<IServiceCollection>? configure = null)
    {
        var body = Resources.Read("Conversations/get.json");
        var attempt = 0;
        _server.Handler = context =>
        {
            var failed = Interlocked.Increment(ref attempt) <= failuresFirst;
            context.Response.StatusCode = failed ? 502 : 200;
            context.Response.ContentType = "application/json";
            return context.Response.WriteAsync(failed ? "{}" : body);
        };
        var logs = new FakeLogCollector();
        await using var services = BuildServices(new SteppingTimeProvider(), s =>
        {
            s.AddLogging(b => b.SetMinimumLevel(level).AddProvider(new FakeLoggerProvider(logs)));
            configure?.Invoke(s);
        });

        await services.GetRequiredService<IConvAiTelephonyClient>().Conversations.GetAsync("conv_1");

        Assert.That(attempt, Is.EqualTo(failuresFirst + 1));
        return logs.GetSnapshot();
    }

    private static async Task Capture(List<Exception> errors, Func<Task> action)
    {
        try
        {
            await action();
        }
        catch (Exception ex)
        {
            errors.Add(ex);
        }
    }

    private static IEnumerable<Exception> Flatten(Exception exception)
    {
        for (var current = exception; current is not null; current = current.InnerException)
        {
            yield return current;
        }
    }
}
