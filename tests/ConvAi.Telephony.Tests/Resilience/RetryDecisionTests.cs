using System.Net;
using Polly;
using Polly.CircuitBreaker;
using Polly.Timeout;

namespace ConvAi.Telephony.Tests.Resilience;

/// <summary>The retry decision for outcomes the socket-level matrix cannot produce easily (DNS, TLS, rarer statuses).</summary>
public class RetryDecisionTests
{
    private const string Get = "GET /v1/convai/conversations/c1";
    private const string Call = "POST /v1/convai/twilio/outbound-call";
    private const string Import = "POST /v1/convai/phone-numbers";
    private const string Feedback = "POST /v1/convai/conversations/c1/feedback";

    [TestCase(Get, 501, false)]
    [TestCase(Get, 409, false)]
    [TestCase(Get, 404, false)]
    [TestCase(Get, 503, true)]
    [TestCase(Feedback, 503, true)]
    [TestCase(Import, 503, false)]
    [TestCase(Import, 429, true)]
    [TestCase(Call, 429, true)]
    [TestCase(Call, 502, false)]
    public void ShouldRetry_Status_FollowsRequestKind(string request, int status, bool expected)
    {
        using var message = Request(request);
        using var response = new HttpResponseMessage((HttpStatusCode)status);

        Assert.That(ConvAiResiliencePipeline.ShouldRetry(Outcome.FromResult(response), message), Is.EqualTo(expected));
    }

    private static IEnumerable<TestCaseData> Exceptions()
    {
        var cases = new (string Name, Exception Error, bool Get, bool Call)[]
        {
            ("DnsFailure", new HttpRequestException(HttpRequestError.NameResolutionError), true, true),
            ("ConnectionRefused", new HttpRequestException(HttpRequestError.ConnectionError), true, true),
            ("TlsFailure", new HttpRequestException(HttpRequestError.SecureConnectionError), true, false),
            ("ResponseEnded", new HttpRequestException(HttpRequestError.ResponseEnded), true, false),
            ("AttemptTimeout", new TimeoutRejectedException(), true, false),
            ("CircuitOpen", new BrokenCircuitException(), false, false),
            ("Cancelled", new OperationCanceledException(), false, false),
        };
        foreach (var (name, error, get, call) in cases)
        {
            yield return new TestCaseData(Get, error, get).SetName($"ShouldRetry_Get_{name}_{get}");
            yield return new TestCaseData(Call, error, call).SetName($"ShouldRetry_OutboundCall_{name}_{call}");
        }
    }

    [TestCaseSource(nameof(Exceptions))]
    public void ShouldRetry_Exception_RetriesCallPlacingOnlyWhenNothingWasSent(string request, Exception error, bool expected)
    {
        using var message = Request(request);

        Assert.That(ConvAiResiliencePipeline.ShouldRetry(Outcome.FromException<HttpResponseMessage>(error), message), Is.EqualTo(expected));
    }

    [Test]
    public void ShouldRetry_UnknownRequest_TreatedAsCallPlacing()
    {
        using var response = new HttpResponseMessage(HttpStatusCode.ServiceUnavailable);

        Assert.That(ConvAiResiliencePipeline.ShouldRetry(Outcome.FromResult(response), request: null), Is.False);
    }

    private static HttpRequestMessage Request(string methodAndPath)
    {
        var parts = methodAndPath.Split(' ');
        return new HttpRequestMessage(new HttpMethod(parts[0]), "https://api.elevenlabs.io" + parts[1]);
    }
}
