using System.Net;
using System.Net.Http.Headers;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Logging.Testing;
using Polly;
using Polly.CircuitBreaker;
using Polly.RateLimiting;
using Polly.Telemetry;
using Polly.Timeout;

namespace ConvAi.Telephony.Tests.Resilience;

/// <summary>
/// The client's resilience pipeline built on its own (no HttpClient): the time left of <c>TotalTimeout</c> against
/// <c>Retry-After</c>, what the circuit breaker counts, and every log line and metric the pipeline writes, asserted through
/// the fake logger and <see cref="MetricCollector{T}"/>. The attempts are callbacks, so the clock moves only where a test moves it.
/// </summary>
public class PipelineStrategyTests
{
    private const string Path = "/v1/convai/conversations/c1";

    /// <summary>
    /// The first attempt takes <paramref name="elapsedSeconds"/> of the 60 s budget, then answers 503 with a Retry-After: a wait
    /// shorter than the time left is taken as asked, one that reaches the end of the budget surfaces the 503 at once.
    /// </summary>
    [TestCase(20, 39, true)]
    [TestCase(20, 40, false)]
    [TestCase(0, 59, true)]
    [TestCase(0, 60, false)]
    [TestCase(50, 9, true)]
    [TestCase(50, 10, false)]
    [TestCase(70, 10, false)]
    public async Task RetryAfter_AgainstTheTimeLeftOfTotalTimeout_RetriesOnlyWhenItFits(int elapsedSeconds, int retryAfterSeconds, bool retried)
    {
        using var harness = new Harness(o =>
        {
            o.TotalTimeout = TimeSpan.FromSeconds(60);
            o.AttemptTimeout = TimeSpan.FromSeconds(60);
        });
        using var request = new HttpRequestMessage(HttpMethod.Get, "https://api.elevenlabs.io" + Path);

        var outcome = await harness.ExecuteAsync(request, attempt =>
        {
            if (attempt > 0)
            {
                return new HttpResponseMessage(HttpStatusCode.OK);
            }

            harness.Clock.Advance(TimeSpan.FromSeconds(elapsedSeconds));
            var busy = new HttpResponseMessage(HttpStatusCode.ServiceUnavailable);
            busy.Headers.RetryAfter = new RetryConditionHeaderValue(TimeSpan.FromSeconds(retryAfterSeconds));
            return busy;
        });

        var remainingMs = Math.Max(60 - elapsedSeconds, 0) * 1000.0; // an attempt that overran the budget leaves none, not a negative time
        if (retried)
        {
            Assert.That(outcome.Result!.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(harness.Recorder.Delays, Is.EqualTo(new[] { TimeSpan.FromSeconds(retryAfterSeconds) }), "the server's wait, not the backoff");
            Assert.That(harness.Logs.GetSnapshot().Select(r => r.Id.Id), Is.EqualTo(new[] { 1010 }));
        }
        else
        {
            Assert.That(outcome.Result!.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
            Assert.That(harness.Recorder.Delays, Is.Empty);
            var record = harness.Logs.GetSnapshot().Single();
            Assert.Multiple(() =>
            {
                Assert.That(record.Id.Id, Is.EqualTo(1011));
                Assert.That(State(record), Is.EquivalentTo(new Dictionary<string, string?>
                {
                    ["OperationKind"] = "retry_safe",
                    ["Method"] = "GET",
                    ["Path"] = Path,
                    ["RetryAfterMs"] = (retryAfterSeconds * 1000.0).ToString(System.Globalization.CultureInfo.InvariantCulture),
                    ["RemainingMs"] = remainingMs.ToString(System.Globalization.CultureInfo.InvariantCulture),
                }));
            });
        }
    }

    /// <summary>Without a request on the context (a pipeline run outside the client) the kind is call-placing, retried on 429 only, and the log shows no method.</summary>
    [Test]
    public async Task RetryAfter_NoRequestOnTheContext_429BeyondTheBudget_LoggedWithoutMethodOrPath()
    {
        using var harness = new Harness(o => o.TotalTimeout = TimeSpan.FromSeconds(60));

        var outcome = await harness.ExecuteAsync(null, _ =>
        {
            var limited = new HttpResponseMessage(HttpStatusCode.TooManyRequests);
            limited.Headers.RetryAfter = new RetryConditionHeaderValue(TimeSpan.FromSeconds(120));
            return limited;
        });

        Assert.That(outcome.Result!.StatusCode, Is.EqualTo(HttpStatusCode.TooManyRequests));
        var record = harness.Logs.GetSnapshot().Single();
        Assert.That(State(record), Is.EquivalentTo(new Dictionary<string, string?>
        {
            ["OperationKind"] = "call_placing",
            ["Method"] = "?",
            ["Path"] = null,
            ["RetryAfterMs"] = "120000",
            ["RemainingMs"] = "60000",
        }));
    }

    [TestCase(false, true, "builder")]
    [TestCase(true, false, "options")]
    public void Configure_NullArgument_ThrowsNamingIt(bool withBuilder, bool withOptions, string parameter)
    {
        var telemetry = new ConvAiTelemetry(null);
        using var meter = telemetry.Meter;
        var builder = withBuilder ? new ResiliencePipelineBuilder<HttpResponseMessage>() : null;
        var options = withOptions ? new ConvAiResilienceOptions() : null;

        Assert.That(
            () => ConvAiResiliencePipeline.Configure(builder!, options!, telemetry, new FakeLogger()),
            Throws.ArgumentNullException.With.Property(nameof(ArgumentException.ParamName)).EqualTo(parameter));
    }

    [Test]
    public void ConfigureTelemetry_NullSharedOptions_ThrowsNamingShared()
        => Assert.That(
            () => ConvAiResiliencePipeline.ConfigureTelemetry(new ResiliencePipelineBuilder<HttpResponseMessage>(), null!),
            Throws.ArgumentNullException.With.Property(nameof(ArgumentException.ParamName)).EqualTo("shared"));

    [Test]
    public async Task RetryAfter_CallPlacingAnswered503WithRetryAfter_NeitherRetriedNorLogged()
    {
        using var harness = new Harness();
        using var request = new HttpRequestMessage(HttpMethod.Post, "https://api.elevenlabs.io/v1/convai/twilio/outbound-call");

        var outcome = await harness.ExecuteAsync(request, _ =>
        {
            var busy = new HttpResponseMessage(HttpStatusCode.ServiceUnavailable);
            busy.Headers.RetryAfter = new RetryConditionHeaderValue(TimeSpan.FromMinutes(10));
            return busy;
        });

        Assert.That(outcome.Result!.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
        Assert.That(harness.Attempts, Is.EqualTo(1));
        Assert.That(harness.Logs.GetSnapshot(), Is.Empty, "a request that is never retried is not reported as over the budget");
    }

    private static IEnumerable<TestCaseData> Retries()
    {
        Func<HttpRequestMessage> get = () => new(HttpMethod.Get, "https://api.elevenlabs.io" + Path);
        Func<HttpRequestMessage> post = () => new(HttpMethod.Post, "https://api.elevenlabs.io/v1/convai/new-endpoint");
        yield return new TestCaseData(get, (Func<HttpResponseMessage>)(() => new HttpResponseMessage(HttpStatusCode.ServiceUnavailable)), "retry_safe", "GET", Path, "503", 503)
            .SetName("Retry_Get503_LogsAndCountsKindAndStatus");
        yield return new TestCaseData(post, (Func<HttpResponseMessage>)(() => throw new HttpRequestException(HttpRequestError.ConnectionError)), "call_placing", "POST", "/v1/convai/new-endpoint", "HttpRequestException (ConnectionError)", null)
            .SetName("Retry_UnmarkedPostNeverSent_LogsTransportErrorWithoutStatus");
        yield return new TestCaseData(get, (Func<HttpResponseMessage>)(() => throw new TimeoutRejectedException()), "retry_safe", "GET", Path, "TimeoutRejectedException", null)
            .SetName("Retry_GetAttemptTimedOut_LogsTheExceptionType");
        yield return new TestCaseData(null, (Func<HttpResponseMessage>)(() => new HttpResponseMessage(HttpStatusCode.TooManyRequests)), "call_placing", "?", null, "429", 429)
            .SetName("Retry_NoRequestMessage_TreatedAsCallPlacingAndLoggedWithoutMethodOrPath");
    }

    [TestCaseSource(nameof(Retries))]
    public async Task Retry_FirstAttemptFails_LogsOneRetryAndCountsIt(
        Func<HttpRequestMessage>? request, Func<HttpResponseMessage> failure, string kind, string method, string? path, string described, int? status)
    {
        using var harness = new Harness();
        using var message = request?.Invoke();
        using var retries = new MetricCollector<long>(harness.Telemetry.Meter, ConvAiTelephonyDiagnostics.RetriesInstrument);

        var outcome = await harness.ExecuteAsync(message, attempt => attempt == 0 ? failure() : new HttpResponseMessage(HttpStatusCode.OK));

        Assert.That(outcome.Result!.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var record = harness.Logs.GetSnapshot().Single();
        var measurement = retries.GetMeasurementSnapshot().Single();
        var expectedTags = new Dictionary<string, object?> { [ConvAiTelephonyDiagnostics.OperationKindTag] = kind };
        if (status is { } code)
        {
            expectedTags[ConvAiTelephonyDiagnostics.StatusCodeTag] = code;
        }

        Assert.Multiple(() =>
        {
            Assert.That(record.Id.Id, Is.EqualTo(1010));
            Assert.That(record.Level, Is.EqualTo(Microsoft.Extensions.Logging.LogLevel.Warning));
            Assert.That(State(record), Is.EquivalentTo(new Dictionary<string, string?>
            {
                ["OperationKind"] = kind,
                ["Method"] = method,
                ["Path"] = path,
                ["Outcome"] = described,
                ["Retry"] = "1",
                ["DelayMs"] = "1000",
            }));
            Assert.That(measurement.Value, Is.EqualTo(1));
            Assert.That(measurement.Tags, Is.EquivalentTo(expectedTags));
            Assert.That(harness.Recorder.Delays, Is.EqualTo(new[] { TimeSpan.FromSeconds(1) }));
        });
    }

    [Test]
    public async Task Retry_ThirdRetry_LogsItsNumberAndTheExponentialDelay()
    {
        using var harness = new Harness();
        using var request = new HttpRequestMessage(HttpMethod.Get, "https://api.elevenlabs.io" + Path);

        await harness.ExecuteAsync(request, attempt => new HttpResponseMessage(attempt < 3 ? HttpStatusCode.BadGateway : HttpStatusCode.OK));

        var records = harness.Logs.GetSnapshot();
        Assert.That(records.Select(r => (State(r)["Retry"], State(r)["DelayMs"])), Is.EqualTo(new[] { ("1", "1000"), ("2", "2000"), ("3", "4000") }));
    }

    [Test]
    public async Task Retry_MaxRetryAttemptsZero_SendsOnceAndBuildsNoRetry()
    {
        using var harness = new Harness(o => o.MaxRetryAttempts = 0);
        using var request = new HttpRequestMessage(HttpMethod.Get, "https://api.elevenlabs.io" + Path);

        var outcome = await harness.ExecuteAsync(request, _ => new HttpResponseMessage(HttpStatusCode.ServiceUnavailable));

        Assert.That(outcome.Result!.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
        Assert.That(harness.Attempts, Is.EqualTo(1));
    }

    private static IEnumerable<TestCaseData> BreakerOutcomes()
    {
        static TestCaseData Status(int code, bool counted, string? described = null)
            => new TestCaseData((Func<HttpResponseMessage>)(() => new HttpResponseMessage((HttpStatusCode)code)), counted, described ?? code.ToString(System.Globalization.CultureInfo.InvariantCulture))
                .SetName($"CircuitBreaker_Status{code}_Counted{counted}");
        static TestCaseData Error(string name, Exception error, bool counted, string described)
            => new TestCaseData((Func<HttpResponseMessage>)(() => throw error), counted, described).SetName($"CircuitBreaker_{name}_Counted{counted}");

        yield return Status(500, true);
        yield return Status(503, true);
        yield return Status(599, true);
        yield return Status(408, true);
        yield return Status(499, false);
        yield return Status(429, false);
        yield return Status(404, false);
        yield return Status(200, false);
        yield return Error("TransportError", new HttpRequestException(HttpRequestError.ResponseEnded), true, "HttpRequestException (ResponseEnded)");
        yield return Error("AttemptTimeout", new TimeoutRejectedException(), true, "TimeoutRejectedException");
        yield return Error("OtherException", new InvalidOperationException(), false, "InvalidOperationException");
    }

    /// <summary>Two outcomes in a row with a minimum throughput of 2 and a failure ratio of 1: the circuit opens only when the breaker counts them.</summary>
    [TestCaseSource(nameof(BreakerOutcomes))]
    public async Task CircuitBreaker_TwoOutcomes_OpensOnlyOnServerFailures(Func<HttpResponseMessage> answer, bool counted, string described)
    {
        using var harness = BreakerHarness();
        using var request = new HttpRequestMessage(HttpMethod.Get, "https://api.elevenlabs.io" + Path);

        await harness.ExecuteAsync(request, _ => answer());
        await harness.ExecuteAsync(request, _ => answer());
        var third = await harness.ExecuteAsync(request, _ => new HttpResponseMessage(HttpStatusCode.OK));

        if (counted)
        {
            Assert.That(third.Exception, Is.InstanceOf<BrokenCircuitException>());
            Assert.That(harness.Attempts, Is.EqualTo(2), "the third request was not sent");
            var record = harness.Logs.GetSnapshot().Single();
            Assert.Multiple(() =>
            {
                Assert.That(record.Id.Id, Is.EqualTo(1012));
                Assert.That(State(record), Is.EquivalentTo(new Dictionary<string, string?> { ["BreakDurationMs"] = "5000", ["Outcome"] = described }));
                Assert.That(harness.Recorder.Events, Has.Member(("OnCircuitOpened", (string?)"CircuitBreaker")));
            });
        }
        else
        {
            Assert.That(third.Result!.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(harness.Attempts, Is.EqualTo(3));
            Assert.That(harness.Logs.GetSnapshot(), Is.Empty);
        }
    }

    [Test]
    public async Task CircuitBreaker_BreakDurationPassesAndTheTestRequestSucceeds_LogsHalfOpenThenClosed()
    {
        using var harness = BreakerHarness();
        using var request = new HttpRequestMessage(HttpMethod.Get, "https://api.elevenlabs.io" + Path);
        await harness.ExecuteAsync(request, _ => new HttpResponseMessage(HttpStatusCode.InternalServerError));
        await harness.ExecuteAsync(request, _ => new HttpResponseMessage(HttpStatusCode.InternalServerError));

        harness.Clock.Advance(TimeSpan.FromSeconds(5));
        var probe = await harness.ExecuteAsync(request, _ => new HttpResponseMessage(HttpStatusCode.OK));

        Assert.That(probe.Result!.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(
            harness.Logs.GetSnapshot().Select(r => (r.Id.Id, r.Level)),
            Is.EqualTo(new[] { (1012, Microsoft.Extensions.Logging.LogLevel.Error), (1013, Microsoft.Extensions.Logging.LogLevel.Information), (1014, Microsoft.Extensions.Logging.LogLevel.Information) }));
    }

    [Test]
    public async Task ConcurrencyLimiter_TwoPermitsNoQueue_ThirdRequestRejectedAndLogged()
    {
        using var harness = new Harness(o =>
        {
            o.MaxConcurrentRequests = 2;
            o.MaxQueuedRequests = 0;
        });
        var release = new TaskCompletionSource<HttpResponseMessage>(TaskCreationOptions.RunContinuationsAsynchronously);
        var started = 0;

        var first = Task.Run(() => harness.ExecuteAsync(null, _ => Hold()));
        var second = Task.Run(() => harness.ExecuteAsync(null, _ => Hold()));
        Assert.That(SpinWait.SpinUntil(() => Volatile.Read(ref started) == 2, TimeSpan.FromSeconds(30)), Is.True, "both requests hold a permit");
        var third = await harness.ExecuteAsync(null, _ => new HttpResponseMessage(HttpStatusCode.OK));
        release.SetResult(new HttpResponseMessage(HttpStatusCode.OK));
        await Task.WhenAll(first, second).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Multiple(() =>
        {
            Assert.That(third.Exception, Is.InstanceOf<RateLimiterRejectedException>());
            Assert.That(harness.Logs.GetSnapshot().Select(r => r.Id.Id), Is.EqualTo(new[] { 1015 }));
            Assert.That(harness.Recorder.Events, Has.Member(("OnRateLimiterRejected", (string?)"ConcurrencyLimiter")));
        });

        HttpResponseMessage Hold()
        {
            Interlocked.Increment(ref started);
            return release.Task.WaitAsync(TimeSpan.FromSeconds(30)).GetAwaiter().GetResult();
        }
    }

    /// <summary>
    /// An attempt that never answers is cancelled by whichever timeout is shorter, and Polly's timeout event names that
    /// strategy (the source apps filter Polly's logs and metrics by).
    /// </summary>
    [TestCase(10, 30, "AttemptTimeout")]
    [TestCase(30, 10, "TotalTimeout")]
    public async Task Timeout_AttemptNeverAnswers_TheShorterTimeoutFiresUnderItsName(int attemptSeconds, int totalSeconds, string strategy)
    {
        using var harness = new Harness(o =>
        {
            o.MaxRetryAttempts = 0;
            o.AttemptTimeout = TimeSpan.FromSeconds(attemptSeconds);
            o.TotalTimeout = TimeSpan.FromSeconds(totalSeconds);
        });
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        var execution = harness.ExecuteAsync(null, async (_, cancellationToken) =>
        {
            started.SetResult();
            await Task.Delay(Timeout.InfiniteTimeSpan, harness.Clock, cancellationToken);
            return new HttpResponseMessage(HttpStatusCode.OK);
        });
        await started.Task.WaitAsync(TimeSpan.FromSeconds(30));
        harness.Clock.Advance(TimeSpan.FromSeconds(Math.Min(attemptSeconds, totalSeconds)));
        var outcome = await execution;

        Assert.Multiple(() =>
        {
            Assert.That(outcome.Exception, Is.InstanceOf<TimeoutRejectedException>());
            Assert.That(harness.Recorder.Events.Where(e => e.Event == "OnTimeout"), Is.EqualTo(new[] { ("OnTimeout", (string?)strategy) }));
        });
    }

    /// <summary>No retry; the circuit opens after two failures out of two and stays open 5 s.</summary>
    private static Harness BreakerHarness() => new(o =>
    {
        o.MaxRetryAttempts = 0;
        o.CircuitBreakerMinimumThroughput = 2;
        o.CircuitBreakerFailureRatio = 1.0;
        o.CircuitBreakerBreakDuration = TimeSpan.FromSeconds(5);
    });

    private static Dictionary<string, string?> State(FakeLogRecord record)
        => (record.StructuredState ?? []).Where(p => p.Key != "{OriginalFormat}").ToDictionary(p => p.Key, p => p.Value);

    /// <summary>The pipeline with a stepping fake clock (retry waits pass at once), a fake logger and its own meter.</summary>
    private sealed class Harness : IDisposable
    {
        private readonly ResiliencePipeline<HttpResponseMessage> _pipeline;
        private int _attempts;

        public Harness(Action<ConvAiResilienceOptions>? configure = null)
        {
            var options = new ConvAiResilienceOptions { UseJitter = false };
            configure?.Invoke(options);
            Recorder = new RetryRecorder(Clock);
            var builder = new ResiliencePipelineBuilder<HttpResponseMessage> { TimeProvider = Clock };
            builder.ConfigureTelemetry(new TelemetryOptions { TelemetryListeners = { Recorder } });
            ConvAiResiliencePipeline.Configure(builder, options, Telemetry, new FakeLogger(Logs));
            _pipeline = builder.Build();
        }

        public SteppingTimeProvider Clock { get; } = new();

        public FakeLogCollector Logs { get; } = new();

        public ConvAiTelemetry Telemetry { get; } = new(null);

        public RetryRecorder Recorder { get; }

        /// <summary>How many attempts reached the callback, over every execution.</summary>
        public int Attempts => Volatile.Read(ref _attempts);

        /// <summary>Runs one request through the pipeline; <paramref name="answer"/> gets the attempt number (0 first) and may throw.</summary>
        public Task<Outcome<HttpResponseMessage>> ExecuteAsync(HttpRequestMessage? request, Func<int, HttpResponseMessage> answer)
            => ExecuteAsync(request, (attempt, _) => Task.FromResult(answer(attempt)));

        /// <summary>Runs one request through the pipeline; <paramref name="answer"/> gets the attempt number (0 first) and the attempt's token.</summary>
        public async Task<Outcome<HttpResponseMessage>> ExecuteAsync(HttpRequestMessage? request, Func<int, CancellationToken, Task<HttpResponseMessage>> answer)
        {
            var context = ResilienceContextPool.Shared.Get();
            if (request is not null)
            {
                context.SetRequestMessage(request);
            }

            var attempt = 0;
            try
            {
                return await _pipeline.ExecuteOutcomeAsync(
                    async (attemptContext, _) =>
                    {
                        Interlocked.Increment(ref _attempts);
                        try
                        {
                            return Outcome.FromResult(await answer(attempt++, attemptContext.CancellationToken));
                        }
                        catch (Exception ex)
                        {
                            return Outcome.FromException<HttpResponseMessage>(ex);
                        }
                    },
                    context,
                    0).AsTask().WaitAsync(TimeSpan.FromSeconds(30));
            }
            finally
            {
                ResilienceContextPool.Shared.Return(context);
            }
        }

        public void Dispose() => Telemetry.Meter.Dispose();
    }
}
