using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using ConvAi.Telephony;
using ConvAi.Telephony.AspNetCore;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace ConvAi.Telephony.AspNetCore.Tests.Inbound;

public class ConversationInitiationEndpointTests
{
    private const string Path = "/webhooks/elevenlabs/initiation";
    private const string Secret = "initiation-secret-value";

    private const string JsonRequest =
        """{"caller_id":"+14155550100","agent_id":"agent_123","called_number":"+14155550199","call_sid":"CA42","future_field":{"a":1}}""";

    private readonly List<ConversationInitiationRequest> _received = [];
    private Func<ConversationInitiationRequest, CancellationToken, ValueTask<ConversationInitiationResponse>> _handler = null!;
    private WebApplication? _app;

    [SetUp]
    public void SetUp()
    {
        _received.Clear();
        _handler = (_, _) => ValueTask.FromResult(new ConversationInitiationResponse
        {
            DynamicVariables = new Dictionary<string, JsonNode?> { ["customer_name"] = "Ana", ["visits"] = 3, ["vip"] = true, ["note"] = null },
            UserId = "user-7",
        });
    }

    [TearDown]
    public async Task TearDown()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }
    }

    // ElevenLabs posts JSON; the endpoint also accepts a form post (as Twilio-style callers send). Unknown fields are
    // kept in AdditionalProperties either way.
    [TestCase("json", "future_field", """{"a":1}""", TestName = "Post_JsonBody_PassesTypedRequestAndAnswersResponseJson")]
    [TestCase("form", "extra", "\"kept\"", TestName = "Post_FormBody_PassesTypedRequestAndAnswersResponseJson")]
    public async Task Post_Body_PassesTypedRequestAndAnswersResponseJson(string format, string extraField, string extraJson)
    {
        using var client = await StartAsync();
        HttpContent content = format == "json"
            ? Json(JsonRequest)
            : new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["caller_id"] = "+14155550100",
                ["agent_id"] = "agent_123",
                ["called_number"] = "+14155550199",
                ["call_sid"] = "CA42",
                ["extra"] = "kept",
            });

        using var response = await client.SendAsync(Request(content));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(response.Content.Headers.ContentType!.MediaType, Is.EqualTo("application/json"));
        Assert.That(JsonNode.DeepEquals(JsonNode.Parse(await response.Content.ReadAsStringAsync()), JsonNode.Parse(
            """{"type":"conversation_initiation_client_data","dynamic_variables":{"customer_name":"Ana","visits":3,"vip":true,"note":null},"user_id":"user-7"}""")), Is.True,
            await response.Content.ReadAsStringAsync());
        var request = _received.Single();
        Assert.Multiple(() =>
        {
            Assert.That(request.CallerId, Is.EqualTo("+14155550100"));
            Assert.That(request.AgentId, Is.EqualTo("agent_123"));
            Assert.That(request.CalledNumber, Is.EqualTo("+14155550199"));
            Assert.That(request.CallSid, Is.EqualTo("CA42"));
            Assert.That(request.AdditionalProperties!.Keys, Is.EquivalentTo(new[] { extraField }));
            Assert.That(request.AdditionalProperties[extraField].GetRawText(), Is.EqualTo(extraJson));
        });
    }

    [TestCase(null, TestName = "Post_MissingSecretHeader_Returns401")]
    [TestCase("", TestName = "Post_EmptySecretHeader_Returns401")]
    [TestCase("initiation-secret-valuf", TestName = "Post_WrongSecretSameLength_Returns401")]
    [TestCase("initiation-secret-value-longer", TestName = "Post_SecretWithSuffix_Returns401")]
    [TestCase("INITIATION-SECRET-VALUE", TestName = "Post_SecretOtherCase_Returns401")]
    public async Task Post_BadSecret_Returns401WithoutCallingHandler(string? secret)
    {
        using var client = await StartAsync();

        using var response = await client.SendAsync(Request(Json(JsonRequest), secret));

        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
            Assert.That(_received, Is.Empty);
        });
    }

    [Test]
    public async Task Post_SecretInConfiguredHeader_Returns200()
    {
        using var client = await StartAsync(o => o.HeaderName = "Authorization");
        var request = Request(Json(JsonRequest), secret: null);
        request.Headers.TryAddWithoutValidation("Authorization", Secret);

        using var response = await client.SendAsync(request);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [TestCase("{", TestName = "Post_TruncatedJson_Returns400")]
    [TestCase("[]", TestName = "Post_JsonArray_Returns400")]
    [TestCase("null", TestName = "Post_JsonNull_Returns400")]
    [TestCase("", TestName = "Post_EmptyBody_Returns400")]
    [TestCase("""{"caller_id":5}""", TestName = "Post_WrongFieldType_Returns400")]
    public async Task Post_MalformedBody_Returns400WithoutCallingHandler(string body)
    {
        using var client = await StartAsync();

        using var response = await client.SendAsync(Request(Json(body)));

        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
            Assert.That(_received, Is.Empty);
        });
    }

    [Test]
    public async Task Post_HandlerThrows_AnswersDefaultResponse()
    {
        _handler = (_, _) => throw new InvalidOperationException("database down");
        using var client = await StartAsync(o => o.DefaultDynamicVariables["customer_name"] = "there");

        using var response = await client.SendAsync(Request(Json(JsonRequest)));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(await response.Content.ReadAsStringAsync(),
            Is.EqualTo("""{"type":"conversation_initiation_client_data","dynamic_variables":{"customer_name":"there"}}"""));
    }

    [Test]
    public async Task Post_HandlerReturnsReservedSystemVariable_AnswersDefaultResponse()
    {
        _handler = (_, _) => ValueTask.FromResult(new ConversationInitiationResponse
        {
            DynamicVariables = new Dictionary<string, JsonNode?> { ["customer_name"] = "Ana", ["system__caller_id"] = "+1" },
        });
        using var client = await StartAsync(o => o.DefaultDynamicVariables["customer_name"] = "there");

        using var response = await client.SendAsync(Request(Json(JsonRequest)));

        Assert.That(await response.Content.ReadAsStringAsync(),
            Is.EqualTo("""{"type":"conversation_initiation_client_data","dynamic_variables":{"customer_name":"there"}}"""));
    }

    [Test]
    public async Task Post_HandlerSlowerThanTimeout_AnswersDefaultResponse()
    {
        var time = new FakeTimeProvider();
        var entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var handlerToken = CancellationToken.None;
        _handler = async (_, cancellationToken) =>
        {
            handlerToken = cancellationToken;
            entered.SetResult();
            await Task.Delay(Timeout.Infinite, CancellationToken.None); // ignores its token on purpose
            throw new UnreachableException();
        };
        using var client = await StartAsync(o => o.HandlerTimeout = TimeSpan.FromSeconds(2), time);

        var pending = client.SendAsync(Request(Json(JsonRequest)));
        await entered.Task;
        time.Advance(TimeSpan.FromSeconds(1.9));
        Assert.That(pending.IsCompleted, Is.False);
        time.Advance(TimeSpan.FromSeconds(0.1));
        using var response = await pending;
        var body = await response.Content.ReadAsStringAsync();

        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(body, Is.EqualTo("""{"type":"conversation_initiation_client_data","dynamic_variables":{}}"""));
            Assert.That(handlerToken.IsCancellationRequested, Is.True);
        });
    }

    [Test]
    public async Task Post_ResolvedHandlerFromServices_AnswersItsResponse()
    {
        _app = await InboundTestHost.StartAsync(
            services =>
            {
                services.AddConvAiConversationInitiation(o => o.Secret = Secret);
                services.AddSingleton<ConvAiConversationInitiationHandler>(new FixedHandler(new ConversationInitiationResponse { BranchId = "b1" }));
            },
            app => app.MapConvAiConversationInitiation(Path));
        using var client = _app.GetTestClient();

        using var response = await client.SendAsync(Request(Json(JsonRequest)));

        Assert.That(await response.Content.ReadAsStringAsync(), Is.EqualTo("""{"type":"conversation_initiation_client_data","branch_id":"b1"}"""));
    }

    [TestCase(null, false, "Production", "ConvAi:ConversationInitiation:Secret is required", TestName = "Start_NoSecret_FailsNamingSecretKey")]
    [TestCase(null, true, "Production", "ConvAi:ConversationInitiation:DangerouslyDisableAuthentication is allowed only in the Development environment", TestName = "Start_OptOutInProduction_Fails")]
    [TestCase(Secret, true, "Staging", "DangerouslyDisableAuthentication is allowed only in the Development environment", TestName = "Start_OptOutWithSecretInStaging_Fails")]
    public void Start_InvalidOptions_ThrowsOptionsValidationException(string? secret, bool optOut, string environment, string expectedMessage)
    {
        var exception = Assert.ThrowsAsync<OptionsValidationException>(() => InboundTestHost.StartAsync(
            services => services.AddConvAiConversationInitiation(o =>
            {
                o.Secret = secret;
                o.DangerouslyDisableAuthentication = optOut;
            }),
            app => app.MapConvAiConversationInitiation(Path, _handler),
            environment));
        Assert.That(exception!.Message, Does.Contain(expectedMessage));
    }

    [Test]
    public async Task Post_OptOutInDevelopment_AcceptsWithoutSecret()
    {
        _app = await InboundTestHost.StartAsync(
            services => services.AddConvAiConversationInitiation(o => o.DangerouslyDisableAuthentication = true),
            app => app.MapConvAiConversationInitiation(Path, Handle),
            environment: "Development");
        using var client = _app.GetTestClient();

        using var response = await client.SendAsync(Request(Json(JsonRequest), secret: null));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task Start_OptionsFromConfiguration_BindsSection()
    {
        _app = await InboundTestHost.StartAsync(
            services =>
            {
                var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
                {
                    ["ConvAi:ConversationInitiation:Secret"] = Secret,
                    ["ConvAi:ConversationInitiation:HeaderName"] = "X-Custom",
                    ["ConvAi:ConversationInitiation:HandlerTimeout"] = "00:00:05",
                    ["ConvAi:ConversationInitiation:DefaultDynamicVariables:customer_name"] = "friend",
                }).Build();
                services.AddConvAiConversationInitiation(configuration.GetSection(ConversationInitiationOptions.SectionName));
            },
            app => app.MapConvAiConversationInitiation(Path, Handle));

        var options = _app.Services.GetRequiredService<IOptions<ConversationInitiationOptions>>().Value;

        Assert.Multiple(() =>
        {
            Assert.That(options.Secret, Is.EqualTo(Secret));
            Assert.That(options.HeaderName, Is.EqualTo("X-Custom"));
            Assert.That(options.HandlerTimeout, Is.EqualTo(TimeSpan.FromSeconds(5)));
            Assert.That(options.DefaultDynamicVariables, Is.EqualTo(new Dictionary<string, string> { ["customer_name"] = "friend" }));
        });
    }

    private async Task<HttpClient> StartAsync(Action<ConversationInitiationOptions>? configure = null, TimeProvider? time = null)
    {
        _app = await InboundTestHost.StartAsync(
            services =>
            {
                services.AddConvAiConversationInitiation(o =>
                {
                    o.Secret = Secret;
                    configure?.Invoke(o);
                });
                if (time is not null)
                {
                    services.AddSingleton<TimeProvider>(time);
                }
            },
            app => app.MapConvAiConversationInitiation(Path, Handle));
        return _app.GetTestClient();
    }

    private ValueTask<ConversationInitiationResponse> Handle(ConversationInitiationRequest request, CancellationToken cancellationToken)
    {
        _received.Add(request);
        return _handler(request, cancellationToken);
    }

    private static HttpRequestMessage Request(HttpContent content, string? secret = Secret)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, Path) { Content = content };
        if (secret is not null)
        {
            request.Headers.TryAddWithoutValidation(ConversationInitiationOptions.DefaultHeaderName, secret);
        }

        return request;
    }

    private static StringContent Json(string body) => new(body, Encoding.UTF8, new MediaTypeHeaderValue("application/json"));

    private sealed class FixedHandler(ConversationInitiationResponse response) : ConvAiConversationInitiationHandler
    {
        public override ValueTask<ConversationInitiationResponse> HandleAsync(ConversationInitiationRequest request, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult(response);
    }
}
