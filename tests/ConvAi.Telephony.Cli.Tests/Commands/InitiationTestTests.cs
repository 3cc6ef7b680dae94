using System.Text.Json.Nodes;

namespace ConvAi.Telephony.Cli.Tests.Commands;

/// <summary><c>convai initiation test</c> against samples/WebhookReceiver and against stub endpoints with wrong answers.</summary>
public class InitiationTestTests
{
    private const string Valid = """{"type":"conversation_initiation_client_data","dynamic_variables":{"customer_name":"Ana","visits":3,"vip":true}}""";

    [Test]
    public async Task Test_SampleReceiver_KnownCaller_IsAcceptedWithTheCallersVariables()
    {
        await using var receiver = WebhookReceiverHost.Start();

        var result = await Cli.RunAsync("initiation", "test", "--url", receiver.InitiationUrl.ToString(), "--secret", WebhookReceiverHost.InitiationSecret, "--caller", "+14155550123");

        Assert.That(result.ExitCode, Is.EqualTo(0), result.ToString());
        Assert.That(result.Output, Does.Match(@"POST \S+/webhooks/elevenlabs/initiation \(caller \+14155550123\) -> HTTP 200 OK in \d+ ms"));
        Assert.That(result.Output, Does.Contain("dynamic variables: customer_name=\"Ana\", customer_tier=\"gold\""));
        Assert.That(result.Output, Does.Contain("ok: ElevenLabs would accept this answer."));
    }

    [Test]
    public async Task Test_SampleReceiver_WrongSecret_ReportsTheRefusal()
    {
        await using var receiver = WebhookReceiverHost.Start();

        var result = await Cli.RunAsync("initiation", "test", "--url", receiver.InitiationUrl.ToString(), "--secret", "not-the-secret");

        Assert.That(result.ExitCode, Is.EqualTo(1), result.ToString());
        Assert.That(result.Output, Does.Contain("problem: HTTP 401: the endpoint refused the secret (header X-ConvAi-Initiation-Secret)"));
    }

    [TestCase(false, "application/json")]
    [TestCase(true, "application/x-www-form-urlencoded")]
    public async Task Test_SendsTheFieldsAndSecretHeaderLikeElevenLabs(bool form, string contentType)
    {
        await using var stub = await StubInitiationEndpoint.StartAsync(200, Valid);
        string[] args = ["initiation", "test", "--url", stub.Url.ToString(), "--secret", "s3cret", "--header-name", "X-Custom", "--caller", "+447700900456", "--agent-id", "agent_7"];

        var result = await Cli.RunAsync(form ? [.. args, "--form"] : args);

        Assert.That(result.ExitCode, Is.EqualTo(0), result.ToString());
        Assert.That(stub.ReceivedContentType, Does.StartWith(contentType));
        Assert.That(stub.ReceivedHeaders!["X-Custom"], Is.EqualTo("s3cret"));
        var fields = form
            ? stub.ReceivedBody!.Split('&').Select(p => p.Split('=')).ToDictionary(p => p[0], p => Uri.UnescapeDataString(p[1]))
            : JsonNode.Parse(stub.ReceivedBody!)!.AsObject().ToDictionary(p => p.Key, p => p.Value!.GetValue<string>());
        Assert.That(fields.Keys, Is.EquivalentTo(new[] { "caller_id", "agent_id", "called_number", "call_sid" }));
        Assert.That(fields["caller_id"], Is.EqualTo("+447700900456"));
        Assert.That(fields["agent_id"], Is.EqualTo("agent_7"));
        Assert.That(fields["called_number"], Is.EqualTo("+14155550100"));
        Assert.That(fields["call_sid"], Does.Match("^CA[0-9a-f]{32}$"));
    }

    [TestCase("""{"dynamic_variables":{}}""", "type must be \"conversation_initiation_client_data\" (found nothing).")]
    [TestCase("""{"type":"client_data","dynamic_variables":{}}""", "type must be \"conversation_initiation_client_data\" (found the string \"client_data\").")]
    [TestCase("""{"type":"conversation_initiation_client_data"}""", "dynamic_variables is missing")]
    [TestCase("""{"type":"conversation_initiation_client_data","dynamic_variables":["a"]}""", "dynamic_variables must be an object (found an array).")]
    [TestCase("""{"type":"conversation_initiation_client_data","dynamic_variables":{"system__caller_id":"+1"}}""", "dynamic variable 'system__caller_id': names starting with system__ are reserved")]
    [TestCase("""{"type":"conversation_initiation_client_data","dynamic_variables":{"customer":{"name":"Ana"}}}""", "dynamic variable 'customer' is an object: values must be a string, number or boolean")]
    [TestCase("""{"type":"conversation_initiation_client_data","dynamic_variables":{"tags":[1,2]}}""", "dynamic variable 'tags' is an array")]
    [TestCase("""{"type":"conversation_initiation_client_data","dynamic_variables":{},"conversation_config_override":{"agent":{"prompt":"Be nice"}}}""", "conversation_config_override.agent.prompt must be an object or null (found the string \"Be nice\"). Write {\"prompt\": {\"prompt\": \"...\"}}.")]
    [TestCase("""{"type":"conversation_initiation_client_data","dynamic_variables":{},"conversation_config_override":{"agent":{"voice":"x"}}}""", "conversation_config_override.agent.voice is not an override ElevenLabs knows.")]
    [TestCase("""{"type":"conversation_initiation_client_data","dynamic_variables":{},"conversation_config_override":{"tts":{"speed":"fast"}}}""", "conversation_config_override.tts.speed must be a number or null (found the string \"fast\").")]
    [TestCase("""{"type":"conversation_initiation_client_data","dynamic_variables":{},"conversation_config_override":{"conversation":{"text_only":"yes"}}}""", "conversation_config_override.conversation.text_only must be true or false or null")]
    [TestCase("""{"type":"conversation_initiation_client_data","dynamic_variables":{},"conversation_config_override":[]}""", "conversation_config_override must be an object (found an array).")]
    [TestCase("""{"type":"conversation_initiation_client_data","dynamic_variables":{},"dynamicVariables":{}}""", "unknown field 'dynamicVariables'")]
    [TestCase("""{"type":"conversation_initiation_client_data","dynamic_variables":{},"user_id":42}""", "user_id must be a string or null (found 42).")]
    [TestCase("""[1]""", "the answer is not a JSON object.")]
    [TestCase("""not json""", "the answer is not JSON")]
    public async Task Test_WrongAnswer_PrintsTheProblem(string answer, string expected)
    {
        await using var stub = await StubInitiationEndpoint.StartAsync(200, answer);

        var result = await Cli.RunAsync("initiation", "test", "--url", stub.Url.ToString(), "--secret", "s");

        Assert.That(result.ExitCode, Is.EqualTo(1), result.ToString());
        Assert.That(result.Output, Does.Contain("problem: " + expected));
    }

    [Test]
    public async Task Test_SeveralProblems_PrintsEachOne()
    {
        await using var stub = await StubInitiationEndpoint.StartAsync(200, """{"type":"x","dynamic_variables":{"system__a":1,"b":{}},"conversation_config_override":{"llm":"gpt"}}""");

        var result = await Cli.RunAsync("initiation", "test", "--url", stub.Url.ToString());

        Assert.That(result.ExitCode, Is.EqualTo(1), result.ToString());
        Assert.That(result.Output.Split('\n').Count(l => l.StartsWith("problem: ", StringComparison.Ordinal)), Is.EqualTo(4));
        Assert.That(result.Output, Does.Contain("4 problem(s)."));
    }

    [TestCase(500, "HTTP 500: ElevenLabs needs 200 with the JSON answer.")]
    [TestCase(403, "HTTP 403: the endpoint refused the secret")]
    public async Task Test_NotOk_PrintsTheStatusProblem(int status, string expected)
    {
        await using var stub = await StubInitiationEndpoint.StartAsync(status, "{}");

        var result = await Cli.RunAsync("initiation", "test", "--url", stub.Url.ToString(), "--secret", "s");

        Assert.That(result.ExitCode, Is.EqualTo(1), result.ToString());
        Assert.That(result.Output, Does.Contain("problem: " + expected));
    }

    [Test]
    public async Task Test_ValidAnswerAsText_FlagsTheContentType()
    {
        await using var stub = await StubInitiationEndpoint.StartAsync(200, Valid, "text/plain");

        var result = await Cli.RunAsync("initiation", "test", "--url", stub.Url.ToString(), "--secret", "s");

        Assert.That(result.ExitCode, Is.EqualTo(1), result.ToString());
        Assert.That(result.Output, Does.Contain("problem: the Content-Type is 'text/plain"));
    }

    [Test]
    public async Task Test_ValidAnswerWithOverrides_IsAcceptedAndListsThem()
    {
        await using var stub = await StubInitiationEndpoint.StartAsync(200, """
            {"type":"conversation_initiation_client_data","dynamic_variables":{"name":"Ana","balance":12.5,"vip":false,"nothing":null},
             "conversation_config_override":{"agent":{"prompt":{"prompt":"Be brief","llm":"gpt-4o"},"first_message":"Hi {{name}}","language":"en"},"tts":{"voice_id":"v1","speed":1.1},"conversation":{"text_only":false}},
             "user_id":"cust-1","custom_llm_extra_body":{"k":1},"branch_id":null}
            """);

        var result = await Cli.RunAsync("initiation", "test", "--url", stub.Url.ToString(), "--secret", "s", "--json");

        Assert.That(result.ExitCode, Is.EqualTo(0), result.ToString());
        Assert.That(result.Output, Does.Contain("overrides: agent, tts, conversation (each must be enabled in the agent's security settings)"));
        Assert.That(result.Output, Does.Contain("\"user_id\":\"cust-1\""), "--json prints the answer as received");
    }
}
