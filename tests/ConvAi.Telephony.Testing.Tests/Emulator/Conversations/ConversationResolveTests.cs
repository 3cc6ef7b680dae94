using System.Net;

namespace ConvAi.Telephony.Testing.Tests;

/// <summary>
/// <c>GET /v1/convai/conversations/resolve?agent_id=&amp;reference=</c> (elevenlabs-python 2.59): a conversation linked to a
/// reference with <see cref="ConvAiEmulator.SetConversationReference"/> is found for its own agent; anything else is 404.
/// </summary>
public class ConversationResolveTests
{
    private const string Slack = "https://acme.slack.com/archives/C0123/p1764000000000100";

    [Test]
    public async Task Resolve_LinkedReference_AnswersTheSameJsonAsGet()
    {
        await using var harness = await EmulatorHarness.StartAsync();
        var id = await harness.CallAsync(await harness.ImportTwilioNumberAsync(), agentId: "agent_1");
        harness.FinishCalls();
        harness.Emulator.SetConversationReference(id, Slack);

        var resolved = await harness.GetAsync($"/v1/convai/conversations/resolve?agent_id=agent_1&reference={Uri.EscapeDataString(Slack)}");
        var got = await harness.GetAsync($"/v1/convai/conversations/{id}");

        Assert.That(resolved.Status, Is.EqualTo(HttpStatusCode.OK), resolved.Text);
        Assert.That(resolved.Text, Is.EqualTo(got.Text));
        Assert.That(resolved.Json["conversation_id"]!.GetValue<string>(), Is.EqualTo(id));
    }

    private static IEnumerable<TestCaseData> Misses()
    {
        yield return new TestCaseData("agent_2", Slack).SetName("Resolve_OtherAgent_Answers404");
        yield return new TestCaseData("agent_1", Slack + "0").SetName("Resolve_OtherReference_Answers404");
        yield return new TestCaseData("agent_1", Slack.ToUpperInvariant()).SetName("Resolve_ReferenceInOtherCase_Answers404");
        yield return new TestCaseData("agent_1", "https://acme.zendesk.com/agent/tickets/1").SetName("Resolve_UnlinkedReference_Answers404");
    }

    [TestCaseSource(nameof(Misses))]
    public async Task Resolve_NoMatch_Answers404ConversationNotFound(string agentId, string reference)
    {
        await using var harness = await EmulatorHarness.StartAsync();
        var id = await harness.CallAsync(await harness.ImportTwilioNumberAsync(), agentId: "agent_1");
        harness.Emulator.SetConversationReference(id, Slack);

        var response = await harness.GetAsync($"/v1/convai/conversations/resolve?agent_id={agentId}&reference={Uri.EscapeDataString(reference)}");

        Assert.That((response.Status, response.ErrorCode()), Is.EqualTo((HttpStatusCode.NotFound, "conversation_not_found")));
    }

    [TestCase("?reference=r", "query.agent_id")]
    [TestCase("?agent_id=agent_1", "query.reference")]
    public async Task Resolve_MissingParameter_Answers422(string query, string loc)
    {
        await using var harness = await EmulatorHarness.StartAsync();

        var response = await harness.GetAsync("/v1/convai/conversations/resolve" + query);

        Assert.That(response.SingleValidationError(), Is.EqualTo((loc, "missing")));
    }

    [Test]
    public async Task Resolve_NoParameters_Answers422ForBoth()
    {
        await using var harness = await EmulatorHarness.StartAsync();

        var response = await harness.GetAsync("/v1/convai/conversations/resolve");

        Assert.That(response.Status, Is.EqualTo(HttpStatusCode.UnprocessableEntity));
        Assert.That(response.Json["detail"]!.AsArray().Select(e => string.Join('.', e!["loc"]!.AsArray().Select(n => n!.GetValue<string>()))), Is.EqualTo(new[] { "query.agent_id", "query.reference" }));
    }

    [Test]
    public async Task Resolve_ReferenceSetAgain_ReplacesTheOldOne()
    {
        await using var harness = await EmulatorHarness.StartAsync();
        var id = await harness.CallAsync(await harness.ImportTwilioNumberAsync(), agentId: "agent_1");
        harness.Emulator.SetConversationReference(id, "old");
        harness.Emulator.SetConversationReference(id, "new");

        var old = await harness.GetAsync("/v1/convai/conversations/resolve?agent_id=agent_1&reference=old");
        var current = await harness.GetAsync("/v1/convai/conversations/resolve?agent_id=agent_1&reference=new");

        Assert.That((old.Status, current.Status), Is.EqualTo((HttpStatusCode.NotFound, HttpStatusCode.OK)));
    }

    [Test]
    public async Task SetConversationReference_UnknownConversationOrEmptyReference_Throws()
    {
        await using var harness = await EmulatorHarness.StartAsync();
        var id = await harness.CallAsync(await harness.ImportTwilioNumberAsync());

        Assert.That(() => harness.Emulator.SetConversationReference("conv_unknown", Slack), Throws.TypeOf<KeyNotFoundException>());
        Assert.That(() => harness.Emulator.SetConversationReference(id, ""), Throws.ArgumentException);
    }

    [Test]
    public async Task Client_ResolveAsync_FindsTheConversationWithDefaultAgentAndReadsItTyped()
    {
        await using var harness = await EmulatorHarness.StartAsync();
        var id = await harness.CallAsync(await harness.ImportTwilioNumberAsync(), agentId: "agent_1");
        harness.FinishCalls();
        harness.Emulator.SetConversationReference(id, Slack);
        var client = new ConvAiTelephonyClient(new ConvAiTelephonyOptions
        {
            ApiKey = harness.Emulator.ApiKey,
            BaseAddress = harness.Emulator.BaseAddress,
            DefaultAgentId = "agent_1",
            Resilience = new ConvAiResilienceOptions { MaxRetryAttempts = 0 },
        });

        var conversation = await client.Conversations.ResolveAsync(null, Slack);
        var missing = Assert.ThrowsAsync<ConvAiApiException>(() => client.Conversations.ResolveAsync("agent_2", Slack));

        Assert.That((conversation.ConversationId, conversation.Status), Is.EqualTo((id, ConversationStatus.Done)));
        Assert.That(missing!.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        var request = harness.Emulator.ReceivedRequests.First(r => r.Path == "/v1/convai/conversations/resolve");
        Assert.That(request.QueryString, Is.EqualTo("?agent_id=agent_1&reference=" + Uri.EscapeDataString(Slack)));
    }
}
