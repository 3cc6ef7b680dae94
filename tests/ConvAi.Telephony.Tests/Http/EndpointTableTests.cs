using System.Net;
using ConvAi.Telephony.Tests.TestSupport;
using RichardSzalay.MockHttp;

namespace ConvAi.Telephony.Tests.Http;

/// <summary>Every endpoint of api-reference §9 once: method, path, one <c>xi-api-key</c>, the User-Agent, the declared request kind, exactly one request.</summary>
public class EndpointTableTests
{
    private const string Batch = """{"id":"b1","status":"pending"}""";
    private const string Number = """{"phone_number_id":"p1","phone_number":"+14155550100","label":"x","provider":"twilio"}""";

    private static IEnumerable<TestCaseData> Endpoints()
    {
        yield return Case("POST", "/v1/convai/phone-numbers", """{"phone_number_id":"p1"}""", nameof(RequestKind.PhoneNumberImport), c => c.PhoneNumbers.ImportTwilioAsync(new ImportTwilioPhoneNumberRequest { PhoneNumber = "+14155550100", Label = "l", Sid = "AC", Token = "t" }));
        yield return Case("GET", "/v1/convai/phone-numbers", "[]", null, c => c.PhoneNumbers.ListAsync());
        yield return Case("GET", "/v1/convai/phone-numbers/p1", Number, null, c => c.PhoneNumbers.GetAsync("p1"));
        yield return Case("PATCH", "/v1/convai/phone-numbers/p1", Number, null, c => c.PhoneNumbers.UpdateAsync("p1", new UpdatePhoneNumberRequest { Label = "y" }));
        yield return Case("DELETE", "/v1/convai/phone-numbers/p1", "{}", null, c => c.PhoneNumbers.DeleteAsync("p1"));
        yield return Case("POST", "/v1/convai/twilio/outbound-call", """{"success":true,"message":"ok","conversation_id":"c","callSid":"CA"}""", nameof(RequestKind.CallPlacing), c => c.Calls.StartTwilioCallAsync(new StartTwilioCallRequest { ToNumber = "+14155550100" }));
        yield return Case("POST", "/v1/convai/sip-trunk/outbound-call", """{"success":true,"message":"ok","conversation_id":"c","sip_call_id":"s"}""", nameof(RequestKind.CallPlacing), c => c.Calls.StartSipTrunkCallAsync(new StartSipTrunkCallRequest { ToNumber = "+14155550100" }));
        yield return Case("POST", "/v1/convai/twilio/register-call", "<Response/>", nameof(RequestKind.CallPlacing), c => c.Calls.RegisterTwilioCallAsync(new RegisterTwilioCallRequest { FromNumber = "+14155550111", ToNumber = "+14155550100" }));
        yield return Case("GET", "/v1/convai/conversations", """{"conversations":[],"has_more":false}""", null, c => c.Conversations.ListAsync());
        yield return Case("GET", "/v1/convai/conversations/c1", """{"agent_id":"a","conversation_id":"c1","status":"done"}""", null, c => c.Conversations.GetAsync("c1"));
        yield return Case("DELETE", "/v1/convai/conversations/c1", "{}", null, c => c.Conversations.DeleteAsync("c1"));
        yield return Case("GET", "/v1/convai/conversations/c1/audio", "ID3", null, async c => await (await c.Conversations.GetAudioAsync("c1")).DisposeAsync());
        yield return Case("POST", "/v1/convai/conversations/c1/feedback", "{}", nameof(RequestKind.RetrySafe), c => c.Conversations.SendFeedbackAsync("c1", ConversationFeedbackScore.Like));
        yield return Case("POST", "/v1/convai/batch-calling/submit", Batch, nameof(RequestKind.CallPlacing), c => c.BatchCalls.SubmitAsync(new SubmitBatchCallRequest { CallName = "n", Recipients = [new BatchCallRecipient { PhoneNumber = "+14155550100" }] }));
        yield return Case("GET", "/v1/convai/batch-calling/workspace", """{"batch_calls":[]}""", null, c => c.BatchCalls.ListAsync());
        yield return Case("GET", "/v1/convai/batch-calling/b1", Batch, null, c => c.BatchCalls.GetAsync("b1"));
        yield return Case("DELETE", "/v1/convai/batch-calling/b1", null, null, c => c.BatchCalls.DeleteAsync("b1"));
        yield return Case("POST", "/v1/convai/batch-calling/b1/cancel", Batch, nameof(RequestKind.RetrySafe), c => c.BatchCalls.CancelAsync("b1"));
        yield return Case("POST", "/v1/convai/batch-calling/b1/retry", Batch, nameof(RequestKind.CallPlacing), c => c.BatchCalls.RetryAsync("b1"));
        yield return Case("GET", "/v1/convai/batch-calling/b1/export", "a,b\n", null, async c => await (await c.BatchCalls.ExportAsync("b1")).DisposeAsync());

        // Issue 12.
        const string Ok = """{"success":true,"message":"ok","conversation_id":"c"}""";
        const string SipPage = """{"sip_messages":[],"has_more":false}""";
        const string Webhooks = """{"webhooks":[]}""";
        yield return Case("POST", "/v1/convai/exotel/outbound-call", Ok, nameof(RequestKind.CallPlacing), c => c.Calls.StartExotelCallAsync(new StartExotelCallRequest { ToNumber = "+919876543210" }));
        yield return Case("POST", "/v1/convai/whatsapp/outbound-call", Ok, nameof(RequestKind.CallPlacing), c => c.WhatsApp.StartCallAsync(new StartWhatsAppCallRequest { WhatsAppPhoneNumberId = "w", WhatsAppUserId = "u", PermissionTemplateName = "t", PermissionTemplateLanguageCode = "en" }));
        yield return Case("POST", "/v1/convai/whatsapp/outbound-message", """{"conversation_id":"c"}""", nameof(RequestKind.CallPlacing), c => c.WhatsApp.SendMessageAsync(new SendWhatsAppMessageRequest { WhatsAppPhoneNumberId = "w", WhatsAppUserId = "u", TemplateName = "t", TemplateLanguageCode = "en" }));
        yield return Case("GET", "/v1/convai/whatsapp-accounts", """{"items":[]}""", null, c => c.WhatsApp.ListAccountsAsync());
        yield return Case("GET", "/v1/convai/whatsapp-accounts/w", """{"phone_number_id":"w"}""", null, c => c.WhatsApp.GetAccountAsync("w"));
        yield return Case("GET", "/v1/convai/conversations/c1/sip-messages", SipPage, null, c => c.Conversations.ListSipMessagesAsync("c1"));
        yield return Case("GET", "/v1/convai/phone-numbers/p1/sip-messages", SipPage, null, c => c.PhoneNumbers.ListSipMessagesAsync("p1"));
        yield return Case("GET", "/v1/convai/analytics/live-count", """{"count":0}""", null, c => c.Conversations.GetLiveCountAsync());
        yield return Case("GET", "/v1/workspace/webhooks", Webhooks, null, c => c.WorkspaceWebhooks.ListAsync());
        yield return Case("POST", "/v1/workspace/webhooks", """{"webhook_id":"wh"}""", nameof(RequestKind.ResourceCreation), c => c.WorkspaceWebhooks.CreateAsync(new CreateWorkspaceWebhookRequest { Name = "n", WebhookUrl = "https://a.example.com" }));
        yield return Case("PATCH", "/v1/workspace/webhooks/wh", """{"status":"ok"}""", null, c => c.WorkspaceWebhooks.UpdateAsync("wh", new UpdateWorkspaceWebhookRequest { Name = "n" }));
        yield return Case("DELETE", "/v1/workspace/webhooks/wh", """{"status":"ok"}""", null, c => c.WorkspaceWebhooks.DeleteAsync("wh"));

        // Issue 28 (elevenlabs-python 2.59).
        const string Conversation = """{"agent_id":"a","conversation_id":"c1","status":"done"}""";
        yield return Case("GET", "/v1/convai/conversations/resolve?agent_id=a&reference=r", Conversation, null, c => c.Conversations.ResolveAsync("a", "r"));
        yield return Case("PATCH", "/v1/convai/whatsapp-accounts/w", """{"status":"ok"}""", null, c => c.WhatsApp.UpdateAccountAsync("w", new UpdateWhatsAppAccountRequest { EnableMessaging = true }));
        yield return Case("DELETE", "/v1/convai/whatsapp-accounts/w", "{}", null, c => c.WhatsApp.DeleteAccountAsync("w"));
    }

    /// <param name="kind">The name of the <see cref="RequestKind"/> the sub-client declares (every POST), or null where the method alone decides.</param>
    private static TestCaseData Case(string method, string path, string? body, string? kind, Func<IConvAiTelephonyClient, Task> call)
        => new TestCaseData(method, path, body, kind, call).SetName($"{method} {path}");

    [TestCaseSource(nameof(Endpoints))]
    public async Task Endpoint_Call_SendsOneAuthenticatedRequestWithItsDeclaredKind(string method, string path, string? body, string? kind, Func<IConvAiTelephonyClient, Task> call)
    {
        using var fixture = new ClientFixture(ClientFixture.SetCallDefaults);
        var captured = new CapturedRequest();
        var mocked = fixture.Mock.When(new HttpMethod(method), ClientFixture.Url(path)).Capturing(captured);
        if (body is null)
        {
            mocked.Respond(HttpStatusCode.NoContent);
        }
        else
        {
            mocked.Respond(HttpStatusCode.OK, "application/json", body);
        }

        await call(fixture.Client);

        Assert.That(fixture.Mock.GetMatchCount(mocked), Is.EqualTo(1));
        Assert.That(captured.Request!.Headers.GetValues("xi-api-key"), Is.EqualTo(new[] { ClientFixture.ApiKey }));
        Assert.That(captured.Header("User-Agent"), Does.StartWith("ConvAi.Telephony/"));
        var marked = captured.Request.Options.TryGetValue(RequestKinds.OptionKey, out var mark);
        Assert.That(marked ? mark.ToString() : null, Is.EqualTo(kind), "the mark in HttpRequestMessage.Options");
        Assert.That(RequestKinds.Get(captured.Request), Is.EqualTo(kind is null ? RequestKind.RetrySafe : Enum.Parse<RequestKind>(kind)));
    }
}
