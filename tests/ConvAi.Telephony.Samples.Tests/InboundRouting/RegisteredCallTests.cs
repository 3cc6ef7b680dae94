using System.Text.Json.Nodes;
using ConvAi.Telephony.Testing;

namespace ConvAi.Telephony.Samples.Tests.InboundRouting;

/// <summary>What the sample's router registers with ElevenLabs, read from an emulator the test owns.</summary>
public class RegisteredCallTests
{
    private const string RegisterCallPath = "/v1/convai/twilio/register-call";

    private ConvAiEmulator _emulator = null!;
    private InboundRoutingFactory _factory = null!;
    private HttpClient _client = null!;

    [SetUp]
    public void SetUp()
    {
        _emulator = new ConvAiEmulator();
        _factory = new InboundRoutingFactory(emulator: _emulator);
        _client = _factory.CreateClient();
    }

    [TearDown]
    public async Task TearDown()
    {
        _client.Dispose();
        await _factory.DisposeAsync();
        await _emulator.DisposeAsync();
    }

    [TestCase("+447700900123", InboundRoutingFactory.EmulatedAgentId, "standard", TestName = "{m}(ordinary caller)")]
    [TestCase("+14155550123", InboundRoutingFactory.VipAgentId, "vip", TestName = "{m}(VIP caller)")]
    public async Task PostInbound_CallerRoutedToAnAgent_RegistersTheCallWithCallerDetails(string from, string agentId, string tier)
    {
        using var request = TwilioCall.SignedRequest(from);
        using var response = await _client.SendAsync(request);
        await TwilioInboundCallTests.ReadTwiMLAsync(response);

        var registrations = _emulator.ReceivedRequests.Where(r => r.Path == RegisterCallPath).ToList();
        Assert.That(registrations, Has.Count.EqualTo(1));
        Assert.That(registrations[0].Method, Is.EqualTo("POST"));
        var body = JsonNode.Parse(registrations[0].Body)!;
        Assert.Multiple(() =>
        {
            Assert.That(body["agent_id"]?.GetValue<string>(), Is.EqualTo(agentId));
            Assert.That(body["from_number"]?.GetValue<string>(), Is.EqualTo(from));
            Assert.That(body["to_number"]?.GetValue<string>(), Is.EqualTo(TwilioCall.CalledNumber));
            Assert.That(body["direction"]?.GetValue<string>(), Is.EqualTo("inbound"));
            var clientData = body["conversation_initiation_client_data"];
            Assert.That(clientData?["user_id"]?.GetValue<string>(), Is.EqualTo(from));
            var expectedVariables = new JsonObject { ["caller_number"] = from, ["caller_tier"] = tier, ["called_number"] = TwilioCall.CalledNumber };
            Assert.That(JsonNode.DeepEquals(clientData?["dynamic_variables"], expectedVariables), Is.True, registrations[0].Body);
        });
    }

    [TestCase("+15005550001", TestName = "{m}(blocked number)")]
    [TestCase("anonymous", TestName = "{m}(withheld number)")]
    public async Task PostInbound_BlockedCaller_RegistersNothing(string from)
    {
        using var request = TwilioCall.SignedRequest(from);
        using var response = await _client.SendAsync(request);
        await TwilioInboundCallTests.ReadTwiMLAsync(response);

        Assert.That(_emulator.ReceivedRequests, Is.Empty);
    }

    [Test]
    public async Task PostInbound_ForgedSignature_RegistersNothing()
    {
        using var request = TwilioCall.Request(TwilioCall.Form("+447700900123"), "AAAAAAAAAAAAAAAAAAAAAAAAAAA=");
        using var response = await _client.SendAsync(request);

        Assert.That(response.StatusCode, Is.EqualTo(System.Net.HttpStatusCode.Forbidden));
        Assert.That(_emulator.ReceivedRequests, Is.Empty);
    }
}
