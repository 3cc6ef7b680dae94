using System.Net.WebSockets;
using Microsoft.Extensions.DependencyInjection;

namespace ConvAi.Telephony.Tests.Realtime;

/// <summary>Which URL the agent socket goes to: signed (API key configured), public agent, residency host, base-address mapping.</summary>
[NonParallelizable]
public class SessionUrlTests
{
    private const string ApiKey = "sk_secret_never_in_urls";

    private static CancellationToken Guard => new CancellationTokenSource(TimeSpan.FromSeconds(30)).Token;

    [TestCase(ConvAiEnvironment.Production, "wss://api.elevenlabs.io/v1/convai/conversation?agent_id=agent_1")]
    [TestCase(ConvAiEnvironment.ProductionUs, "wss://api.us.elevenlabs.io/v1/convai/conversation?agent_id=agent_1")]
    [TestCase(ConvAiEnvironment.Eu, "wss://api.eu.residency.elevenlabs.io/v1/convai/conversation?agent_id=agent_1")]
    [TestCase(ConvAiEnvironment.India, "wss://api.in.residency.elevenlabs.io/v1/convai/conversation?agent_id=agent_1")]
    [TestCase(ConvAiEnvironment.Singapore, "wss://api.sg.residency.elevenlabs.io/v1/convai/conversation?agent_id=agent_1")]
    public void PublicAgentUri_UsesTheEnvironmentsHostWithWss(ConvAiEnvironment environment, string expected)
        => Assert.That(ConversationSessionConnector.PublicAgentUri(ConvAiEnvironmentExtensions.GetBaseAddress(environment), "agent_1").ToString(), Is.EqualTo(expected));

    [TestCase("http://127.0.0.1:8080", "ws://127.0.0.1:8080/v1/convai/conversation?agent_id=a%20b")]
    [TestCase("https://proxy.example.com/elevenlabs/", "wss://proxy.example.com/elevenlabs/v1/convai/conversation?agent_id=a%20b")]
    [TestCase("https://proxy.example.com:8443/x", "wss://proxy.example.com:8443/x/v1/convai/conversation?agent_id=a%20b")]
    public void PublicAgentUri_MapsTheBaseAddress(string baseAddress, string expected)
        => Assert.That(ConversationSessionConnector.PublicAgentUri(new Uri(baseAddress), "a b").AbsoluteUri, Is.EqualTo(expected));

    [Test]
    public async Task PrivateAgent_FetchesASignedUrlWithTheKey_AndTheSocketCarriesNoKey()
    {
        await using var server = await ScriptedAgentServer.StartAsync(async c =>
        {
            await c.AcceptStartAsync();
            await c.DrainUntilCloseAsync();
        });
        var client = server.CreateClient(ApiKey);

        await using (var session = await client.Conversations.StartSessionAsync("agent_1", new ConversationSessionOptions(), Guard))
        {
            await session.EndAsync(Guard);
        }

        var requests = server.Requests.ToList();
        Assert.That(requests, Has.Count.EqualTo(2));
        Assert.That(requests[0], Is.EqualTo(("/v1/convai/conversation/get-signed-url?agent_id=agent_1", (string?)ApiKey, false)));
        Assert.That(requests[1], Is.EqualTo(($"/v1/convai/conversation?agent_id=agent_1&conversation_signature={ScriptedAgentServer.Signature}", (string?)null, true)));
        Assert.That(requests[1].Target, Does.Not.Contain(ApiKey));
    }

    [Test]
    public async Task PublicAgent_GoesToThePlainAgentUrl_WithoutSignedUrlOrKey()
    {
        await using var server = await ScriptedAgentServer.StartAsync(async c =>
        {
            await c.AcceptStartAsync();
            await c.DrainUntilCloseAsync();
        });
        var client = server.CreateClient(ApiKey);

        await using (var session = await client.Conversations.StartSessionAsync("agent_1", new ConversationSessionOptions { IsPublicAgent = true }, Guard))
        {
            await session.EndAsync(Guard);
        }

        Assert.That(server.Requests.ToList(), Is.EqualTo(new[] { ("/v1/convai/conversation?agent_id=agent_1", (string?)null, true) }));
    }

    [Test]
    public async Task ContainerClient_UsesDefaultAgentAndSignedUrl()
    {
        await using var server = await ScriptedAgentServer.StartAsync(async c =>
        {
            await c.AcceptStartAsync("conv_di");
            await c.DrainUntilCloseAsync();
        });
        var services = new ServiceCollection();
        services.AddConvAiTelephony(o =>
        {
            o.ApiKey = ApiKey;
            o.BaseAddress = server.HttpAddress;
            o.DefaultAgentId = "agent_default";
        });
        await using var provider = services.BuildServiceProvider();
        var client = provider.GetRequiredService<IConvAiTelephonyClient>();

        await using (var session = await client.Conversations.StartSessionAsync(null, null, Guard))
        {
            Assert.That((session.AgentId, session.ConversationId), Is.EqualTo(("agent_default", (string?)"conv_di")));
            await session.EndAsync(Guard);
        }

        Assert.That(server.Requests.Select(r => r.ApiKey), Is.EqualTo(new[] { ApiKey, null }));
    }

    [Test]
    public async Task RefusedHandshake_IsConnectFailedWithStatus_AndNoSignatureInTheMessage()
    {
        await using var server = await ScriptedAgentServer.StartAsync();
        var client = new ConvAiTelephonyClient(new ConvAiTelephonyOptions { ApiKey = ApiKey, BaseAddress = new Uri(server.HttpAddress, "/missing/") });

        var ex = Assert.ThrowsAsync<ConversationSessionException>(() => client.Conversations.ConnectSessionAsync("agent_1", new ConversationSessionOptions { IsPublicAgent = true }, Guard));

        Assert.That(ex!.Error, Is.EqualTo(ConversationSessionError.ConnectFailed));
        Assert.That(ex.StatusCode, Is.EqualTo(404));
        Assert.That(ex.InnerException, Is.InstanceOf<WebSocketException>());
    }

    [Test]
    public void MissingAgentId_IsAnArgumentException()
    {
        var client = new ConvAiTelephonyClient(new ConvAiTelephonyOptions { ApiKey = ApiKey });
        Assert.ThrowsAsync<ArgumentException>(() => client.Conversations.StartSessionAsync(null));
    }
}
