using System.Net;
using System.Text.Json.Nodes;
using System.Xml.Linq;
using ConvAi.Telephony;
using ConvAi.Telephony.AspNetCore;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using RichardSzalay.MockHttp;

namespace ConvAi.Telephony.AspNetCore.Tests.Inbound;

public class TwilioInboundEndpointTests
{
    private const string Path = "/twilio/inbound";
    private const string AuthToken = "twilio-auth-token";
    private const string RegisterCallUrl = "https://api.elevenlabs.io/v1/convai/twilio/register-call";
    private const string AgentTwiML = """<?xml version="1.0" encoding="UTF-8"?><Response><Connect><Stream url="wss://api.elevenlabs.io/v1/convai/conversation?agent_id=agent_fixed"/></Connect></Response>""";

    private static readonly string DefaultFallback = TwiML.SayAndHangup(TwilioInboundOptions.DefaultFallbackMessage);

    private static readonly Dictionary<string, string> CallForm = new()
    {
        ["AccountSid"] = "AC0001",
        ["CallSid"] = "CA0001",
        ["From"] = "+14155550100",
        ["To"] = "+14155550199",
        ["Direction"] = "inbound",
        ["CallerName"] = "Zoë",
    };

    private MockHttpMessageHandler _api = null!;
    private MockedRequest _registerCall = null!;
    private readonly List<string> _registerBodies = [];
    private WebApplication? _app;

    [SetUp]
    public void SetUp()
    {
        _registerBodies.Clear();
        _api = new MockHttpMessageHandler();
        _registerCall = _api.When(HttpMethod.Post, RegisterCallUrl).Respond(async request =>
        {
            _registerBodies.Add(await request.Content!.ReadAsStringAsync());
            return new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(AgentTwiML, System.Text.Encoding.UTF8, "text/html") };
        });
    }

    [TearDown]
    public async Task TearDown()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }

        _api.Dispose();
    }

    [Test]
    public async Task Post_FixedAgent_RegistersCallAndAnswersItsTwiML()
    {
        using var client = await StartAsync();

        using var response = await client.SendAsync(SignedRequest("http://localhost" + Path));

        await AssertTwiMLAsync(response, AgentTwiML);
        Assert.That(_api.GetMatchCount(_registerCall), Is.EqualTo(1));
        AssertJson(_registerBodies.Single(), """{"agent_id":"agent_fixed","from_number":"+14155550100","to_number":"+14155550199","direction":"inbound"}""");
    }

    [TestCase("anonymous")]
    [TestCase("Restricted")]
    public async Task Post_CallerIdWithheld_StillReachesTheAgent(string from)
    {
        using var client = await StartAsync();
        var form = new Dictionary<string, string>(CallForm) { ["From"] = from };

        using var response = await client.SendAsync(SignedRequest("http://localhost" + Path, form: form));

        await AssertTwiMLAsync(response, AgentTwiML);
        AssertJson(_registerBodies.Single(), $$"""{"agent_id":"agent_fixed","from_number":"{{from}}","to_number":"+14155550199","direction":"inbound"}""");
    }

    [Test]
    public async Task Post_RouterChoosesAgentWithClientData_SendsThemInRegisterCall()
    {
        TwilioInboundCall? seen = null;
        using var client = await StartAsync(router: (call, _) =>
        {
            seen = call;
            return ValueTask.FromResult(TwilioCallRoute.ToAgent("agent_vip", new ConversationInitiationClientData
            {
                DynamicVariables = new Dictionary<string, JsonNode?> { ["customer_name"] = "Ana", ["tier"] = 2, [DynamicVariables.Secret("account")] = "A-9" },
                UserId = "cust-9",
            }));
        });

        using var response = await client.SendAsync(SignedRequest("http://localhost" + Path));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        AssertJson(_registerBodies.Single(), """
            {"agent_id":"agent_vip","from_number":"+14155550100","to_number":"+14155550199","direction":"inbound",
             "conversation_initiation_client_data":{"dynamic_variables":{"customer_name":"Ana","tier":2,"secret__account":"A-9"},"user_id":"cust-9"}}
            """);
        Assert.Multiple(() =>
        {
            Assert.That(seen!.CallSid, Is.EqualTo("CA0001"));
            Assert.That(seen.From, Is.EqualTo("+14155550100"));
            Assert.That(seen.To, Is.EqualTo("+14155550199"));
            Assert.That(seen.Direction, Is.EqualTo("inbound"));
            Assert.That(seen.AccountSid, Is.EqualTo("AC0001"));
            Assert.That(seen.Form["CallerName"].ToString(), Is.EqualTo("Zoë"));
        });
    }

    [Test]
    public async Task Post_RouterFromServices_IsUsed()
    {
        _app = await InboundTestHost.StartAsync(
            services =>
            {
                AddServices(services, o => o.AgentId = null, time: null);
                services.AddSingleton<ConvAiTwilioCallRouter>(new FixedRouter(TwilioCallRoute.ToAgent("agent_di")));
            },
            app => app.MapConvAiTwilioInboundCalls(Path));

        using var response = await _app.GetTestClient().SendAsync(SignedRequest("http://localhost" + Path));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(JsonNode.Parse(_registerBodies.Single())!["agent_id"]!.GetValue<string>(), Is.EqualTo("agent_di"));
    }

    private static IEnumerable<TestCaseData> RouterAnswers()
    {
        yield return new TestCaseData(TwiML.Reject()).SetArgDisplayNames("Reject");
        yield return new TestCaseData(TwiML.Dial("+14155550123")).SetArgDisplayNames("Dial a human");
    }

    [TestCaseSource(nameof(RouterAnswers))]
    public async Task Post_RouterAnswersOwnTwiML_AnswersItWithoutRegisterCall(string twiml)
    {
        using var client = await StartAsync(router: (_, _) => ValueTask.FromResult(TwilioCallRoute.Answer(twiml)));

        using var response = await client.SendAsync(SignedRequest("http://localhost" + Path));

        await AssertTwiMLAsync(response, twiml);
        Assert.That(_api.GetMatchCount(_registerCall), Is.Zero);
    }

    private static IEnumerable<TestCaseData> RegisterCallFailures()
    {
        yield return new TestCaseData(HttpStatusCode.InternalServerError, """{"detail":{"status":"error","message":"boom"}}""").SetArgDisplayNames("500");
        yield return new TestCaseData(HttpStatusCode.BadGateway, "bad gateway").SetArgDisplayNames("502");
        yield return new TestCaseData(HttpStatusCode.UnprocessableEntity, """{"detail":[{"loc":["body","agent_id"],"msg":"bad","type":"value_error"}]}""").SetArgDisplayNames("422");
        yield return new TestCaseData(HttpStatusCode.Unauthorized, """{"detail":{"status":"invalid_api_key","message":"no"}}""").SetArgDisplayNames("401");
    }

    [TestCaseSource(nameof(RegisterCallFailures))]
    public async Task Post_RegisterCallFails_AnswersFallbackTwiML(HttpStatusCode status, string body)
    {
        _api.Clear();
        var failing = _api.When(HttpMethod.Post, RegisterCallUrl).Respond(status, "application/json", body);
        using var client = await StartAsync();

        using var response = await client.SendAsync(SignedRequest("http://localhost" + Path));

        await AssertTwiMLAsync(response, DefaultFallback);
        Assert.That(_api.GetMatchCount(failing), Is.EqualTo(1));
    }

    [Test]
    public async Task Post_RegisterCallConnectionFails_AnswersFallbackDial()
    {
        _api.Clear();
        _api.When(HttpMethod.Post, RegisterCallUrl).Throw(new HttpRequestException("reset", null, HttpStatusCode.BadGateway));
        using var client = await StartAsync(o => o.FallbackDialNumber = "+14155550123");

        using var response = await client.SendAsync(SignedRequest("http://localhost" + Path));

        await AssertTwiMLAsync(response, TwiML.Dial("+14155550123"));
    }

    [Test]
    public async Task Post_RouterSetsReservedSystemVariable_AnswersFallbackWithoutRegisterCall()
    {
        using var client = await StartAsync(router: (_, _) => ValueTask.FromResult(TwilioCallRoute.ToAgent(clientData: new ConversationInitiationClientData
        {
            DynamicVariables = new Dictionary<string, JsonNode?> { ["system__caller_id"] = "+1" },
        })));

        using var response = await client.SendAsync(SignedRequest("http://localhost" + Path));

        await AssertTwiMLAsync(response, DefaultFallback);
        Assert.That(_api.GetMatchCount(_registerCall), Is.Zero);
    }

    [Test]
    public async Task Post_RouterThrows_AnswersConfiguredFallbackTwiML()
    {
        var fallback = TwiML.Reject(busySignal: true);
        using var client = await StartAsync(o => o.FallbackTwiML = fallback, router: (_, _) => throw new InvalidOperationException("crm down"));

        using var response = await client.SendAsync(SignedRequest("http://localhost" + Path));

        await AssertTwiMLAsync(response, fallback);
        Assert.That(_api.GetMatchCount(_registerCall), Is.Zero);
    }

    [Test]
    public async Task Post_RegisterCallSlowerThanTimeout_AnswersFallbackTwiML()
    {
        _api.Clear();
        var arrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _api.When(HttpMethod.Post, RegisterCallUrl).Respond(async _ =>
        {
            arrived.SetResult();
            await release.Task;
            return new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(AgentTwiML) };
        });
        var time = new FakeTimeProvider();
        using var client = await StartAsync(o => o.RegisterCallTimeout = TimeSpan.FromSeconds(5), time: time);

        var pending = client.SendAsync(SignedRequest("http://localhost" + Path));
        await arrived.Task.WaitAsync(TimeSpan.FromSeconds(30));
        time.Advance(TimeSpan.FromSeconds(4));
        Assert.That(pending.IsCompleted, Is.False);
        time.Advance(TimeSpan.FromSeconds(1));
        using var response = await pending.WaitAsync(TimeSpan.FromSeconds(30));
        release.SetResult();

        await AssertTwiMLAsync(response, DefaultFallback);
        await DisposeAppWhileTheClockTicksAsync(time);
    }

    [TestCase(null, TestName = "Post_MissingSignature_Returns403WithoutRegisterCall")]
    [TestCase("0/KCTR6DLpKmkAf8muzZqo1nDgQ=", TestName = "Post_WrongSignature_Returns403WithoutRegisterCall")]
    [TestCase("garbage", TestName = "Post_MalformedSignature_Returns403WithoutRegisterCall")]
    public async Task Post_BadSignature_Returns403WithoutRegisterCall(string? signature)
    {
        using var client = await StartAsync();
        var request = Request(CallForm);
        if (signature is not null)
        {
            request.Headers.Add(TwilioRequestValidator.HeaderName, signature);
        }

        using var response = await client.SendAsync(request);

        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
            Assert.That(_api.GetMatchCount(_registerCall), Is.Zero);
        });
    }

    [Test]
    public async Task Post_FieldChangedAfterSigning_Returns403WithoutRegisterCall()
    {
        using var client = await StartAsync();
        var signature = Sign("http://localhost" + Path, CallForm);
        var tampered = new Dictionary<string, string>(CallForm) { ["To"] = "+19005550100" };
        var request = Request(tampered);
        request.Headers.Add(TwilioRequestValidator.HeaderName, signature);

        using var response = await client.SendAsync(request);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That(_api.GetMatchCount(_registerCall), Is.Zero);
    }

    [TestCase(true, HttpStatusCode.OK, TestName = "Post_BehindProxyWithForwardedHeaders_Accepted")]
    [TestCase(false, HttpStatusCode.Forbidden, TestName = "Post_BehindProxyWithoutForwardedHeadersMiddleware_Returns403")]
    public async Task Post_BehindProxy_ValidatesPublicUrl(bool useForwardedHeaders, HttpStatusCode expected)
    {
        _app = await InboundTestHost.StartAsync(
            services => AddServices(services, _ => { }, time: null),
            app =>
            {
                if (useForwardedHeaders)
                {
                    var forwarded = new ForwardedHeadersOptions { ForwardedHeaders = ForwardedHeaders.XForwardedProto | ForwardedHeaders.XForwardedHost };
#if NET10_0_OR_GREATER
                    forwarded.KnownIPNetworks.Clear();
#else
                    forwarded.KnownNetworks.Clear();
#endif
                    forwarded.KnownProxies.Clear();
                    app.UseForwardedHeaders(forwarded);
                }

                app.MapConvAiTwilioInboundCalls(Path);
            });
        var request = SignedRequest("https://voice.example.com" + Path + "?tenant=acme", Path + "?tenant=acme");
        request.Headers.Add("X-Forwarded-Proto", "https");
        request.Headers.Add("X-Forwarded-Host", "voice.example.com");

        using var response = await _app.GetTestClient().SendAsync(request);

        Assert.That(response.StatusCode, Is.EqualTo(expected));
    }

    [TestCase("https://voice.example.com", "https://voice.example.com/twilio/inbound?tenant=acme", HttpStatusCode.OK, TestName = "Post_PublicBaseUrl_ValidatesAgainstIt")]
    [TestCase("https://voice.example.com/", "https://voice.example.com:443/twilio/inbound?tenant=acme", HttpStatusCode.OK, TestName = "Post_PublicBaseUrlSignedWithDefaultPort_Accepted")]
    [TestCase("https://voice.example.com", "http://localhost/twilio/inbound?tenant=acme", HttpStatusCode.Forbidden, TestName = "Post_PublicBaseUrlButSignedForInternalUrl_Returns403")]
    public async Task Post_PublicBaseUrl_ValidatesConfiguredUrl(string publicBaseUrl, string signedUrl, HttpStatusCode expected)
    {
        using var client = await StartAsync(o => o.PublicBaseUrl = new Uri(publicBaseUrl));

        using var response = await client.SendAsync(SignedRequest(signedUrl, Path + "?tenant=acme"));

        Assert.That(response.StatusCode, Is.EqualTo(expected));
    }

    [TestCase("CallSid", TestName = "Post_MissingCallSid_Returns400")]
    [TestCase("From", TestName = "Post_MissingFrom_Returns400")]
    [TestCase("To", TestName = "Post_MissingTo_Returns400")]
    public async Task Post_MissingRequiredField_Returns400(string field)
    {
        using var client = await StartAsync();
        var form = new Dictionary<string, string>(CallForm);
        form.Remove(field);

        using var response = await client.SendAsync(SignedRequest("http://localhost" + Path, Path, form));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(_api.GetMatchCount(_registerCall), Is.Zero);
    }

    [Test]
    public async Task Post_JsonBody_Returns400()
    {
        using var client = await StartAsync();

        using var response = await client.PostAsync(Path, new StringContent("{}", System.Text.Encoding.UTF8, "application/json"));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
    }

    [TestCase(null, false, "Production", "ConvAi:Twilio:AuthToken is required", TestName = "Start_NoAuthToken_FailsNamingAuthTokenKey")]
    [TestCase(null, true, "Production", "ConvAi:Twilio:DangerouslyDisableSignatureValidation is allowed only in the Development environment", TestName = "Start_SignatureOptOutInProduction_Fails")]
    public void Start_InvalidOptions_ThrowsOptionsValidationException(string? authToken, bool optOut, string environment, string expectedMessage)
    {
        var exception = Assert.ThrowsAsync<OptionsValidationException>(() => InboundTestHost.StartAsync(
            services => AddServices(services, o =>
            {
                o.AuthToken = authToken;
                o.DangerouslyDisableSignatureValidation = optOut;
            }, time: null),
            app => app.MapConvAiTwilioInboundCalls(Path),
            environment));
        Assert.That(exception!.Message, Does.Contain(expectedMessage));
    }

    [Test]
    public void Start_PublicBaseUrlWithQuery_FailsNamingKey()
    {
        var exception = Assert.ThrowsAsync<OptionsValidationException>(() => InboundTestHost.StartAsync(
            services => AddServices(services, o => o.PublicBaseUrl = new Uri("https://voice.example.com/?x=1"), time: null),
            app => app.MapConvAiTwilioInboundCalls(Path)));
        Assert.That(exception!.Message, Does.Contain("ConvAi:Twilio:PublicBaseUrl must be an absolute http or https URL"));
    }

    [Test]
    public async Task Start_OptionsFromConfiguration_BindsTwilioSection()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConvAi:Twilio:AuthToken"] = AuthToken,
            ["ConvAi:Twilio:PublicBaseUrl"] = "https://voice.example.com/app",
            ["ConvAi:Twilio:AgentId"] = "agent_cfg",
            ["ConvAi:Twilio:RegisterCallTimeout"] = "00:00:07",
            ["ConvAi:Twilio:FallbackDialNumber"] = "+14155550123",
        }).Build();
        _app = await InboundTestHost.StartAsync(
            services =>
            {
                services.AddConvAiTelephony(o => o.ApiKey = "test-api-key").HttpClientBuilder.ConfigurePrimaryHttpMessageHandler(() => _api);
                services.AddConvAiTwilioInboundCalls(configuration.GetSection(TwilioInboundOptions.SectionName));
            },
            app => app.MapConvAiTwilioInboundCalls(Path));

        var options = _app.Services.GetRequiredService<IOptions<TwilioInboundOptions>>().Value;

        Assert.Multiple(() =>
        {
            Assert.That(options.AuthToken, Is.EqualTo(AuthToken));
            Assert.That(options.PublicBaseUrl, Is.EqualTo(new Uri("https://voice.example.com/app")));
            Assert.That(options.AgentId, Is.EqualTo("agent_cfg"));
            Assert.That(options.RegisterCallTimeout, Is.EqualTo(TimeSpan.FromSeconds(7)));
            Assert.That(options.FallbackDialNumber, Is.EqualTo("+14155550123"));
        });
    }

    [Test]
    public async Task Post_PublicBaseUrlWithPath_PrefixesRequestPath()
    {
        using var client = await StartAsync(o => o.PublicBaseUrl = new Uri("https://example.com/voice/"));

        using var response = await client.SendAsync(SignedRequest("https://example.com/voice" + Path));

        await AssertTwiMLAsync(response, AgentTwiML);
    }

    [Test]
    public async Task Post_SignatureOptOutInDevelopment_AcceptsUnsignedRequest()
    {
        _app = await InboundTestHost.StartAsync(
            services => AddServices(services, o =>
            {
                o.AuthToken = null;
                o.DangerouslyDisableSignatureValidation = true;
            }, time: null),
            app => app.MapConvAiTwilioInboundCalls(Path),
            environment: "Development");

        using var response = await _app.GetTestClient().SendAsync(Request(CallForm));

        await AssertTwiMLAsync(response, AgentTwiML);
    }

    [Test]
    public async Task Post_OnKestrelLoopback_RegistersCallAndAnswersTwiML()
    {
        _app = await InboundTestHost.StartAsync(
            services => AddServices(services, _ => { }, time: null),
            app => app.MapConvAiTwilioInboundCalls(Path),
            useKestrel: true);
        var baseUrl = _app.Urls.Single();
        Assert.That(baseUrl, Does.StartWith("http://127.0.0.1:"));
        using var client = new HttpClient { BaseAddress = new Uri(baseUrl) };

        using var response = await client.SendAsync(SignedRequest(baseUrl + Path));

        await AssertTwiMLAsync(response, AgentTwiML);
        AssertJson(_registerBodies.Single(), """{"agent_id":"agent_fixed","from_number":"+14155550100","to_number":"+14155550199","direction":"inbound"}""");
    }

    private async Task<HttpClient> StartAsync(
        Action<TwilioInboundOptions>? configure = null,
        Func<TwilioInboundCall, CancellationToken, ValueTask<TwilioCallRoute>>? router = null,
        TimeProvider? time = null)
    {
        _app = await InboundTestHost.StartAsync(
            services => AddServices(services, configure ?? (_ => { }), time),
            app =>
            {
                if (router is null)
                {
                    app.MapConvAiTwilioInboundCalls(Path);
                }
                else
                {
                    app.MapConvAiTwilioInboundCalls(Path, router);
                }
            });
        return _app.GetTestClient();
    }

    /// <summary>
    /// Disposes the app while <paramref name="time"/> ticks. The abandoned register call finishes on another thread after
    /// the test released it, and the client's resilience pipeline, on disposal, waits for executions still in flight by
    /// sleeping on the container's clock (Polly's execution tracking): on a fake clock nobody advances, that wait never ends.
    /// </summary>
    private async Task DisposeAppWhileTheClockTicksAsync(FakeTimeProvider time)
    {
        var disposing = _app!.DisposeAsync().AsTask();
        _app = null;
        for (var i = 0; i < 600 && !disposing.IsCompleted; i++)
        {
            time.Advance(TimeSpan.FromSeconds(1));
            await Task.WhenAny(disposing, Task.Delay(10));
        }

        await disposing.WaitAsync(TimeSpan.FromSeconds(30));
    }

    private void AddServices(IServiceCollection services, Action<TwilioInboundOptions> configure, TimeProvider? time)
    {
        services.AddConvAiTelephony(o => o.ApiKey = "test-api-key")
            .HttpClientBuilder.ConfigurePrimaryHttpMessageHandler(() => _api);
        services.AddConvAiTwilioInboundCalls(o =>
        {
            o.AuthToken = AuthToken;
            o.AgentId = "agent_fixed";
            configure(o);
        });
        if (time is not null)
        {
            services.AddSingleton<TimeProvider>(time);
        }
    }

    private static HttpRequestMessage SignedRequest(string signedUrl, string requestPath = Path, Dictionary<string, string>? form = null)
    {
        form ??= CallForm;
        var request = Request(form, requestPath);
        request.Headers.Add(TwilioRequestValidator.HeaderName, Sign(signedUrl, form));
        return request;
    }

    private static HttpRequestMessage Request(Dictionary<string, string> form, string requestPath = Path) =>
        new(HttpMethod.Post, requestPath) { Content = new FormUrlEncodedContent(form) };

    private static string Sign(string url, Dictionary<string, string> form) => new TwilioRequestValidator(AuthToken).ComputeSignature(url, form);

    private static async Task AssertTwiMLAsync(HttpResponseMessage response, string expected)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(response.Content.Headers.ContentType!.MediaType, Is.EqualTo("text/xml"));
            Assert.That(body, Is.EqualTo(expected));
            Assert.That(() => XDocument.Parse(body), Throws.Nothing, "well-formed XML");
        });
    }

    private static void AssertJson(string actual, string expected) =>
        Assert.That(JsonNode.DeepEquals(JsonNode.Parse(actual), JsonNode.Parse(expected)), Is.True, actual);

    private sealed class FixedRouter(TwilioCallRoute route) : ConvAiTwilioCallRouter
    {
        public override ValueTask<TwilioCallRoute> RouteAsync(TwilioInboundCall call, CancellationToken cancellationToken = default) => ValueTask.FromResult(route);
    }
}
