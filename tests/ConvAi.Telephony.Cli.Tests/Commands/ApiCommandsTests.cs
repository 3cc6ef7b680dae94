using System.Net;
using System.Text.Json.Nodes;
using ConvAi.Telephony.Testing;

namespace ConvAi.Telephony.Cli.Tests.Commands;

/// <summary><c>convai calls start</c> and <c>convai conversations list|get|resolve|audio</c> against an emulator the test owns.</summary>
public class ApiCommandsTests
{
    private const string ApiKey = "sk_API_KEY_TEST_0c41";

    private ConvAiEmulator _emulator = null!;
    private string _phoneNumberId = null!;
    private string _directory = null!;

    [SetUp]
    public async Task SetUp()
    {
        _emulator = await ConvAiEmulator.StartNewAsync(new ConvAiEmulatorOptions { ApiKey = ApiKey });
        var client = new ConvAiTelephonyClient(new ConvAiTelephonyOptions { ApiKey = ApiKey, BaseAddress = _emulator.BaseAddress });
        _phoneNumberId = (await client.PhoneNumbers.ImportTwilioAsync(new ImportTwilioPhoneNumberRequest { PhoneNumber = "+14155550100", Label = "x", Sid = "AC00000000000000000000000000000000", Token = "t" })).PhoneNumberId;
        _directory = Directory.CreateTempSubdirectory("convai-api").FullName;
    }

    [TearDown]
    public async Task TearDown()
    {
        await _emulator.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    [Test]
    public async Task CallsStart_PlacesTheCallWithTypedDynamicVariables()
    {
        var result = await RunAsync("calls", "start", "--to", "+14155550123", "--agent-id", "agent_1", "--phone-number-id", _phoneNumberId,
            "--var", "customer_name=Ana", "--var", "balance=12.5", "--var", "visits=3", "--var", "vip=true", "--user-id", "cust-1");

        Assert.That(result.ExitCode, Is.EqualTo(0), result.ToString());
        var conversation = _emulator.Conversations.Single();
        Assert.That(result.Output, Is.EqualTo($"Call started: conversation {conversation.ConversationId} (Twilio call SID {conversation.CallSid})" + Environment.NewLine));
        Assert.That(conversation.AgentId, Is.EqualTo("agent_1"));
        Assert.That(conversation.ExternalNumber, Is.EqualTo("+14155550123"));
        Assert.That(conversation.UserId, Is.EqualTo("cust-1"));
        Assert.That(conversation.DynamicVariables!.ToJsonString(), Is.EqualTo("""{"customer_name":"Ana","balance":12.5,"visits":3,"vip":true}"""));
        var request = _emulator.ReceivedRequests.Single(r => r.Path == "/v1/convai/twilio/outbound-call");
        Assert.That(request.Method, Is.EqualTo("POST"));
    }

    [Test]
    public async Task CallsStart_SipJson_PrintsTheApiResultAsJson()
    {
        var client = new ConvAiTelephonyClient(new ConvAiTelephonyOptions { ApiKey = ApiKey, BaseAddress = _emulator.BaseAddress });
        var sipNumber = (await client.PhoneNumbers.ImportSipTrunkAsync(new ImportSipTrunkPhoneNumberRequest { PhoneNumber = "+14155550101", Label = "sip" })).PhoneNumberId;

        var result = await RunAsync("calls", "start", "--to", "+14155550123", "--agent-id", "agent_1", "--phone-number-id", sipNumber, "--sip", "--json");

        Assert.That(result.ExitCode, Is.EqualTo(0), result.ToString());
        var json = JsonNode.Parse(result.Output)!;
        Assert.That(json["conversation_id"]!.ToString(), Is.EqualTo(_emulator.Conversations.Single().ConversationId));
        Assert.That(json["success"]!.GetValue<bool>(), Is.True);
        Assert.That(json["sip_call_id"], Is.Not.Null);
        Assert.That(_emulator.ReceivedRequests.Any(r => r.Path == "/v1/convai/sip-trunk/outbound-call"), Is.True);
    }

    [Test]
    public async Task CallsStart_InProcessEmulator_NeedsNoAccount()
    {
        var result = await Cli.RunAsync("calls", "start", "--emulator", "--to", "+14155550123");

        Assert.That(result.ExitCode, Is.EqualTo(0), result.ToString());
        Assert.That(result.Output, Does.Match(@"^Call started: conversation conv_\w+ \(Twilio call SID CA[0-9a-f]{32}\)"));
    }

    [Test]
    public async Task ConversationsListGetAudio_ShowTheFinishedCall()
    {
        var started = await RunAsync("calls", "start", "--to", "+14155550123", "--agent-id", "agent_1", "--phone-number-id", _phoneNumberId, "--var", "customer_name=Ana");
        Assert.That(started.ExitCode, Is.EqualTo(0), started.ToString());
        var id = _emulator.Conversations.Single().ConversationId;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await _emulator.WaitForWebhookAsync("post_call_transcription", id, timeout.Token);

        var list = await RunAsync("conversations", "list", "--agent-id", "agent_1");
        Assert.That(list.ExitCode, Is.EqualTo(0), list.ToString());
        Assert.That(list.Output, Does.StartWith("CONVERSATION"));
        Assert.That(list.Output, Does.Match($@"{id} +done +\d{{4}}-\d\d-\d\d \d\d:\d\d:\d\d +18 success"));
        Assert.That(list.Output, Does.Contain("1 conversation(s)"));
        Assert.That(_emulator.ReceivedRequests.Last().QueryString, Does.Contain("agent_id=agent_1"));

        var listJson = await RunAsync("conversations", "list", "--json");
        Assert.That(JsonNode.Parse(listJson.Output)!["conversations"]![0]!["conversation_id"]!.ToString(), Is.EqualTo(id));

        var get = await RunAsync("conversations", "get", id);
        Assert.That(get.ExitCode, Is.EqualTo(0), get.ToString());
        Assert.That(get.Output, Does.Contain($"Conversation {id}").And.Contain("  status    done").And.Contain("  result    success"));
        Assert.That(get.Output, Does.Contain("  [0:00] agent: Hello Ana! This is your assistant calling."));
        Assert.That(get.Output, Does.Contain("  [0:15] agent: Great, thank you for your time. Goodbye!"));

        var getJson = await RunAsync("conversations", "get", id, "--json");
        Assert.That(JsonNode.Parse(getJson.Output)!["status"]!.ToString(), Is.EqualTo("done"));

        var file = Path.Combine(_directory, "call.mp3");
        var audio = await RunAsync("conversations", "audio", id, "--output", file);
        Assert.That(audio.ExitCode, Is.EqualTo(0), audio.ToString());
        var bytes = await File.ReadAllBytesAsync(file);
        Assert.That(bytes[..3], Is.EqualTo("ID3"u8.ToArray()));
        Assert.That(audio.Output, Does.Contain($"Wrote {bytes.Length} bytes of audio to {file}"));
    }

    [Test]
    public async Task ConversationsResolve_LinkedReference_ShowsTheConversationAsGetDoes()
    {
        const string Reference = "https://acme.slack.com/archives/C0123/p1764000000000100";
        var started = await RunAsync("calls", "start", "--to", "+14155550123", "--agent-id", "agent_1", "--phone-number-id", _phoneNumberId, "--var", "customer_name=Ana");
        Assert.That(started.ExitCode, Is.EqualTo(0), started.ToString());
        var id = _emulator.Conversations.Single().ConversationId;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await _emulator.WaitForWebhookAsync("post_call_transcription", id, timeout.Token);
        _emulator.SetConversationReference(id, Reference);

        var resolved = await RunAsync("conversations", "resolve", Reference, "--agent-id", "agent_1");
        var get = await RunAsync("conversations", "get", id);
        var json = await RunAsync("conversations", "resolve", Reference, "--agent-id", "agent_1", "--json");

        Assert.That(resolved.ExitCode, Is.EqualTo(0), resolved.ToString());
        Assert.That(resolved.Output, Is.EqualTo(get.Output));
        Assert.That(resolved.Output, Does.StartWith($"Conversation {id}"));
        Assert.That(JsonNode.Parse(json.Output)!["conversation_id"]!.ToString(), Is.EqualTo(id));
        var request = _emulator.ReceivedRequests.First(r => r.Path == "/v1/convai/conversations/resolve");
        Assert.That(request.QueryString, Is.EqualTo("?agent_id=agent_1&reference=" + Uri.EscapeDataString(Reference)));
    }

    [Test]
    public async Task ConversationsResolve_UnknownReference_FailsWithExitOne()
    {
        var result = await RunAsync("conversations", "resolve", "https://acme.zendesk.com/agent/tickets/1", "--agent-id", "agent_1");

        Assert.That(result.ExitCode, Is.EqualTo(1), result.ToString());
        Assert.That(result.Error, Does.StartWith("failed: "));
        Assert.That(_emulator.ReceivedRequests.Last().Path, Is.EqualTo("/v1/convai/conversations/resolve"));
    }

    [Test]
    public async Task ConversationsGet_Unknown_FailsWithExitOne()
    {
        var result = await RunAsync("conversations", "get", "conv_missing");

        Assert.That(result.ExitCode, Is.EqualTo(1), result.ToString());
        Assert.That(result.Error, Does.StartWith("failed: "));
        Assert.That(_emulator.ReceivedRequests.Last().Path, Is.EqualTo("/v1/convai/conversations/conv_missing"));
    }

    [Test]
    public async Task ApiKeyFromTheEnvironment_IsSentAndAnOptionOverridesIt()
    {
        var fromVariable = await Cli.RunAsync(
            new Dictionary<string, string> { ["ELEVENLABS_API_KEY"] = ApiKey, ["ELEVENLABS_BASE_URL"] = _emulator.BaseAddress.ToString() }, TimeProvider.System,
            "conversations", "list");
        var wrongOption = await Cli.RunAsync(
            new Dictionary<string, string> { ["ELEVENLABS_API_KEY"] = ApiKey }, TimeProvider.System,
            "conversations", "list", "--api-key", "sk_wrong", "--base-url", _emulator.BaseAddress.ToString());

        Assert.That(fromVariable.ExitCode, Is.EqualTo(0), fromVariable.ToString());
        Assert.That(wrongOption.ExitCode, Is.EqualTo(1), wrongOption.ToString());
        Assert.That(_emulator.ReceivedRequests.Select(r => r.HasApiKey), Is.All.True);
    }

    [TestCase("+14155550123", "completed", 0)]
    [TestCase("+14155550161", "voicemail", 0)]
    [TestCase("+14155550162", "busy", 1)]
    [TestCase("+14155550163", "no-answer", 1)]
    [TestCase("+14155550164", "failed", 1)]
    public async Task CallsWait_PrintsHowTheCallEnded_AndExitsOnWhetherItConnected(string to, string expected, int exitCode)
    {
        var options = new ConvAiEmulatorOptions { ApiKey = ApiKey };
        options.VoicemailNumbers.Add("+14155550161");
        options.BusyNumbers.Add("+14155550162");
        options.NoAnswerNumbers.Add("+14155550163");
        options.FailedNumbers.Add("+14155550164");
        await using var emulator = await ConvAiEmulator.StartNewAsync(options);
        var client = new ConvAiTelephonyClient(new ConvAiTelephonyOptions { ApiKey = ApiKey, BaseAddress = emulator.BaseAddress });
        var from = (await client.PhoneNumbers.ImportTwilioAsync(new ImportTwilioPhoneNumberRequest { PhoneNumber = "+14155550100", Label = "x", Sid = "AC00000000000000000000000000000000", Token = "t" })).PhoneNumberId;
        var call = await client.Calls.StartTwilioCallAsync(new StartTwilioCallRequest { AgentId = "agent_1", AgentPhoneNumberId = from, ToNumber = to });

        var text = await Cli.RunAsync("calls", "wait", call.ConversationId!, "--poll-interval", "0.05", "--api-key", ApiKey, "--base-url", emulator.BaseAddress.ToString());
        var json = await Cli.RunAsync("calls", "wait", call.ConversationId!, "--json", "--api-key", ApiKey, "--base-url", emulator.BaseAddress.ToString());

        Assert.That(text.ExitCode, Is.EqualTo(exitCode), text.ToString());
        Assert.That(text.Output, Does.StartWith($"Outcome: {expected}"));
        Assert.That(json.ExitCode, Is.EqualTo(exitCode), json.ToString());
        var outcome = JsonNode.Parse(json.Output)!;
        Assert.That(outcome["outcome"]!.ToString(), Is.EqualTo(expected));
        Assert.That(outcome["conversation_id"]!.ToString(), Is.EqualTo(call.ConversationId));
        Assert.That(emulator.ReceivedRequests.Count(r => r.Path == "/v1/convai/conversations/" + call.ConversationId), Is.GreaterThanOrEqualTo(2));
    }

    [Test]
    public async Task CallsStartWait_InProcessEmulator_PlacesTheCallAndPrintsItsOutcome()
    {
        var result = await Cli.RunAsync("calls", "start", "--emulator", "--to", "+14155550123", "--wait", "--poll-interval", "0.05");

        Assert.That(result.ExitCode, Is.EqualTo(0), result.ToString());
        Assert.That(result.Output, Does.Match(@"^Call started: conversation conv_\w+ \(Twilio call SID CA[0-9a-f]{32}\)\r?\nOutcome: completed \(18 s, call successful: success\)"));
    }

    [Test]
    public async Task CallsWait_CallStillRunning_IsTimedOutAndACheckFailure()
    {
        await using var emulator = await ConvAiEmulator.StartNewAsync(new ConvAiEmulatorOptions { ApiKey = ApiKey, StepDelay = TimeSpan.FromHours(1) });
        var client = new ConvAiTelephonyClient(new ConvAiTelephonyOptions { ApiKey = ApiKey, BaseAddress = emulator.BaseAddress });
        var from = (await client.PhoneNumbers.ImportTwilioAsync(new ImportTwilioPhoneNumberRequest { PhoneNumber = "+14155550100", Label = "x", Sid = "AC00000000000000000000000000000000", Token = "t" })).PhoneNumberId;
        var call = await client.Calls.StartTwilioCallAsync(new StartTwilioCallRequest { AgentId = "agent_1", AgentPhoneNumberId = from, ToNumber = "+14155550123" });

        var result = await Cli.RunAsync("calls", "wait", call.ConversationId!, "--timeout", "0.3", "--poll-interval", "0.05", "--api-key", ApiKey, "--base-url", emulator.BaseAddress.ToString());

        Assert.That(result.ExitCode, Is.EqualTo(1), result.ToString());
        Assert.That(result.Output, Does.StartWith("Outcome: timed-out"));
    }

    [Test]
    public async Task CallsWait_UnknownConversation_FailsWithoutWaiting()
    {
        var result = await RunAsync("calls", "wait", "conv_unknown", "--poll-interval", "0.05");

        Assert.That(result.ExitCode, Is.EqualTo(1), result.ToString());
        Assert.That(result.Output, Is.Empty);
        Assert.That(_emulator.ReceivedRequests.Count(r => r.Path == "/v1/convai/conversations/conv_unknown"), Is.EqualTo(1));
    }

    [TestCase(new[] { "conversations", "list" }, "no API key: set ELEVENLABS_API_KEY")]
    [TestCase(new[] { "calls", "wait", "conv_1", "--api-key", "k", "--timeout", "0" }, "--timeout must be positive.")]
    [TestCase(new[] { "calls", "wait", "conv_1", "--api-key", "k", "--poll-interval", "-1" }, "--poll-interval must be positive.")]
    [TestCase(new[] { "conversations", "list", "--emulator", "--api-key", "k" }, "--emulator runs its own server")]
    [TestCase(new[] { "conversations", "list", "--api-key", "k", "--seed", "x.json" }, "--seed only applies with --emulator")]
    [TestCase(new[] { "calls", "start", "--to", "+1", "--api-key", "k" }, "--agent-id is required.")]
    [TestCase(new[] { "calls", "start", "--emulator", "--to", "+1", "--var", "novalue" }, "--var 'novalue' is not name=value.")]
    [TestCase(new[] { "calls", "start", "--emulator", "--to", "+1", "--var", "system__x=1" }, "names starting with system__ are reserved")]
    [TestCase(new[] { "conversations", "list", "--api-key", "k", "--page-size", "0" }, "--page-size must be between 1 and 100.")]
    [TestCase(new[] { "conversations", "audio", "conv_1", "--api-key", "k" }, "--output")]
    public async Task BadInput_IsAUsageError(string[] args, string expected)
    {
        var result = await Cli.RunAsync(args);

        Assert.That(result.ExitCode, Is.EqualTo(2), result.ToString());
        Assert.That(result.Error, Does.Contain(expected));
    }

    private Task<CliResult> RunAsync(params string[] args) => Cli.RunAsync([.. args, "--api-key", ApiKey, "--base-url", _emulator.BaseAddress.ToString()]);
}
