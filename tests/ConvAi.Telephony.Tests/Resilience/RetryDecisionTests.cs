using System.Net;
using Polly;
using Polly.CircuitBreaker;
using Polly.Timeout;

namespace ConvAi.Telephony.Tests.Resilience;

/// <summary>The retry decision for outcomes the socket-level matrix cannot produce easily (DNS, TLS, rarer statuses).</summary>
public class RetryDecisionTests
{
    private const string Get = "GET /v1/convai/conversations/c1";
    private const string Call = "POST /v1/convai/twilio/outbound-call CallPlacing";
    private const string Import = "POST /v1/convai/phone-numbers PhoneNumberImport";
    private const string CreateWebhook = "POST /v1/workspace/webhooks ResourceCreation";
    private const string Feedback = "POST /v1/convai/conversations/c1/feedback RetrySafe";
    private const string UnmarkedPost = "POST /v1/convai/conversations/c1/feedback";

    [TestCase(Get, 501, false)]
    [TestCase(Get, 409, false)]
    [TestCase(Get, 404, false)]
    [TestCase(Get, 503, true)]
    [TestCase(Feedback, 503, true)]
    [TestCase(Import, 503, false)]
    [TestCase(Import, 429, true)]
    [TestCase(CreateWebhook, 500, false)]
    [TestCase(CreateWebhook, 503, false)]
    [TestCase(CreateWebhook, 408, false)]
    [TestCase(CreateWebhook, 429, true)]
    [TestCase(Call, 429, true)]
    [TestCase(Call, 502, false)]
    [TestCase(UnmarkedPost, 503, false)]
    [TestCase(UnmarkedPost, 500, false)]
    [TestCase(UnmarkedPost, 429, true)]
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
            yield return new TestCaseData(UnmarkedPost, error, call).SetName($"ShouldRetry_UnmarkedPost_{name}_{call}");
            yield return new TestCaseData(CreateWebhook, error, call).SetName($"ShouldRetry_CreateWebhook_{name}_{call}");
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

    /// <summary>One list of transient statuses: the exception's flag and the retry decision of a request safe to repeat agree on every status.</summary>
    [Test]
    public void IsTransient_EveryStatus_AgreesWithTheRetryDecisionOfARetrySafeRequest()
    {
        var transient = new List<int>();
        for (var code = 100; code < 600; code++)
        {
            var status = (HttpStatusCode)code;
            using var response = new HttpResponseMessage(status);
            var exception = new ConvAiApiException("m", status, null, null, null, null, null);
            Assert.That(ConvAiResiliencePipeline.ShouldRetry(Outcome.FromResult(response), RequestKind.RetrySafe), Is.EqualTo(exception.IsTransient), $"status {code}");
            if (exception.IsTransient)
            {
                transient.Add(code);
            }
        }

        Assert.That(transient, Is.EqualTo(new[] { 408, 429, 500, 502, 503, 504 }));
    }

    /// <summary>Builds "METHOD PATH [KIND]": the kind, when given, is the mark a sub-client declares.</summary>
    private static HttpRequestMessage Request(string methodPathAndKind)
    {
        var parts = methodPathAndKind.Split(' ');
        var request = new HttpRequestMessage(new HttpMethod(parts[0]), "https://api.elevenlabs.io" + parts[1]);
        if (parts.Length > 2)
        {
            request.Options.Set(RequestKinds.OptionKey, Enum.Parse<RequestKind>(parts[2]));
        }

        return request;
    }
}
