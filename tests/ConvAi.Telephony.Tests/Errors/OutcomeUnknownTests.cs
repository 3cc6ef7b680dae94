using System.Net;
using ConvAi.Telephony.Tests.TestSupport;
using RichardSzalay.MockHttp;

namespace ConvAi.Telephony.Tests.Errors;

public class OutcomeUnknownTests
{
    private ClientFixture _fixture = null!;

    [SetUp]
    public void SetUp() => _fixture = new ClientFixture(o =>
    {
        o.DefaultAgentId = ClientFixture.AgentId;
        o.DefaultPhoneNumberId = ClientFixture.PhoneNumberId;
    });

    [TearDown]
    public void TearDown() => _fixture.Dispose();

    private static IEnumerable<TestCaseData> CallPlacingOperations()
    {
        yield return new TestCaseData("/v1/convai/twilio/outbound-call", "StartTwilioCall",
            (Func<IConvAiTelephonyClient, Task>)(c => c.Calls.StartTwilioCallAsync(Twilio()))).SetName("TwilioOutboundCall");
        yield return new TestCaseData("/v1/convai/sip-trunk/outbound-call", "StartSipTrunkCall",
            (Func<IConvAiTelephonyClient, Task>)(c => c.Calls.StartSipTrunkCallAsync(new StartSipTrunkCallRequest
            {
                ToNumber = "+14155550100",
                ConversationInitiationClientData = new ConversationInitiationClientData { UserId = "cust-42" },
            }))).SetName("SipTrunkOutboundCall");
        yield return new TestCaseData("/v1/convai/twilio/register-call", "RegisterTwilioCall",
            (Func<IConvAiTelephonyClient, Task>)(c => c.Calls.RegisterTwilioCallAsync(new RegisterTwilioCallRequest
            {
                FromNumber = "+14155550111",
                ToNumber = "+14155550100",
                ConversationInitiationClientData = new ConversationInitiationClientData { UserId = "cust-42" },
            }))).SetName("RegisterCall");
        yield return new TestCaseData("/v1/convai/batch-calling/submit", "SubmitBatchCall",
            (Func<IConvAiTelephonyClient, Task>)(c => c.BatchCalls.SubmitAsync(new SubmitBatchCallRequest
            {
                CallName = "b",
                Recipients = [new BatchCallRecipient { PhoneNumber = "+14155550100" }],
            }))).SetName("BatchSubmit");
        yield return new TestCaseData("/v1/convai/batch-calling/batch_1/retry", "RetryBatchCall",
            (Func<IConvAiTelephonyClient, Task>)(c => c.BatchCalls.RetryAsync("batch_1"))).SetName("BatchRetry");
    }

    private static StartTwilioCallRequest Twilio() => new()
    {
        ToNumber = "+14155550100",
        ConversationInitiationClientData = new ConversationInitiationClientData { UserId = "cust-42" },
    };

    [TestCaseSource(nameof(CallPlacingOperations))]
    public void CallPlacing_500_ThrowsOutcomeUnknownAfterOneAttempt(string path, string operation, Func<IConvAiTelephonyClient, Task> call)
    {
        var mocked = _fixture.Mock.Expect(HttpMethod.Post, ClientFixture.Url(path))
            .Respond(HttpStatusCode.InternalServerError, "application/json", """{"detail":{"status":"internal_error","message":"boom"}}""");

        var ex = Assert.ThrowsAsync<ConvAiOutcomeUnknownException>(() => call(_fixture.Client));

        Assert.Multiple(() =>
        {
            Assert.That(ex!.Operation, Is.EqualTo(operation));
            Assert.That(ex.StatusCode, Is.EqualTo(HttpStatusCode.InternalServerError));
            Assert.That(ex.StartedAt, Is.EqualTo(_fixture.Time.GetUtcNow()));
            Assert.That(ex.InnerException, Is.InstanceOf<ConvAiApiException>());
            Assert.That(ex.Message, Does.Contain("may have been placed").And.Contain("Conversations.ListAsync"));
            Assert.That(ex.Message, Does.Not.Contain(ClientFixture.ApiKey));
        });
        Assert.That(_fixture.Mock.GetMatchCount(mocked), Is.EqualTo(1));
    }

    [TestCase(HttpStatusCode.RequestTimeout)]
    [TestCase(HttpStatusCode.BadGateway)]
    [TestCase(HttpStatusCode.GatewayTimeout)]
    public void StartTwilioCallAsync_AmbiguousStatus_CarriesReconciliationData(HttpStatusCode status)
    {
        _fixture.Mock.Expect(HttpMethod.Post, ClientFixture.Url("/v1/convai/twilio/outbound-call")).Respond(status);

        var ex = Assert.ThrowsAsync<ConvAiOutcomeUnknownException>(() => _fixture.Client.Calls.StartTwilioCallAsync(Twilio()));

        Assert.Multiple(() =>
        {
            Assert.That(ex!.AgentId, Is.EqualTo(ClientFixture.AgentId));
            Assert.That(ex.PhoneNumberId, Is.EqualTo(ClientFixture.PhoneNumberId));
            Assert.That(ex.ToNumber, Is.EqualTo("+14155550100"));
            Assert.That(ex.UserId, Is.EqualTo("cust-42"));
            Assert.That(ex.StatusCode, Is.EqualTo(status));
        });
    }

    [TestCase(HttpRequestError.ResponseEnded)]
    [TestCase(HttpRequestError.Unknown)]
    [TestCase(HttpRequestError.InvalidResponse)]
    public void StartTwilioCallAsync_TransportErrorAfterSending_ThrowsOutcomeUnknown(HttpRequestError error)
    {
        var mocked = _fixture.Mock.Expect(HttpMethod.Post, ClientFixture.Url("/v1/convai/twilio/outbound-call"))
            .Throw(new HttpRequestException(error, "The response ended prematurely."));

        var ex = Assert.ThrowsAsync<ConvAiOutcomeUnknownException>(() => _fixture.Client.Calls.StartTwilioCallAsync(Twilio()));

        Assert.That(ex!.InnerException, Is.InstanceOf<HttpRequestException>());
        Assert.That(ex.StatusCode, Is.Null);
        Assert.That(_fixture.Mock.GetMatchCount(mocked), Is.EqualTo(1));
    }

    [TestCase(HttpRequestError.ConnectionError)]
    [TestCase(HttpRequestError.NameResolutionError)]
    public void StartTwilioCallAsync_ConnectionNeverMade_ThrowsHttpRequestException(HttpRequestError error)
    {
        _fixture.Mock.Expect(HttpMethod.Post, ClientFixture.Url("/v1/convai/twilio/outbound-call"))
            .Throw(new HttpRequestException(error, "Connection refused."));

        var ex = Assert.ThrowsAsync<HttpRequestException>(() => _fixture.Client.Calls.StartTwilioCallAsync(Twilio()));

        Assert.That(ex!.HttpRequestError, Is.EqualTo(error));
    }

    [Test]
    public void StartTwilioCallAsync_Timeout_ThrowsOutcomeUnknown()
    {
        _fixture.Mock.Expect(HttpMethod.Post, ClientFixture.Url("/v1/convai/twilio/outbound-call"))
            .Throw(new TaskCanceledException("The request was canceled due to the configured HttpClient.Timeout.", new TimeoutException()));

        var ex = Assert.ThrowsAsync<ConvAiOutcomeUnknownException>(() => _fixture.Client.Calls.StartTwilioCallAsync(Twilio()));

        Assert.That(ex!.InnerException, Is.InstanceOf<OperationCanceledException>());
    }

    [Test]
    public void StartTwilioCallAsync_CallerCancels_ThrowsOperationCanceled()
    {
        using var cts = new CancellationTokenSource();
        _fixture.Mock.Expect(HttpMethod.Post, ClientFixture.Url("/v1/convai/twilio/outbound-call")).Respond(async () =>
        {
            await cts.CancelAsync();
            cts.Token.ThrowIfCancellationRequested();
            return new HttpResponseMessage(HttpStatusCode.OK);
        });

        Assert.That(
            async () => await _fixture.Client.Calls.StartTwilioCallAsync(Twilio(), cts.Token),
            Throws.InstanceOf<OperationCanceledException>().And.Not.InstanceOf<ConvAiOutcomeUnknownException>());
    }

    [TestCase(HttpStatusCode.BadRequest)]
    [TestCase(HttpStatusCode.UnprocessableEntity)]
    [TestCase(HttpStatusCode.TooManyRequests)]
    public void StartTwilioCallAsync_ClearRefusal_ThrowsApiExceptionNotOutcomeUnknown(HttpStatusCode status)
    {
        _fixture.Mock.Expect(HttpMethod.Post, ClientFixture.Url("/v1/convai/twilio/outbound-call")).Respond(status, "application/json", "{}");

        var ex = Assert.ThrowsAsync(Is.InstanceOf<ConvAiApiException>(), () => _fixture.Client.Calls.StartTwilioCallAsync(Twilio()));

        Assert.That(((ConvAiApiException)ex!).StatusCode, Is.EqualTo(status));
    }

    [Test]
    public void GetAsync_500OnRead_ThrowsApiExceptionNotOutcomeUnknown()
    {
        _fixture.Mock.Expect(HttpMethod.Get, ClientFixture.Url("/v1/convai/batch-calling/b1")).Respond(HttpStatusCode.InternalServerError);

        var ex = Assert.ThrowsAsync<ConvAiApiException>(() => _fixture.Client.BatchCalls.GetAsync("b1"));

        Assert.That(ex!.IsTransient, Is.True);
    }
}
