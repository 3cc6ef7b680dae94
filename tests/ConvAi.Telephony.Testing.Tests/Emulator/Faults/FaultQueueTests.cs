using System.Net;

namespace ConvAi.Telephony.Testing.Tests;

public class FaultQueueTests
{
    private const string OutboundPath = "/v1/convai/twilio/outbound-call";

    [Test]
    public async Task RateLimited_Enqueued_Answers429WithConcurrencyHeadersAndCodeOnce()
    {
        await using var harness = await EmulatorHarness.StartAsync();
        harness.Emulator.Faults.Enqueue(Fault.RateLimited("too_many_concurrent_requests", 4, 4));

        var limited = await harness.GetAsync("/v1/convai/phone-numbers");
        var next = await harness.GetAsync("/v1/convai/phone-numbers");

        Assert.That(limited.Status, Is.EqualTo(HttpStatusCode.TooManyRequests));
        Assert.That(limited.ErrorCode(), Is.EqualTo("too_many_concurrent_requests"));
        Assert.That(limited.Headers.GetValues("current-concurrent-requests").Single(), Is.EqualTo("4"));
        Assert.That(limited.Headers.GetValues("maximum-concurrent-requests").Single(), Is.EqualTo("4"));
        Assert.That(limited.Headers.RetryAfter, Is.Null);
        Assert.That(next.Status, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(harness.Emulator.Faults.Count, Is.Zero);
    }

    [Test]
    public async Task RateLimited_WithRetryAfter_SendsRetryAfterSeconds()
    {
        await using var harness = await EmulatorHarness.StartAsync();
        harness.Emulator.Faults.Enqueue(Fault.RateLimited(retryAfter: TimeSpan.FromSeconds(2.5)));

        var response = await harness.GetAsync("/v1/convai/phone-numbers");

        Assert.That(response.Headers.RetryAfter!.Delta, Is.EqualTo(TimeSpan.FromSeconds(3)));
        Assert.That(response.ErrorCode(), Is.EqualTo("concurrent_limit_exceeded"));
    }

    [TestCase(500, "internal_server_error")]
    [TestCase(503, "service_unavailable")]
    [TestCase(504, "gateway_timeout")]
    public async Task ServerError_ScopedToPath_HitsOnlyThatPathTheGivenNumberOfTimes(int status, string code)
    {
        await using var harness = await EmulatorHarness.StartAsync();
        harness.Emulator.Faults.Enqueue(Fault.ServerError(status).For(HttpMethod.Get, "/v1/convai/conversations").Times(2));

        var other = await harness.GetAsync("/v1/convai/phone-numbers");
        var first = await harness.GetAsync("/v1/convai/conversations");
        var second = await harness.GetAsync("/v1/convai/conversations");
        var third = await harness.GetAsync("/v1/convai/conversations");

        Assert.That(other.Status, Is.EqualTo(HttpStatusCode.OK));
        Assert.That((int)first.Status, Is.EqualTo(status));
        Assert.That(first.ErrorCode(), Is.EqualTo(code));
        Assert.That((int)second.Status, Is.EqualTo(status));
        Assert.That(third.Status, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task Fault_PrefixPath_MatchesEveryPathUnderIt()
    {
        await using var harness = await EmulatorHarness.StartAsync();
        harness.Emulator.Faults.Enqueue(Fault.ServerError().For(null, "/v1/convai/batch-calling/*"));

        var response = await harness.GetAsync("/v1/convai/batch-calling/workspace");

        Assert.That(response.Status, Is.EqualTo(HttpStatusCode.InternalServerError));
    }

    [Test]
    public async Task DropConnectionAfterRequestRead_OutboundCall_ClientSeesResponseEndedAndNoCallIsPlaced()
    {
        await using var harness = await EmulatorHarness.StartAsync();
        var phone = await harness.ImportTwilioNumberAsync();
        harness.Emulator.Faults.Enqueue(Fault.DropConnectionAfterRequestRead().For(HttpMethod.Post, OutboundPath));
        var body = $$"""{"agent_id":"a","agent_phone_number_id":"{{phone}}","to_number":"+447700900123"}""";

        var error = Assert.ThrowsAsync<HttpRequestException>(() => harness.PostAsync(OutboundPath, body));

        Assert.That(error!.HttpRequestError, Is.EqualTo(HttpRequestError.ResponseEnded), error.ToString());
        Assert.That(harness.Emulator.ReceivedRequests.Last().Body, Is.EqualTo(body));
        Assert.That(harness.Emulator.Conversations, Is.Empty);
        Assert.That((await harness.PostAsync(OutboundPath, body)).Status, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task Latency_FakeClock_HoldsTheRequestUntilTheClockAdvances()
    {
        await using var harness = await EmulatorHarness.StartAsync();
        harness.Emulator.Faults.Enqueue(Fault.Latency(TimeSpan.FromSeconds(30)));

        var pending = harness.GetAsync("/v1/convai/phone-numbers");
        await WhenAsync(() => harness.Emulator.Faults.Count == 0).WaitAsync(TimeSpan.FromSeconds(10));
        var completedBeforeAdvance = pending.IsCompleted;
        var advances = 0;
        await WhenAsync(() =>
        {
            // The delay starts just after the fault is taken; advancing before that only moves the clock on.
            harness.Time.Advance(TimeSpan.FromSeconds(30));
            advances++;
            return pending.IsCompleted;
        }).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.That(completedBeforeAdvance, Is.False);
        Assert.That((await pending).Status, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(advances, Is.GreaterThanOrEqualTo(1));
    }

    [Test]
    public async Task Latency_NoFakeClockAdvance_KeepsTheRequestPending()
    {
        await using var harness = await EmulatorHarness.StartAsync();
        harness.Emulator.Faults.Enqueue(Fault.Latency(TimeSpan.FromSeconds(30)).For(HttpMethod.Get, "/v1/convai/conversations"));

        var delayed = harness.GetAsync("/v1/convai/conversations");
        var other = await harness.GetAsync("/v1/convai/phone-numbers");
        await WhenAsync(() => harness.Emulator.Faults.Count == 0).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.That(other.Status, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(delayed.IsCompleted, Is.False);
    }

    /// <summary>Yields until the condition holds (callers bound it with WaitAsync); no sleeping.</summary>
    private static async Task WhenAsync(Func<bool> condition)
    {
        while (!condition())
        {
            await Task.Yield();
        }
    }

    [Test]
    public async Task Faults_Queued_AreTakenInOrderAndClearEmptiesTheQueue()
    {
        await using var harness = await EmulatorHarness.StartAsync();
        harness.Emulator.Faults.Enqueue(Fault.ServerError(502));
        harness.Emulator.Faults.Enqueue(Fault.RateLimited());

        var first = await harness.GetAsync("/v1/convai/phone-numbers");
        harness.Emulator.Faults.Clear();
        var second = await harness.GetAsync("/v1/convai/phone-numbers");

        Assert.That(first.Status, Is.EqualTo(HttpStatusCode.BadGateway));
        Assert.That(second.Status, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public void Fault_InvalidArguments_ThrowArgumentExceptions()
    {
        Assert.Multiple(() =>
        {
            Assert.That(() => Fault.ServerError(200), Throws.InstanceOf<ArgumentOutOfRangeException>());
            Assert.That(() => Fault.RateLimited(""), Throws.ArgumentException);
            Assert.That(() => Fault.Latency(TimeSpan.FromSeconds(-1)), Throws.InstanceOf<ArgumentOutOfRangeException>());
            Assert.That(() => Fault.ServerError().Times(0), Throws.InstanceOf<ArgumentOutOfRangeException>());
            Assert.That(() => Fault.ServerError().For(HttpMethod.Get, "v1/convai"), Throws.ArgumentException.With.Property("ParamName").EqualTo("path"));
        });
    }
}
