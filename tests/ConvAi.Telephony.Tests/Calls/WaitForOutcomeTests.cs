using System.Net;
using System.Text.Json.Nodes;
using ConvAi.Telephony.Tests.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using RichardSzalay.MockHttp;

namespace ConvAi.Telephony.Tests.Calls;

/// <summary>
/// <c>WaitForOutcomeAsync</c> through the real container: polls <c>GET</c> conversation at once and then with backoff on the
/// fake clock (the delays asked for are asserted exactly), honours 429 <c>Retry-After</c>, times out, cancels, and
/// completes from events published to the registered <see cref="CallOutcomeTracker"/>.
/// </summary>
public class WaitForOutcomeTests
{
    private const string GetPath = "/v1/convai/conversations/conv_1";

    private static (ClientFixture Fixture, SteppedTime Time) Start()
    {
        var time = new SteppedTime();
        return (new ClientFixture(time: time), time);
    }

    /// <summary>Answers each GET with the next response of <paramref name="answers"/> (the last one repeats).</summary>
    private static void Answer(ClientFixture fixture, SteppedTime time, params Func<HttpResponseMessage>[] answers)
    {
        var served = 0;
        fixture.Mock.When(HttpMethod.Get, ClientFixture.Url(GetPath))
            .With(_ => time.MarkRequest())
            .Respond(() => Task.FromResult(answers[Math.Min(served++, answers.Length - 1)]()));
    }

    private static Func<HttpResponseMessage> Json(JsonObject body, HttpStatusCode status = HttpStatusCode.OK) =>
        () => new HttpResponseMessage(status) { Content = new StringContent(body.ToJsonString(), System.Text.Encoding.UTF8, "application/json") };

    private static Func<HttpResponseMessage> Status(string status) => Json(ConversationFixtures.Json(status));

    [Test]
    public async Task Polls_AtOnceThenWithGrowingDelays_UntilDone()
    {
        var (fixture, time) = Start();
        using var _ = fixture;
        Answer(fixture, time, Status("initiated"), Status("in-progress"), Status("processing"), Status("done"));

        var wait = fixture.Client.Calls.WaitForOutcomeAsync("conv_1");
        var delays = await time.RunAsync(wait);
        var outcome = await wait;

        Assert.That(delays, Is.EqualTo(new[] { TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(7.5), TimeSpan.FromSeconds(11.25) }));
        Assert.That(time.Requests, Is.EqualTo(4));
        Assert.That(outcome.Kind, Is.EqualTo(CallOutcomeKind.Completed));
        Assert.That(outcome.Status, Is.EqualTo(ConversationStatus.Done));
        Assert.That(outcome.Conversation!.ConversationId, Is.EqualTo("conv_1"));
    }

    [Test]
    public async Task Delays_AreCappedAtTheMaximum()
    {
        var (fixture, time) = Start();
        using var _ = fixture;
        Answer(fixture, time, Status("in-progress"), Status("in-progress"), Status("in-progress"), Status("in-progress"), Status("done"));
        var options = new CallOutcomeWaitOptions { PollInterval = TimeSpan.FromSeconds(10), PollBackoffFactor = 2, MaxPollInterval = TimeSpan.FromSeconds(30) };

        var wait = fixture.Client.Calls.WaitForOutcomeAsync("conv_1", options);
        var delays = await time.RunAsync(wait);

        Assert.That(delays, Is.EqualTo(new[] { 10, 20, 30, 30 }.Select(s => TimeSpan.FromSeconds(s))));
    }

    [Test]
    public async Task RateLimited_NextPollWaitsForRetryAfter()
    {
        var (fixture, time) = Start();
        using var _ = fixture;
        Answer(
            fixture,
            time,
            () =>
            {
                var response = new HttpResponseMessage(HttpStatusCode.TooManyRequests)
                {
                    Content = new StringContent(Resources.Read("Errors/429-concurrent.json"), System.Text.Encoding.UTF8, "application/json"),
                };
                response.Headers.Add("Retry-After", "30");
                return response;
            },
            Status("done"));

        var wait = fixture.Client.Calls.WaitForOutcomeAsync("conv_1");
        var delays = await time.RunAsync(wait);

        Assert.That(delays, Is.EqualTo(new[] { TimeSpan.FromSeconds(30) }));
        Assert.That(time.RequestTimes, Is.EqualTo(new[] { TimeSpan.Zero, TimeSpan.FromSeconds(30) }));
        Assert.That((await wait).Kind, Is.EqualTo(CallOutcomeKind.Completed));
    }

    [Test]
    public async Task TransientServerError_IsPolledAgainLater()
    {
        var (fixture, time) = Start();
        using var _ = fixture;
        Answer(fixture, time, Json(new JsonObject { ["detail"] = "unavailable" }, HttpStatusCode.ServiceUnavailable), Status("done"));

        var wait = fixture.Client.Calls.WaitForOutcomeAsync("conv_1");
        await time.RunAsync(wait);

        Assert.That(time.Requests, Is.EqualTo(2));
        Assert.That((await wait).Kind, Is.EqualTo(CallOutcomeKind.Completed));
    }

    [Test]
    public void UnknownConversation_Throws404()
    {
        var (fixture, time) = Start();
        using var _ = fixture;
        Answer(fixture, time, Json(new JsonObject { ["detail"] = new JsonObject { ["status"] = "not_found", ["message"] = "nope" } }, HttpStatusCode.NotFound));

        var error = Assert.ThrowsAsync<ConvAiApiException>(() => fixture.Client.Calls.WaitForOutcomeAsync("conv_1"));

        Assert.That(error!.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That(time.Requests, Is.EqualTo(1));
    }

    [Test]
    public async Task WaitForAnalysisOff_AnswersAtProcessing()
    {
        var (fixture, time) = Start();
        using var _ = fixture;
        Answer(fixture, time, Status("in-progress"), Status("processing"), Status("done"));

        var wait = fixture.Client.Calls.WaitForOutcomeAsync("conv_1", new CallOutcomeWaitOptions { WaitForAnalysis = false });
        await time.RunAsync(wait);

        Assert.That(time.Requests, Is.EqualTo(2));
        Assert.That((await wait).Status, Is.EqualTo(ConversationStatus.Processing));
    }

    [Test]
    public async Task Timeout_AnswersTimedOutWithTheLastStatus()
    {
        var (fixture, time) = Start();
        using var _ = fixture;
        Answer(fixture, time, Status("in-progress"));
        var options = new CallOutcomeWaitOptions { Timeout = TimeSpan.FromSeconds(22), PollInterval = TimeSpan.FromSeconds(5), PollBackoffFactor = 1 };

        var wait = fixture.Client.Calls.WaitForOutcomeAsync("conv_1", options);
        await time.RunAsync(wait);
        var outcome = await wait;

        Assert.That(outcome, Is.EqualTo(new CallOutcome
        {
            Kind = CallOutcomeKind.TimedOut,
            ConversationId = "conv_1",
            CallId = "CA123",
            Status = ConversationStatus.InProgress,
        }));
        Assert.That(time.RequestTimes, Is.EqualTo(new[] { 0, 5, 10, 15, 20 }.Select(s => TimeSpan.FromSeconds(s))));
    }

    [Test]
    public async Task EventsOnly_TimesOutWithoutAnyRequest()
    {
        var (fixture, time) = Start();
        using var _ = fixture;
        Answer(fixture, time, Status("done"));

        var wait = fixture.Client.Calls.WaitForOutcomeAsync("conv_1", new CallOutcomeWaitOptions { Poll = false, Timeout = TimeSpan.FromMinutes(1) });
        Assert.That(wait.IsCompleted, Is.False);
        time.Advance(TimeSpan.FromMinutes(1));
        var outcome = await wait.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.That(outcome.Kind, Is.EqualTo(CallOutcomeKind.TimedOut));
        Assert.That(outcome.Status, Is.Null);
        Assert.That(time.Requests, Is.Zero);
        Assert.That(fixture.Services.GetRequiredService<CallOutcomeTracker>().WaitingCount, Is.Zero);
    }

    [Test]
    public async Task Cancellation_ThrowsAndForgetsTheWait()
    {
        var (fixture, time) = Start();
        using var _ = fixture;
        Answer(fixture, time, Status("in-progress"));
        using var cancellation = new CancellationTokenSource();

        var wait = fixture.Client.Calls.WaitForOutcomeAsync("conv_1", cancellationToken: cancellation.Token);
        await time.NextTimerAsync();
        await cancellation.CancelAsync();

        var error = Assert.CatchAsync<OperationCanceledException>(async () => await wait.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.That(error!.CancellationToken, Is.EqualTo(cancellation.Token));
        Assert.That(fixture.Services.GetRequiredService<CallOutcomeTracker>().WaitingCount, Is.Zero);
    }

    [Test]
    public async Task PublishedEvent_WinsOverThePollDelay()
    {
        var (fixture, time) = Start();
        using var _ = fixture;
        Answer(fixture, time, Status("in-progress"));
        var sink = fixture.Services.GetServices<ICallEventSink>().Single();

        var wait = fixture.Client.Calls.WaitForOutcomeAsync(new TwilioCallResult { Success = true, ConversationId = "conv_1", CallSid = "CA_from_call" });
        await time.NextTimerAsync();
        sink.OnCallInitiationFailure("conv_1", "no-answer", callId: null);
        var outcome = await wait.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.That(outcome.Kind, Is.EqualTo(CallOutcomeKind.NoAnswer));
        Assert.That(outcome.CallId, Is.EqualTo("CA_from_call"));
        Assert.That(time.Requests, Is.EqualTo(1));
    }

    [Test]
    public async Task EventBeforeTheWait_AnswersWithoutPolling()
    {
        var (fixture, time) = Start();
        using var _ = fixture;
        Answer(fixture, time, Status("in-progress"));
        fixture.Services.GetRequiredService<CallOutcomeTracker>().OnCallInitiationFailure("conv_1", "busy", "sip-1");

        var outcome = await fixture.Client.Calls.WaitForOutcomeAsync(new SipTrunkCallResult { Success = true, ConversationId = "conv_1", SipCallId = "sip-1" });

        Assert.That(outcome.Kind, Is.EqualTo(CallOutcomeKind.Busy));
        Assert.That(time.Requests, Is.Zero);
    }

    private static IEnumerable<TestCaseData> BadOptions()
    {
        yield return new TestCaseData(new CallOutcomeWaitOptions { Timeout = TimeSpan.Zero }).SetName("{m}(Timeout zero)");
        yield return new TestCaseData(new CallOutcomeWaitOptions { PollInterval = TimeSpan.Zero }).SetName("{m}(PollInterval zero)");
        yield return new TestCaseData(new CallOutcomeWaitOptions { PollBackoffFactor = 0.5 }).SetName("{m}(factor below 1)");
        yield return new TestCaseData(new CallOutcomeWaitOptions { PollBackoffFactor = double.NaN }).SetName("{m}(factor NaN)");
        yield return new TestCaseData(new CallOutcomeWaitOptions { MaxPollInterval = TimeSpan.FromSeconds(1) }).SetName("{m}(max below interval)");
    }

    [TestCaseSource(nameof(BadOptions))]
    public void OutOfRangeOptions_ThrowBeforeAnyRequest(CallOutcomeWaitOptions options)
    {
        var (fixture, time) = Start();
        using var _ = fixture;

        var error = Assert.Throws<ArgumentException>(() => fixture.Client.Calls.WaitForOutcomeAsync("conv_1", options));

        Assert.That(error!.ParamName, Is.EqualTo("options"));
        Assert.That(time.Requests, Is.Zero);
    }

    [Test]
    public void CallResultWithoutConversationId_Throws()
    {
        using var fixture = new ClientFixture();

        Assert.Throws<ArgumentException>(() => fixture.Client.Calls.WaitForOutcomeAsync(new TwilioCallResult { Success = true }));
    }
}
