using System.Net;

namespace ConvAi.Telephony.Testing.Tests;

/// <summary>The endpoints added for issue 12, exercised offline with the real client against the emulator.</summary>
public class CoverageAgainstEmulatorTests
{
    private static async Task<(EmulatorHarness Harness, ConvAiTelephonyClient Client)> StartAsync(Action<ConvAiEmulatorOptions>? configure = null)
    {
        var harness = await EmulatorHarness.StartAsync(configure);
        var client = new ConvAiTelephonyClient(new ConvAiTelephonyOptions
        {
            ApiKey = harness.Emulator.ApiKey,
            BaseAddress = harness.Emulator.BaseAddress,
            DefaultAgentId = "agent_1",
            Resilience = new ConvAiResilienceOptions { MaxRetryAttempts = 0 },
        });
        return (harness, client);
    }

    [Test]
    public async Task ExotelCall_CreatesConversationWithCallSid()
    {
        var (harness, client) = await StartAsync();
        await using var _ = harness;
        var number = await client.PhoneNumbers.ImportExotelAsync(new ImportExotelPhoneNumberRequest
        {
            PhoneNumber = "+919876500000",
            Label = "IN",
            AccountSid = "acc",
            ApiKey = "key",
            ApiToken = "token",
            AppId = "app",
        });

        var result = await client.Calls.StartExotelCallAsync(new StartExotelCallRequest { AgentPhoneNumberId = number.PhoneNumberId, ToNumber = "+919876543210" });

        var conversation = harness.Emulator.Conversations.Single();
        Assert.Multiple(() =>
        {
            Assert.That(result.ConversationId, Is.EqualTo(conversation.ConversationId));
            Assert.That(result.CallSid, Is.EqualTo(conversation.CallSid));
            Assert.That(conversation.ExternalNumber, Is.EqualTo("+919876543210"));
        });
    }

    [Test]
    public async Task ExotelCall_WithTwilioNumber_Answers400()
    {
        var (harness, client) = await StartAsync();
        await using var _ = harness;
        var twilio = await harness.ImportTwilioNumberAsync();

        var ex = Assert.ThrowsAsync<ConvAiApiException>(() => client.Calls.StartExotelCallAsync(new StartExotelCallRequest { AgentPhoneNumberId = twilio, ToNumber = "+919876543210" }));

        Assert.That((ex!.StatusCode, ex.ErrorCode), Is.EqualTo((HttpStatusCode.BadRequest, "invalid_phone_number_provider")));
    }

    [Test]
    public async Task WhatsApp_AccountsCallAndMessage_WorkOffline()
    {
        var (harness, client) = await StartAsync(o => o.WhatsAppAccounts.Add(new EmulatedWhatsAppAccount("wa_1", "+15550001111", "agent_1")));
        await using var _ = harness;

        var accounts = await client.WhatsApp.ListAccountsAsync("agent_1");
        var none = await client.WhatsApp.ListAccountsAsync("agent_other");
        var account = await client.WhatsApp.GetAccountAsync("wa_1");
        var call = await client.WhatsApp.StartCallAsync(new StartWhatsAppCallRequest
        {
            WhatsAppPhoneNumberId = "wa_1",
            WhatsAppUserId = "447700900123",
            PermissionTemplateName = "call_permission",
            PermissionTemplateLanguageCode = "en_US",
        });
        var message = await client.WhatsApp.SendMessageAsync(new SendWhatsAppMessageRequest
        {
            WhatsAppPhoneNumberId = "wa_1",
            WhatsAppUserId = "447700900123",
            TemplateName = "hello",
            TemplateLanguageCode = "en_US",
            TemplateParams = [WhatsAppTemplateComponent.Body("Ana")],
        });

        Assert.Multiple(() =>
        {
            Assert.That(accounts.Single().PhoneNumber, Is.EqualTo("+15550001111"));
            Assert.That(none, Is.Empty);
            Assert.That(account.AssignedAgentId, Is.EqualTo("agent_1"));
            Assert.That(harness.Emulator.Conversations.Select(c => c.ConversationId), Is.EqualTo(new[] { call.ConversationId, message.ConversationId }));
        });
        var missing = Assert.ThrowsAsync<ConvAiApiException>(() => client.WhatsApp.GetAccountAsync("wa_unknown"));
        Assert.That(missing!.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
    }

    [Test]
    public async Task LiveCount_CountsCallsUntilTheyEnd()
    {
        var (harness, client) = await StartAsync();
        await using var _ = harness;
        var number = await harness.ImportTwilioNumberAsync();
        await harness.CallAsync(number, agentId: "agent_1");
        await harness.CallAsync(number, "+447700900124", agentId: "agent_2");

        var during = await client.Conversations.GetLiveCountAsync();
        var agentOnly = await client.Conversations.GetLiveCountAsync("agent_2");
        harness.FinishCalls();
        var after = await client.Conversations.GetLiveCountAsync();

        Assert.That((during, agentOnly, after), Is.EqualTo((2, 1, 0)));
    }

    [Test]
    public async Task SipMessages_BusyCall_GetSipFailureSays486BusyHere()
    {
        var (harness, client) = await StartAsync(o => o.BusyNumbers.Add("+447700900999"));
        await using var _ = harness;
        var sip = await harness.ImportSipNumberAsync();
        var busy = await client.Calls.StartSipTrunkCallAsync(new StartSipTrunkCallRequest { AgentPhoneNumberId = sip, ToNumber = "+447700900999" });
        var answered = await client.Calls.StartSipTrunkCallAsync(new StartSipTrunkCallRequest { AgentPhoneNumberId = sip, ToNumber = "+447700900123" });
        harness.FinishCalls();

        var failure = await client.Conversations.GetSipFailureAsync(busy.ConversationId!);
        var noFailure = await client.Conversations.GetSipFailureAsync(answered.ConversationId!);
        var all = new List<SipMessage>();
        await foreach (var message in client.PhoneNumbers.ListAllSipMessagesAsync(sip, new SipMessageListOptions { PageSize = 2 }))
        {
            all.Add(message);
        }

        Assert.Multiple(() =>
        {
            Assert.That(failure?.ToString(), Is.EqualTo("486 Busy Here"));
            Assert.That(noFailure, Is.Null);
            Assert.That(all, Has.Count.EqualTo(3 + 5), "INVITE, 100, 486 for the busy call; INVITE, 100, 180, 200, BYE for the answered one.");
            Assert.That(all[0].Direction, Is.EqualTo(SipMessageDirection.Out));
        });
    }

    [Test]
    public async Task SipMessages_NotStored_ListIsEmpty()
    {
        var (harness, client) = await StartAsync();
        await using var _ = harness;
        var sip = await harness.ImportSipNumberAsync();
        await client.PhoneNumbers.UpdateAsync(sip, new UpdatePhoneNumberRequest { StoreSipMessages = false });
        await client.Calls.StartSipTrunkCallAsync(new StartSipTrunkCallRequest { AgentPhoneNumberId = sip, ToNumber = "+447700900123" });
        harness.FinishCalls();

        var page = await client.PhoneNumbers.ListSipMessagesAsync(sip);

        Assert.That((page.SipMessages.Count, page.HasMore), Is.EqualTo((0, false)));
    }

    [Test]
    public async Task WorkspaceWebhooks_CreateFailUpdateDelete_RoundTrip()
    {
        var (harness, client) = await StartAsync();
        await using var _ = harness;

        var created = await client.WorkspaceWebhooks.CreateAsync(new CreateWorkspaceWebhookRequest { Name = "Post-call", WebhookUrl = "https://app.example.com/hooks" });
        harness.Emulator.ReportWorkspaceWebhookFailure(created.WebhookId, 503, autoDisable: true);
        var failed = (await client.WorkspaceWebhooks.ListAsync(includeUsages: true)).Single();
        await client.WorkspaceWebhooks.UpdateAsync(created.WebhookId, new UpdateWorkspaceWebhookRequest { Name = failed.Name!, IsDisabled = false, RetryEnabled = true });
        var enabled = (await client.WorkspaceWebhooks.ListAsync()).Single();
        await client.WorkspaceWebhooks.DeleteAsync(created.WebhookId);
        var remaining = await client.WorkspaceWebhooks.ListAsync();

        Assert.Multiple(() =>
        {
            Assert.That(created.WebhookSecret, Does.StartWith("wsec_"));
            Assert.That(failed.IsAutoDisabled, Is.True);
            Assert.That(failed.MostRecentFailureErrorCode, Is.EqualTo(503));
            Assert.That(failed.MostRecentFailureTimestamp, Is.EqualTo(harness.Time.GetUtcNow().ToUnixTimeSeconds()));
            Assert.That(failed.Usage!.Single().UsageType, Is.EqualTo("ConvAI Settings"));
            Assert.That(enabled.IsAutoDisabled, Is.False);
            Assert.That(enabled.Usage, Is.Null);
            Assert.That(remaining, Is.Empty);
        });
    }
}
