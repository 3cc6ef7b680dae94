using System.Net;
using ConvAi.Telephony.Tests.TestSupport;
using RichardSzalay.MockHttp;

namespace ConvAi.Telephony.Tests.Calls;

/// <summary>
/// <c>POST /v1/convai/exotel/outbound-call</c>. Wire shape pinned from elevenlabs-js 2.56.0
/// (src/serialization/resources/conversationalAi/resources/exotel/…, src/api/types/ExotelOutboundCallResponse.ts) and
/// elevenlabs-python 2.59.0 (src/elevenlabs/conversational_ai/exotel/raw_client.py, src/elevenlabs/types/exotel_outbound_call_response.py);
/// the two agree, including the camelCase <c>callSid</c>.
/// </summary>
public class ExotelCallTests
{
    private const string Path = "/v1/convai/exotel/outbound-call";
    private ClientFixture _fixture = null!;

    [SetUp]
    public void SetUp() => _fixture = new ClientFixture(o =>
    {
        o.DefaultAgentId = ClientFixture.AgentId;
        o.DefaultPhoneNumberId = ClientFixture.PhoneNumberId;
    });

    [TearDown]
    public void TearDown() => _fixture.Dispose();

    [Test]
    public async Task StartExotelCallAsync_WithDefaults_PostsExactBodyAndParsesCallSid()
    {
        var captured = new CapturedRequest();
        var mocked = _fixture.Mock.Expect(HttpMethod.Post, ClientFixture.Url(Path))
            .WithHeaders("xi-api-key", ClientFixture.ApiKey)
            .Capturing(captured);
        mocked.RespondJson("""{"success":true,"message":"Call initiated","conversation_id":"conv_exo","callSid":"exo_sid_1","future_field":1}""");

        var result = await _fixture.Client.Calls.StartExotelCallAsync(new StartExotelCallRequest
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
            Assert.That(_fixture.Mock.GetMatchCount(mocked), Is.EqualTo(1));
        });
    }

    [Test]
    public void StartExotelCallAsync_SuccessFalse_ThrowsCallRejected()
    {
        _fixture.Mock.Expect(HttpMethod.Post, ClientFixture.Url(Path))
            .RespondJson("""{"success":false,"message":"Exotel refused the call","conversation_id":"conv_x"}""");

        var ex = Assert.ThrowsAsync<ConvAiCallRejectedException>(() => _fixture.Client.Calls.StartExotelCallAsync(new StartExotelCallRequest { ToNumber = "+919876543210" }));

        Assert.That((ex!.ServerMessage, ex.ConversationId), Is.EqualTo(("Exotel refused the call", "conv_x")));
    }

    [Test]
    public void StartExotelCallAsync_BadNumber_SendsNothing()
    {
        var ex = Assert.ThrowsAsync<ArgumentException>(() => _fixture.Client.Calls.StartExotelCallAsync(new StartExotelCallRequest { ToNumber = "98765" }));

        Assert.That(ex!.ParamName, Is.EqualTo("request.ToNumber"));
        _fixture.Mock.VerifyNoOutstandingRequest();
    }
}
