using System.Net;
using System.Threading.RateLimiting;
using ConvAi.Telephony.Tests.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Polly.RateLimiting;
using RichardSzalay.MockHttp;

namespace ConvAi.Telephony.Tests.Resilience;

/// <summary>The limiter sized from the live conversation count, on a fake clock, and the pluggable limiter.</summary>
public class LiveCallCountLimiterTests
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(15);

    [Test]
    public void Limit_IsPlanMinusLiveCount_RefreshedOnTheIntervalAndClamped()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 25, 12, 0, 0, TimeSpan.Zero));
        var answers = new Queue<Func<int>>([() => 3, () => 8, () => 20, () => throw new HttpRequestException("down"), () => 0]);
        var reads = 0;
        using var limiter = new LiveCallCountLimiter(
            _ =>
            {
                reads++;
                return Task.FromResult(answers.Dequeue()());
            },
            new LiveCallCountLimiterOptions { PlanConcurrencyLimit = 10, RefreshInterval = Interval, MinimumPermits = 1 },
            time);
        time.Advance(TimeSpan.Zero);

        var seen = new List<(int Reads, int Limit)> { (reads, limiter.CurrentLimit) };
        for (var i = 0; i < 4; i++)
        {
            time.Advance(Interval - TimeSpan.FromTicks(1));
            seen.Add((reads, limiter.CurrentLimit)); // not yet due: no read, same limit
            time.Advance(TimeSpan.FromTicks(1));
            seen.Add((reads, limiter.CurrentLimit));
        }

        Assert.That(seen, Is.EqualTo(new[]
        {
            (1, 7),            // 10 - 3
            (1, 7), (2, 2),    // 10 - 8
            (2, 2), (3, 1),    // 10 - 20, clamped to the minimum
            (3, 1), (4, 1),    // a failed read keeps the last limit
            (4, 1), (5, 10),   // nothing live: the whole plan
        }));
    }

    [Test]
    public async Task Acquire_OverLimit_WaitsUntilTheLimitGrowsOrALeaseIsReleased()
    {
        var live = 8;
        using var limiter = new LiveCallCountLimiter(
            _ => Task.FromResult(live),
            new LiveCallCountLimiterOptions { PlanConcurrencyLimit = 10, RefreshInterval = Interval, QueueLimit = 2 },
            new FakeTimeProvider());
        await limiter.RefreshAsync();

        var a = await limiter.AcquireAsync();
        var b = await limiter.AcquireAsync();
        using var failed = limiter.AttemptAcquire();
        var waitingC = limiter.AcquireAsync().AsTask();
        var waitingD = limiter.AcquireAsync().AsTask();
        using var overQueue = await limiter.AcquireAsync();
        Assert.Multiple(() =>
        {
            Assert.That((a.IsAcquired, b.IsAcquired, failed.IsAcquired, overQueue.IsAcquired), Is.EqualTo((true, true, false, false)));
            Assert.That((waitingC.IsCompleted, waitingD.IsCompleted), Is.EqualTo((false, false)));
            Assert.That(limiter.GetStatistics()!.CurrentQueuedCount, Is.EqualTo(2));
        });

        a.Dispose();
        using var c = await waitingC;
        Assert.That((c.IsAcquired, waitingD.IsCompleted), Is.EqualTo((true, false)), "a released permit goes to the oldest waiter only");

        live = 6;
        await limiter.RefreshAsync();
        using var d = await waitingD;
        b.Dispose();
        Assert.Multiple(() =>
        {
            Assert.That(d.IsAcquired, Is.True, "a larger limit lets waiting requests through");
            Assert.That(limiter.CurrentLimit, Is.EqualTo(4));
            Assert.That(limiter.GetStatistics()!.CurrentAvailablePermits, Is.EqualTo(2));
        });
    }

    [Test]
    public void Acquire_Cancelled_LeavesTheQueue()
    {
        using var limiter = new LiveCallCountLimiter(_ => Task.FromResult(0), new LiveCallCountLimiterOptions { PlanConcurrencyLimit = 1 }, new FakeTimeProvider());
        using var held = limiter.AttemptAcquire();
        using var cts = new CancellationTokenSource();
        var waiting = limiter.AcquireAsync(1, cts.Token).AsTask();

        cts.Cancel();

        Assert.That(() => waiting, Throws.InstanceOf<OperationCanceledException>());
        Assert.That(limiter.GetStatistics()!.CurrentQueuedCount, Is.Zero);
    }

    [TestCase(0, 1)]
    [TestCase(5, 0)]
    [TestCase(5, 6)]
    public void Constructor_OutOfRange_Throws(int plan, int minimum)
        => Assert.That(
            () => new LiveCallCountLimiter(_ => Task.FromResult(0), new LiveCallCountLimiterOptions { PlanConcurrencyLimit = plan, MinimumPermits = minimum }),
            Throws.InstanceOf<ArgumentOutOfRangeException>());

    [Test]
    public async Task UseConcurrencyLimiter_SuppliedLimiterGatesEveryRequest()
    {
        using var shared = new ConcurrencyLimiter(new ConcurrencyLimiterOptions { PermitLimit = 1, QueueLimit = 0 });
        using var fixture = new ClientFixture(configureBuilder: b => b.UseConcurrencyLimiter(_ => shared));
        var sent = fixture.Mock.When(HttpMethod.Get, ClientFixture.Url("/v1/convai/analytics/live-count")).Respond("application/json", """{"count":1}""");

        using (var held = shared.AttemptAcquire())
        {
            Assert.That(held.IsAcquired, Is.True);
            Assert.ThrowsAsync<RateLimiterRejectedException>(() => fixture.Client.Conversations.GetLiveCountAsync());
            Assert.That(fixture.Mock.GetMatchCount(sent), Is.Zero, "a request without a permit is never sent");
        }

        Assert.That(await fixture.Client.Conversations.GetLiveCountAsync(), Is.EqualTo(1));
        Assert.That(shared.GetStatistics()!.CurrentAvailablePermits, Is.EqualTo(1), "the permit is returned after the request");
    }

    [Test]
    public async Task UseLiveCallCountLimiter_ReadsLiveCountThroughTheClient()
    {
        using var fixture = new ClientFixture(configureBuilder: b => b.UseLiveCallCountLimiter(5, o => o.RefreshInterval = Interval));
        var liveCount = fixture.Mock.When(HttpMethod.Get, ClientFixture.Url("/v1/convai/analytics/live-count")).Respond("application/json", """{"count":3}""");
        var limiter = (LiveCallCountLimiter)fixture.Services.GetRequiredService<ConvAiConcurrencyLimiter>().Limiter;

        // Joins the read the limiter started when the container created it.
        Assert.That(await limiter.RefreshAsync(), Is.True);
        Assert.Multiple(() =>
        {
            Assert.That(fixture.Mock.GetMatchCount(liveCount), Is.InRange(1, 2), "read at creation (joined here, or repeated if it had finished)");
            Assert.That(limiter.CurrentLimit, Is.EqualTo(2), "5 in the plan, 3 live");
            Assert.That(limiter.TimeProvider, Is.SameAs(fixture.Time), "refreshes run on the container's clock");
        });
    }
}
