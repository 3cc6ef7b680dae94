using System.Net;
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
/// <c>enable_typing_indicator</c>, which the newer Python SDK has. The account update (<c>PATCH</c>) and removal (<c>DELETE</c>)
/// exist only in elevenlabs-python 2.59 (whatsapp_accounts/raw_client.py <c>update</c> and <c>delete</c>; the update omits
/// unset fields, and both answer untyped JSON or an empty body).
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

    private static IEnumerable<TestCaseData> UpdateCases()
    {
        yield return new TestCaseData(new UpdateWhatsAppAccountRequest { AssignedAgentId = "agent_9" }, """{"assigned_agent_id":"agent_9"}""")
            .SetName("UpdateAccountAsync_AgentOnly_SendsOnlyTheAgent");
        yield return new TestCaseData(new UpdateWhatsAppAccountRequest { EnableMessaging = false }, """{"enable_messaging":false}""")
            .SetName("UpdateAccountAsync_MessagingOff_SendsFalseNotOmitted");
        yield return new TestCaseData(new UpdateWhatsAppAccountRequest { EnableAudioMessageResponse = true }, """{"enable_audio_message_response":true}""")
            .SetName("UpdateAccountAsync_AudioResponseOnly_SendsOnlyThatFlag");
        yield return new TestCaseData(new UpdateWhatsAppAccountRequest { EnableTypingIndicator = true }, """{"enable_typing_indicator":true}""")
            .SetName("UpdateAccountAsync_TypingIndicatorOnly_SendsOnlyThatFlag");
        yield return new TestCaseData(
            new UpdateWhatsAppAccountRequest { AssignedAgentId = "agent_9", EnableMessaging = true, EnableAudioMessageResponse = false, EnableTypingIndicator = false },
            """{"assigned_agent_id":"agent_9","enable_messaging":true,"enable_audio_message_response":false,"enable_typing_indicator":false}""")
            .SetName("UpdateAccountAsync_EveryField_SendsAllFour");
        yield return new TestCaseData(new UpdateWhatsAppAccountRequest(), "{}")
            .SetName("UpdateAccountAsync_NothingSet_SendsEmptyObject");
    }

    [TestCaseSource(nameof(UpdateCases))]
    public async Task UpdateAccountAsync_Request_PatchesExactBody(UpdateWhatsAppAccountRequest request, string expectedBody)
    {
        var captured = new CapturedRequest();
        var mocked = Fixture.Mock.Expect(HttpMethod.Patch, ClientFixture.Url("/v1/convai/whatsapp-accounts/wa_phone_1"))
            .WithExactQueryString("")
            .WithHeaders("xi-api-key", ClientFixture.ApiKey)
            .Capturing(captured);
        mocked.RespondJson("""{"status":"ok"}""");

        await Fixture.Client.WhatsApp.UpdateAccountAsync("wa_phone_1", request);

        captured.AssertJsonBody(expectedBody);
        Assert.That(captured.Request!.Content!.Headers.ContentType!.MediaType, Is.EqualTo("application/json"));
        Assert.That(Fixture.Mock.GetMatchCount(mocked), Is.EqualTo(1));
    }

    private static IEnumerable<TestCaseData> UntypedAnswers()
    {
        yield return new TestCaseData(HttpStatusCode.OK, "application/json", """{"status":"ok"}""").SetName("{0} object");
        yield return new TestCaseData(HttpStatusCode.OK, "application/json", "null").SetName("{0} null");
        yield return new TestCaseData(HttpStatusCode.OK, "text/plain", "").SetName("{0} empty body");
        yield return new TestCaseData(HttpStatusCode.NoContent, null, null).SetName("{0} no content");
    }

    [TestCaseSource(nameof(UntypedAnswers))]
    public async Task UpdateAndDeleteAccount_AnyAnswer_Completes(HttpStatusCode status, string? mediaType, string? body)
    {
        var patch = Fixture.Mock.Expect(HttpMethod.Patch, ClientFixture.Url("/v1/convai/whatsapp-accounts/wa_phone_1"));
        var delete = Fixture.Mock.Expect(HttpMethod.Delete, ClientFixture.Url("/v1/convai/whatsapp-accounts/wa_phone_1"));
        foreach (var mocked in new[] { patch, delete })
        {
            if (body is null)
            {
                mocked.Respond(status);
            }
            else
            {
                mocked.Respond(status, mediaType!, body);
            }
        }

        await Fixture.Client.WhatsApp.UpdateAccountAsync("wa_phone_1", new UpdateWhatsAppAccountRequest { EnableMessaging = true });
        await Fixture.Client.WhatsApp.DeleteAccountAsync("wa_phone_1");

        Assert.That(Fixture.Mock.GetMatchCount(patch), Is.EqualTo(1));
        Assert.That(Fixture.Mock.GetMatchCount(delete), Is.EqualTo(1));
    }

    [Test]
    public async Task DeleteAccountAsync_DeletesByPhoneNumberIdWithoutBody()
    {
        var captured = new CapturedRequest();
        var mocked = Fixture.Mock.Expect(HttpMethod.Delete, ClientFixture.Url("/v1/convai/whatsapp-accounts/wa%20phone%2F1"))
            .WithHeaders("xi-api-key", ClientFixture.ApiKey)
            .Capturing(captured);
        mocked.RespondJson("{}");

        await Fixture.Client.WhatsApp.DeleteAccountAsync("wa phone/1");

        Assert.That(captured.Request!.RequestUri!.AbsolutePath, Is.EqualTo("/v1/convai/whatsapp-accounts/wa%20phone%2F1"));
        Assert.That(captured.Body, Is.Null);
        Assert.That(Fixture.Mock.GetMatchCount(mocked), Is.EqualTo(1));
    }

    [TestCase(HttpStatusCode.NotFound, "whatsapp_account_not_found")]
    [TestCase(HttpStatusCode.Forbidden, "forbidden")]
    public void UpdateAndDeleteAccount_Refused_ThrowApiException(HttpStatusCode status, string code)
    {
        var any = Fixture.Mock.When("*").Respond(status, "application/json", $$$"""{"detail":{"status":"{{{code}}}","message":"no"}}""");

        var update = Assert.ThrowsAsync<ConvAiApiException>(() => Fixture.Client.WhatsApp.UpdateAccountAsync("wa_x", new UpdateWhatsAppAccountRequest { EnableMessaging = true }));
        var delete = Assert.ThrowsAsync<ConvAiApiException>(() => Fixture.Client.WhatsApp.DeleteAccountAsync("wa_x"));

        Assert.That((update!.StatusCode, update.ErrorCode), Is.EqualTo((status, code)));
        Assert.That((delete!.StatusCode, delete.ErrorCode), Is.EqualTo((status, code)));
        Assert.That(Fixture.Mock.GetMatchCount(any), Is.EqualTo(2), "no retry of a 4xx");
    }

    [TestCase("")]
    [TestCase(" ")]
    public void AccountMethods_EmptyPhoneNumberId_ThrowBeforeSending(string id)
    {
        var any = Fixture.Mock.When("*");
        any.RespondJson("{}");
        var client = Fixture.Client.WhatsApp;

        Assert.Multiple(() =>
        {
            Assert.That(Assert.ThrowsAsync<ArgumentException>(() => client.GetAccountAsync(id))!.ParamName, Is.EqualTo("phoneNumberId"));
            Assert.That(Assert.ThrowsAsync<ArgumentException>(() => client.UpdateAccountAsync(id, new UpdateWhatsAppAccountRequest()))!.ParamName, Is.EqualTo("phoneNumberId"));
            Assert.That(Assert.ThrowsAsync<ArgumentException>(() => client.DeleteAccountAsync(id))!.ParamName, Is.EqualTo("phoneNumberId"));
            Assert.That(Assert.ThrowsAsync<ArgumentNullException>(() => client.UpdateAccountAsync("wa_1", null!))!.ParamName, Is.EqualTo("request"));
        });
        Assert.That(Fixture.Mock.GetMatchCount(any), Is.Zero);
    }

    private static StartWhatsAppCallRequest Call() => new()
    {
        WhatsAppPhoneNumberId = "wa_phone_1",
        WhatsAppUserId = "447700900123",
        PermissionTemplateName = "call_permission",
        PermissionTemplateLanguageCode = "en_US",
    };
}
