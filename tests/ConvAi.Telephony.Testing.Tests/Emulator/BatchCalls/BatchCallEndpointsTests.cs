using System.Net;
using System.Text.Json.Nodes;

namespace ConvAi.Telephony.Testing.Tests;

public class BatchCallEndpointsTests
{
    private const string Root = "/v1/convai/batch-calling";

    private static async Task<JsonNode> SubmitAsync(EmulatorHarness harness, string phoneNumberId, string extra = "", params string[] numbers)
    {
        numbers = numbers.Length == 0 ? ["+447700900001", "+447700900002"] : numbers;
        var recipients = string.Join(',', numbers.Select((n, i) => new JsonObject
        {
            ["id"] = $"r{i}",
            ["phone_number"] = n,
            ["conversation_initiation_client_data"] = new JsonObject { ["dynamic_variables"] = new JsonObject { ["customer_name"] = $"Guest {i}" } },
        }.ToJsonString()));
        var response = await harness.PostAsync(
            $"{Root}/submit",
            $$"""{"call_name":"Spring","agent_id":"agent_1","agent_phone_number_id":"{{phoneNumberId}}","recipients":[{{recipients}}]{{extra}}""" + "}");
        Assert.That(response.Status, Is.EqualTo(HttpStatusCode.OK), response.Text);
        return response.Json;
    }

    [Test]
    public async Task Submit_Recipients_AreCalledAndBatchCompletes()
    {
        await using var harness = await EmulatorHarness.StartAsync();
        var phone = await harness.ImportTwilioNumberAsync();

        var submitted = await SubmitAsync(harness, phone);
        var id = submitted["id"]!.GetValue<string>();
        harness.FinishCalls();
        var detail = (await harness.GetAsync($"{Root}/{id}")).Json;

        Assert.Multiple(() =>
        {
            Assert.That(id, Does.StartWith("btcal_"));
            Assert.That(submitted["status"]!.GetValue<string>(), Is.EqualTo("in_progress"));
            Assert.That(submitted["total_calls_scheduled"]!.GetValue<int>(), Is.EqualTo(2));
            Assert.That(submitted["total_calls_dispatched"]!.GetValue<int>(), Is.EqualTo(2));
            Assert.That(submitted["phone_provider"]!.GetValue<string>(), Is.EqualTo("twilio"));
            Assert.That(submitted["telephony_call_config"]!["ringing_timeout_secs"]!.GetValue<int>(), Is.EqualTo(60));
            Assert.That(detail["status"]!.GetValue<string>(), Is.EqualTo("completed"));
            Assert.That(detail["total_calls_finished"]!.GetValue<int>(), Is.EqualTo(2));
            Assert.That(detail["recipients"]!.AsArray().Select(r => r!["status"]!.GetValue<string>()), Is.EqualTo(new[] { "completed", "completed" }));
        });
        var recipient = detail["recipients"]![1]!;
        var conversation = (await harness.GetAsync($"/v1/convai/conversations/{recipient["conversation_id"]}")).Json;
        Assert.That(conversation["metadata"]!["batch_call"]!["batch_call_id"]!.GetValue<string>(), Is.EqualTo(id));
        Assert.That(conversation["metadata"]!["batch_call"]!["batch_call_recipient_id"]!.GetValue<string>(), Is.EqualTo("r1"));
        Assert.That(conversation["transcript"]![0]!["message"]!.GetValue<string>(), Does.Contain("Guest 1"));
    }

    [Test]
    public async Task Submit_ScheduledInTheFuture_StaysPendingUntilItsTime()
    {
        await using var harness = await EmulatorHarness.StartAsync();
        var phone = await harness.ImportTwilioNumberAsync();
        var at = EmulatorHarness.Start.AddHours(1).ToUnixTimeSeconds();

        var id = (await SubmitAsync(harness, phone, $",\"scheduled_time_unix\":{at}"))["id"]!.GetValue<string>();
        var before = harness.Emulator.BatchCalls.Single();
        harness.Time.Advance(TimeSpan.FromHours(1));
        var after = (await harness.GetAsync($"{Root}/{id}")).Json;

        Assert.That(before.Status, Is.EqualTo("pending"));
        Assert.That(before.Recipients.Select(r => r.Status), Is.All.EqualTo("pending"));
        Assert.That(after["status"]!.GetValue<string>(), Is.EqualTo("in_progress"));
        Assert.That(after["scheduled_time_unix"]!.GetValue<long>(), Is.EqualTo(at));
    }

    [TestCase("""{"agent_id":"a","agent_phone_number_id":"P","recipients":[{"phone_number":"+447700900001"}]}""", "body.call_name", "missing")]
    [TestCase("""{"call_name":"c","agent_id":"a","agent_phone_number_id":"P","recipients":[]}""", "body.recipients", "too_short")]
    [TestCase("""{"call_name":"c","agent_id":"a","agent_phone_number_id":"P","recipients":[{"phone_number":"12"}]}""", "body.recipients.0.phone_number", "value_error")]
    [TestCase("""{"call_name":"c","agent_id":"a","recipients":[{"phone_number":"+447700900001"}]}""", "body.agent_phone_number_id", "missing")]
    [TestCase("""{"call_name":"c","agent_id":"a","agent_phone_number_id":"P","recipients":[{"phone_number":"+447700900001"}],"target_concurrency_limit":0}""", "body.target_concurrency_limit", "greater_than_equal")]
    public async Task Submit_InvalidBody_Returns422(string body, string expectedLoc, string expectedType)
    {
        await using var harness = await EmulatorHarness.StartAsync();

        var response = await harness.PostAsync($"{Root}/submit", body);

        Assert.That(response.SingleValidationError(), Is.EqualTo((expectedLoc, expectedType)));
    }

    [Test]
    public async Task Submit_SeveralInvalidRecipients_Returns422WithOneErrorEach()
    {
        await using var harness = await EmulatorHarness.StartAsync();

        var response = await harness.PostAsync(
            $"{Root}/submit",
            """{"call_name":"c","agent_id":"a","agent_phone_number_id":"P","recipients":[7,{"phone_number":"1"},"x",{}]}""");

        Assert.That(response.Status, Is.EqualTo(HttpStatusCode.UnprocessableEntity));
        var errors = response.Json["detail"]!.AsArray().Select(e => (string.Join('.', e!["loc"]!.AsArray().Select(n => n!.ToJsonString().Trim('"'))), e["type"]!.GetValue<string>()));
        Assert.That(errors, Is.EqualTo(new[]
        {
            ("body.recipients.0", "model_attributes_type"),
            ("body.recipients.1.phone_number", "value_error"),
            ("body.recipients.2", "model_attributes_type"),
            ("body.recipients.3.phone_number", "missing"),
        }));
    }

    [Test]
    public async Task Cancel_PendingBatch_CancelsItAndItsRecipients()
    {
        await using var harness = await EmulatorHarness.StartAsync();
        var phone = await harness.ImportTwilioNumberAsync();
        var id = (await SubmitAsync(harness, phone, $",\"scheduled_time_unix\":{EmulatorHarness.Start.AddHours(1).ToUnixTimeSeconds()}"))["id"]!.GetValue<string>();

        var response = await harness.PostAsync($"{Root}/{id}/cancel", string.Empty);
        harness.Time.Advance(TimeSpan.FromHours(2));

        Assert.That(response.Json["status"]!.GetValue<string>(), Is.EqualTo("cancelled"));
        Assert.That(harness.Emulator.BatchCalls.Single().Recipients.Select(r => r.Status), Is.All.EqualTo("cancelled"));
        Assert.That(harness.Emulator.Conversations, Is.Empty);
    }

    [Test]
    public async Task Retry_BatchWithBusyRecipient_CallsOnlyTheFailedRecipientAgain()
    {
        await using var harness = await EmulatorHarness.StartAsync(o => o.BusyNumbers.Add("+447700900002"));
        var phone = await harness.ImportTwilioNumberAsync();
        var id = (await SubmitAsync(harness, phone))["id"]!.GetValue<string>();
        harness.FinishCalls();
        var first = harness.Emulator.BatchCalls.Single();

        var response = await harness.PostAsync($"{Root}/{id}/retry", string.Empty);

        var second = harness.Emulator.BatchCalls.Single();
        Assert.That(first.Recipients.Select(r => r.Status), Is.EqualTo(new[] { "completed", "failed" }));
        Assert.That(response.Json["retry_count"]!.GetValue<int>(), Is.EqualTo(1));
        Assert.That(second.Recipients[0].ConversationId, Is.EqualTo(first.Recipients[0].ConversationId));
        Assert.That(second.Recipients[1].ConversationId, Is.Not.EqualTo(first.Recipients[1].ConversationId));
        Assert.That(second.Recipients[1].Status, Is.EqualTo("initiated"));
        Assert.That(harness.Emulator.Conversations, Has.Count.EqualTo(3));
    }

    [Test]
    public async Task Delete_Batch_Returns204WithoutBodyThen404()
    {
        await using var harness = await EmulatorHarness.StartAsync();
        var id = (await SubmitAsync(harness, await harness.ImportTwilioNumberAsync()))["id"]!.GetValue<string>();

        var deleted = await harness.DeleteAsync($"{Root}/{id}");
        var again = await harness.GetAsync($"{Root}/{id}");

        Assert.That(deleted.Status, Is.EqualTo(HttpStatusCode.NoContent));
        Assert.That(deleted.Bytes, Is.Empty);
        Assert.That(again.Status, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That(again.ErrorCode(), Is.EqualTo("batch_call_not_found"));
    }

    [Test]
    public async Task Export_FinishedBatch_ReturnsCsvOfRecipients()
    {
        await using var harness = await EmulatorHarness.StartAsync();
        var id = (await SubmitAsync(harness, await harness.ImportTwilioNumberAsync()))["id"]!.GetValue<string>();
        var early = await harness.GetAsync($"{Root}/{id}/export");
        harness.FinishCalls();

        var response = await harness.GetAsync($"{Root}/{id}/export");

        var conversations = harness.Emulator.Conversations;
        Assert.That(early.Status, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(response.ContentType!.MediaType, Is.EqualTo("text/csv"));
        Assert.That(response.Text.Split('\n', StringSplitOptions.RemoveEmptyEntries), Is.EqualTo(new[]
        {
            "recipient_id,phone_number,status,conversation_id",
            $"r0,+447700900001,completed,{conversations[0].ConversationId}",
            $"r1,+447700900002,completed,{conversations[1].ConversationId}",
        }));
    }

    [Test]
    public async Task List_LimitTwo_LastDocWalksEveryBatchNewestFirst()
    {
        await using var harness = await EmulatorHarness.StartAsync();
        var phone = await harness.ImportTwilioNumberAsync();
        var ids = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            ids.Add((await SubmitAsync(harness, phone))["id"]!.GetValue<string>());
        }

        var first = (await harness.GetAsync($"{Root}/workspace?limit=2")).Json;
        var second = (await harness.GetAsync($"{Root}/workspace?limit=2&last_doc={first["next_doc"]}")).Json;

        static IEnumerable<string> Ids(JsonNode page) => page["batch_calls"]!.AsArray().Select(b => b!["id"]!.GetValue<string>());
        Assert.That(Ids(first).Concat(Ids(second)), Is.EqualTo(Enumerable.Reverse(ids)));
        Assert.That(first["has_more"]!.GetValue<bool>(), Is.True);
        Assert.That(second["has_more"]!.GetValue<bool>(), Is.False);
        Assert.That(second["next_doc"], Is.Null);
    }

    [TestCase("limit=0", "query.limit")]
    [TestCase("last_doc=btcal_missing", "query.last_doc")]
    public async Task List_InvalidQuery_Returns422(string query, string expectedLoc)
    {
        await using var harness = await EmulatorHarness.StartAsync();

        var response = await harness.GetAsync($"{Root}/workspace?{query}");

        Assert.That(response.SingleValidationError().Loc, Is.EqualTo(expectedLoc));
    }

    [TestCase("GET", "")]
    [TestCase("POST", "/cancel")]
    [TestCase("POST", "/retry")]
    [TestCase("GET", "/export")]
    public async Task Item_UnknownId_Returns404(string method, string suffix)
    {
        await using var harness = await EmulatorHarness.StartAsync();

        var response = await harness.SendAsync(new HttpMethod(method), $"{Root}/btcal_missing{suffix}", null);

        Assert.That(response.Status, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That(response.ErrorCode(), Is.EqualTo("batch_call_not_found"));
    }
}
