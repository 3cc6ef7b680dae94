using System.Net;
using System.Text.Json.Nodes;
using ConvAi.Telephony.Tests.TestSupport;
using RichardSzalay.MockHttp;

namespace ConvAi.Telephony.Tests.BatchCalls;

public class BatchCallsClientTests : MockedClientTests
{
    private const string Base = "/v1/convai/batch-calling";

    private protected override void Configure(ConvAiTelephonyOptions options) => ClientFixture.SetCallDefaults(options);

    [Test]
    public async Task SubmitAsync_Recipients_PostsNormalizedNumbersAndParsesBatch()
    {
        var captured = new CapturedRequest();
        var mocked = Fixture.Mock.Expect(HttpMethod.Post, ClientFixture.Url(Base + "/submit"))
            .WithHeaders("xi-api-key", ClientFixture.ApiKey)
            .Capturing(captured);
        mocked.RespondResource("BatchCalls/batch.json");

        var batch = await Fixture.Client.BatchCalls.SubmitAsync(new SubmitBatchCallRequest
        {
            CallName = "November reminders",
            AgentId = "agent_1",
            AgentPhoneNumberId = "phnum_twilio_1",
            ScheduledTimeUnix = 1764003600,
            Timezone = "Europe/Lisbon",
            TargetConcurrencyLimit = 2,
            TelephonyCallConfig = new TelephonyCallConfig { RingingTimeoutSecs = 60 },
            Recipients =
            [
                new BatchCallRecipient
                {
                    Id = "rcpt_1",
                    PhoneNumber = "+1 (415) 555-0100",
                    ConversationInitiationClientData = new ConversationInitiationClientData
                    {
                        UserId = "cust-1",
                        DynamicVariables = new Dictionary<string, JsonNode?> { ["name"] = "Ana", ["due"] = 42.5 },
                    },
                },
                new BatchCallRecipient { PhoneNumber = "+14155550101" },
            ],
        });

        captured.AssertJsonBody("""
            {"call_name":"November reminders","agent_id":"agent_1","recipients":[
               {"id":"rcpt_1","phone_number":"+14155550100","conversation_initiation_client_data":{"dynamic_variables":{"name":"Ana","due":42.5},"user_id":"cust-1"}},
               {"phone_number":"+14155550101"}],
             "scheduled_time_unix":1764003600,"agent_phone_number_id":"phnum_twilio_1","timezone":"Europe/Lisbon",
             "telephony_call_config":{"ringing_timeout_secs":60},"target_concurrency_limit":2}
            """);
        Assert.Multiple(() =>
        {
            Assert.That(batch.Id, Is.EqualTo("batch_1"));
            Assert.That(batch.Name, Is.EqualTo("November reminders"));
            Assert.That(batch.AgentId, Is.EqualTo("agent_1"));
            Assert.That(batch.AgentName, Is.EqualTo("Reminder agent"));
            Assert.That(batch.PhoneNumberId, Is.EqualTo("phnum_twilio_1"));
            Assert.That(batch.PhoneProvider, Is.EqualTo(PhoneNumberProvider.Twilio));
            Assert.That(batch.WhatsAppParams, Is.Null);
            Assert.That(batch.Environment, Is.EqualTo("production"));
            Assert.That(batch.Timezone, Is.EqualTo("Europe/Lisbon"));
            Assert.That(batch.CreatedAtUnix, Is.EqualTo(1764000000));
            Assert.That(batch.ScheduledTimeUnix, Is.EqualTo(1764003600));
            Assert.That(batch.LastUpdatedAtUnix, Is.EqualTo(1764000100));
            Assert.That(batch.TotalCallsScheduled, Is.EqualTo(2));
            Assert.That(batch.Status, Is.EqualTo(BatchCallStatus.Pending));
            Assert.That(batch.TelephonyCallConfig!.RingingTimeoutSecs, Is.EqualTo(60));
            Assert.That(batch.TelephonyCallConfig.TwilioCallRecordingEnabled, Is.False);
            Assert.That(batch.TargetConcurrencyLimit, Is.Null);
            Assert.That(batch.Recipients, Is.Null);
        });
        Assert.That(Fixture.Mock.GetMatchCount(mocked), Is.EqualTo(1));
    }

    [Test]
    public void SubmitAsync_InvalidRecipientNumber_ThrowsNamingRecipientAndSendsNothing()
    {
        var any = Fixture.Mock.When("*").Respond(HttpStatusCode.OK);

        var ex = Assert.ThrowsAsync<ArgumentException>(() => Fixture.Client.BatchCalls.SubmitAsync(new SubmitBatchCallRequest
        {
            CallName = "b",
            Recipients = [new BatchCallRecipient { PhoneNumber = "+14155550100" }, new BatchCallRecipient { PhoneNumber = "555-0100" }],
        }));

        Assert.That(ex!.ParamName, Is.EqualTo("request.Recipients[1].PhoneNumber"));
        Assert.That(Fixture.Mock.GetMatchCount(any), Is.Zero);
    }

    /// <summary>
    /// Issue 12: <c>agent_phone_number_id</c> is optional and a recipient may be a WhatsApp user (elevenlabs-python 2.59.0
    /// src/elevenlabs/types/outbound_call_recipient.py and conversational_ai/batch_calls/client.py; elevenlabs-js 2.56.0 agrees).
    /// The client checks only what it can know: at least one recipient, each a WhatsApp user or an E.164 number.
    /// </summary>
    [TestCase(null, null, """{"call_name":"b","agent_id":"agent_1","recipients":[{"whatsapp_user_id":"wa_1"},{"phone_number":"+14155550100"}]}""")]
    [TestCase("phnum_default", null, """{"call_name":"b","agent_id":"agent_1","agent_phone_number_id":"phnum_default","recipients":[{"whatsapp_user_id":"wa_1"},{"phone_number":"+14155550100"}]}""")]
    [TestCase("phnum_default", "phnum_given", """{"call_name":"b","agent_id":"agent_1","agent_phone_number_id":"phnum_given","recipients":[{"whatsapp_user_id":"wa_1"},{"phone_number":"+14155550100"}]}""")]
    public async Task SubmitAsync_PhoneNumberIdOptional_FallsBackToDefaultElseOmitted(string? defaultId, string? givenId, string expectedBody)
    {
        using var fixture = new ClientFixture(o => o.DefaultPhoneNumberId = defaultId);
        var captured = new CapturedRequest();
        fixture.Mock.Expect(HttpMethod.Post, ClientFixture.Url(Base + "/submit")).Capturing(captured).RespondResource("BatchCalls/batch.json");

        await fixture.Client.BatchCalls.SubmitAsync(new SubmitBatchCallRequest
        {
            CallName = "b",
            AgentId = "agent_1",
            AgentPhoneNumberId = givenId,
            Recipients = [new BatchCallRecipient { WhatsAppUserId = "wa_1" }, new BatchCallRecipient { PhoneNumber = "+1 415 555 0100" }],
        });

        captured.AssertJsonBody(expectedBody);
    }

    [Test]
    public void SubmitAsync_RecipientWithNeitherNumberNorWhatsAppUser_SendsNothing()
    {
        var ex = Assert.ThrowsAsync<ArgumentException>(() => Fixture.Client.BatchCalls.SubmitAsync(new SubmitBatchCallRequest
        {
            CallName = "b",
            Recipients = [new BatchCallRecipient { Id = "r1" }],
        }));

        Assert.That(ex!.ParamName, Is.EqualTo("request.Recipients[0].PhoneNumber"));
        Fixture.Mock.VerifyNoOutstandingRequest();
    }

    [Test]
    public void SubmitAsync_NoRecipients_ThrowsArgumentException()
    {
        var ex = Assert.ThrowsAsync<ArgumentException>(() =>
            Fixture.Client.BatchCalls.SubmitAsync(new SubmitBatchCallRequest { CallName = "b", Recipients = [] }));

        Assert.That(ex!.ParamName, Is.EqualTo("request.Recipients"));
    }

    [Test]
    public async Task GetAsync_DetailedBatch_ParsesRecipientsAndUnknownStatuses()
    {
        var mocked = Fixture.Mock.Expect(HttpMethod.Get, ClientFixture.Url(Base + "/batch_1"));
        mocked.RespondResource("BatchCalls/get.json");

        var batch = await Fixture.Client.BatchCalls.GetAsync("batch_1");

        Assert.Multiple(() =>
        {
            Assert.That(batch.Status, Is.EqualTo(BatchCallStatus.InProgress));
            Assert.That(batch.Status.Value, Is.EqualTo("in_progress"));
            Assert.That(batch.PhoneProvider, Is.EqualTo(PhoneNumberProvider.SipTrunk));
            Assert.That(batch.RetryCount, Is.EqualTo(1));
            Assert.That(batch.TotalCallsDispatched, Is.EqualTo(2));
            Assert.That(batch.TotalCallsFinished, Is.EqualTo(1));
            Assert.That(batch.TargetConcurrencyLimit, Is.EqualTo(5));
            Assert.That(batch.AdditionalProperties!["extra_future_field"].GetString(), Is.EqualTo("kept"));
            Assert.That(batch.Recipients, Has.Count.EqualTo(3));
            Assert.That(batch.Recipients![0].Id, Is.EqualTo("rcpt_1"));
            Assert.That(batch.Recipients[0].Status, Is.EqualTo(BatchCallRecipientStatus.Completed));
            Assert.That(batch.Recipients[0].CreatedAtUnix, Is.EqualTo(1764000000));
            Assert.That(batch.Recipients[0].UpdatedAtUnix, Is.EqualTo(1764003700));
            Assert.That(batch.Recipients[0].ConversationId, Is.EqualTo("conv_b1"));
            Assert.That(batch.Recipients[0].PhoneNumber, Is.EqualTo("+14155550100"));
            Assert.That(batch.Recipients[0].ConversationInitiationClientData!.UserId, Is.EqualTo("cust-1"));
            Assert.That(batch.Recipients[0].ConversationInitiationClientData!.AdditionalProperties!.ContainsKey("tool_mock_config"), Is.True);
            Assert.That(batch.Recipients[1].Status, Is.EqualTo(BatchCallRecipientStatus.Dispatched));
            Assert.That(batch.Recipients[1].ConversationId, Is.Null);
            Assert.That(batch.Recipients[2].Status.Value, Is.EqualTo("ringing_forever"));
            Assert.That(batch.Recipients[2].WhatsAppUserId, Is.EqualTo("wa_9"));
        });
        Assert.That(Fixture.Mock.GetMatchCount(mocked), Is.EqualTo(1));
    }

    [Test]
    public async Task ListAsync_Options_SendsLimitLastDocAndAgent()
    {
        var mocked = Fixture.Mock.Expect(HttpMethod.Get, ClientFixture.Url(Base + "/workspace"))
            .WithExactQueryString("limit=10&last_doc=doc_1&agent_id=agent_1");
        mocked.RespondResource("BatchCalls/list-page2.json");

        var page = await Fixture.Client.BatchCalls.ListAsync(new BatchCallListOptions { Limit = 10, LastDoc = "doc_1", AgentId = "agent_1" });

        Assert.That(page.BatchCalls.Single().Status, Is.EqualTo(BatchCallStatus.Cancelled));
        Assert.That(page.HasMore, Is.False);
        Assert.That(page.NextDoc, Is.Null);
        Assert.That(Fixture.Mock.GetMatchCount(mocked), Is.EqualTo(1));
    }

    [Test]
    public async Task ListAllAsync_TwoPages_FollowsNextDocAsLastDoc()
    {
        var first = Fixture.Mock.Expect(HttpMethod.Get, ClientFixture.Url(Base + "/workspace")).WithExactQueryString("limit=2");
        first.RespondResource("BatchCalls/list-page1.json");
        var second = Fixture.Mock.Expect(HttpMethod.Get, ClientFixture.Url(Base + "/workspace")).WithExactQueryString("limit=2&last_doc=doc_2");
        second.RespondResource("BatchCalls/list-page2.json");

        var batches = new List<BatchCall>();
        await foreach (var batch in Fixture.Client.BatchCalls.ListAllAsync(new BatchCallListOptions { Limit = 2 }))
        {
            batches.Add(batch);
        }

        Assert.That(batches.Select(b => b.Id), Is.EqualTo(new[] { "batch_1", "batch_2", "batch_3" }));
        Assert.That(batches[1].Status.Value, Is.EqualTo("paused_by_support"));
        Assert.That(Fixture.Mock.GetMatchCount(first), Is.EqualTo(1));
        Assert.That(Fixture.Mock.GetMatchCount(second), Is.EqualTo(1));
    }

    [Test]
    public void ListAllAsync_CancelledBetweenPages_StopsRequesting()
    {
        var first = Fixture.Mock.When(HttpMethod.Get, ClientFixture.Url(Base + "/workspace")).WithExactQueryString("");
        first.RespondResource("BatchCalls/list-page1.json");
        var second = Fixture.Mock.When(HttpMethod.Get, ClientFixture.Url(Base + "/workspace")).WithQueryString("last_doc", "doc_2");
        second.RespondResource("BatchCalls/list-page2.json");
        using var cts = new CancellationTokenSource();

        Assert.That(async () =>
        {
            await foreach (var unused in Fixture.Client.BatchCalls.ListAllAsync(cancellationToken: cts.Token))
            {
                await cts.CancelAsync();
            }
        }, Throws.InstanceOf<OperationCanceledException>());

        Assert.That(Fixture.Mock.GetMatchCount(first), Is.EqualTo(1));
        Assert.That(Fixture.Mock.GetMatchCount(second), Is.Zero);
    }

    [Test]
    public async Task DeleteAsync_Answers204_Completes()
    {
        var mocked = Fixture.Mock.Expect(HttpMethod.Delete, ClientFixture.Url(Base + "/batch_1")).WithHeaders("xi-api-key", ClientFixture.ApiKey);
        mocked.Respond(HttpStatusCode.NoContent);

        await Fixture.Client.BatchCalls.DeleteAsync("batch_1");

        Assert.That(Fixture.Mock.GetMatchCount(mocked), Is.EqualTo(1));
    }

    [Test]
    public async Task CancelAsync_Id_PostsWithoutBodyAndParsesBatch()
    {
        var captured = new CapturedRequest();
        var mocked = Fixture.Mock.Expect(HttpMethod.Post, ClientFixture.Url(Base + "/batch_1/cancel")).Capturing(captured);
        mocked.RespondJson(Resources.Read("BatchCalls/batch.json").Replace("\"pending\"", "\"cancelled\"", StringComparison.Ordinal));

        var batch = await Fixture.Client.BatchCalls.CancelAsync("batch_1");

        Assert.That(batch.Status, Is.EqualTo(BatchCallStatus.Cancelled));
        Assert.That(string.IsNullOrEmpty(captured.Body), Is.True);
        Assert.That(Fixture.Mock.GetMatchCount(mocked), Is.EqualTo(1));
    }

    [Test]
    public async Task RetryAsync_Id_PostsWithoutBodyAndParsesBatch()
    {
        var captured = new CapturedRequest();
        var mocked = Fixture.Mock.Expect(HttpMethod.Post, ClientFixture.Url(Base + "/batch_1/retry")).Capturing(captured);
        mocked.RespondResource("BatchCalls/batch.json");

        var batch = await Fixture.Client.BatchCalls.RetryAsync("batch_1");

        Assert.That(batch.Id, Is.EqualTo("batch_1"));
        Assert.That(string.IsNullOrEmpty(captured.Body), Is.True);
        Assert.That(Fixture.Mock.GetMatchCount(mocked), Is.EqualTo(1));
    }

    [Test]
    public async Task ExportAsync_Csv_ReturnsStream()
    {
        const string csv = "recipient_id,phone_number,status\nrcpt_1,+14155550100,completed\n";
        var mocked = Fixture.Mock.Expect(HttpMethod.Get, ClientFixture.Url(Base + "/batch_1/export"));
        mocked.Respond(HttpStatusCode.OK, "text/csv", csv);

        await using var stream = await Fixture.Client.BatchCalls.ExportAsync("batch_1");
        using var reader = new StreamReader(stream);

        Assert.That(await reader.ReadToEndAsync(), Is.EqualTo(csv));
        Assert.That(Fixture.Mock.GetMatchCount(mocked), Is.EqualTo(1));
    }

    [TestCase("")]
    [TestCase("  ")]
    public void Methods_EmptyBatchId_ThrowArgumentException(string id)
    {
        var any = Fixture.Mock.When("*").Respond(HttpStatusCode.OK);
        var client = Fixture.Client.BatchCalls;

        Assert.Multiple(() =>
        {
            Assert.That(Assert.ThrowsAsync<ArgumentException>(() => client.GetAsync(id))!.ParamName, Is.EqualTo("batchId"));
            Assert.That(Assert.ThrowsAsync<ArgumentException>(() => client.DeleteAsync(id))!.ParamName, Is.EqualTo("batchId"));
            Assert.That(Assert.ThrowsAsync<ArgumentException>(() => client.CancelAsync(id))!.ParamName, Is.EqualTo("batchId"));
            Assert.That(Assert.ThrowsAsync<ArgumentException>(() => client.RetryAsync(id))!.ParamName, Is.EqualTo("batchId"));
            Assert.That(Assert.ThrowsAsync<ArgumentException>(() => client.ExportAsync(id))!.ParamName, Is.EqualTo("batchId"));
        });
        Assert.That(Fixture.Mock.GetMatchCount(any), Is.Zero);
    }
}
