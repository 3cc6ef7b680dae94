using System.Net;
using System.Text.Json.Nodes;

namespace ConvAi.Telephony.Testing.Tests;

public class ConversationEndpointsTests
{
    private const string Path = "/v1/convai/conversations";

    [Test]
    public async Task Get_AsTheClockAdvances_MovesThroughEveryStatus()
    {
        await using var harness = await EmulatorHarness.StartAsync();
        var id = await harness.CallAsync(await harness.ImportTwilioNumberAsync());
        var statuses = new List<string>();

        for (var step = 0; step < 4; step++)
        {
            var response = await harness.GetAsync($"{Path}/{id}");
            statuses.Add(response.Json["status"]!.GetValue<string>());
            harness.Time.Advance(EmulatorHarness.Step);
        }

        Assert.That(statuses, Is.EqualTo(new[] { "initiated", "in-progress", "processing", "done" }));
    }

    [Test]
    public async Task Get_DoneCall_HasTranscriptWithDynamicVariablesAnalysisAndPhoneCallMetadata()
    {
        await using var harness = await EmulatorHarness.StartAsync();
        var phoneNumberId = await harness.ImportTwilioNumberAsync("+14155550100");
        var id = await harness.CallAsync(
            phoneNumberId,
            clientDataJson: """{"user_id":"cust-42","dynamic_variables":{"customer_name":"Ana","balance":12.5,"vip":true,"secret__token":"s3cr3t"}}""");
        harness.FinishCalls();

        var json = (await harness.GetAsync($"{Path}/{id}")).Json;

        var transcript = json["transcript"]!.AsArray();
        var messages = transcript.Select(t => t!["message"]!.GetValue<string>()).ToList();
        var metadata = json["metadata"]!;
        var phoneCall = metadata["phone_call"]!;
        var call = harness.Emulator.Conversations.Single();
        Assert.Multiple(() =>
        {
            Assert.That(json["status"]!.GetValue<string>(), Is.EqualTo("done"));
            Assert.That(json["user_id"]!.GetValue<string>(), Is.EqualTo("cust-42"));
            Assert.That(transcript[0]!["role"]!.GetValue<string>(), Is.EqualTo("agent"));
            Assert.That(messages[0], Does.Contain("Hello Ana"));
            Assert.That(messages, Has.Some.Contains("balance is 12.5").And.Some.Contains("vip is true"));
            Assert.That(string.Join(' ', messages), Does.Not.Contain("s3cr3t"));
            Assert.That(json["analysis"]!["call_successful"]!.GetValue<string>(), Is.EqualTo("success"));
            Assert.That(json["analysis"]!["transcript_summary"]!.GetValue<string>(), Is.Not.Empty);
            Assert.That(metadata["start_time_unix_secs"]!.GetValue<long>(), Is.EqualTo(EmulatorHarness.Start.ToUnixTimeSeconds()));
            Assert.That(metadata["call_duration_secs"]!.GetValue<int>(), Is.GreaterThan(0));
            Assert.That(phoneCall["type"]!.GetValue<string>(), Is.EqualTo("twilio"));
            Assert.That(phoneCall["direction"]!.GetValue<string>(), Is.EqualTo("outbound"));
            Assert.That(phoneCall["phone_number_id"]!.GetValue<string>(), Is.EqualTo(phoneNumberId));
            Assert.That(phoneCall["agent_number"]!.GetValue<string>(), Is.EqualTo("+14155550100"));
            Assert.That(phoneCall["external_number"]!.GetValue<string>(), Is.EqualTo("+447700900123"));
            Assert.That(phoneCall["call_sid"]!.GetValue<string>(), Is.EqualTo(call.CallSid));
            Assert.That(json["conversation_initiation_client_data"]!["dynamic_variables"]!["balance"]!.GetValue<double>(), Is.EqualTo(12.5));
            Assert.That(json["has_audio"]!.GetValue<bool>(), Is.True);
        });
    }

    [Test]
    public async Task Get_SipTrunkCall_ReportsSipTrunkingPhoneCallType()
    {
        await using var harness = await EmulatorHarness.StartAsync();
        var phoneNumberId = await harness.ImportSipNumberAsync();
        var call = await harness.PostAsync("/v1/convai/sip-trunk/outbound-call", $$"""{"agent_id":"a","agent_phone_number_id":"{{phoneNumberId}}","to_number":"+447700900123"}""");

        var json = (await harness.GetAsync($"{Path}/{call.Json["conversation_id"]}")).Json;

        Assert.That(json["metadata"]!["phone_call"]!["type"]!.GetValue<string>(), Is.EqualTo("sip_trunking"));
        Assert.That(json["metadata"]!["phone_call"]!["call_sid"]!.GetValue<string>(), Is.EqualTo(call.Json["sip_call_id"]!.GetValue<string>()));
    }

    [Test]
    public async Task Get_FirstMessageOverride_FillsPlaceholdersFromDynamicVariables()
    {
        await using var harness = await EmulatorHarness.StartAsync();
        var id = await harness.CallAsync(
            await harness.ImportTwilioNumberAsync(),
            clientDataJson: """{"dynamic_variables":{"plan":"Gold"},"conversation_config_override":{"agent":{"first_message":"Hi! About your {{plan}} plan, {{missing}}."}}}""");
        harness.FinishCalls();

        var json = (await harness.GetAsync($"{Path}/{id}")).Json;

        Assert.That(json["transcript"]![0]!["message"]!.GetValue<string>(), Is.EqualTo("Hi! About your Gold plan, {{missing}}."));
    }

    [TestCase("""{"conversation_config_override":{"agent":"not an object"}}""")]
    [TestCase("""{"conversation_config_override":{"agent":{"first_message":42}}}""")]
    [TestCase("""{"dynamic_variables":{"customer_name":null,"list":[1,2]}}""")]
    public async Task Get_UnusualClientData_UsesTheDefaultScriptWithoutFailing(string clientData)
    {
        await using var harness = await EmulatorHarness.StartAsync();
        var id = await harness.CallAsync(await harness.ImportTwilioNumberAsync(), clientDataJson: clientData);
        harness.FinishCalls();

        var response = await harness.GetAsync($"{Path}/{id}");

        Assert.That(response.Status, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(response.Json["transcript"]![0]!["message"]!.GetValue<string>(), Does.StartWith("Hello"));
    }

    [Test]
    public async Task Get_UnsuccessfulNumber_AnalysesCallAsFailure()
    {
        await using var harness = await EmulatorHarness.StartAsync(o => o.UnsuccessfulNumbers.Add("+447700900999"));
        var id = await harness.CallAsync(await harness.ImportTwilioNumberAsync(), toNumber: "+447700900999");
        harness.FinishCalls();

        var json = (await harness.GetAsync($"{Path}/{id}")).Json;

        Assert.That(json["status"]!.GetValue<string>(), Is.EqualTo("done"));
        Assert.That(json["analysis"]!["call_successful"]!.GetValue<string>(), Is.EqualTo("failure"));
    }

    [Test]
    public async Task Get_BadFormat_Returns422()
    {
        await using var harness = await EmulatorHarness.StartAsync();

        var response = await harness.GetAsync($"{Path}/conv_x?format=xml");

        Assert.That(response.SingleValidationError(), Is.EqualTo(("query.format", "enum")));
    }

    [TestCase("GET", "")]
    [TestCase("DELETE", "")]
    [TestCase("GET", "/audio")]
    [TestCase("POST", "/feedback")]
    public async Task Item_UnknownId_Returns404(string method, string suffix)
    {
        await using var harness = await EmulatorHarness.StartAsync();

        var response = await harness.SendAsync(new HttpMethod(method), $"{Path}/conv_missing{suffix}", method == "POST" ? """{"feedback":"like"}""" : null);

        Assert.That(response.Status, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That(response.ErrorCode(), Is.EqualTo("conversation_not_found"));
    }

    [Test]
    public async Task GetAudio_DoneCall_ReturnsMpegBytes()
    {
        await using var harness = await EmulatorHarness.StartAsync();
        var id = await harness.CallAsync(await harness.ImportTwilioNumberAsync());
        var early = await harness.GetAsync($"{Path}/{id}/audio");
        harness.FinishCalls();

        var response = await harness.GetAsync($"{Path}/{id}/audio");

        Assert.That(early.Status, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That(response.Status, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(response.ContentType!.MediaType, Is.EqualTo("audio/mpeg"));
        Assert.That(response.Bytes[..3], Is.EqualTo("ID3"u8.ToArray()));
        Assert.That(response.Bytes, Has.Length.GreaterThan(100));
    }

    [Test]
    public async Task Delete_ExistingConversation_Returns200EmptyObjectAndRemovesIt()
    {
        await using var harness = await EmulatorHarness.StartAsync();
        var id = await harness.CallAsync(await harness.ImportTwilioNumberAsync());

        var response = await harness.DeleteAsync($"{Path}/{id}");

        Assert.That(response.Status, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(response.Text, Is.EqualTo("{}"));
        Assert.That(harness.Emulator.Conversations, Is.Empty);
    }

    [TestCase("like", 1, 0)]
    [TestCase("dislike", 0, 1)]
    public async Task SendFeedback_Value_IsReflectedInMetadata(string feedback, int likes, int dislikes)
    {
        await using var harness = await EmulatorHarness.StartAsync();
        var id = await harness.CallAsync(await harness.ImportTwilioNumberAsync());

        var response = await harness.PostAsync($"{Path}/{id}/feedback", $$"""{"feedback":"{{feedback}}"}""");
        var metadata = (await harness.GetAsync($"{Path}/{id}")).Json["metadata"]!["feedback"]!;

        Assert.That(response.Status, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(response.Text, Is.EqualTo("{}"));
        Assert.That(metadata["overall_score"]!.GetValue<string>(), Is.EqualTo(feedback));
        Assert.That(metadata["likes"]!.GetValue<int>(), Is.EqualTo(likes));
        Assert.That(metadata["dislikes"]!.GetValue<int>(), Is.EqualTo(dislikes));
    }

    [Test]
    public async Task SendFeedback_UnknownValue_Returns422()
    {
        await using var harness = await EmulatorHarness.StartAsync();

        var response = await harness.PostAsync($"{Path}/conv_x/feedback", """{"feedback":"love"}""");

        Assert.That(response.SingleValidationError(), Is.EqualTo(("body.feedback", "enum")));
    }
}
