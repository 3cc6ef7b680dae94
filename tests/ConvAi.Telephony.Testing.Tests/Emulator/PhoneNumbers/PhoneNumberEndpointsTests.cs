using System.Net;

namespace ConvAi.Telephony.Testing.Tests;

public class PhoneNumberEndpointsTests
{
    private const string Path = "/v1/convai/phone-numbers";

    private static readonly object[] InvalidImports =
    [
        new object[] { """{"provider":"twilio","label":"L","sid":"AC1","token":"t"}""", "body.twilio.phone_number", "missing" },
        new object[] { """{"provider":"twilio","phone_number":"4155550100","label":"L","sid":"AC1","token":"t"}""", "body.twilio.phone_number", "value_error" },
        new object[] { """{"provider":"twilio","phone_number":"+14155550100","sid":"AC1","token":"t"}""", "body.twilio.label", "missing" },
        new object[] { """{"provider":"twilio","phone_number":"+14155550100","label":"L","token":"t"}""", "body.twilio.sid", "missing" },
        new object[] { """{"provider":"twilio","phone_number":"+14155550100","label":7,"sid":"AC1","token":"t"}""", "body.twilio.label", "string_type" },
        new object[] { """{"provider":"sip_trunk","phone_number":"+14155550100","label":"L","outbound_trunk_config":{}}""", "body.sip_trunk.outbound_trunk_config.address", "missing" },
        new object[] { """{"provider":"vonage","phone_number":"+14155550100","label":"L"}""", "body.provider", "enum" },
        new object[] { """{"provider":"twilio",""", "body.0", "json_invalid" },
        new object[] { """[1,2]""", "body", "model_attributes_type" },
    ];

    [Test]
    public async Task Import_Twilio_ReturnsIdAndListsItAsBareArrayElement()
    {
        await using var harness = await EmulatorHarness.StartAsync();

        var id = await harness.ImportTwilioNumberAsync("+14155550100", agentId: "agent_1");
        var list = await harness.GetAsync(Path);

        Assert.That(id, Does.StartWith("phnum_"));
        Assert.That(list.Status, Is.EqualTo(HttpStatusCode.OK));
        var item = list.Json.AsArray().Single()!;
        Assert.Multiple(() =>
        {
            Assert.That(item["phone_number_id"]!.GetValue<string>(), Is.EqualTo(id));
            Assert.That(item["provider"]!.GetValue<string>(), Is.EqualTo("twilio"));
            Assert.That(item["phone_number"]!.GetValue<string>(), Is.EqualTo("+14155550100"));
            Assert.That(item["label"]!.GetValue<string>(), Is.EqualTo("Support"));
            Assert.That(item["assigned_agent"]!["agent_id"]!.GetValue<string>(), Is.EqualTo("agent_1"));
            Assert.That(list.Text, Does.Not.Contain("secret-token"));
        });
        Assert.That(harness.Emulator.PhoneNumbers, Is.EqualTo(new[] { new EmulatedPhoneNumber(id, "+14155550100", "Support", "twilio", "agent_1") }));
    }

    [Test]
    public async Task Import_SipTrunk_ReturnsTrunkConfigWithoutPassword()
    {
        await using var harness = await EmulatorHarness.StartAsync();

        var id = await harness.ImportSipNumberAsync();
        var response = await harness.GetAsync($"{Path}/{id}");

        var trunk = response.Json["outbound_trunk"]!;
        Assert.Multiple(() =>
        {
            Assert.That(response.Json["provider"]!.GetValue<string>(), Is.EqualTo("sip_trunk"));
            Assert.That(trunk["address"]!.GetValue<string>(), Is.EqualTo("sip.example.com"));
            Assert.That(trunk["transport"]!.GetValue<string>(), Is.EqualTo("tls"));
            Assert.That(trunk["media_encryption"]!.GetValue<string>(), Is.EqualTo("allowed"));
            Assert.That(trunk["has_auth_credentials"]!.GetValue<bool>(), Is.True);
            Assert.That(trunk["username"]!.GetValue<string>(), Is.EqualTo("pbx"));
            Assert.That(response.Json["livekit_stack"]!.GetValue<string>(), Is.EqualTo("standard"));
            Assert.That(response.Text, Does.Not.Contain("\"pw\""));
        });
    }

    [Test]
    public async Task Import_WithoutProvider_InfersTwilioFromItsFields()
    {
        await using var harness = await EmulatorHarness.StartAsync();

        var response = await harness.PostAsync(Path, """{"phone_number":"+14155550100","label":"L","sid":"AC1","token":"t"}""");

        Assert.That(response.Status, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(harness.Emulator.PhoneNumbers.Single().Provider, Is.EqualTo("twilio"));
    }

    [TestCaseSource(nameof(InvalidImports))]
    public async Task Import_InvalidBody_Returns422WithLocAndType(string body, string expectedLoc, string expectedType)
    {
        await using var harness = await EmulatorHarness.StartAsync();

        var response = await harness.PostAsync(Path, body);

        Assert.That(response.SingleValidationError(), Is.EqualTo((expectedLoc, expectedType)));
        Assert.That(harness.Emulator.PhoneNumbers, Is.Empty);
    }

    [Test]
    public async Task Import_SameNumberTwice_Returns409()
    {
        await using var harness = await EmulatorHarness.StartAsync();
        await harness.ImportTwilioNumberAsync("+14155550100");

        var response = await harness.PostAsync(Path, """{"provider":"twilio","phone_number":"+14155550100","label":"L","sid":"AC1","token":"t"}""");

        Assert.That(response.Status, Is.EqualTo(HttpStatusCode.Conflict));
        Assert.That(response.ErrorCode(), Is.EqualTo("phone_number_already_exists"));
    }

    [Test]
    public async Task Update_AgentAndLabel_ReturnsUpdatedNumber()
    {
        await using var harness = await EmulatorHarness.StartAsync();
        var id = await harness.ImportTwilioNumberAsync();

        var response = await harness.PatchAsync($"{Path}/{id}", """{"agent_id":"agent_2","label":"Sales"}""");

        Assert.That(response.Status, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(response.Json["assigned_agent"]!["agent_id"]!.GetValue<string>(), Is.EqualTo("agent_2"));
        Assert.That(response.Json["assigned_agent"]!["agent_name"]!.GetValue<string>(), Is.EqualTo("Emulated agent"));
        Assert.That(response.Json["label"]!.GetValue<string>(), Is.EqualTo("Sales"));
    }

    [Test]
    public async Task Update_ExplicitNullAgent_UnassignsAgent()
    {
        await using var harness = await EmulatorHarness.StartAsync();
        var id = await harness.ImportTwilioNumberAsync(agentId: "agent_1");

        var response = await harness.PatchAsync($"{Path}/{id}", """{"agent_id":null}""");

        Assert.That(response.Json["assigned_agent"], Is.Null);
        Assert.That(response.Json["label"]!.GetValue<string>(), Is.EqualTo("Support"));
    }

    [Test]
    public async Task Update_BadLivekitStack_Returns422()
    {
        await using var harness = await EmulatorHarness.StartAsync();
        var id = await harness.ImportSipNumberAsync();

        var response = await harness.PatchAsync($"{Path}/{id}", """{"livekit_stack":"fancy"}""");

        Assert.That(response.SingleValidationError(), Is.EqualTo(("body.livekit_stack", "enum")));
    }

    [TestCase("provider=twilio", 1)]
    [TestCase("provider=sip_trunk", 1)]
    [TestCase("provider=exotel", 0)]
    [TestCase("agent_id=agent_1", 1)]
    [TestCase("agent_id=agent_9", 0)]
    [TestCase("", 2)]
    public async Task List_Filter_ReturnsMatchingNumbers(string query, int expectedCount)
    {
        await using var harness = await EmulatorHarness.StartAsync();
        await harness.ImportTwilioNumberAsync(agentId: "agent_1");
        await harness.ImportSipNumberAsync();

        var response = await harness.GetAsync($"{Path}?{query}");

        Assert.That(response.Json.AsArray(), Has.Count.EqualTo(expectedCount));
    }

    [Test]
    public async Task List_UnknownProvider_Returns422()
    {
        await using var harness = await EmulatorHarness.StartAsync();

        var response = await harness.GetAsync($"{Path}?provider=vonage");

        Assert.That(response.SingleValidationError(), Is.EqualTo(("query.provider", "enum")));
    }

    [Test]
    public async Task Delete_ImportedNumber_Returns200EmptyObjectThen404()
    {
        await using var harness = await EmulatorHarness.StartAsync();
        var id = await harness.ImportTwilioNumberAsync();

        var deleted = await harness.DeleteAsync($"{Path}/{id}");
        var again = await harness.GetAsync($"{Path}/{id}");

        Assert.That(deleted.Status, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(deleted.Text, Is.EqualTo("{}"));
        Assert.That(again.Status, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That(again.ErrorCode(), Is.EqualTo("phone_number_not_found"));
    }

    [TestCase("GET")]
    [TestCase("PATCH")]
    [TestCase("DELETE")]
    public async Task Item_UnknownId_Returns404(string method)
    {
        await using var harness = await EmulatorHarness.StartAsync();

        var response = await harness.SendAsync(new HttpMethod(method), $"{Path}/phnum_missing", method == "PATCH" ? "{}" : null);

        Assert.That(response.Status, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That(response.ErrorCode(), Is.EqualTo("phone_number_not_found"));
        Assert.That(response.Json["detail"]!["message"]!.GetValue<string>(), Does.Contain("phnum_missing"));
    }
}
