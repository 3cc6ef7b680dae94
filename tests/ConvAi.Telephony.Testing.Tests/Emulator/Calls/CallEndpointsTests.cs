using System.Net;
using System.Xml.Linq;

namespace ConvAi.Telephony.Testing.Tests;

public class CallEndpointsTests
{
    private const string TwilioPath = "/v1/convai/twilio/outbound-call";
    private const string SipPath = "/v1/convai/sip-trunk/outbound-call";
    private const string RegisterPath = "/v1/convai/twilio/register-call";

    private static readonly object[] InvalidOutboundCalls =
    [
        new object[] { """{"agent_phone_number_id":"P","to_number":"+447700900123"}""", "body.agent_id", "missing" },
        new object[] { """{"agent_id":"a","to_number":"+447700900123"}""", "body.agent_phone_number_id", "missing" },
        new object[] { """{"agent_id":"a","agent_phone_number_id":"P"}""", "body.to_number", "missing" },
        new object[] { """{"agent_id":"a","agent_phone_number_id":"P","to_number":"07700 900123"}""", "body.to_number", "value_error" },
        new object[] { """{"agent_id":"a","agent_phone_number_id":"P","to_number":"+447700900123","telephony_call_config":{"ringing_timeout_secs":0}}""", "body.telephony_call_config.ringing_timeout_secs", "greater_than_equal" },
        new object[] { """{"agent_id":"a","agent_phone_number_id":"P","to_number":"+447700900123","telephony_call_config":{"ringing_timeout_secs":1000}}""", "body.telephony_call_config.ringing_timeout_secs", "less_than_equal" },
        new object[] { """{"agent_id":"a","agent_phone_number_id":"P","to_number":"+447700900123","telephony_call_config":{"ringing_timeout_secs":"60"}}""", "body.telephony_call_config.ringing_timeout_secs", "int_type" },
        new object[] { """{"agent_id":"a","agent_phone_number_id":"P","to_number":"+447700900123","conversation_initiation_client_data":{"dynamic_variables":[1]}}""", "body.conversation_initiation_client_data.dynamic_variables", "dict_type" },
        new object[] { """{"agent_id":"a","agent_phone_number_id":"P","to_number":"+447700900123","conversation_initiation_client_data":{"user_id":5}}""", "body.conversation_initiation_client_data.user_id", "string_type" },
    ];

    [Test]
    public async Task TwilioOutboundCall_ValidRequest_ReturnsCamelCaseCallSidAndCreatesConversation()
    {
        await using var harness = await EmulatorHarness.StartAsync();
        var phoneNumberId = await harness.ImportTwilioNumberAsync();

        var response = await harness.PostAsync(
            TwilioPath,
            $$$"""{"agent_id":"agent_1","agent_phone_number_id":"{{{phoneNumberId}}}","to_number":"+447700900123","telephony_call_config":{"ringing_timeout_secs":999}}""");

        Assert.That(response.Status, Is.EqualTo(HttpStatusCode.OK), response.Text);
        var json = response.Json.AsObject();
        Assert.That(json.Select(p => p.Key), Is.EquivalentTo(new[] { "success", "message", "conversation_id", "callSid" }));
        Assert.That(json["success"]!.GetValue<bool>(), Is.True);
        Assert.That(json["callSid"]!.GetValue<string>(), Does.Match("^CA[0-9a-f]{32}$"));
        var conversation = harness.Emulator.Conversations.Single();
        Assert.Multiple(() =>
        {
            Assert.That(conversation.ConversationId, Is.EqualTo(json["conversation_id"]!.GetValue<string>()));
            Assert.That(conversation.Status, Is.EqualTo("initiated"));
            Assert.That(conversation.CallSid, Is.EqualTo(json["callSid"]!.GetValue<string>()));
            Assert.That(conversation.AgentNumber, Is.EqualTo("+14155550100"));
            Assert.That(conversation.ExternalNumber, Is.EqualTo("+447700900123"));
            Assert.That(conversation.Direction, Is.EqualTo("outbound"));
        });
    }

    [Test]
    public async Task TwilioOutboundCall_FiftyInParallel_CreatesFiftyDistinctConversations()
    {
        await using var harness = await EmulatorHarness.StartAsync();
        var phoneNumberId = await harness.ImportTwilioNumberAsync();

        var ids = await Task.WhenAll(Enumerable.Range(0, 50).Select(i => harness.CallAsync(phoneNumberId, $"+4477009{i:D5}")));
        harness.FinishCalls();
        var list = await harness.GetAsync("/v1/convai/conversations?page_size=100");

        Assert.That(ids.Distinct().Count(), Is.EqualTo(50));
        Assert.That(list.Json["conversations"]!.AsArray().Select(c => c!["conversation_id"]!.GetValue<string>()), Is.EquivalentTo(ids));
        Assert.That(harness.Emulator.Conversations.Select(c => c.Status), Is.All.EqualTo("done"));
    }

    [Test]
    public async Task SipTrunkOutboundCall_ValidRequest_ReturnsSnakeCaseSipCallId()
    {
        await using var harness = await EmulatorHarness.StartAsync();
        var phoneNumberId = await harness.ImportSipNumberAsync();

        var response = await harness.PostAsync(
            SipPath,
            $$"""{"agent_id":"agent_1","agent_phone_number_id":"{{phoneNumberId}}","to_number":"+447700900123"}""");

        Assert.That(response.Status, Is.EqualTo(HttpStatusCode.OK), response.Text);
        var json = response.Json.AsObject();
        Assert.That(json.Select(p => p.Key), Is.EquivalentTo(new[] { "success", "message", "conversation_id", "sip_call_id" }));
        Assert.That(json["sip_call_id"]!.GetValue<string>(), Is.EqualTo(harness.Emulator.Conversations.Single().CallSid));
    }

    [TestCaseSource(nameof(InvalidOutboundCalls))]
    public async Task TwilioOutboundCall_InvalidBody_Returns422(string body, string expectedLoc, string expectedType)
    {
        await using var harness = await EmulatorHarness.StartAsync();

        var response = await harness.PostAsync(TwilioPath, body);

        Assert.That(response.SingleValidationError(), Is.EqualTo((expectedLoc, expectedType)));
        Assert.That(harness.Emulator.Conversations, Is.Empty);
    }

    [TestCase(TwilioPath)]
    [TestCase(SipPath)]
    public async Task OutboundCall_UnknownPhoneNumber_Returns404(string path)
    {
        await using var harness = await EmulatorHarness.StartAsync();

        var response = await harness.PostAsync(path, """{"agent_id":"a","agent_phone_number_id":"phnum_missing","to_number":"+447700900123"}""");

        Assert.That(response.Status, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That(response.ErrorCode(), Is.EqualTo("phone_number_not_found"));
    }

    [Test]
    public async Task SipTrunkOutboundCall_TwilioNumber_Returns400()
    {
        await using var harness = await EmulatorHarness.StartAsync();
        var phoneNumberId = await harness.ImportTwilioNumberAsync();

        var response = await harness.PostAsync(SipPath, $$"""{"agent_id":"a","agent_phone_number_id":"{{phoneNumberId}}","to_number":"+447700900123"}""");

        Assert.That(response.Status, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(response.ErrorCode(), Is.EqualTo("invalid_phone_number_provider"));
    }

    [Test]
    public async Task RegisterCall_ValidRequest_ReturnsTwiMLAsTextHtml()
    {
        await using var harness = await EmulatorHarness.StartAsync();
        var phoneNumberId = await harness.ImportTwilioNumberAsync("+14155550100");

        var response = await harness.PostAsync(
            RegisterPath,
            """{"agent_id":"agent_1","from_number":"+447700900123","to_number":"+14155550100","conversation_initiation_client_data":{"dynamic_variables":{"customer_name":"Ana"}}}""");

        Assert.That(response.Status, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(response.ContentType!.MediaType, Is.EqualTo("text/html"));
        var stream = XDocument.Parse(response.Text).Root!.Element("Connect")!.Element("Stream")!;
        var parameters = stream.Elements("Parameter").ToDictionary(p => p.Attribute("name")!.Value, p => p.Attribute("value")!.Value);
        var conversation = harness.Emulator.Conversations.Single();
        Assert.Multiple(() =>
        {
            Assert.That(stream.Attribute("url")!.Value, Does.StartWith("wss://"));
            Assert.That(parameters["conversation_id"], Is.EqualTo(conversation.ConversationId));
            Assert.That(parameters["agent_id"], Is.EqualTo("agent_1"));
            Assert.That(conversation.Direction, Is.EqualTo("inbound"));
            Assert.That(conversation.PhoneNumberId, Is.EqualTo(phoneNumberId));
            Assert.That(conversation.ExternalNumber, Is.EqualTo("+447700900123"));
        });
    }

    [Test]
    public async Task RegisterCall_WithheldCallerId_RegistersTheCall()
    {
        await using var harness = await EmulatorHarness.StartAsync();
        await harness.ImportTwilioNumberAsync("+14155550100");

        var response = await harness.PostAsync(RegisterPath, """{"agent_id":"agent_1","from_number":"anonymous","to_number":"+14155550100"}""");

        Assert.That(response.Status, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(harness.Emulator.Conversations.Single().ExternalNumber, Is.EqualTo("anonymous"));
    }

    [TestCase("""{"from_number":"+447700900123","to_number":"+14155550100"}""", "body.agent_id", "missing")]
    [TestCase("""{"agent_id":"a","to_number":"+14155550100"}""", "body.from_number", "missing")]
    [TestCase("""{"agent_id":"a","from_number":"+447700900123","to_number":"+14155550100","direction":"sideways"}""", "body.direction", "enum")]
    public async Task RegisterCall_InvalidBody_Returns422Json(string body, string expectedLoc, string expectedType)
    {
        await using var harness = await EmulatorHarness.StartAsync();

        var response = await harness.PostAsync(RegisterPath, body);

        Assert.That(response.ContentType!.MediaType, Is.EqualTo("application/json"));
        Assert.That(response.SingleValidationError(), Is.EqualTo((expectedLoc, expectedType)));
    }
}
