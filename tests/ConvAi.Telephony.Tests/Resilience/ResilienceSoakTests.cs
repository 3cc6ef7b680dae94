using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json.Nodes;
using ConvAi.Telephony.Tests.TestSupport;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace ConvAi.Telephony.Tests.Resilience;

/// <summary>
/// 1,000 outbound calls through the real client against a loopback Kestrel server that fails 30% of requests at random
/// (seeded) in every server-side fault mode. Real time with small timeouts and backoff; bounded by a cancellation timeout.
/// </summary>
[NonParallelizable]
public class ResilienceSoakTests
{
    private const int Calls = 1000;
    private const double FaultRate = 0.3;
    private const int Seed = 20261125;
    private const int PlanConcurrency = 8;

    private enum SoakFault
    {
        None,
        Status408,
        Status429,
        Status429RetryAfterSeconds,
        Status429RetryAfterDate,
        Status500,
        Status502,
        Status503,
        Status504,
        ResetAfterRequestRead,
        AttemptTimeout,
    }

    [Test]
    public async Task StartTwilioCallAsync_1000CallsWith30PercentFaults_NeverDialsTheSameCallTwice()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(50));
        await using var server = await LoopbackServer.StartAsync();
        var random = new Random(Seed);
        var injected = new ConcurrentDictionary<SoakFault, int>();
        var received = new ConcurrentDictionary<string, int>();
        var mayHaveActed = new ConcurrentDictionary<string, int>();
        var inFlight = 0;
        var maxInFlight = 0;
        server.Handler = async context =>
        {
            var now = Interlocked.Increment(ref inFlight);
            InterlockedMax(ref maxInFlight, now);
            try
            {
                await HandleAsync(context);
            }
            finally
            {
                Interlocked.Decrement(ref inFlight);
            }
        };

        async Task HandleAsync(HttpContext context)
        {
            using var reader = new StreamReader(context.Request.Body);
            var body = await reader.ReadToEndAsync(context.RequestAborted);
            var to = JsonNode.Parse(body)!["to_number"]!.GetValue<string>();
            SoakFault fault;
            lock (random)
            {
                fault = random.NextDouble() < FaultRate ? (SoakFault)random.Next(1, Enum.GetValues<SoakFault>().Length) : SoakFault.None;
            }

            injected.AddOrUpdate(fault, 1, (_, n) => n + 1);
            received.AddOrUpdate(to, 1, (_, n) => n + 1);
            var refused = fault is SoakFault.Status429 or SoakFault.Status429RetryAfterSeconds or SoakFault.Status429RetryAfterDate;
            if (!refused)
            {
                // Anything but a 429 may have placed the call: the server must never see this number again.
                mayHaveActed.AddOrUpdate(to, 1, (_, n) => n + 1);
            }

            switch (fault)
            {
                case SoakFault.None:
                    context.Response.ContentType = "application/json";
                    await context.Response.WriteAsync($$"""{"success":true,"message":"Success","conversation_id":"conv_{{to[1..]}}","callSid":"CA{{to[1..]}}"}""");
                    return;
                case SoakFault.ResetAfterRequestRead:
                    context.Abort();
                    return;
                case SoakFault.AttemptTimeout:
                    try
                    {
                        await Task.Delay(Timeout.InfiniteTimeSpan, context.RequestAborted);
                    }
                    catch (OperationCanceledException)
                    {
                    }

                    return;
                case SoakFault.Status429RetryAfterSeconds:
                    context.Response.Headers.RetryAfter = "1";
                    break;
                case SoakFault.Status429RetryAfterDate:
                    context.Response.Headers.RetryAfter = DateTimeOffset.UtcNow.AddSeconds(1).ToString("R", CultureInfo.InvariantCulture);
                    break;
            }

            context.Response.StatusCode = fault switch
            {
                SoakFault.Status408 => 408,
                SoakFault.Status500 => 500,
                SoakFault.Status502 => 502,
                SoakFault.Status503 => 503,
                SoakFault.Status504 => 504,
                _ => 429,
            };
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync("""{"detail":{"status":"injected_fault","message":"Injected by the soak test."}}""");
        }

        var sending = new InFlightCounter();
        var services = new ServiceCollection();
        var builder = services.AddConvAiTelephony(o =>
        {
            o.ApiKey = ClientFixture.ApiKey;
            o.BaseAddress = server.BaseAddress;
            o.DefaultAgentId = ClientFixture.AgentId;
            o.DefaultPhoneNumberId = ClientFixture.PhoneNumberId;
            o.Timeout = TimeSpan.FromSeconds(30);
        }).ConfigureResilience(r =>
        {
            r.AttemptTimeout = TimeSpan.FromMilliseconds(250);
            r.TotalTimeout = TimeSpan.FromSeconds(10);
            r.BaseDelay = TimeSpan.FromMilliseconds(5);
            r.MaxDelay = TimeSpan.FromMilliseconds(50);
            r.MaxConcurrentRequests = PlanConcurrency;

            // At a 21% failure rate per attempt the default window (10 requests) can see 5 failures by chance at the start;
            // the soak is about never dialling twice, so the breaker is kept out of it with a larger window.
            r.CircuitBreakerMinimumThroughput = 100;
        });

        // Innermost, under the limiter: counts requests actually on the wire from the client's side.
        builder.HttpClientBuilder.AddHttpMessageHandler(() => new InFlightHandler(sending));
        await using var provider = services.BuildServiceProvider();
        var client = provider.GetRequiredService<IConvAiTelephonyClient>();

        var outcomes = new ConcurrentDictionary<string, string>();
        await Parallel.ForEachAsync(
            Enumerable.Range(0, Calls),
            new ParallelOptions { MaxDegreeOfParallelism = 32, CancellationToken = timeout.Token },
            async (i, ct) =>
            {
                var to = "+1415555" + i.ToString("D4", CultureInfo.InvariantCulture);
                string outcome;
                try
                {
                    await client.Calls.StartTwilioCallAsync(
                        new StartTwilioCallRequest { ToNumber = to, ConversationInitiationClientData = new ConversationInitiationClientData { UserId = $"soak-{i}" } },
                        ct);
                    outcome = "success";
                }
                catch (ConvAiOutcomeUnknownException)
                {
                    outcome = nameof(ConvAiOutcomeUnknownException);
                }
                catch (ConvAiRateLimitException)
                {
                    outcome = nameof(ConvAiRateLimitException);
                }
                catch (ConvAiApiException)
                {
                    outcome = nameof(ConvAiApiException);
                }
                catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
                {
                    outcome = "untyped " + ex.GetType().Name;
                }

                outcomes[to] = outcome;
            });

        var duplicates = mayHaveActed.Count(pair => pair.Value > 1);
        var byType = outcomes.Values.GroupBy(o => o).OrderBy(g => g.Key, StringComparer.Ordinal).ToList();
        TestContext.Out.WriteLine($"calls: {Calls}, requests received: {received.Values.Sum()}, concurrency: 32 callers, plan limit {PlanConcurrency}, max in flight: {sending.Max} sent by the client, {maxInFlight} seen by the server (its count includes each handler's tail after the client let go)");
        TestContext.Out.WriteLine($"faults injected ({FaultRate:P0}, seed {Seed}): {injected.Where(p => p.Key != SoakFault.None).Sum(p => p.Value)} = "
            + string.Join(", ", injected.Where(p => p.Key != SoakFault.None).OrderBy(p => p.Key).Select(p => $"{p.Key} {p.Value}")));
        TestContext.Out.WriteLine($"duplicates seen: {duplicates}");
        TestContext.Out.WriteLine("outcomes: " + string.Join(", ", byType.Select(g => $"{g.Key} {g.Count()}")));

        Assert.Multiple(() =>
        {
            Assert.That(outcomes, Has.Count.EqualTo(Calls), "every call ended");
            Assert.That(duplicates, Is.Zero, "numbers the server may have dialled more than once");
            Assert.That(outcomes.Values, Has.All.Matches<string>(o => !o.StartsWith("untyped", StringComparison.Ordinal)), "every failure is typed");
            Assert.That(sending.Max, Is.EqualTo(PlanConcurrency), "the concurrency limiter held, and was reached");
            foreach (var fault in Enum.GetValues<SoakFault>())
            {
                Assert.That(injected.GetValueOrDefault(fault), Is.GreaterThan(0), $"fault {fault} was exercised");
            }

            foreach (var (to, outcome) in outcomes)
            {
                var expected = outcome == nameof(ConvAiRateLimitException) ? 0 : 1;
                Assert.That(mayHaveActed.GetValueOrDefault(to), Is.EqualTo(expected), $"{to} ended as {outcome}");
            }
        });
    }

    private sealed class InFlightCounter
    {
        private int _current;
        private int _max;

        public int Max => Volatile.Read(ref _max);

        public void Enter() => InterlockedMax(ref _max, Interlocked.Increment(ref _current));

        public void Exit() => Interlocked.Decrement(ref _current);
    }

    private sealed class InFlightHandler(InFlightCounter counter) : DelegatingHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            counter.Enter();
            try
            {
                return await base.SendAsync(request, cancellationToken);
            }
            finally
            {
                counter.Exit();
            }
        }
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int current;
        while (value > (current = Volatile.Read(ref target)) && Interlocked.CompareExchange(ref target, value, current) != current)
        {
        }
    }
}
