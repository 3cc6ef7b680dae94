using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using ConvAi.Telephony;
using ConvAi.Telephony.AspNetCore;

namespace ConvAi.Telephony.Samples.Tests.WebhookReceiver;

public class ConversationInitiationTests
{
    private const string InitiationPath = "/webhooks/elevenlabs/initiation";

    private WebhookReceiverFactory _factory = null!;
    private HttpClient _client = null!;

    [SetUp]
    public void SetUp()
    {
        _factory = new WebhookReceiverFactory();
        _client = _factory.CreateClient();
    }

    [TearDown]
    public async Task TearDown()
    {
        _client.Dispose();
        await _factory.DisposeAsync();
    }

    // The known callers are the sample's appsettings.json Customers section.
    [TestCase("+14155550123", "Ana", "gold")]
    [TestCase("+447700900456", "Ben", "standard")]
    public async Task PostInitiation_KnownCaller_AnswersTheirDetailsAndFirstMessage(string callerId, string name, string tier)
    {
        using var response = await PostAsync(Request(callerId), WebhookReceiverFactory.InitiationSecret);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var expected = new JsonObject
        {
            ["type"] = "conversation_initiation_client_data",
            ["dynamic_variables"] = new JsonObject { ["customer_name"] = name, ["customer_tier"] = tier },
            ["conversation_config_override"] = new JsonObject
            {
                ["agent"] = new JsonObject { ["first_message"] = $"Hi {name}, thanks for calling again. How can I help?" },
            },
            ["user_id"] = callerId,
        };
        await AssertJsonAsync(response, expected);
    }

    [Test]
    public async Task PostInitiation_UnknownCaller_AnswersTheDefaults()
    {
        using var response = await PostAsync(Request("+15005550006"), WebhookReceiverFactory.InitiationSecret);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var expected = new JsonObject
        {
            ["type"] = "conversation_initiation_client_data",
            ["dynamic_variables"] = new JsonObject { ["customer_name"] = "there", ["customer_tier"] = "unknown" },
            ["user_id"] = "+15005550006",
        };
        await AssertJsonAsync(response, expected);
    }

    [Test]
    public async Task PostInitiation_Answered_IsListedInInitiations()
    {
        using var response = await PostAsync(Request("+14155550123"), WebhookReceiverFactory.InitiationSecret);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));

        var expected = JsonNode.Parse("""
            [{"callSid":"CA0001","agentId":"agent_1","knownCaller":true,"userId":"+14155550123","answeredAt":"2026-03-02T10:00:00+00:00"}]
            """);
        Assert.That(JsonNode.DeepEquals(await GetInitiationsAsync(), expected), Is.True);
    }

    [TestCase(null)]
    [TestCase("wrong-secret")]
    public async Task PostInitiation_MissingOrWrongSecretHeader_Returns401AndDoesNotCallTheHandler(string? secret)
    {
        using var response = await PostAsync(Request("+14155550123"), secret);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(await response.Content.ReadAsStringAsync(), Does.Not.Contain("Ana"));
        Assert.That((await GetInitiationsAsync())!.AsArray(), Is.Empty);
    }

    private static string Request(string callerId) =>
        new JsonObject
        {
            ["caller_id"] = callerId,
            ["agent_id"] = "agent_1",
            ["called_number"] = "+14155550100",
            ["call_sid"] = "CA0001",
        }.ToJsonString();

    private static async Task AssertJsonAsync(HttpResponseMessage response, JsonNode expected)
    {
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/json"));
        var actual = JsonNode.Parse(await response.Content.ReadAsStringAsync());
        Assert.That(JsonNode.DeepEquals(actual, expected), Is.True, $"{actual?.ToJsonString()} is not {expected.ToJsonString()}");
    }

    private async Task<HttpResponseMessage> PostAsync(string json, string? secret)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(InitiationPath, UriKind.Relative))
        {
            Content = new StringContent(json, Encoding.UTF8, "application/json"),
        };
        if (secret is not null)
        {
            request.Headers.Add(ConversationInitiationOptions.DefaultHeaderName, secret);
        }

        return await _client.SendAsync(request);
    }

    private async Task<JsonNode?> GetInitiationsAsync()
    {
        using var response = await _client.GetAsync(new Uri("/initiations", UriKind.Relative));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        return JsonNode.Parse(await response.Content.ReadAsStringAsync());
    }
}
