using System.Net;
using System.Text.Json.Nodes;
using ConvAi.Telephony.Tests.TestSupport;
using RichardSzalay.MockHttp;

namespace ConvAi.Telephony.Tests.Calls;

public class CallsClientTests : MockedClientTests
{
    private const string TwilioPath = "/v1/convai/twilio/outbound-call";
    private const string SipPath = "/v1/convai/sip-trunk/outbound-call";
    private const string RegisterPath = "/v1/convai/twilio/register-call";
    private const string ExotelPath = "/v1/convai/exotel/outbound-call";

    private protected override void Configure(ConvAiTelephonyOptions options) => ClientFixture.SetCallDefaults(options);

    [Test]
    public async Task StartTwilioCallAsync_WithClientData_PostsNestedDynamicVariablesAndParsesCallSid()
    {
        var captured = new CapturedRequest();
        var mocked = Fixture.Mock.Expect(HttpMethod.Post, ClientFixture.Url(TwilioPath))
            .WithHeaders("xi-api-key", ClientFixture.ApiKey)
            .Capturing(captured);
        mocked.RespondResource("Calls/twilio-outbound-call.json");

        var result = await Fixture.Client.Calls.StartTwilioCallAsync(new StartTwilioCallRequest
        {
            AgentId = "agent_x",
            AgentPhoneNumberId = "phnum_x",
            ToNumber = "+44 7700 900123",
            ConversationInitiationClientData = new ConversationInitiationClientData
            {
                UserId = "cust-42",
                DynamicVariables = new Dictionary<string, JsonNode?>
                {
                    ["customer_name"] = "Ana",
                    ["balance"] = 12.5,
                    ["visits"] = 3,
                    ["vip"] = true,
                    ["tags"] = new JsonArray("a", "b"),
                    ["profile"] = new JsonObject { ["tier"] = "gold" },
                    ["nothing"] = null,
                },
                ConversationConfigOverride = new ConversationConfigOverride
                {
                    Agent = new AgentOverride { FirstMessage = "Hi Ana", Language = "en", Prompt = new PromptOverride { Prompt = "Be brief." } },
                    Tts = new TtsOverride { VoiceId = "voice_1" },
                },
            },
            CallRecordingEnabled = true,
            TelephonyCallConfig = new TelephonyCallConfig { RingingTimeoutSecs = 30, TwilioCallRecordingEnabled = true },
        });

        captured.AssertJsonBody("""
            {"agent_id":"agent_x","agent_phone_number_id":"phnum_x","to_number":"+447700900123",
             "conversation_initiation_client_data":{
               "dynamic_variables":{"customer_name":"Ana","balance":12.5,"visits":3,"vip":true,"tags":["a","b"],"profile":{"tier":"gold"},"nothing":null},
               "user_id":"cust-42",
               "conversation_config_override":{"agent":{"first_message":"Hi Ana","language":"en","prompt":{"prompt":"Be brief."}},"tts":{"voice_id":"voice_1"}}},
             "call_recording_enabled":true,
             "telephony_call_config":{"ringing_timeout_secs":30,"twilio_call_recording_enabled":true}}
            """);
        Assert.Multiple(() =>
        {
            Assert.That(result.Success, Is.True);
            Assert.That(result.Message, Is.EqualTo("Success"));
            Assert.That(result.ConversationId, Is.EqualTo("conv_01jz"));
            Assert.That(result.CallSid, Is.EqualTo("CA1234567890abcdef1234567890abcdef"));
            Assert.That(result.AdditionalProperties!.ContainsKey("queued_at"), Is.True);
        });
        Assert.That(Fixture.Mock.GetMatchCount(mocked), Is.EqualTo(1));
    }

    [Test]
    public async Task StartTwilioCallAsync_NoIds_UsesConfiguredDefaults()
    {
        var captured = new CapturedRequest();
        Fixture.Mock.Expect(HttpMethod.Post, ClientFixture.Url(TwilioPath)).Capturing(captured)
            .RespondResource("Calls/twilio-outbound-call.json");

        await Fixture.Client.Calls.StartTwilioCallAsync(new StartTwilioCallRequest { ToNumber = "+14155550199" });

        captured.AssertJsonBody($$"""{"agent_id":"{{ClientFixture.AgentId}}","agent_phone_number_id":"{{ClientFixture.PhoneNumberId}}","to_number":"+14155550199"}""");
    }

    [Test]
    public async Task StartSipTrunkCallAsync_ValidRequest_PostsBodyAndParsesSipCallId()
    {
        var captured = new CapturedRequest();
        var mocked = Fixture.Mock.Expect(HttpMethod.Post, ClientFixture.Url(SipPath)).Capturing(captured);
        mocked.RespondResource("Calls/sip-trunk-outbound-call.json");

        var result = await Fixture.Client.Calls.StartSipTrunkCallAsync(new StartSipTrunkCallRequest
        {
            AgentId = "agent_s",
            AgentPhoneNumberId = "phnum_s",
            ToNumber = "+1.415.555.0100",
            ConversationInitiationClientData = new ConversationInitiationClientData { UserId = "u1" },
            TelephonyCallConfig = new TelephonyCallConfig { RingingTimeoutSecs = 45 },
        });

        captured.AssertJsonBody("""
            {"agent_id":"agent_s","agent_phone_number_id":"phnum_s","to_number":"+14155550100",
             "conversation_initiation_client_data":{"user_id":"u1"},"telephony_call_config":{"ringing_timeout_secs":45}}
            """);
        Assert.That(result.SipCallId, Is.EqualTo("SCL_abc123"));
        Assert.That(result.ConversationId, Is.EqualTo("conv_sip_1"));
        Assert.That(result.Success, Is.True);
        Assert.That(result.Message, Is.EqualTo("Call initiated"));
        Assert.That(Fixture.Mock.GetMatchCount(mocked), Is.EqualTo(1));
    }

    [Test]
    public async Task RegisterTwilioCallAsync_TextHtmlAnswer_ReturnsTwimlUnchangedWithoutJsonAccept()
    {
        var captured = new CapturedRequest();
        var twiml = Resources.Read("Calls/register-call.xml");
        var mocked = Fixture.Mock.Expect(HttpMethod.Post, ClientFixture.Url(RegisterPath))
            .WithHeaders("xi-api-key", ClientFixture.ApiKey)
            .Capturing(captured);
        mocked.Respond(HttpStatusCode.OK, "text/html", twiml);

        var result = await Fixture.Client.Calls.RegisterTwilioCallAsync(new RegisterTwilioCallRequest
        {
            AgentId = "agent_r",
            FromNumber = "+1 415 555 0111",
            ToNumber = "+14155550100",
            Direction = TelephonyDirection.Inbound,
            ConversationInitiationClientData = new ConversationInitiationClientData
            {
                DynamicVariables = new Dictionary<string, JsonNode?> { ["caller"] = "Ana" },
            },
        });

        Assert.That(result, Is.EqualTo(twiml));
        captured.AssertJsonBody("""
            {"agent_id":"agent_r","from_number":"+14155550111","to_number":"+14155550100","direction":"inbound",
             "conversation_initiation_client_data":{"dynamic_variables":{"caller":"Ana"}}}
            """);
        var accept = captured.Request!.Headers.Accept.Select(a => a.MediaType).ToList();
        Assert.That(accept, Has.None.EqualTo("application/json"));
        Assert.That(Fixture.Mock.GetMatchCount(mocked), Is.EqualTo(1));
    }

    [Test]
    public void StartTwilioCallAsync_SuccessFalse_ThrowsCallRejectedWithServerMessage()
    {
        Fixture.Mock.Expect(HttpMethod.Post, ClientFixture.Url(TwilioPath))
            .RespondJson("""{"success":false,"message":"Phone number is not verified","conversation_id":null,"callSid":null}""");

        var ex = Assert.ThrowsAsync<ConvAiCallRejectedException>(() =>
            Fixture.Client.Calls.StartTwilioCallAsync(new StartTwilioCallRequest { ToNumber = "+14155550100" }));

        Assert.That(ex!.ServerMessage, Is.EqualTo("Phone number is not verified"));
        Assert.That(ex.Message, Does.Contain("Phone number is not verified"));
        Assert.That(ex.ConversationId, Is.Null);
    }

    [Test]
    public void StartSipTrunkCallAsync_SuccessFalse_ThrowsCallRejected()
    {
        Fixture.Mock.Expect(HttpMethod.Post, ClientFixture.Url(SipPath))
            .RespondJson("""{"success":false,"message":"Trunk unreachable","conversation_id":"conv_f","sip_call_id":null}""");

        var ex = Assert.ThrowsAsync<ConvAiCallRejectedException>(() =>
            Fixture.Client.Calls.StartSipTrunkCallAsync(new StartSipTrunkCallRequest { ToNumber = "+14155550100" }));

        Assert.That(ex!.ServerMessage, Is.EqualTo("Trunk unreachable"));
        Assert.That(ex.ConversationId, Is.EqualTo("conv_f"));
    }

    private static IEnumerable<TestCaseData> InvalidNumbers()
    {
        yield return new TestCaseData("4155550100").SetName("MissingPlus");
        yield return new TestCaseData("+").SetName("PlusOnly");
        yield return new TestCaseData("+1").SetName("OneDigit");
        yield return new TestCaseData("+0441234567").SetName("LeadingZeroCountryCode");
        yield return new TestCaseData("+1234567890123456").SetName("SixteenDigits");
        yield return new TestCaseData("+1 415 555 O100").SetName("LetterO");
        yield return new TestCaseData("tel:+14155550100").SetName("TelUri");
        yield return new TestCaseData("").SetName("Empty");
        yield return new TestCaseData("   ").SetName("Whitespace");
    }

    [TestCaseSource(nameof(InvalidNumbers))]
    public void StartTwilioCallAsync_InvalidToNumber_ThrowsArgumentExceptionAndSendsNothing(string number)
    {
        var any = Fixture.Mock.When("*").Respond(HttpStatusCode.OK);

        var ex = Assert.ThrowsAsync<ArgumentException>(() =>
            Fixture.Client.Calls.StartTwilioCallAsync(new StartTwilioCallRequest { ToNumber = number }));

        Assert.That(ex!.ParamName, Is.EqualTo("request.ToNumber"));
        Assert.That(Fixture.Mock.GetMatchCount(any), Is.Zero);
    }

    [TestCaseSource(nameof(InvalidNumbers))]
    public void RegisterTwilioCallAsync_InboundInvalidToNumber_ThrowsArgumentExceptionAndSendsNothing(string number)
    {
        var any = Fixture.Mock.When("*").Respond(HttpStatusCode.OK);

        var ex = Assert.ThrowsAsync<ArgumentException>(() => Fixture.Client.Calls.RegisterTwilioCallAsync(
            new RegisterTwilioCallRequest { FromNumber = "+14155550111", ToNumber = number }));

        Assert.That(ex!.ParamName, Is.EqualTo("request.ToNumber"));
        Assert.That(Fixture.Mock.GetMatchCount(any), Is.Zero);
    }

    [TestCaseSource(nameof(InvalidNumbers))]
    public void RegisterTwilioCallAsync_OutboundInvalidFromNumber_ThrowsArgumentExceptionAndSendsNothing(string number)
    {
        var any = Fixture.Mock.When("*").Respond(HttpStatusCode.OK);

        var ex = Assert.ThrowsAsync<ArgumentException>(() => Fixture.Client.Calls.RegisterTwilioCallAsync(
            new RegisterTwilioCallRequest { FromNumber = number, ToNumber = "+14155550100", Direction = TelephonyDirection.Outbound }));

        Assert.That(ex!.ParamName, Is.EqualTo("request.FromNumber"));
        Assert.That(Fixture.Mock.GetMatchCount(any), Is.Zero);
    }

    [TestCase("", null, "request.FromNumber")]
    [TestCase("   ", "inbound", "request.FromNumber")]
    [TestCase("", "outbound", "request.ToNumber")]
    public void RegisterTwilioCallAsync_EmptyOtherParty_ThrowsArgumentExceptionAndSendsNothing(string number, string? direction, string paramName)
    {
        var any = Fixture.Mock.When("*").Respond(HttpStatusCode.OK);
        var outbound = direction == "outbound";

        var ex = Assert.ThrowsAsync<ArgumentException>(() => Fixture.Client.Calls.RegisterTwilioCallAsync(new RegisterTwilioCallRequest
        {
            FromNumber = outbound ? "+14155550100" : number,
            ToNumber = outbound ? number : "+14155550100",
            Direction = direction is null ? (TelephonyDirection?)null : new TelephonyDirection(direction),
        }));

        Assert.That(ex!.ParamName, Is.EqualTo(paramName));
        Assert.That(Fixture.Mock.GetMatchCount(any), Is.Zero);
    }

    // Twilio reports a withheld caller ID as "anonymous" or "Restricted", and SIP callers as a URI: the call must still be registered.
    [TestCase("anonymous", "anonymous")]
    [TestCase(" Restricted ", "Restricted")]
    [TestCase("sip:alice@example.com", "sip:alice@example.com")]
    [TestCase("+1 (415) 555-0111", "+14155550111")]
    public async Task RegisterTwilioCallAsync_InboundCallerNotANumber_SendsItUnchanged(string from, string expected)
    {
        var captured = new CapturedRequest();
        Fixture.Mock.Expect(HttpMethod.Post, ClientFixture.Url(RegisterPath)).Capturing(captured)
            .Respond(HttpStatusCode.OK, "text/html", "<Response/>");

        await Fixture.Client.Calls.RegisterTwilioCallAsync(new RegisterTwilioCallRequest
        {
            AgentId = "agent_r",
            FromNumber = from,
            ToNumber = "+14155550100",
        });

        captured.AssertJsonBody($$"""{"agent_id":"agent_r","from_number":"{{expected}}","to_number":"+14155550100"}""");
    }

    [Test]
    public void StartSipTrunkCallAsync_ReservedSystemVariable_ThrowsArgumentExceptionAndSendsNothing()
    {
        var any = Fixture.Mock.When("*").Respond(HttpStatusCode.OK);

        var ex = Assert.ThrowsAsync<ArgumentException>(() => Fixture.Client.Calls.StartSipTrunkCallAsync(new StartSipTrunkCallRequest
        {
            ToNumber = "+14155550100",
            ConversationInitiationClientData = new ConversationInitiationClientData
            {
                DynamicVariables = new Dictionary<string, JsonNode?> { ["system__caller_id"] = "+1" },
            },
        }));

        Assert.That(ex!.ParamName, Is.EqualTo("request.ConversationInitiationClientData.DynamicVariables"));
        Assert.That(Fixture.Mock.GetMatchCount(any), Is.Zero);
    }

    [Test]
    public void StartTwilioCallAsync_NoAgentAnywhere_ThrowsArgumentException()
    {
        using var fixture = new ClientFixture(o => o.DefaultPhoneNumberId = "phnum_1");
        var any = fixture.Mock.When("*").Respond(HttpStatusCode.OK);

        var ex = Assert.ThrowsAsync<ArgumentException>(() =>
            fixture.Client.Calls.StartTwilioCallAsync(new StartTwilioCallRequest { ToNumber = "+14155550100" }));

        Assert.That(ex!.ParamName, Is.EqualTo("request.AgentId"));
        Assert.That(fixture.Mock.GetMatchCount(any), Is.Zero);
    }

    // POST /v1/convai/exotel/outbound-call. Wire shape pinned from elevenlabs-js 2.56.0 (src/api/resources/conversationalAi/
    // resources/exotel/client/requests/BodyHandleAnOutboundCallViaExotelV1ConvaiExotelOutboundCallPost.ts,
    // src/api/types/ExotelOutboundCallResponse.ts) and elevenlabs-python 2.59.0 (src/elevenlabs/conversational_ai/exotel/raw_client.py,
    // src/elevenlabs/types/exotel_outbound_call_response.py); the two agree, including the camelCase callSid.
    [Test]
    public async Task StartExotelCallAsync_WithDefaults_PostsExactBodyAndParsesCallSid()
    {
        var captured = new CapturedRequest();
        var mocked = Fixture.Mock.Expect(HttpMethod.Post, ClientFixture.Url(ExotelPath))
            .WithHeaders("xi-api-key", ClientFixture.ApiKey)
            .Capturing(captured);
        mocked.RespondJson("""{"success":true,"message":"Call initiated","conversation_id":"conv_exo","callSid":"exo_sid_1","future_field":1}""");

        var result = await Fixture.Client.Calls.StartExotelCallAsync(new StartExotelCallRequest
        {
            ToNumber = "+91 98765-43210",
            TelephonyCallConfig = new TelephonyCallConfig { RingingTimeoutSecs = 45 },
        });

        captured.AssertJsonBody("""
            {"agent_id":"agent_default","agent_phone_number_id":"phnum_default","to_number":"+919876543210",
             "telephony_call_config":{"ringing_timeout_secs":45}}
            """);
        Assert.Multiple(() =>
        {
            Assert.That(captured.Request!.RequestUri!.Query, Is.Empty);
            Assert.That(result.ConversationId, Is.EqualTo("conv_exo"));
            Assert.That(result.CallSid, Is.EqualTo("exo_sid_1"));
            Assert.That(result.AdditionalProperties!.ContainsKey("future_field"), Is.True);
            Assert.That(Fixture.Mock.GetMatchCount(mocked), Is.EqualTo(1));
        });
    }

    [Test]
    public void StartExotelCallAsync_SuccessFalse_ThrowsCallRejected()
    {
        Fixture.Mock.Expect(HttpMethod.Post, ClientFixture.Url(ExotelPath))
            .RespondJson("""{"success":false,"message":"Exotel refused the call","conversation_id":"conv_x"}""");

        var ex = Assert.ThrowsAsync<ConvAiCallRejectedException>(() => Fixture.Client.Calls.StartExotelCallAsync(new StartExotelCallRequest { ToNumber = "+919876543210" }));

        Assert.That((ex!.ServerMessage, ex.ConversationId), Is.EqualTo(("Exotel refused the call", "conv_x")));
    }

    [Test]
    public void StartExotelCallAsync_BadNumber_SendsNothing()
    {
        var ex = Assert.ThrowsAsync<ArgumentException>(() => Fixture.Client.Calls.StartExotelCallAsync(new StartExotelCallRequest { ToNumber = "98765" }));

        Assert.That(ex!.ParamName, Is.EqualTo("request.ToNumber"));
        Fixture.Mock.VerifyNoOutstandingRequest();
    }
}
