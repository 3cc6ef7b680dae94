using System.Net;
using System.Text.Json.Nodes;
using ConvAi.Telephony.Tests.TestSupport;
using RichardSzalay.MockHttp;

namespace ConvAi.Telephony.Tests.Realtime;

/// <summary><c>GET /v1/convai/conversation/get-signed-url</c> through the real container, and the session options' checks.</summary>
public class SignedUrlTests
{
    [Test]
    public async Task GetSignedUrlAsync_SendsKeyAndQuery_ReturnsTheUrl()
    {
        using var fixture = new ClientFixture();
        var captured = new CapturedRequest();
        fixture.Mock.Expect(HttpMethod.Get, ClientFixture.Url("/v1/convai/conversation/get-signed-url"))
            .WithExactQueryString("agent_id=agent_1&branch_id=b1&environment=staging")
            .Capturing(captured)
            .RespondJson("""{"signed_url":"wss://api.elevenlabs.io/v1/convai/conversation?agent_id=agent_1&conversation_signature=abc","extra":1}""");

        var url = await fixture.Client.Conversations.GetSignedUrlAsync("agent_1", "b1", "staging");

        Assert.That(url.ToString(), Is.EqualTo("wss://api.elevenlabs.io/v1/convai/conversation?agent_id=agent_1&conversation_signature=abc"));
        Assert.That(captured.Header("xi-api-key"), Is.EqualTo(ClientFixture.ApiKey));
        fixture.Mock.VerifyNoOutstandingExpectation();
    }

    [Test]
    public void GetSignedUrlAsync_NoUrlInTheAnswer_IsAConvAiException()
    {
        using var fixture = new ClientFixture();
        fixture.Mock.When(ClientFixture.Url("/v1/convai/conversation/get-signed-url")).RespondJson("{}");

        Assert.ThrowsAsync<ConvAiException>(() => fixture.Client.Conversations.GetSignedUrlAsync("agent_1"));
    }

    [Test]
    public void GetSignedUrlAsync_Refused_IsAConvAiApiException_AndNoSocketIsOpened()
    {
        using var fixture = new ClientFixture();
        fixture.Mock.When(ClientFixture.Url("/v1/convai/conversation/get-signed-url"))
            .RespondJson("""{"detail":{"status":"invalid_api_key","message":"Invalid API key"}}""", HttpStatusCode.Unauthorized);

        var ex = Assert.ThrowsAsync<ConvAiApiException>(() => fixture.Client.Conversations.StartSessionAsync("agent_1"));

        Assert.That(ex!.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
    }

    [TestCase("system__caller_id")]
    [TestCase(" ")]
    public void Options_ReservedOrEmptyVariable_IsRejectedBeforeConnecting(string name)
    {
        using var fixture = new ClientFixture();
        var options = new ConversationSessionOptions();
        options.DynamicVariables[name] = "x";

        Assert.ThrowsAsync<ArgumentException>(() => fixture.Client.Conversations.StartSessionAsync("agent_1", options));
        Assert.That(fixture.Mock.GetMatchCount(fixture.Mock.When("*")), Is.Zero);
    }

    [TestCase(0, 4096)]
    [TestCase(16, 100)]
    public void Options_OutOfRange_IsRejected(int capacity, int maxBytes)
    {
        using var fixture = new ClientFixture();
        var options = new ConversationSessionOptions { EventBufferCapacity = capacity, MaxMessageBytes = maxBytes };

        Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => fixture.Client.Conversations.StartSessionAsync("agent_1", options));
    }

    [Test]
    public void ToInitiationData_CopiesTheFields()
    {
        var options = new ConversationSessionOptions { UserId = "u", CustomLlmExtraBody = new JsonObject { ["a"] = 1 } };
        options.DynamicVariables["name"] = "Ana";

        var data = options.ToInitiationData();
        options.DynamicVariables["later"] = 1;

        Assert.That(data.UserId, Is.EqualTo("u"));
        Assert.That(data.DynamicVariables!.Keys, Is.EqualTo(new[] { "name" }));
        Assert.That(new ConversationSessionOptions().ToInitiationData().DynamicVariables, Is.Null);
    }
}
