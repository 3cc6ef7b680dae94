using System.Text.Json;
using ConvAi.Telephony.Tests.TestSupport;
using RichardSzalay.MockHttp;

namespace ConvAi.Telephony.Tests.WhatsApp;

/// <summary>
/// The WhatsApp endpoints. Wire shapes pinned from elevenlabs-js 2.56.0 (tests/wire/conversationalAi/whatsapp.test.ts,
/// tests/wire/conversationalAi/whatsappAccounts.test.ts, src/api/types/GetWhatsAppAccountResponse.ts,
/// src/serialization/types/WhatsAppTemplateButtonComponentParams.ts) and elevenlabs-python 2.59.0
/// (src/elevenlabs/conversational_ai/whatsapp/raw_client.py, src/elevenlabs/conversational_ai/whatsapp_accounts/raw_client.py,
/// src/elevenlabs/types/get_whats_app_account_response.py). They differ only in the account's
/// <c>enable_typing_indicator</c>, which the newer Python SDK has.
/// </summary>
public class WhatsAppClientTests : MockedClientTests
{
    private protected override void Configure(ConvAiTelephonyOptions options) => options.DefaultAgentId = ClientFixture.AgentId;

    [Test]
    public async Task StartCallAsync_PostsExactBody()
    {
        var captured = new CapturedRequest();
        var mocked = Fixture.Mock.Expect(HttpMethod.Post, ClientFixture.Url("/v1/convai/whatsapp/outbound-call")).Capturing(captured);
        mocked.RespondJson("""{"success":true,"message":"message","conversation_id":"conv_wa"}""");

        var result = await Fixture.Client.WhatsApp.StartCallAsync(new StartWhatsAppCallRequest
        {
            WhatsAppPhoneNumberId = "wa_phone_1",
            WhatsAppUserId = "447700900123",
            PermissionTemplateName = "call_permission",
            PermissionTemplateLanguageCode = "en_US",
            ConversationInitiationClientData = new ConversationInitiationClientData { UserId = "cust-1" },
        });

        captured.AssertJsonBody("""
            {"whatsapp_phone_number_id":"wa_phone_1","whatsapp_user_id":"447700900123",
             "whatsapp_call_permission_request_template_name":"call_permission",
             "whatsapp_call_permission_request_template_language_code":"en_US",
             "agent_id":"agent_default","conversation_initiation_client_data":{"user_id":"cust-1"}}
            """);
        Assert.That(result.ConversationId, Is.EqualTo("conv_wa"));
        Assert.That(Fixture.Mock.GetMatchCount(mocked), Is.EqualTo(1));
    }

    [Test]
    public void StartCallAsync_SuccessFalse_ThrowsCallRejected()
    {
        Fixture.Mock.Expect(HttpMethod.Post, ClientFixture.Url("/v1/convai/whatsapp/outbound-call"))
            .RespondJson("""{"success":false,"message":"no call permission"}""");

        var ex = Assert.ThrowsAsync<ConvAiCallRejectedException>(() => Fixture.Client.WhatsApp.StartCallAsync(Call()));

        Assert.That(ex!.ServerMessage, Is.EqualTo("no call permission"));
    }

    [TestCase(nameof(StartWhatsAppCallRequest.WhatsAppPhoneNumberId))]
    [TestCase(nameof(StartWhatsAppCallRequest.WhatsAppUserId))]
    [TestCase(nameof(StartWhatsAppCallRequest.PermissionTemplateName))]
    [TestCase(nameof(StartWhatsAppCallRequest.PermissionTemplateLanguageCode))]
    public void StartCallAsync_MissingField_SendsNothing(string field)
    {
        var request = field switch
        {
            nameof(StartWhatsAppCallRequest.WhatsAppPhoneNumberId) => Call() with { WhatsAppPhoneNumberId = " " },
            nameof(StartWhatsAppCallRequest.WhatsAppUserId) => Call() with { WhatsAppUserId = "" },
            nameof(StartWhatsAppCallRequest.PermissionTemplateName) => Call() with { PermissionTemplateName = "" },
            _ => Call() with { PermissionTemplateLanguageCode = "" },
        };

        var ex = Assert.ThrowsAsync<ArgumentException>(() => Fixture.Client.WhatsApp.StartCallAsync(request));

        Assert.That(ex!.ParamName, Is.EqualTo("request." + field));
        Fixture.Mock.VerifyNoOutstandingRequest();
    }

    [Test]
    public async Task SendMessageAsync_PostsTemplateComponentsExactly()
    {
        var captured = new CapturedRequest();
        var mocked = Fixture.Mock.Expect(HttpMethod.Post, ClientFixture.Url("/v1/convai/whatsapp/outbound-message")).Capturing(captured);
        mocked.RespondJson("""{"conversation_id":"conv_msg"}""");

        var result = await Fixture.Client.WhatsApp.SendMessageAsync(new SendWhatsAppMessageRequest
        {
            WhatsAppPhoneNumberId = "wa_phone_1",
            WhatsAppUserId = "447700900123",
            TemplateName = "appointment",
            TemplateLanguageCode = "en_US",
            AgentId = "agent_x",
            TemplateParams =
            [
                new WhatsAppTemplateComponent
                {
                    Type = "header",
                    Parameters =
                    [
                        new WhatsAppTemplateParameter
                        {
                            Type = "image",
                            AdditionalProperties = new Dictionary<string, JsonElement> { ["image"] = JsonDocument.Parse("""{"link":"https://example.com/a.png"}""").RootElement },
                        },
                    ],
                },
                WhatsAppTemplateComponent.Body("Ana", "Tuesday"),
                new WhatsAppTemplateComponent { Type = "button", Index = 0, SubType = "url", Parameters = [new WhatsAppTemplateParameter { Type = "text", Text = "abc" }] },
            ],
        });

        captured.AssertJsonBody("""
            {"whatsapp_phone_number_id":"wa_phone_1","whatsapp_user_id":"447700900123",
             "template_name":"appointment","template_language_code":"en_US",
             "template_params":[
               {"type":"header","parameters":[{"type":"image","image":{"link":"https://example.com/a.png"}}]},
               {"type":"body","parameters":[{"text":"Ana"},{"text":"Tuesday"}]},
               {"type":"button","parameters":[{"type":"text","text":"abc"}],"index":0,"sub_type":"url"}],
             "agent_id":"agent_x"}
            """);
        Assert.That(result.ConversationId, Is.EqualTo("conv_msg"));
        Assert.That(Fixture.Mock.GetMatchCount(mocked), Is.EqualTo(1));
    }

    [TestCase(null, "")]
    [TestCase("agent_7", "?agent_id=agent_7")]
    public async Task ListAccountsAsync_SendsAgentFilterOnlyWhenSet(string? agentId, string expectedQuery)
    {
        var captured = new CapturedRequest();
        Fixture.Mock.Expect(HttpMethod.Get, ClientFixture.Url("/v1/convai/whatsapp-accounts")).Capturing(captured)
            .RespondJson("""
                {"items":[{"business_account_id":"ba_1","phone_number_id":"wa_phone_1","business_account_name":"Acme",
                  "phone_number_name":"Acme Support","phone_number":"+15550001111","assigned_agent_id":"agent_7",
                  "enable_messaging":true,"enable_audio_message_response":false,"enable_typing_indicator":true,
                  "assigned_agent_name":"Support","is_token_expired":false,"new_flag":"x"}]}
                """);

        var accounts = await Fixture.Client.WhatsApp.ListAccountsAsync(agentId);

        Assert.Multiple(() =>
        {
            Assert.That(captured.Request!.RequestUri!.Query, Is.EqualTo(expectedQuery));
            Assert.That(accounts, Has.Count.EqualTo(1));
            Assert.That(accounts[0].PhoneNumberId, Is.EqualTo("wa_phone_1"));
            Assert.That(accounts[0].PhoneNumberName, Is.EqualTo("Acme Support"));
            Assert.That(accounts[0].EnableTypingIndicator, Is.True);
            Assert.That(accounts[0].IsTokenExpired, Is.False);
            Assert.That(accounts[0].AdditionalProperties!.ContainsKey("new_flag"), Is.True);
        });
    }

    [Test]
    public async Task GetAccountAsync_GetsByPhoneNumberId()
    {
        var mocked = Fixture.Mock.Expect(HttpMethod.Get, ClientFixture.Url("/v1/convai/whatsapp-accounts/wa_phone_1"));
        mocked.RespondJson("""{"business_account_id":"ba_1","phone_number_id":"wa_phone_1","business_account_name":"Acme","phone_number_name":"n","phone_number":"+15550001111"}""");

        var account = await Fixture.Client.WhatsApp.GetAccountAsync("wa_phone_1");

        Assert.That((account.BusinessAccountId, account.PhoneNumber), Is.EqualTo(("ba_1", "+15550001111")));
        Assert.That(Fixture.Mock.GetMatchCount(mocked), Is.EqualTo(1));
    }

    private static StartWhatsAppCallRequest Call() => new()
    {
        WhatsAppPhoneNumberId = "wa_phone_1",
        WhatsAppUserId = "447700900123",
        PermissionTemplateName = "call_permission",
        PermissionTemplateLanguageCode = "en_US",
    };
}
