using System.Net;

namespace ConvAi.Telephony.Testing.Tests;

/// <summary>
/// <c>PATCH</c> and <c>DELETE /v1/convai/whatsapp-accounts/{phone_number_id}</c> (elevenlabs-python 2.59) change the emulator's
/// accounts, over raw HTTP and through the real client.
/// </summary>
public class WhatsAppAccountEndpointsTests
{
    private const string Path = "/v1/convai/whatsapp-accounts/wa_1";

    private static readonly EmulatedWhatsAppAccount Seed = new("wa_1", "+15550001111", "agent_1");

    private static Task<EmulatorHarness> StartAsync() => EmulatorHarness.StartAsync(o =>
    {
        o.WhatsAppAccounts.Add(Seed);
        o.WhatsAppAccounts.Add(new EmulatedWhatsAppAccount("wa_2", "+15550002222", "agent_2"));
    });

    private static IEnumerable<TestCaseData> Patches()
    {
        yield return new TestCaseData("""{"assigned_agent_id":"agent_9"}""", Seed with { AssignedAgentId = "agent_9" }).SetName("Patch_Agent_ChangesOnlyTheAgent");
        yield return new TestCaseData("""{"enable_messaging":false}""", Seed with { EnableMessaging = false }).SetName("Patch_MessagingOff_ChangesOnlyMessaging");
        yield return new TestCaseData("""{"enable_audio_message_response":true}""", Seed with { EnableAudioMessageResponse = true }).SetName("Patch_AudioResponseOn_ChangesOnlyThatFlag");
        yield return new TestCaseData("""{"enable_typing_indicator":true}""", Seed with { EnableTypingIndicator = true }).SetName("Patch_TypingIndicatorOn_ChangesOnlyThatFlag");
        yield return new TestCaseData(
            """{"assigned_agent_id":"agent_9","enable_messaging":false,"enable_audio_message_response":true,"enable_typing_indicator":true}""",
            new EmulatedWhatsAppAccount("wa_1", "+15550001111", "agent_9") { EnableMessaging = false, EnableAudioMessageResponse = true, EnableTypingIndicator = true })
            .SetName("Patch_EveryField_ChangesAllFour");
        yield return new TestCaseData("{}", Seed).SetName("Patch_EmptyObject_ChangesNothing");
        yield return new TestCaseData("""{"assigned_agent_id":null,"enable_messaging":null}""", Seed).SetName("Patch_ExplicitNulls_ChangeNothing");
        yield return new TestCaseData("""{"enable_messaging":true,"future_flag":1}""", Seed).SetName("Patch_UnknownField_IsIgnored");
    }

    [TestCaseSource(nameof(Patches))]
    public async Task Patch_Body_UpdatesTheStoredAccountAndItsJson(string body, EmulatedWhatsAppAccount expected)
    {
        await using var harness = await StartAsync();

        var response = await harness.PatchAsync(Path, body);
        var read = (await harness.GetAsync(Path)).Json;

        Assert.That(response.Status, Is.EqualTo(HttpStatusCode.OK), response.Text);
        Assert.That(response.Json.ToJsonString(), Is.EqualTo("{}"));
        Assert.That(harness.Emulator.WhatsAppAccounts, Is.EqualTo(new[] { expected, new EmulatedWhatsAppAccount("wa_2", "+15550002222", "agent_2") }));
        Assert.Multiple(() =>
        {
            Assert.That(read["assigned_agent_id"]!.GetValue<string>(), Is.EqualTo(expected.AssignedAgentId));
            Assert.That(read["enable_messaging"]!.GetValue<bool>(), Is.EqualTo(expected.EnableMessaging));
            Assert.That(read["enable_audio_message_response"]!.GetValue<bool>(), Is.EqualTo(expected.EnableAudioMessageResponse));
            Assert.That(read["enable_typing_indicator"]!.GetValue<bool>(), Is.EqualTo(expected.EnableTypingIndicator));
        });
    }

    [TestCase("""{"enable_messaging":"yes"}""", "body.enable_messaging", "bool_type")]
    [TestCase("""{"enable_typing_indicator":1}""", "body.enable_typing_indicator", "bool_type")]
    [TestCase("""{"assigned_agent_id":42}""", "body.assigned_agent_id", "string_type")]
    [TestCase("[]", "body", "model_attributes_type")]
    public async Task Patch_InvalidBody_Answers422AndChangesNothing(string body, string loc, string type)
    {
        await using var harness = await StartAsync();

        var response = await harness.PatchAsync(Path, body);

        Assert.That(response.SingleValidationError(), Is.EqualTo((loc, type)));
        Assert.That(harness.Emulator.WhatsAppAccounts[0], Is.EqualTo(Seed));
    }

    [Test]
    public async Task PatchAndDelete_UnknownAccount_Answer404()
    {
        await using var harness = await StartAsync();

        var patch = await harness.PatchAsync("/v1/convai/whatsapp-accounts/wa_unknown", """{"enable_messaging":false}""");
        var delete = await harness.DeleteAsync("/v1/convai/whatsapp-accounts/wa_unknown");

        Assert.That((patch.Status, patch.ErrorCode()), Is.EqualTo((HttpStatusCode.NotFound, "whatsapp_account_not_found")));
        Assert.That((delete.Status, delete.ErrorCode()), Is.EqualTo((HttpStatusCode.NotFound, "whatsapp_account_not_found")));
        Assert.That(harness.Emulator.WhatsAppAccounts, Has.Count.EqualTo(2));
    }

    [Test]
    public async Task Delete_RemovesTheAccountFromListGetCallsAndASecondDelete()
    {
        await using var harness = await StartAsync();

        var delete = await harness.DeleteAsync(Path);
        var again = await harness.DeleteAsync(Path);
        var get = await harness.GetAsync(Path);
        var list = (await harness.GetAsync("/v1/convai/whatsapp-accounts")).Json["items"]!.AsArray();
        var call = await harness.PostAsync("/v1/convai/whatsapp/outbound-call", """
            {"whatsapp_phone_number_id":"wa_1","whatsapp_user_id":"447700900123","whatsapp_call_permission_request_template_name":"t",
             "whatsapp_call_permission_request_template_language_code":"en_US","agent_id":"agent_1"}
            """);

        Assert.Multiple(() =>
        {
            Assert.That((delete.Status, delete.Text), Is.EqualTo((HttpStatusCode.OK, "{}")));
            Assert.That(again.Status, Is.EqualTo(HttpStatusCode.NotFound));
            Assert.That(get.Status, Is.EqualTo(HttpStatusCode.NotFound));
            Assert.That(list.Select(a => a!["phone_number_id"]!.GetValue<string>()), Is.EqualTo(new[] { "wa_2" }));
            Assert.That(call.Status, Is.EqualTo(HttpStatusCode.NotFound));
            Assert.That(harness.Emulator.Conversations, Is.Empty);
        });
    }

    [Test]
    public async Task UpdateAndDelete_DoNotTouchTheOptionsList()
    {
        var options = new ConvAiEmulatorOptions();
        options.WhatsAppAccounts.Add(Seed);
        await using var emulator = await ConvAiEmulator.StartNewAsync(options);
        using var http = new HttpClient { BaseAddress = emulator.BaseAddress };
        http.DefaultRequestHeaders.Add("xi-api-key", emulator.ApiKey);

        using var patch = await http.PatchAsync("/v1/convai/whatsapp-accounts/wa_1", new StringContent("""{"enable_messaging":false}""", System.Text.Encoding.UTF8, "application/json"));
        var patched = emulator.WhatsAppAccounts.Single();
        using var delete = await http.DeleteAsync("/v1/convai/whatsapp-accounts/wa_1");

        Assert.That((patch.StatusCode, delete.StatusCode), Is.EqualTo((HttpStatusCode.OK, HttpStatusCode.OK)));
        Assert.That(patched.EnableMessaging, Is.False);
        Assert.That(emulator.WhatsAppAccounts, Is.Empty);
        Assert.That(options.WhatsAppAccounts, Is.EqualTo(new[] { Seed }));
    }

    [Test]
    public async Task Client_UpdateThenDelete_IsSeenByGetAndList()
    {
        await using var harness = await StartAsync();
        var client = new ConvAiTelephonyClient(new ConvAiTelephonyOptions
        {
            ApiKey = harness.Emulator.ApiKey,
            BaseAddress = harness.Emulator.BaseAddress,
            Resilience = new ConvAiResilienceOptions { MaxRetryAttempts = 0 },
        });

        await client.WhatsApp.UpdateAccountAsync("wa_1", new UpdateWhatsAppAccountRequest { AssignedAgentId = "agent_9", EnableTypingIndicator = true });
        var updated = await client.WhatsApp.GetAccountAsync("wa_1");
        var forAgent9 = await client.WhatsApp.ListAccountsAsync("agent_9");
        await client.WhatsApp.DeleteAccountAsync("wa_1");
        var remaining = await client.WhatsApp.ListAccountsAsync();
        var gone = Assert.ThrowsAsync<ConvAiApiException>(() => client.WhatsApp.DeleteAccountAsync("wa_1"));

        Assert.Multiple(() =>
        {
            Assert.That((updated.AssignedAgentId, updated.EnableTypingIndicator, updated.EnableMessaging), Is.EqualTo(("agent_9", (bool?)true, (bool?)true)));
            Assert.That(forAgent9.Select(a => a.PhoneNumberId), Is.EqualTo(new[] { "wa_1" }));
            Assert.That(remaining.Select(a => a.PhoneNumberId), Is.EqualTo(new[] { "wa_2" }));
            Assert.That(gone!.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        });
        var patches = harness.Emulator.ReceivedRequests.Where(r => r.Method == "PATCH").ToList();
        Assert.That(patches.Select(r => (r.Path, r.Body)), Is.EqualTo(new[] { ("/v1/convai/whatsapp-accounts/wa_1", """{"assigned_agent_id":"agent_9","enable_typing_indicator":true}""") }));
    }
}
