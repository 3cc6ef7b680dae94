using ConvAi.Telephony.Tests.TestSupport;
using RichardSzalay.MockHttp;

namespace ConvAi.Telephony.Tests.Conversations;

/// <summary>
/// <c>GET /v1/convai/analytics/live-count</c>. Wire shape pinned from elevenlabs-js 2.56.0 (src/api/types/GetLiveCountResponse.ts,
/// .../analytics/resources/liveCount/client/requests/LiveCountGetRequest.ts) and elevenlabs-python 2.59.0
/// (src/elevenlabs/conversational_ai/analytics/live_count/raw_client.py); they agree.
/// </summary>
public class LiveCountTests
{
    [TestCase(null, "")]
    [TestCase(" ", "")]
    [TestCase("agent_7", "?agent_id=agent_7")]
    public async Task GetLiveCountAsync_SendsAgentFilterOnlyWhenSet(string? agentId, string expectedQuery)
    {
        using var fixture = new ClientFixture();
        var captured = new CapturedRequest();
        var mocked = fixture.Mock.Expect(HttpMethod.Get, ClientFixture.Url("/v1/convai/analytics/live-count")).Capturing(captured);
        mocked.RespondJson("""{"count":7,"by_channel":{}}""");

        var count = await fixture.Client.Conversations.GetLiveCountAsync(agentId);

        Assert.Multiple(() =>
        {
            Assert.That(count, Is.EqualTo(7));
            Assert.That(captured.Request!.RequestUri!.Query, Is.EqualTo(expectedQuery));
            Assert.That(fixture.Mock.GetMatchCount(mocked), Is.EqualTo(1));
        });
    }
}
