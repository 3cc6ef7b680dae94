using System.Globalization;
using System.Net;
using ConvAi.Telephony.Tests.TestSupport;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Polly.Telemetry;
using Polly.Timeout;

namespace ConvAi.Telephony.Tests.Resilience;

/// <summary>
/// The fault matrix: every request kind against every fault, through the real container and a real Kestrel server on
/// 127.0.0.1 (and a port where nothing listens), so the HttpRequestError values come from real sockets. Time is a fake
/// clock: retry waits are recorded and skipped, attempt timeouts fire when the server advances the clock.
/// </summary>
[NonParallelizable]
public class FaultMatrixTests
{
    private static readonly TimeSpan AttemptTimeout = TimeSpan.FromSeconds(10);
    private LoopbackServer _server = null!;

    public enum Operation
    {
        GetConversation,
        DeleteConversation,
        UpdatePhoneNumber,
        CancelBatch,
        StartTwilioCall,
    }

    public enum Fault
    {
        Status400,
        Status408,
        Status429,
        Status429RetryAfterSeconds,
        Status429RetryAfterDate,
        Status429RetryAfterPastTotalTimeout,
        Status500,
        Status502,
        Status503,
        Status504,
        ConnectionRefused,
        ResetAfterRequestRead,
        AttemptTimeout,
    }

    public enum Outcome
    {
        Success,
        ApiError,
        RateLimited,
        OutcomeUnknown,
        ConnectionError,
        ConnectionLostAfterSending,
        Timeout,
    }

    private const int Always = int.MaxValue;

    [OneTimeSetUp]
    public async Task StartServer() => _server = await LoopbackServer.StartAsync();

    [OneTimeTearDown]
    public async Task StopServer() => await _server.DisposeAsync();

    /// <summary>
    /// Rows: fault, how many attempts fail before the server succeeds, then what must happen: requests the server
    /// received, outcome, HTTP status carried by the error, and the retry delays in seconds (no jitter, base 1 s, 3 retries).
    /// </summary>
    public static IEnumerable<TestCaseData> Matrix()
    {
        // Requests safe to repeat: GET, DELETE, PATCH, and POSTs that are safe to repeat (batch cancel).
        var retrySafe = new (Fault Fault, int Failures, int Requests, Outcome Outcome, int? Status, int[] Delays)[]
        {
            (Fault.Status408, 1, 2, Outcome.Success, null, [1]),
            (Fault.Status429, 1, 2, Outcome.Success, null, [1]),
            (Fault.Status429RetryAfterSeconds, 1, 2, Outcome.Success, null, [3]),
            (Fault.Status429RetryAfterDate, 1, 2, Outcome.Success, null, [5]),
            (Fault.Status429RetryAfterPastTotalTimeout, 1, 1, Outcome.RateLimited, 429, []),
            (Fault.Status500, 1, 2, Outcome.Success, null, [1]),
            (Fault.Status502, 1, 2, Outcome.Success, null, [1]),
            (Fault.Status503, 1, 2, Outcome.Success, null, [1]),
            (Fault.Status504, 1, 2, Outcome.Success, null, [1]),
            (Fault.ResetAfterRequestRead, 1, 2, Outcome.Success, null, [1]),
            (Fault.AttemptTimeout, 1, 2, Outcome.Success, null, [1]),
            (Fault.ConnectionRefused, Always, 0, Outcome.ConnectionError, null, [1, 2, 4]),
            (Fault.Status503, 3, 4, Outcome.Success, null, [1, 2, 4]),
            (Fault.Status503, Always, 4, Outcome.ApiError, 503, [1, 2, 4]),
            (Fault.Status429, Always, 4, Outcome.RateLimited, 429, [1, 2, 4]),
            (Fault.ResetAfterRequestRead, Always, 4, Outcome.ConnectionLostAfterSending, null, [1, 2, 4]),
            (Fault.AttemptTimeout, Always, 4, Outcome.Timeout, null, [1, 2, 4]),
            (Fault.Status400, 1, 1, Outcome.ApiError, 400, []),
        };

        // Call-placing POST: retried only when the server provably did not act (429, connection refused).
        var callPlacing = new (Fault Fault, int Failures, int Requests, Outcome Outcome, int? Status, int[] Delays)[]
        {
            (Fault.Status408, 1, 1, Outcome.OutcomeUnknown, 408, []),
            (Fault.Status429, 1, 2, Outcome.Success, null, [1]),
            (Fault.Status429RetryAfterSeconds, 1, 2, Outcome.Success, null, [3]),
            (Fault.Status429RetryAfterDate, 1, 2, Outcome.Success, null, [5]),
            (Fault.Status429RetryAfterPastTotalTimeout, 1, 1, Outcome.RateLimited, 429, []),
            (Fault.Status500, 1, 1, Outcome.OutcomeUnknown, 500, []),
            (Fault.Status502, 1, 1, Outcome.OutcomeUnknown, 502, []),
            (Fault.Status503, 1, 1, Outcome.OutcomeUnknown, 503, []),
            (Fault.Status504, 1, 1, Outcome.OutcomeUnknown, 504, []),
            (Fault.ResetAfterRequestRead, 1, 1, Outcome.OutcomeUnknown, null, []),
            (Fault.AttemptTimeout, 1, 1, Outcome.OutcomeUnknown, null, []),
            (Fault.ConnectionRefused, Always, 0, Outcome.ConnectionError, null, [1, 2, 4]),
            (Fault.Status429, 3, 4, Outcome.Success, null, [1, 2, 4]),
            (Fault.Status429, Always, 4, Outcome.RateLimited, 429, [1, 2, 4]),
            (Fault.Status503, Always, 1, Outcome.OutcomeUnknown, 503, []),
            (Fault.Status400, 1, 1, Outcome.ApiError, 400, []),
        };

        foreach (var operation in new[] { Operation.GetConversation, Operation.DeleteConversation, Operation.UpdatePhoneNumber, Operation.CancelBatch })
        {
            foreach (var row in retrySafe)
            {
                yield return Case(operation, row);
            }
        }

        foreach (var row in callPlacing)
        {
            yield return Case(Operation.StartTwilioCall, row);
        }

        static TestCaseData Case(Operation operation, (Fault Fault, int Failures, int Requests, Outcome Outcome, int? Status, int[] Delays) row)
        {
            var failures = row.Failures == Always ? "always" : row.Failures.ToString(CultureInfo.InvariantCulture);
            return new TestCaseData(operation, row.Fault, row.Failures, row.Requests, row.Outcome, row.Status, row.Delays)
                .SetName($"Send_{operation}_{row.Fault}x{failures}_{row.Outcome}");
        }
    }

    [TestCaseSource(nameof(Matrix))]
    public async Task Send_Fault_RetriesExactlyAsSpecified(
        Operation operation, Fault fault, int failures, int expectedRequests, Outcome expectedOutcome, int? expectedStatus, int[] expectedDelays)
    {
        var clock = new SteppingTimeProvider();
        var recorder = new RetryRecorder(clock);
        var received = 0;
        _server.Handler = async context =>
        {
            var attempt = Interlocked.Increment(ref received);
            await ReadBodyAsync(context);
            if (attempt <= failures)
            {
                await ApplyFaultAsync(context, fault, clock);
            }
            else
            {
                await RespondSuccessAsync(context, operation);
            }
        };

        var baseAddress = fault == Fault.ConnectionRefused ? LoopbackServer.GetClosedPortAddress() : _server.BaseAddress;
        await using var services = BuildServices(baseAddress, clock, recorder);
        var client = services.GetRequiredService<IConvAiTelephonyClient>();

        Exception? error = null;
        try
        {
            await InvokeAsync(client, operation);
        }
        catch (Exception ex)
        {
            error = ex;
        }

        Assert.Multiple(() =>
        {
            Assert.That(received, Is.EqualTo(expectedRequests), "requests the server received");
            Assert.That(recorder.Delays.Select(d => d.TotalSeconds), Is.EqualTo(expectedDelays.Select(d => (double)d)), "retry delays (s)");
            AssertOutcome(error, expectedOutcome, expectedStatus);
        });
    }

    internal static ServiceProvider BuildServices(Uri baseAddress, TimeProvider clock, TelemetryListener recorder, Action<ConvAiResilienceOptions>? configure = null)
    {
        var services = new ServiceCollection();
        services.AddSingleton(clock);
        services.Configure<TelemetryOptions>(o => o.TelemetryListeners.Add(recorder));
        services.AddConvAiTelephony(o =>
        {
            o.ApiKey = ClientFixture.ApiKey;
            o.BaseAddress = baseAddress;
            o.DefaultAgentId = ClientFixture.AgentId;
            o.DefaultPhoneNumberId = ClientFixture.PhoneNumberId;
            o.Timeout = TimeSpan.FromMinutes(10);
        }).ConfigureResilience(r =>
        {
            r.MaxRetryAttempts = 3;
            r.BaseDelay = TimeSpan.FromSeconds(1);
            r.UseJitter = false;
            r.AttemptTimeout = AttemptTimeout;
            r.TotalTimeout = TimeSpan.FromMinutes(5);
            configure?.Invoke(r);
        });
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }

    internal static Task InvokeAsync(IConvAiTelephonyClient client, Operation operation) => operation switch
    {
        Operation.GetConversation => client.Conversations.GetAsync("conv_1"),
        Operation.DeleteConversation => client.Conversations.DeleteAsync("conv_1"),
        Operation.UpdatePhoneNumber => client.PhoneNumbers.UpdateAsync("phnum_1", new UpdatePhoneNumberRequest { Label = "Support" }),
        Operation.CancelBatch => client.BatchCalls.CancelAsync("batch_1"),
        Operation.StartTwilioCall => client.Calls.StartTwilioCallAsync(new StartTwilioCallRequest
        {
            ToNumber = "+14155550100",
            ConversationInitiationClientData = new ConversationInitiationClientData { UserId = "cust-42" },
        }),
        _ => throw new ArgumentOutOfRangeException(nameof(operation)),
    };

    private static void AssertOutcome(Exception? error, Outcome expected, int? expectedStatus)
    {
        switch (expected)
        {
            case Outcome.Success:
                Assert.That(error, Is.Null, "the call should have succeeded");
                break;
            case Outcome.ApiError:
                Assert.That(error, Is.TypeOf<ConvAiApiException>());
                Assert.That((int?)(error as ConvAiApiException)?.StatusCode, Is.EqualTo(expectedStatus));
                break;
            case Outcome.RateLimited:
                Assert.That(error, Is.TypeOf<ConvAiRateLimitException>());
                break;
            case Outcome.OutcomeUnknown:
                Assert.That(error, Is.TypeOf<ConvAiOutcomeUnknownException>());
                if (error is ConvAiOutcomeUnknownException unknown)
                {
                    Assert.That((int?)unknown.StatusCode, Is.EqualTo(expectedStatus));
                    Assert.That(unknown.ToNumber, Is.EqualTo("+14155550100"));
                    Assert.That(unknown.UserId, Is.EqualTo("cust-42"));
                    Assert.That(unknown.AgentId, Is.EqualTo(ClientFixture.AgentId));
                    Assert.That(unknown.PhoneNumberId, Is.EqualTo(ClientFixture.PhoneNumberId));
                    if (expectedStatus is null)
                    {
                        Assert.That(unknown.InnerException, Is.InstanceOf<TimeoutRejectedException>().Or.InstanceOf<HttpRequestException>());
                    }
                }

                break;
            case Outcome.ConnectionError:
                Assert.That(error, Is.TypeOf<HttpRequestException>());
                Assert.That((error as HttpRequestException)?.HttpRequestError, Is.EqualTo(HttpRequestError.ConnectionError));
                break;
            case Outcome.ConnectionLostAfterSending:
                Assert.That(error, Is.TypeOf<HttpRequestException>());
                Assert.That(
                    (error as HttpRequestException)?.HttpRequestError,
                    Is.Not.EqualTo(HttpRequestError.ConnectionError).And.Not.EqualTo(HttpRequestError.NameResolutionError));
                break;
            case Outcome.Timeout:
                Assert.That(error, Is.TypeOf<TimeoutRejectedException>());
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(expected));
        }
    }

    internal static async Task ReadBodyAsync(HttpContext context)
    {
        using var reader = new StreamReader(context.Request.Body);
        await reader.ReadToEndAsync(context.RequestAborted);
    }

    private static async Task ApplyFaultAsync(HttpContext context, Fault fault, SteppingTimeProvider clock)
    {
        switch (fault)
        {
            case Fault.ResetAfterRequestRead:
                context.Abort();
                return;
            case Fault.AttemptTimeout:
                // The request was read; now let the client's attempt timeout pass and never answer.
                clock.Advance(AttemptTimeout);
                try
                {
                    await Task.Delay(Timeout.InfiniteTimeSpan, context.RequestAborted);
                }
                catch (OperationCanceledException)
                {
                }

                return;
            case Fault.Status429RetryAfterSeconds:
                context.Response.Headers.RetryAfter = "3";
                break;
            case Fault.Status429RetryAfterDate:
                context.Response.Headers.RetryAfter = clock.GetUtcNow().AddSeconds(5).ToString("R", CultureInfo.InvariantCulture);
                break;
            case Fault.Status429RetryAfterPastTotalTimeout:
                context.Response.Headers.RetryAfter = "600";
                break;
        }

        context.Response.StatusCode = fault switch
        {
            Fault.Status400 => 400,
            Fault.Status408 => 408,
            Fault.Status429 or Fault.Status429RetryAfterSeconds or Fault.Status429RetryAfterDate or Fault.Status429RetryAfterPastTotalTimeout => 429,
            Fault.Status500 => 500,
            Fault.Status502 => 502,
            Fault.Status503 => 503,
            Fault.Status504 => 504,
            _ => throw new ArgumentOutOfRangeException(nameof(fault)),
        };
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync("""{"detail":{"status":"injected_fault","message":"Injected by the test."}}""");
    }

    private static async Task RespondSuccessAsync(HttpContext context, Operation operation)
    {
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(operation switch
        {
            Operation.GetConversation => Resources.Read("Conversations/get.json"),
            Operation.DeleteConversation => "{}",
            Operation.UpdatePhoneNumber => """{"phone_number":"+14155550100","label":"Support","phone_number_id":"phnum_1","provider":"twilio"}""",
            Operation.CancelBatch => Resources.Read("BatchCalls/batch.json"),
            Operation.StartTwilioCall => Resources.Read("Calls/twilio-outbound-call.json"),
            _ => throw new ArgumentOutOfRangeException(nameof(operation)),
        });
    }
}
