using System.Net;
using ConvAi.Telephony.Tests.TestSupport;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using RichardSzalay.MockHttp;

namespace ConvAi.Telephony.Tests.Configuration;

public class OptionsTests
{
    private static IEnumerable<TestCaseData> InvalidOptions()
    {
        yield return new TestCaseData((Action<ConvAiTelephonyOptions>)(o => o.ApiKey = null), "ConvAi:ApiKey is required.").SetName("NullApiKey");
        yield return new TestCaseData((Action<ConvAiTelephonyOptions>)(o => o.ApiKey = ""), "ConvAi:ApiKey is required.").SetName("EmptyApiKey");
        yield return new TestCaseData((Action<ConvAiTelephonyOptions>)(o => o.ApiKey = "  "), "ConvAi:ApiKey is required.").SetName("WhitespaceApiKey");
        yield return new TestCaseData((Action<ConvAiTelephonyOptions>)(o => o.BaseAddress = new Uri("/relative", UriKind.Relative)), "ConvAi:BaseAddress must be an absolute http or https URI.").SetName("RelativeBaseAddress");
        yield return new TestCaseData((Action<ConvAiTelephonyOptions>)(o => o.BaseAddress = new Uri("ftp://example.com")), "ConvAi:BaseAddress must be an absolute http or https URI.").SetName("FtpBaseAddress");
        yield return new TestCaseData((Action<ConvAiTelephonyOptions>)(o => o.Environment = (ConvAiEnvironment)42), "ConvAi:Environment '42' is not a known environment.").SetName("UnknownEnvironment");
        yield return new TestCaseData((Action<ConvAiTelephonyOptions>)(o => o.Timeout = TimeSpan.Zero), "ConvAi:Timeout must be positive (or infinite).").SetName("ZeroTimeout");
        yield return new TestCaseData((Action<ConvAiTelephonyOptions>)(o => o.Resilience.AttemptTimeout = TimeSpan.FromSeconds(-1)), "ConvAi:Resilience:AttemptTimeout must be positive.").SetName("NegativeAttemptTimeout");
        yield return new TestCaseData((Action<ConvAiTelephonyOptions>)(o => o.Resilience.AttemptTimeout = TimeSpan.FromMinutes(5)), "ConvAi:Resilience:AttemptTimeout must not exceed ConvAi:Resilience:TotalTimeout.").SetName("AttemptLongerThanTotal");
        yield return new TestCaseData((Action<ConvAiTelephonyOptions>)(o => o.Timeout = TimeSpan.FromSeconds(30)), "ConvAi:Resilience:TotalTimeout must not exceed ConvAi:Timeout.").SetName("TotalLongerThanTimeout");
        yield return new TestCaseData((Action<ConvAiTelephonyOptions>)(o => o.Resilience.MaxRetryAttempts = -1), "ConvAi:Resilience:MaxRetryAttempts must be between 0 and 10.").SetName("NegativeRetries");
        yield return new TestCaseData((Action<ConvAiTelephonyOptions>)(o => o.Resilience.CircuitBreakerFailureRatio = 0), "ConvAi:Resilience:CircuitBreakerFailureRatio must be greater than 0 and at most 1.").SetName("ZeroFailureRatio");
        yield return new TestCaseData((Action<ConvAiTelephonyOptions>)(o => o.Resilience.MaxConcurrentRequests = 0), "ConvAi:Resilience:MaxConcurrentRequests must be at least 1 when set.").SetName("ZeroConcurrency");
        yield return new TestCaseData((Action<ConvAiTelephonyOptions>)(o => o.DefaultAgentId = ""), "ConvAi:DefaultAgentId must not be empty when set.").SetName("EmptyDefaultAgent");
    }

    [TestCaseSource(nameof(InvalidOptions))]
    public void AddConvAiTelephony_InvalidOptions_FailsAtStartupNamingTheKey(Action<ConvAiTelephonyOptions> breakIt, string expectedMessage)
    {
        var services = new ServiceCollection();
        services.AddConvAiTelephony(o =>
        {
            o.ApiKey = "key";
            breakIt(o);
        });
        using var provider = services.BuildServiceProvider();

        var ex = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());

        Assert.That(ex!.Failures, Does.Contain(expectedMessage));
    }

    [TestCaseSource(nameof(InvalidOptions))]
    public void Constructor_InvalidOptions_ThrowsSameValidationError(Action<ConvAiTelephonyOptions> breakIt, string expectedMessage)
    {
        var options = new ConvAiTelephonyOptions { ApiKey = "key" };
        breakIt(options);

        var ex = Assert.Throws<OptionsValidationException>(() => _ = new ConvAiTelephonyClient(options));

        Assert.That(ex!.Failures, Does.Contain(expectedMessage));
    }

    [Test]
    public void AddConvAiTelephony_ValidOptions_PassesStartupValidation()
    {
        var services = new ServiceCollection();
        services.AddConvAiTelephony(o => o.ApiKey = "key");
        using var provider = services.BuildServiceProvider();

        Assert.DoesNotThrow(() => provider.GetRequiredService<IStartupValidator>().Validate());
    }

    [TestCase(ConvAiEnvironment.Production, "https://api.elevenlabs.io/")]
    [TestCase(ConvAiEnvironment.ProductionUs, "https://api.us.elevenlabs.io/")]
    [TestCase(ConvAiEnvironment.Eu, "https://api.eu.residency.elevenlabs.io/")]
    [TestCase(ConvAiEnvironment.India, "https://api.in.residency.elevenlabs.io/")]
    [TestCase(ConvAiEnvironment.Singapore, "https://api.sg.residency.elevenlabs.io/")]
    public async Task Environment_Preset_SendsRequestsToItsHost(ConvAiEnvironment environment, string host)
    {
        using var fixture = new ClientFixture(o => o.Environment = environment);
        var mocked = fixture.Mock.Expect(HttpMethod.Get, host + "v1/convai/phone-numbers");
        mocked.RespondJson("[]");

        await fixture.Client.PhoneNumbers.ListAsync();

        Assert.That(fixture.Mock.GetMatchCount(mocked), Is.EqualTo(1));
    }

    [Test]
    public async Task BaseAddress_Set_OverridesEnvironment()
    {
        using var fixture = new ClientFixture(o =>
        {
            o.Environment = ConvAiEnvironment.Eu;
            o.BaseAddress = new Uri("http://localhost:5099");
        });
        var mocked = fixture.Mock.Expect(HttpMethod.Get, "http://localhost:5099/v1/convai/phone-numbers");
        mocked.RespondJson("[]");

        await fixture.Client.PhoneNumbers.ListAsync();

        Assert.That(fixture.Mock.GetMatchCount(mocked), Is.EqualTo(1));
    }

    [Test]
    public void AddConvAiTelephony_ConfigurationSection_BindsEveryKey()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConvAi:ApiKey"] = "from-config",
            ["ConvAi:BaseAddress"] = "http://localhost:5100",
            ["ConvAi:Environment"] = "Eu",
            ["ConvAi:DefaultAgentId"] = "agent_cfg",
            ["ConvAi:DefaultPhoneNumberId"] = "phnum_cfg",
            ["ConvAi:Timeout"] = "00:04:00",
            ["ConvAi:Resilience:AttemptTimeout"] = "00:00:10",
            ["ConvAi:Resilience:TotalTimeout"] = "00:01:00",
            ["ConvAi:Resilience:MaxRetryAttempts"] = "2",
            ["ConvAi:Resilience:BaseDelay"] = "00:00:00.500",
            ["ConvAi:Resilience:MaxConcurrentRequests"] = "4",
        }).Build();
        var services = new ServiceCollection();
        services.AddConvAiTelephony(configuration.GetSection("ConvAi"));
        using var provider = services.BuildServiceProvider();

        var options = provider.GetRequiredService<IOptions<ConvAiTelephonyOptions>>().Value;

        Assert.Multiple(() =>
        {
            Assert.That(options.ApiKey, Is.EqualTo("from-config"));
            Assert.That(options.BaseAddress, Is.EqualTo(new Uri("http://localhost:5100")));
            Assert.That(options.Environment, Is.EqualTo(ConvAiEnvironment.Eu));
            Assert.That(options.DefaultAgentId, Is.EqualTo("agent_cfg"));
            Assert.That(options.DefaultPhoneNumberId, Is.EqualTo("phnum_cfg"));
            Assert.That(options.Timeout, Is.EqualTo(TimeSpan.FromMinutes(4)));
            Assert.That(options.Resilience.AttemptTimeout, Is.EqualTo(TimeSpan.FromSeconds(10)));
            Assert.That(options.Resilience.TotalTimeout, Is.EqualTo(TimeSpan.FromMinutes(1)));
            Assert.That(options.Resilience.MaxRetryAttempts, Is.EqualTo(2));
            Assert.That(options.Resilience.BaseDelay, Is.EqualTo(TimeSpan.FromMilliseconds(500)));
            Assert.That(options.Resilience.MaxConcurrentRequests, Is.EqualTo(4));
        });
        Assert.DoesNotThrow(() => provider.GetRequiredService<IStartupValidator>().Validate());
    }

    [Test]
    public void AddConvAiTelephony_NoArguments_BindsConvAiSectionOfRegisteredConfiguration()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConvAi:ApiKey"] = "from-root",
            ["ConvAi:DefaultAgentId"] = "agent_root",
        }).Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddConvAiTelephony();
        using var provider = services.BuildServiceProvider();

        var options = provider.GetRequiredService<IOptions<ConvAiTelephonyOptions>>().Value;

        Assert.That(options.ApiKey, Is.EqualTo("from-root"));
        Assert.That(options.DefaultAgentId, Is.EqualTo("agent_root"));
    }

    [Test]
    public void AddConvAiTelephony_EmptyConfiguration_FailsStartupNamingApiKey()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["ConvAi:ApiKey"] = "" }).Build();
        var services = new ServiceCollection();
        services.AddConvAiTelephony(configuration.GetSection("ConvAi"));
        using var provider = services.BuildServiceProvider();

        var ex = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());

        Assert.That(ex!.Message, Does.Contain("ConvAi:ApiKey is required"));
    }

    [Test]
    public async Task AddConvAiTelephony_CalledTwice_SendsOneApiKeyHeaderPerRequest()
    {
        using var mock = new MockHttpMessageHandler();
        var captured = new CapturedRequest();
        mock.Expect(HttpMethod.Get, ClientFixture.Url("/v1/convai/phone-numbers")).Capturing(captured).RespondJson("[]");
        var services = new ServiceCollection();
        services.AddConvAiTelephony(o => o.ApiKey = "first");
        var builder = services.AddConvAiTelephony(o => o.ApiKey = "second");
        builder.HttpClientBuilder.ConfigurePrimaryHttpMessageHandler(() => mock);
        await using var provider = services.BuildServiceProvider();

        await provider.GetRequiredService<IConvAiTelephonyClient>().PhoneNumbers.ListAsync();

        Assert.That(captured.Request!.Headers.GetValues("xi-api-key"), Is.EqualTo(new[] { "second" }));
    }

    [Test]
    public async Task Constructor_WithHandler_BuildsSamePipeline()
    {
        using var mock = new MockHttpMessageHandler();
        var captured = new CapturedRequest();
        var mocked = mock.Expect(HttpMethod.Post, "http://localhost:5200/v1/convai/twilio/outbound-call")
            .WithHeaders("xi-api-key", "direct-key")
            .Capturing(captured);
        mocked.RespondJson("""{"success":true,"message":"ok","conversation_id":"conv_d","callSid":"CA_d"}""");
        var client = new ConvAiTelephonyClient(
            new ConvAiTelephonyOptions { ApiKey = "direct-key", BaseAddress = new Uri("http://localhost:5200"), DefaultAgentId = "agent_d", DefaultPhoneNumberId = "phnum_d" },
            mock);

        var result = await client.Calls.StartTwilioCallAsync(new StartTwilioCallRequest { ToNumber = "+14155550100" });

        Assert.That(result.CallSid, Is.EqualTo("CA_d"));
        Assert.That(captured.Header("User-Agent"), Does.StartWith("ConvAi.Telephony/"));
        captured.AssertJsonBody("""{"agent_id":"agent_d","agent_phone_number_id":"phnum_d","to_number":"+14155550100"}""");
        Assert.That(mock.GetMatchCount(mocked), Is.EqualTo(1));
    }

    [Test]
    public void Constructor_WithHandler_MapsErrorsLikeDi()
    {
        using var mock = new MockHttpMessageHandler();
        mock.Expect(HttpMethod.Get, ClientFixture.Url("/v1/convai/phone-numbers/x")).Respond(HttpStatusCode.NotFound, "application/json", """{"detail":{"status":"not_found","message":"No"}}""");
        var client = new ConvAiTelephonyClient(new ConvAiTelephonyOptions { ApiKey = "k" }, mock);

        var ex = Assert.ThrowsAsync<ConvAiApiException>(() => client.PhoneNumbers.GetAsync("x"));

        Assert.That(ex!.ErrorCode, Is.EqualTo("not_found"));
    }

    [Test]
    public async Task Requests_Always_CarryUserAgentWithVersion()
    {
        using var fixture = new ClientFixture();
        var captured = new CapturedRequest();
        fixture.Mock.Expect(HttpMethod.Get, ClientFixture.Url("/v1/convai/phone-numbers")).Capturing(captured).RespondJson("[]");

        await fixture.Client.PhoneNumbers.ListAsync();

        Assert.That(captured.Header("User-Agent"), Does.Match(@"^ConvAi\.Telephony/\d+\.\d+\.\d+"));
        Assert.That(captured.Request!.Headers.GetValues("xi-api-key"), Is.EqualTo(new[] { ClientFixture.ApiKey }));
    }

    [Test]
    public void Options_Defaults_MatchDocumentedValues()
    {
        var options = new ConvAiTelephonyOptions();

        Assert.Multiple(() =>
        {
            Assert.That(options.GetEffectiveBaseAddress(), Is.EqualTo(new Uri("https://api.elevenlabs.io")));
            Assert.That(options.Timeout, Is.EqualTo(TimeSpan.FromMinutes(3)));
            Assert.That(options.Resilience.AttemptTimeout, Is.EqualTo(TimeSpan.FromSeconds(30)));
            Assert.That(options.Resilience.TotalTimeout, Is.EqualTo(TimeSpan.FromMinutes(2)));
            Assert.That(options.Resilience.MaxRetryAttempts, Is.EqualTo(3));
            Assert.That(options.Resilience.BaseDelay, Is.EqualTo(TimeSpan.FromSeconds(1)));
            Assert.That(options.Resilience.MaxConcurrentRequests, Is.Null);
        });
    }
}
