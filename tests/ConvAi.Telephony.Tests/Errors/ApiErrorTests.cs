using System.Net;
using ConvAi.Telephony.Tests.TestSupport;
using RichardSzalay.MockHttp;

namespace ConvAi.Telephony.Tests.Errors;

public class ApiErrorTests : MockedClientTests
{
    private const string Path = "/v1/convai/conversations/conv_1";

    [Test]
    public void GetAsync_422ValidationBody_ThrowsWithValidationErrors()
    {
        Fixture.Mock.Expect(HttpMethod.Get, ClientFixture.Url(Path)).RespondResource("Errors/422.json", HttpStatusCode.UnprocessableEntity);

        var ex = Assert.ThrowsAsync<ConvAiApiException>(() => Fixture.Client.Conversations.GetAsync("conv_1"));

        Assert.Multiple(() =>
        {
            Assert.That(ex!.StatusCode, Is.EqualTo(HttpStatusCode.UnprocessableEntity));
            Assert.That(ex.ValidationErrors, Has.Count.EqualTo(2));
            Assert.That(ex.ValidationErrors[0].Location, Is.EqualTo(new[] { "body", "to_number" }));
            Assert.That(ex.ValidationErrors[0].Message, Is.EqualTo("Field required"));
            Assert.That(ex.ValidationErrors[0].Type, Is.EqualTo("missing"));
            Assert.That(ex.ValidationErrors[1].Location, Is.EqualTo(new[] { "body", "recipients", "0", "phone_number" }));
            Assert.That(ex.IsTransient, Is.False);
            Assert.That(ex.Message, Does.Contain("422").And.Contain("body.to_number: Field required"));
        });
    }

    [Test]
    public void GetAsync_404LegacyShape_ReadsStatusAsErrorCode()
    {
        Fixture.Mock.Expect(HttpMethod.Get, ClientFixture.Url(Path))
            .Respond(HttpStatusCode.NotFound, [new KeyValuePair<string, string>("request-id", "hdr_req_1")], "application/json", Resources.Read("Errors/404-legacy.json"));

        var ex = Assert.ThrowsAsync<ConvAiApiException>(() => Fixture.Client.Conversations.GetAsync("conv_1"));

        Assert.Multiple(() =>
        {
            Assert.That(ex!.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
            Assert.That(ex.ErrorCode, Is.EqualTo("conversation_not_found"));
            Assert.That(ex.ServerMessage, Is.EqualTo("Conversation conv_missing was not found."));
            Assert.That(ex.RequestId, Is.EqualTo("hdr_req_1"));
            Assert.That(ex.ValidationErrors, Is.Empty);
            Assert.That(ex.IsTransient, Is.False);
        });
    }

    [Test]
    public void GetAsync_401NewShape_ReadsCodeAndRequestIdFromBody()
    {
        Fixture.Mock.Expect(HttpMethod.Get, ClientFixture.Url(Path))
            .Respond(HttpStatusCode.Unauthorized, [new KeyValuePair<string, string>("request-id", "hdr_ignored")], "application/json", Resources.Read("Errors/401-new.json"));

        var ex = Assert.ThrowsAsync<ConvAiApiException>(() => Fixture.Client.Conversations.GetAsync("conv_1"));

        Assert.Multiple(() =>
        {
            Assert.That(ex!.ErrorCode, Is.EqualTo("invalid_api_key"));
            Assert.That(ex.ServerMessage, Is.EqualTo("Invalid API key."));
            Assert.That(ex.RequestId, Is.EqualTo("req_7f3a"));
            Assert.That(ex.Message, Does.Contain("401").And.Contain("Invalid API key.").And.Contain("req_7f3a"));
            Assert.That(ex.Message, Does.Not.Contain(ClientFixture.ApiKey));
        });
    }

    private static IEnumerable<TestCaseData> RateLimitBodies()
    {
        yield return new TestCaseData("""{"detail":{"status":"too_many_concurrent_requests","message":"Too many"}}""", "too_many_concurrent_requests").SetName("LegacyConcurrency");
        yield return new TestCaseData("""{"detail":{"status":"system_busy","message":"Busy"}}""", "system_busy").SetName("LegacySystemBusy");
        yield return new TestCaseData("""{"detail":{"code":"rate_limit_exceeded","message":"Slow down"}}""", "rate_limit_exceeded").SetName("NewRateLimit");
        yield return new TestCaseData(Resources.ReadStatic("Errors/429-concurrent.json"), "concurrent_limit_exceeded").SetName("NewConcurrency");
    }

    [TestCaseSource(nameof(RateLimitBodies))]
    public void GetAsync_429_ThrowsRateLimitWithCodeHeadersAndRetryAfter(string body, string code)
    {
        Fixture.Mock.Expect(HttpMethod.Get, ClientFixture.Url(Path)).Respond(_ =>
        {
            var response = new HttpResponseMessage(HttpStatusCode.TooManyRequests) { Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json") };
            response.Headers.Add("current-concurrent-requests", "5");
            response.Headers.Add("maximum-concurrent-requests", "4");
            response.Headers.RetryAfter = new System.Net.Http.Headers.RetryConditionHeaderValue(TimeSpan.FromSeconds(7));
            return response;
        });

        var ex = Assert.ThrowsAsync<ConvAiRateLimitException>(() => Fixture.Client.Conversations.GetAsync("conv_1"));

        Assert.Multiple(() =>
        {
            Assert.That(ex!.StatusCode, Is.EqualTo(HttpStatusCode.TooManyRequests));
            Assert.That(ex.RateLimitCode, Is.EqualTo(new RateLimitErrorCode(code)));
            Assert.That(ex.CurrentConcurrentRequests, Is.EqualTo(5));
            Assert.That(ex.MaximumConcurrentRequests, Is.EqualTo(4));
            Assert.That(ex.RetryAfter, Is.EqualTo(TimeSpan.FromSeconds(7)));
            Assert.That(ex.IsTransient, Is.True);
        });
    }

    [Test]
    public void GetAsync_429WithRetryAfterDate_ComputesDelayFromTimeProvider()
    {
        Fixture.Mock.Expect(HttpMethod.Get, ClientFixture.Url(Path)).Respond(_ =>
        {
            var response = new HttpResponseMessage(HttpStatusCode.TooManyRequests) { Content = new StringContent("") };
            response.Headers.RetryAfter = new System.Net.Http.Headers.RetryConditionHeaderValue(Fixture.Time.GetUtcNow().AddSeconds(30));
            return response;
        });

        var ex = Assert.ThrowsAsync<ConvAiRateLimitException>(() => Fixture.Client.Conversations.GetAsync("conv_1"));

        Assert.That(ex!.RetryAfter, Is.EqualTo(TimeSpan.FromSeconds(30)));
        Assert.That(ex.RateLimitCode, Is.Null);
        Assert.That(ex.CurrentConcurrentRequests, Is.Null);
    }

    [TestCase(HttpStatusCode.InternalServerError, "text/html", "<html><body>Internal Server Error</body></html>", true)]
    [TestCase(HttpStatusCode.BadGateway, "text/plain", "upstream connect error", true)]
    [TestCase(HttpStatusCode.Forbidden, "application/json", "{\"detail\":\"Forbidden\"}", false)]
    [TestCase(HttpStatusCode.ServiceUnavailable, "application/json", "", true)]
    [TestCase(HttpStatusCode.BadRequest, "application/json", "{not json", false)]
    [TestCase(HttpStatusCode.Conflict, "application/json", "[1,2]", false)]
    public void GetAsync_NonJsonOrEmptyErrorBody_ThrowsApiExceptionWithBody(HttpStatusCode status, string mediaType, string body, bool transient)
    {
        Fixture.Mock.Expect(HttpMethod.Get, ClientFixture.Url(Path)).Respond(status, mediaType, body);

        var ex = Assert.ThrowsAsync<ConvAiApiException>(() => Fixture.Client.Conversations.GetAsync("conv_1"));

        Assert.Multiple(() =>
        {
            Assert.That(ex!.StatusCode, Is.EqualTo(status));
            Assert.That(ex.IsTransient, Is.EqualTo(transient));
            Assert.That(ex.ResponseBody, Is.EqualTo(body.Length == 0 ? null : body));
            Assert.That(ex.Message, Does.Contain(((int)status).ToString(System.Globalization.CultureInfo.InvariantCulture)));
        });
    }

    [Test]
    public void GetAsync_LargeErrorBody_TruncatesResponseBody()
    {
        var body = new string('x', 20_000);
        Fixture.Mock.Expect(HttpMethod.Get, ClientFixture.Url(Path)).Respond(HttpStatusCode.InternalServerError, "text/plain", body);

        var ex = Assert.ThrowsAsync<ConvAiApiException>(() => Fixture.Client.Conversations.GetAsync("conv_1"));

        Assert.That(ex!.ResponseBody!.Length, Is.LessThanOrEqualTo(4097));
    }

    [Test]
    public void GetAsync_ErrorBodyEchoesApiKey_KeyIsRedacted()
    {
        var body = $$$"""{"detail":{"code":"invalid_api_key","message":"Key {{{ClientFixture.ApiKey}}} is invalid"}}""";
        Fixture.Mock.Expect(HttpMethod.Get, ClientFixture.Url(Path)).Respond(HttpStatusCode.Unauthorized, "application/json", body);

        var ex = Assert.ThrowsAsync<ConvAiApiException>(() => Fixture.Client.Conversations.GetAsync("conv_1"));

        Assert.That(ex!.ToString(), Does.Not.Contain(ClientFixture.ApiKey));
        Assert.That(ex.ResponseBody, Does.Not.Contain(ClientFixture.ApiKey));
        Assert.That(ex.ServerMessage, Does.Not.Contain(ClientFixture.ApiKey));
    }

    [TestCase("{\"agent_id\":")]
    [TestCase("<html>oops</html>")]
    [TestCase("{\"agent_id\":\"a\",\"status\":42}")]
    public void GetAsync_200WithUnreadableBody_ThrowsConvAiException(string body)
    {
        Fixture.Mock.Expect(HttpMethod.Get, ClientFixture.Url(Path)).Respond(HttpStatusCode.OK, "application/json", body);

        var ex = Assert.ThrowsAsync<ConvAiException>(() => Fixture.Client.Conversations.GetAsync("conv_1"));

        Assert.That(ex!.InnerException, Is.InstanceOf<System.Text.Json.JsonException>());
        Assert.That(ex.Message, Does.Contain("could not read"));
    }
}
