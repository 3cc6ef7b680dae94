using System.Net;
using ConvAi.Telephony.Tests.TestSupport;
using RichardSzalay.MockHttp;

namespace ConvAi.Telephony.Tests.Errors;

public class OutcomeUnknownTests : MockedClientTests
{
    private protected override void Configure(ConvAiTelephonyOptions options) => ClientFixture.SetCallDefaults(options);

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
        foreach (var data in NewCallPlacingOperations())
        {
            yield return data;
        }
    }

    /// <summary>The call-placing POSTs added for issue 12 (Exotel, WhatsApp call and message).</summary>
    private static IEnumerable<TestCaseData> NewCallPlacingOperations()
    {
        yield return new TestCaseData("/v1/convai/exotel/outbound-call", "StartExotelCall",
            (Func<IConvAiTelephonyClient, Task>)(c => c.Calls.StartExotelCallAsync(new StartExotelCallRequest
            {
                ToNumber = "+919876543210",
                ConversationInitiationClientData = new ConversationInitiationClientData { UserId = "cust-42" },
            }))).SetName("ExotelOutboundCall");
        yield return new TestCaseData("/v1/convai/whatsapp/outbound-call", "StartWhatsAppCall",
            (Func<IConvAiTelephonyClient, Task>)(c => c.WhatsApp.StartCallAsync(new StartWhatsAppCallRequest
            {
                WhatsAppPhoneNumberId = "wa_phone_1",
                WhatsAppUserId = "wa_user_1",
                PermissionTemplateName = "call_permission",
                PermissionTemplateLanguageCode = "en_US",
                ConversationInitiationClientData = new ConversationInitiationClientData { UserId = "cust-42" },
            }))).SetName("WhatsAppOutboundCall");
        yield return new TestCaseData("/v1/convai/whatsapp/outbound-message", "SendWhatsAppMessage",
            (Func<IConvAiTelephonyClient, Task>)(c => c.WhatsApp.SendMessageAsync(new SendWhatsAppMessageRequest
            {
                WhatsAppPhoneNumberId = "wa_phone_1",
                WhatsAppUserId = "wa_user_1",
                TemplateName = "appointment",
                TemplateLanguageCode = "en_US",
                TemplateParams = [WhatsAppTemplateComponent.Body("Ana")],
                ConversationInitiationClientData = new ConversationInitiationClientData { UserId = "cust-42" },
            }))).SetName("WhatsAppOutboundMessage");
    }

    [TestCaseSource(nameof(NewCallPlacingOperations))]
    public void NewCallPlacing_503WithRetriesOn_SentOnceAndOutcomeUnknown(string path, string operation, Func<IConvAiTelephonyClient, Task> call)
    {
        using var fixture = new ClientFixture(o =>
        {
            ClientFixture.SetCallDefaults(o);
            o.Resilience.MaxRetryAttempts = 3;
            o.Resilience.UseJitter = false;
        });
        var mocked = fixture.Mock.When(HttpMethod.Post, ClientFixture.Url(path)).Respond(HttpStatusCode.ServiceUnavailable);

        var ex = Assert.ThrowsAsync<ConvAiOutcomeUnknownException>(() => call(fixture.Client));

        Assert.Multiple(() =>
        {
            Assert.That(ex!.Operation, Is.EqualTo(operation));
            Assert.That(ex.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
            Assert.That(ex.UserId, Is.EqualTo("cust-42"));
            Assert.That(fixture.Mock.GetMatchCount(mocked), Is.EqualTo(1), "A call-placing POST must be sent exactly once.");
        });
    }

    [TestCaseSource(nameof(NewCallPlacingOperations))]
    public async Task NewCallPlacing_429WithRetriesOn_IsRetried(string path, string operation, Func<IConvAiTelephonyClient, Task> call)
    {
        // The control for the test above: the same client does repeat these POSTs when the server says it did not act.
        using var fixture = new ClientFixture(o =>
        {
            ClientFixture.SetCallDefaults(o);
            o.Resilience.MaxRetryAttempts = 1;
            o.Resilience.BaseDelay = TimeSpan.Zero;
        });
        var answers = new Queue<HttpResponseMessage>([
            new HttpResponseMessage(HttpStatusCode.TooManyRequests) { Content = new StringContent("""{"detail":{"status":"too_many_concurrent_requests","message":"busy"}}""") },
            new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent("""{"success":true,"message":"ok","conversation_id":"conv_1"}""", System.Text.Encoding.UTF8, "application/json") },
        ]);
        var mocked = fixture.Mock.When(HttpMethod.Post, ClientFixture.Url(path)).Respond(_ => answers.Dequeue());

        await call(fixture.Client);

        Assert.That(fixture.Mock.GetMatchCount(mocked), Is.EqualTo(2), operation);
    }

    private static StartTwilioCallRequest Twilio() => new()
    {
        ToNumber = "+14155550100",
        ConversationInitiationClientData = new ConversationInitiationClientData { UserId = "cust-42" },
    };

    [TestCaseSource(nameof(CallPlacingOperations))]
    public void CallPlacing_500_ThrowsOutcomeUnknownAfterOneAttempt(string path, string operation, Func<IConvAiTelephonyClient, Task> call)
    {
        var mocked = Fixture.Mock.Expect(HttpMethod.Post, ClientFixture.Url(path))
            .Respond(HttpStatusCode.InternalServerError, "application/json", """{"detail":{"status":"internal_error","message":"boom"}}""");

        var ex = Assert.ThrowsAsync<ConvAiOutcomeUnknownException>(() => call(Fixture.Client));

        Assert.Multiple(() =>
        {
            Assert.That(ex!.Operation, Is.EqualTo(operation));
            Assert.That(ex.StatusCode, Is.EqualTo(HttpStatusCode.InternalServerError));
            Assert.That(ex.StartedAt, Is.EqualTo(Fixture.Time.GetUtcNow()));
            Assert.That(ex.InnerException, Is.InstanceOf<ConvAiApiException>());
            Assert.That(ex.Message, Does.Contain("may have been placed").And.Contain("Conversations.ListAsync"));
            Assert.That(ex.Message, Does.Not.Contain(ClientFixture.ApiKey));
        });
        Assert.That(Fixture.Mock.GetMatchCount(mocked), Is.EqualTo(1));
    }

    [TestCase(HttpStatusCode.RequestTimeout)]
    [TestCase(HttpStatusCode.BadGateway)]
    [TestCase(HttpStatusCode.GatewayTimeout)]
    public void StartTwilioCallAsync_AmbiguousStatus_CarriesReconciliationData(HttpStatusCode status)
    {
        Fixture.Mock.Expect(HttpMethod.Post, ClientFixture.Url("/v1/convai/twilio/outbound-call")).Respond(status);

        var ex = Assert.ThrowsAsync<ConvAiOutcomeUnknownException>(() => Fixture.Client.Calls.StartTwilioCallAsync(Twilio()));

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
        var mocked = Fixture.Mock.Expect(HttpMethod.Post, ClientFixture.Url("/v1/convai/twilio/outbound-call"))
            .Throw(new HttpRequestException(error, "The response ended prematurely."));

        var ex = Assert.ThrowsAsync<ConvAiOutcomeUnknownException>(() => Fixture.Client.Calls.StartTwilioCallAsync(Twilio()));

        Assert.That(ex!.InnerException, Is.InstanceOf<HttpRequestException>());
        Assert.That(ex.StatusCode, Is.Null);
        Assert.That(Fixture.Mock.GetMatchCount(mocked), Is.EqualTo(1));
    }

    [TestCase(HttpRequestError.ConnectionError)]
    [TestCase(HttpRequestError.NameResolutionError)]
    public void StartTwilioCallAsync_ConnectionNeverMade_ThrowsHttpRequestException(HttpRequestError error)
    {
        Fixture.Mock.Expect(HttpMethod.Post, ClientFixture.Url("/v1/convai/twilio/outbound-call"))
            .Throw(new HttpRequestException(error, "Connection refused."));

        var ex = Assert.ThrowsAsync<HttpRequestException>(() => Fixture.Client.Calls.StartTwilioCallAsync(Twilio()));

        Assert.That(ex!.HttpRequestError, Is.EqualTo(error));
    }

    [Test]
    public void StartTwilioCallAsync_Timeout_ThrowsOutcomeUnknown()
    {
        Fixture.Mock.Expect(HttpMethod.Post, ClientFixture.Url("/v1/convai/twilio/outbound-call"))
            .Throw(new TaskCanceledException("The request was canceled due to the configured HttpClient.Timeout.", new TimeoutException()));

        var ex = Assert.ThrowsAsync<ConvAiOutcomeUnknownException>(() => Fixture.Client.Calls.StartTwilioCallAsync(Twilio()));

        Assert.That(ex!.InnerException, Is.InstanceOf<OperationCanceledException>());
    }

    [Test]
    public void StartTwilioCallAsync_CallerCancels_ThrowsOperationCanceled()
    {
        using var cts = new CancellationTokenSource();
        Fixture.Mock.Expect(HttpMethod.Post, ClientFixture.Url("/v1/convai/twilio/outbound-call")).Respond(async () =>
        {
            await cts.CancelAsync();
            cts.Token.ThrowIfCancellationRequested();
            return new HttpResponseMessage(HttpStatusCode.OK);
        });

        Assert.That(
            async () => await Fixture.Client.Calls.StartTwilioCallAsync(Twilio(), cts.Token),
            Throws.InstanceOf<OperationCanceledException>().And.Not.InstanceOf<ConvAiOutcomeUnknownException>());
    }

    [TestCase(HttpStatusCode.BadRequest)]
    [TestCase(HttpStatusCode.UnprocessableEntity)]
    [TestCase(HttpStatusCode.TooManyRequests)]
    public void StartTwilioCallAsync_ClearRefusal_ThrowsApiExceptionNotOutcomeUnknown(HttpStatusCode status)
    {
        Fixture.Mock.Expect(HttpMethod.Post, ClientFixture.Url("/v1/convai/twilio/outbound-call")).Respond(status, "application/json", "{}");

        var ex = Assert.ThrowsAsync(Is.InstanceOf<ConvAiApiException>(), () => Fixture.Client.Calls.StartTwilioCallAsync(Twilio()));

        Assert.That(((ConvAiApiException)ex!).StatusCode, Is.EqualTo(status));
    }

    [Test]
    public void GetAsync_500OnRead_ThrowsApiExceptionNotOutcomeUnknown()
    {
        Fixture.Mock.Expect(HttpMethod.Get, ClientFixture.Url("/v1/convai/batch-calling/b1")).Respond(HttpStatusCode.InternalServerError);

        var ex = Assert.ThrowsAsync<ConvAiApiException>(() => Fixture.Client.BatchCalls.GetAsync("b1"));

        Assert.That(ex!.IsTransient, Is.True);
    }
}
