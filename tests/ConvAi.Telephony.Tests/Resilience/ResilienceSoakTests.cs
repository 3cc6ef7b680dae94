using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json.Nodes;
using ConvAi.Telephony.Tests.TestSupport;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Polly.CircuitBreaker;
using Polly.Timeout;

namespace ConvAi.Telephony.Tests.Resilience;

/// <summary>
/// 1,000 outbound calls through the real client against a loopback Kestrel server that fails 30% of requests at random
/// (seeded) in every server-side fault mode. Real time with small timeouts and backoff; bounded by a cancellation timeout.
/// The server counts a request as one it may have acted on as soon as its headers arrive (not after the body is read), since an
/// attempt timeout can fire while the body is still in flight; the client tags each attempt with its number for that.
/// </summary>
[NonParallelizable]
public class ResilienceSoakTests
{
    private const int Calls = 1000;
    private const double FaultRate = 0.3;
    private const int Seed = 20261125;
    private const int PlanConcurrency = 8;
    private const string NumberHeader = "X-Soak-To";

    /// <summary>The number the current call dials, read by <see cref="InFlightHandler"/> to tag every attempt.</summary>
    private static readonly AsyncLocal<string?> CurrentNumber = new();

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
        // A bound, not a timing assertion: generous, since the machine may be shared by many builds.
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await using var server = await LoopbackServer.StartAsync();
        var random = new Random(Seed);
        var injected = new ConcurrentDictionary<SoakFault, int>();
        var received = new ConcurrentDictionary<string, int>();
        var mayHaveActed = new ConcurrentDictionary<string, int>();
        var mismatched = 0;
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
            if (context.Request.Path == "/warm-up")
            {
                return;
            }

            // The request has reached the server: from here on it may have placed the call, even if the client gives up
            // (attempt timeout) before the body is read. Only a 429 answer takes that back.
            var to = context.Request.Headers[NumberHeader].ToString();
            received.AddOrUpdate(to, 1, (_, n) => n + 1);
            mayHaveActed.AddOrUpdate(to, 1, (_, n) => n + 1);
            using var reader = new StreamReader(context.Request.Body);
            var body = await reader.ReadToEndAsync(context.RequestAborted);
            if (JsonNode.Parse(body)!["to_number"]!.GetValue<string>() != to)
            {
                Interlocked.Increment(ref mismatched);
            }

            SoakFault fault;
            lock (random)
            {
                fault = random.NextDouble() < FaultRate ? (SoakFault)random.Next(1, Enum.GetValues<SoakFault>().Length) : SoakFault.None;
            }

            injected.AddOrUpdate(fault, 1, (_, n) => n + 1);
            var refused = fault is SoakFault.Status429 or SoakFault.Status429RetryAfterSeconds or SoakFault.Status429RetryAfterDate;
            if (refused)
            {
                // A 429 places nothing. Anything else may have placed the call: the server must never see this number again.
                mayHaveActed.AddOrUpdate(to, 0, (_, n) => n - 1);
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
            // Long enough that a loaded machine seldom hits it by accident (the AttemptTimeout fault hangs until the client gives up);
            // when it does, the call still ends typed and the bookkeeping below covers it.
            r.AttemptTimeout = TimeSpan.FromSeconds(1);
            r.TotalTimeout = TimeSpan.FromSeconds(20);
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

        // Warm up the server, the handlers and the connection pool outside the soak, so JIT and connection setup on a
        // cold (or self-contained net8.0) runtime do not eat into the first calls' attempt timeout.
        using (var warmUp = new HttpClient { BaseAddress = server.BaseAddress })
        {
            (await warmUp.GetAsync(new Uri("/warm-up", UriKind.Relative), timeout.Token)).EnsureSuccessStatusCode();
        }

        var outcomes = new ConcurrentDictionary<string, string>();
        var timedOutCalls = new ConcurrentDictionary<string, bool>();
        await Parallel.ForEachAsync(
            Enumerable.Range(0, Calls),
            new ParallelOptions { MaxDegreeOfParallelism = 32, CancellationToken = timeout.Token },
            async (i, ct) =>
            {
                var to = "+1415555" + i.ToString("D4", CultureInfo.InvariantCulture);
                string outcome;
                var timedOut = false;
                CurrentNumber.Value = to;
                try
                {
                    await client.Calls.StartTwilioCallAsync(
                        new StartTwilioCallRequest { ToNumber = to, ConversationInitiationClientData = new ConversationInitiationClientData { UserId = $"soak-{i}" } },
                        ct);
                    outcome = "success";
                }
                catch (ConvAiOutcomeUnknownException ex)
                {
                    outcome = nameof(ConvAiOutcomeUnknownException);
                    timedOut = ex.InnerException is TimeoutRejectedException;
                }
                catch (ConvAiRateLimitException)
                {
                    outcome = nameof(ConvAiRateLimitException);
                }
                catch (ConvAiApiException)
                {
                    outcome = nameof(ConvAiApiException);
                }
                catch (BrokenCircuitException)
                {
                    // Documented (docs/resilience.md): an open circuit fails at once without sending. Failures the machine's
                    // load adds (attempt timeouts) can open it despite the large window.
                    outcome = nameof(BrokenCircuitException);
                }
                catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
                {
                    outcome = "untyped " + ex.GetType().Name;
                }

                outcomes[to] = outcome;
                if (timedOut)
                {
                    timedOutCalls[to] = true;
                }
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
            Assert.That(mismatched, Is.Zero, "requests whose tag did not match their body's to_number");
            Assert.That(outcomes.Values, Has.All.Matches<string>(o => !o.StartsWith("untyped", StringComparison.Ordinal)), "every failure is typed");
            Assert.That(sending.Max, Is.EqualTo(PlanConcurrency), "the concurrency limiter held, and was reached");
            foreach (var fault in Enum.GetValues<SoakFault>())
            {
                Assert.That(injected.GetValueOrDefault(fault), Is.GreaterThan(0), $"fault {fault} was exercised");
            }

            foreach (var (to, outcome) in outcomes)
            {
                var acted = mayHaveActed.GetValueOrDefault(to);
                if (outcome == nameof(ConvAiOutcomeUnknownException) && timedOutCalls.ContainsKey(to))
                {
                    // The client gave up without an answer: on a loaded machine that can happen before the request reached
                    // the server's handler (or before its 429 came back), so the client cannot know, and 0 is as right as 1.
                    Assert.That(acted, Is.InRange(0, 1), $"{to} ended as {outcome} (attempt timeout)");
                    continue;
                }

                var expected = outcome is nameof(ConvAiRateLimitException) or nameof(BrokenCircuitException) ? 0 : 1;
                Assert.That(acted, Is.EqualTo(expected), $"{to} ended as {outcome}");
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
            // A retry sends the same message again: tag it once.
            if (!request.Headers.Contains(NumberHeader))
            {
                request.Headers.TryAddWithoutValidation(NumberHeader, CurrentNumber.Value);
            }

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
