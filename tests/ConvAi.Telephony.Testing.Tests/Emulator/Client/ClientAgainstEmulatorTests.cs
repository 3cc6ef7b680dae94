using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using ConvAi.Telephony;
using ConvAi.Telephony.AspNetCore;
using Microsoft.Extensions.DependencyInjection;

namespace ConvAi.Telephony.Testing.Tests;

/// <summary>The real ConvAi.Telephony client run against the emulator: the emulator is the client's oracle and vice versa.</summary>
public class ClientAgainstEmulatorTests
{
    private const string Secret = "wsec_client_tests";

    private static async Task<(EmulatorHarness Harness, ConvAiTelephonyClient Client, CapturingHandler Receiver)> StartAsync(
        Action<ConvAiEmulatorOptions>? configure = null,
        string? apiKey = null)
    {
        var receiver = new CapturingHandler();
        var harness = await EmulatorHarness.StartAsync(o =>
        {
            o.WebhookUrl = new Uri("https://app.example.com/webhooks/elevenlabs");
            o.WebhookSecret = Secret;
            o.WebhookHandler = receiver;
            configure?.Invoke(o);
        });
        var options = new ConvAiTelephonyOptions
        {
            ApiKey = apiKey ?? harness.Emulator.ApiKey,
            BaseAddress = harness.Emulator.BaseAddress,
            Resilience = new ConvAiResilienceOptions { MaxRetryAttempts = 0 },
        };
        return (harness, new ConvAiTelephonyClient(options), receiver);
    }

    private static Task<ImportPhoneNumberResult> ImportAsync(ConvAiTelephonyClient client, string number = "+14155550100") =>
        client.PhoneNumbers.ImportTwilioAsync(new ImportTwilioPhoneNumberRequest
        {
            PhoneNumber = number,
            Label = "Support",
            Sid = "AC0123456789abcdef0123456789abcdef",
            Token = "twilio-token",
        });

    [Test]
    public async Task OutboundCallWithDynamicVariables_ReachesDoneAndDeliversVerifiableWebhookWithTheVariables()
    {
        var (harness, client, receiver) = await StartAsync();
        await using var _ = harness;
        var imported = await ImportAsync(client);
        var assigned = await client.PhoneNumbers.UpdateAsync(imported.PhoneNumberId, new UpdatePhoneNumberRequest { AgentId = "agent_support" });

        var call = await client.Calls.StartTwilioCallAsync(new StartTwilioCallRequest
        {
            AgentId = "agent_support",
            AgentPhoneNumberId = imported.PhoneNumberId,
            ToNumber = "+44 7700 900123",
            ConversationInitiationClientData = new ConversationInitiationClientData
            {
                UserId = "cust-42",
                DynamicVariables = new Dictionary<string, JsonNode?> { ["customer_name"] = "Ana", ["balance"] = 12.5 },
            },
        });
        var initiated = await client.Conversations.GetAsync(call.ConversationId!);
        harness.FinishCalls();
        var delivery = await harness.Emulator.WaitForWebhookAsync("post_call_transcription", call.ConversationId).WaitAsync(TimeSpan.FromSeconds(10));
        var done = await client.Conversations.GetAsync(call.ConversationId!);

        var (_, _, signature, body) = receiver.Requests.Single();
        var webhook = (PostCallTranscriptionEvent)ConvAiWebhookEvent.Parse(body);
        Assert.Multiple(() =>
        {
            Assert.That(assigned.AssignedAgent!.AgentId, Is.EqualTo("agent_support"));
            Assert.That(call.CallSid, Does.StartWith("CA"));
            Assert.That(initiated.Status, Is.EqualTo(ConversationStatus.Initiated));
            Assert.That(done.Status, Is.EqualTo(ConversationStatus.Done));
            Assert.That(done.UserId, Is.EqualTo("cust-42"));
            Assert.That(done.Transcript![0].Message, Does.Contain("Hello Ana"));
            Assert.That(done.Transcript.Select(t => t.Message), Has.Some.Contains("balance is 12.5"));
            Assert.That(done.Analysis!.CallSuccessful, Is.EqualTo(EvaluationResult.Success));
            Assert.That(done.Metadata!.PhoneCall!.Type, Is.EqualTo(PhoneCallType.Twilio));
            Assert.That(done.Metadata.PhoneCall.ExternalNumber, Is.EqualTo("+447700900123"));
            Assert.That(done.Metadata.PhoneCall.CallSid, Is.EqualTo(call.CallSid));
            Assert.That(done.Metadata.PhoneCall.PhoneNumberId, Is.EqualTo(imported.PhoneNumberId));
            Assert.That(new ConvAiWebhookSignature(Secret, harness.Time).Verify(body, signature), Is.EqualTo(ConvAiWebhookSignatureResult.Valid));
            Assert.That(webhook.GetData().ConversationId, Is.EqualTo(call.ConversationId));
            Assert.That(webhook.GetData().Status, Is.EqualTo(ConversationStatus.Done));
            Assert.That(webhook.GetData().Transcript![0].Message, Does.Contain("Ana"));
            Assert.That(webhook.GetData().ConversationInitiationClientData!.DynamicVariables!["customer_name"]!.GetValue<string>(), Is.EqualTo("Ana"));
            Assert.That(delivery.StatusCode, Is.EqualTo(200));
        });
    }

    [Test]
    public async Task SipTrunkCallAndRegisterCall_ReturnTheirWireSpecificFields()
    {
        var (harness, client, _) = await StartAsync();
        await using var _ = harness;
        var sip = await client.PhoneNumbers.ImportSipTrunkAsync(new ImportSipTrunkPhoneNumberRequest
        {
            PhoneNumber = "+14155550101",
            Label = "PBX",
            OutboundTrunkConfig = new OutboundSipTrunkConfig { Address = "sip.example.com" },
        });

        var sipCall = await client.Calls.StartSipTrunkCallAsync(new StartSipTrunkCallRequest { AgentId = "a", AgentPhoneNumberId = sip.PhoneNumberId, ToNumber = "+447700900123" });
        var twiml = await client.Calls.RegisterTwilioCallAsync(new RegisterTwilioCallRequest { AgentId = "a", FromNumber = "+447700900123", ToNumber = "+14155550101" });

        Assert.That(sipCall.SipCallId, Is.EqualTo(harness.Emulator.Conversations[0].CallSid));
        Assert.That(twiml, Does.Contain("<Connect><Stream url=\"wss://").And.Contain(harness.Emulator.Conversations[1].ConversationId));
    }

    [Test]
    public async Task WrongApiKey_SurfacesAsConvAiApiException401()
    {
        var (harness, client, _) = await StartAsync(apiKey: "not-the-key");
        await using var _ = harness;

        var error = Assert.ThrowsAsync<ConvAiApiException>(() => client.PhoneNumbers.ListAsync());

        Assert.That(error!.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(error.ErrorCode, Is.EqualTo("invalid_api_key"));
        Assert.That(error.ToString(), Does.Not.Contain("not-the-key"));
    }

    [Test]
    public async Task UnknownConversation_SurfacesAsConvAiApiException404()
    {
        var (harness, client, _) = await StartAsync();
        await using var _ = harness;

        var error = Assert.ThrowsAsync<ConvAiApiException>(() => client.Conversations.GetAsync("conv_missing"));

        Assert.That(error!.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That(error.ErrorCode, Is.EqualTo("conversation_not_found"));
    }

    [Test]
    public async Task InvalidQuery_SurfacesAsConvAiApiException422WithValidationErrors()
    {
        var (harness, client, _) = await StartAsync();
        await using var _ = harness;

        var error = Assert.ThrowsAsync<ConvAiApiException>(() => client.Conversations.ListAsync(new ConversationListOptions { PageSize = 101 }));

        Assert.That(error!.StatusCode, Is.EqualTo(HttpStatusCode.UnprocessableEntity));
        var validation = error.ValidationErrors.Single();
        Assert.That(validation.Location, Is.EqualTo(new[] { "query", "page_size" }));
        Assert.That(validation.Type, Is.EqualTo("less_than_equal"));
    }

    [Test]
    public async Task ListAllAsync_FiltersAndPageSize_FollowsCursorAcrossPages()
    {
        var (harness, client, _) = await StartAsync();
        await using var _ = harness;
        var phone = (await ImportAsync(client)).PhoneNumberId;
        var expected = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            var agent = i % 2 == 0 ? "agent_a" : "agent_b";
            var call = await client.Calls.StartTwilioCallAsync(new StartTwilioCallRequest { AgentId = agent, AgentPhoneNumberId = phone, ToNumber = $"+44770090010{i}" });
            if (agent == "agent_a")
            {
                expected.Add(call.ConversationId!);
            }

            harness.Time.Advance(TimeSpan.FromMinutes(1));
        }

        var listed = new List<string>();
        await foreach (var summary in client.Conversations.ListAllAsync(new ConversationListOptions { AgentId = "agent_a", PageSize = 2, SortDirection = SortDirection.Ascending }))
        {
            listed.Add(summary.ConversationId);
        }

        var listRequests = harness.Emulator.ReceivedRequests.Where(r => r.Path == "/v1/convai/conversations").ToList();
        Assert.That(listed, Is.EqualTo(expected));
        Assert.That(listRequests, Has.Count.EqualTo(2));
        Assert.That(listRequests[1].QueryString, Does.Contain("cursor="));
    }

    [Test]
    public async Task BatchSubmit_RecipientsComplete()
    {
        var (harness, client, _) = await StartAsync();
        await using var _ = harness;
        var phone = (await ImportAsync(client)).PhoneNumberId;

        var submitted = await client.BatchCalls.SubmitAsync(new SubmitBatchCallRequest
        {
            CallName = "Renewals",
            AgentId = "agent_a",
            AgentPhoneNumberId = phone,
            Recipients =
            [
                new BatchCallRecipient { PhoneNumber = "+447700900001", ConversationInitiationClientData = new() { DynamicVariables = new Dictionary<string, JsonNode?> { ["customer_name"] = "Bea" } } },
                new BatchCallRecipient { PhoneNumber = "+447700900002" },
            ],
        });
        harness.FinishCalls();
        var batch = await client.BatchCalls.GetAsync(submitted.Id);
        var first = await client.Conversations.GetAsync(batch.Recipients![0].ConversationId!);

        Assert.That(submitted.Status, Is.EqualTo(BatchCallStatus.InProgress));
        Assert.That(batch.Status, Is.EqualTo(BatchCallStatus.Completed));
        Assert.That(batch.Recipients.Select(r => r.Status), Is.All.EqualTo(BatchCallRecipientStatus.Completed));
        Assert.That(first.Transcript![0].Message, Does.Contain("Bea"));
        Assert.That(first.Metadata!.BatchCall!.BatchCallId, Is.EqualTo(submitted.Id));
    }

    [TestCase("busy")]
    [TestCase("no-answer")]
    public async Task NumberThatFailsToConnect_CallFailsAndCallInitiationFailureWebhookParses(string reason)
    {
        var (harness, client, receiver) = await StartAsync(o => (reason == "busy" ? o.BusyNumbers : o.NoAnswerNumbers).Add("+447700900500"));
        await using var _ = harness;
        var phone = (await ImportAsync(client)).PhoneNumberId;

        var call = await client.Calls.StartTwilioCallAsync(new StartTwilioCallRequest { AgentId = "a", AgentPhoneNumberId = phone, ToNumber = "+447700900500" });
        harness.FinishCalls();
        await harness.Emulator.WaitForWebhookAsync("call_initiation_failure", call.ConversationId).WaitAsync(TimeSpan.FromSeconds(10));

        var failure = (CallInitiationFailureEvent)ConvAiWebhookEvent.Parse(receiver.Requests.Single().Body);
        var conversation = await client.Conversations.GetAsync(call.ConversationId!);
        Assert.That(failure.Data.FailureReason, Is.EqualTo(CallInitiationFailureReason.FromString(reason)));
        Assert.That(failure.Data.Metadata!.Type, Is.EqualTo(CallInitiationFailureProvider.Twilio));
        Assert.That(failure.Data.Metadata.Twilio!["CallSid"], Is.EqualTo(call.CallSid));
        Assert.That(conversation.Status, Is.EqualTo(ConversationStatus.Failed));
    }

    [Test]
    public async Task RateLimitedFault_SurfacesAsConvAiRateLimitExceptionWithConcurrencyHeaders()
    {
        var (harness, client, _) = await StartAsync();
        await using var _ = harness;
        harness.Emulator.Faults.Enqueue(Fault.RateLimited("concurrent_limit_exceeded", 4, 4, TimeSpan.FromSeconds(2)));

        var error = Assert.ThrowsAsync<ConvAiRateLimitException>(() => client.PhoneNumbers.ListAsync());

        Assert.That(error!.StatusCode, Is.EqualTo(HttpStatusCode.TooManyRequests));
        Assert.That(error.ErrorCode, Is.EqualTo("concurrent_limit_exceeded"));
        Assert.That(error.CurrentConcurrentRequests, Is.EqualTo(4));
        Assert.That(error.MaximumConcurrentRequests, Is.EqualTo(4));
        Assert.That(error.RetryAfter, Is.EqualTo(TimeSpan.FromSeconds(2)));
    }

    [Test]
    public async Task DroppedConnectionOnOutboundCall_SurfacesAsOutcomeUnknownWithReconciliationData()
    {
        var (harness, client, _) = await StartAsync();
        await using var _ = harness;
        var phone = (await ImportAsync(client)).PhoneNumberId;
        harness.Emulator.Faults.Enqueue(Fault.DropConnectionAfterRequestRead().For(HttpMethod.Post, "/v1/convai/twilio/outbound-call"));

        var error = Assert.ThrowsAsync<ConvAiOutcomeUnknownException>(() => client.Calls.StartTwilioCallAsync(new StartTwilioCallRequest
        {
            AgentId = "agent_a",
            AgentPhoneNumberId = phone,
            ToNumber = "+447700900123",
            ConversationInitiationClientData = new ConversationInitiationClientData { UserId = "cust-7" },
        }));

        Assert.Multiple(() =>
        {
            Assert.That(error!.AgentId, Is.EqualTo("agent_a"));
            Assert.That(error.PhoneNumberId, Is.EqualTo(phone));
            Assert.That(error.ToNumber, Is.EqualTo("+447700900123"));
            Assert.That(error.UserId, Is.EqualTo("cust-7"));
            Assert.That(error.InnerException, Is.InstanceOf<HttpRequestException>().With.Property("HttpRequestError").EqualTo(HttpRequestError.ResponseEnded));
            Assert.That(harness.Emulator.ReceivedRequests.Count(r => r.Path == "/v1/convai/twilio/outbound-call"), Is.EqualTo(1));
        });
    }

    [Test]
    public async Task GetAudioAsync_DoneCall_StreamsTheRecording()
    {
        var (harness, client, _) = await StartAsync(o => o.SendAudioWebhook = true);
        await using var _ = harness;
        var phone = (await ImportAsync(client)).PhoneNumberId;
        var call = await client.Calls.StartTwilioCallAsync(new StartTwilioCallRequest { AgentId = "a", AgentPhoneNumberId = phone, ToNumber = "+447700900123" });
        harness.FinishCalls();
        var audioWebhook = await harness.Emulator.WaitForWebhookAsync("post_call_audio", call.ConversationId).WaitAsync(TimeSpan.FromSeconds(10));

        await using var stream = await client.Conversations.GetAudioAsync(call.ConversationId!);
        using var buffer = new MemoryStream();
        await stream.CopyToAsync(buffer);

        var parsed = (PostCallAudioEvent)ConvAiWebhookEvent.Parse(Encoding.UTF8.GetBytes(audioWebhook.Body));
        Assert.That(parsed.ConversationId, Is.EqualTo(call.ConversationId));
        Assert.That(buffer.ToArray()[..3], Is.EqualTo("ID3"u8.ToArray()));
    }

    [Test]
    public async Task UseConvAiEmulator_ConfiguredWithAnotherKey_SendsTheEmulatorsKeyToTheEmulator()
    {
        await using var emulator = new ConvAiEmulator(new ConvAiEmulatorOptions { ApiKey = "emulator-only-key" });
        var services = new ServiceCollection();
        services.AddConvAiTelephony(o => o.ApiKey = "production-key").UseConvAiEmulator(emulator);
        await using var provider = services.BuildServiceProvider();

        var numbers = await provider.GetRequiredService<IConvAiTelephonyClient>().PhoneNumbers.ListAsync();

        Assert.That(numbers, Is.Empty);
        Assert.That(emulator.ReceivedRequests.Single().Path, Is.EqualTo("/v1/convai/phone-numbers"));
    }

    [Test]
    public void UseConvAiEmulator_NullArguments_ThrowArgumentNullException()
    {
        var builder = new ServiceCollection().AddConvAiTelephony(o => o.ApiKey = "k");

        Assert.That(() => builder.UseConvAiEmulator(null!), Throws.ArgumentNullException.With.Property("ParamName").EqualTo("emulator"));
        Assert.That(() => ((IConvAiTelephonyBuilder)null!).UseConvAiEmulator(new ConvAiEmulator()), Throws.ArgumentNullException.With.Property("ParamName").EqualTo("builder"));
    }

    [Test]
    public async Task DependencyInjection_EmulatorHandlerAsPrimaryHandler_ServesTheProductionBaseAddress()
    {
        await using var emulator = new ConvAiEmulator();
        var services = new ServiceCollection();
        services.AddConvAiTelephony(o => o.ApiKey = emulator.ApiKey)
            .HttpClientBuilder.ConfigurePrimaryHttpMessageHandler(emulator.CreateHandler);
        await using var provider = services.BuildServiceProvider();
        var client = provider.GetRequiredService<IConvAiTelephonyClient>();

        var imported = await client.PhoneNumbers.ImportTwilioAsync(new ImportTwilioPhoneNumberRequest { PhoneNumber = "+14155550100", Label = "L", Sid = "AC1", Token = "t" });
        var numbers = await client.PhoneNumbers.ListAsync();

        Assert.That(numbers.Single().PhoneNumberId, Is.EqualTo(imported.PhoneNumberId));
        Assert.That(emulator.ReceivedRequests.Select(r => r.Method + " " + r.Path), Is.EqualTo(new[] { "POST /v1/convai/phone-numbers", "GET /v1/convai/phone-numbers" }));
        Assert.That(emulator.ReceivedRequests.All(r => r.HasApiKey), Is.True);
    }
}
