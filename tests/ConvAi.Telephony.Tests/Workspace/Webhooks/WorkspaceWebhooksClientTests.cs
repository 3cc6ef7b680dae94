using System.Net;
using ConvAi.Telephony.Tests.TestSupport;
using RichardSzalay.MockHttp;

namespace ConvAi.Telephony.Tests.Workspace.Webhooks;

/// <summary>
/// <c>/v1/workspace/webhooks</c>. Wire shape pinned from elevenlabs-js 2.56.0 (src/api/resources/webhooks/client/Client.ts,
/// src/serialization/types/WorkspaceWebhookResponseModel.ts, src/serialization/types/WebhookHmacSettings.ts,
/// src/serialization/resources/webhooks/client/requests/BodyUpdateWorkspaceWebhookV1WorkspaceWebhooksWebhookIdPatch.ts) and
/// elevenlabs-python 2.59.0 (src/elevenlabs/webhooks/client.py, src/elevenlabs/types/workspace_webhook_response_model.py,
/// src/elevenlabs/types/workspace_create_webhook_response_model.py). The newer Python SDK adds <c>events</c> to the list item
/// and to the PATCH body; followed here.
/// </summary>
public class WorkspaceWebhooksClientTests : MockedClientTests
{
    private const string Path = "/v1/workspace/webhooks";

    [TestCase(false, "?include_usages=false")]
    [TestCase(true, "?include_usages=true")]
    public async Task ListAsync_SendsIncludeUsagesAndParsesHealth(bool includeUsages, string expectedQuery)
    {
        var captured = new CapturedRequest();
        Fixture.Mock.Expect(HttpMethod.Get, ClientFixture.Url(Path)).Capturing(captured).RespondJson("""
            {"webhooks":[
              {"name":"Post-call","webhook_id":"wh_1","webhook_url":"https://app.example.com/hooks","is_disabled":false,
               "is_auto_disabled":true,"created_at_unix":1795000000,"auth_type":"hmac",
               "usage":[{"usage_type":"ConvAI Settings"}],"events":["agent_qa","brand_new_event"],
               "most_recent_failure_error_code":500,"most_recent_failure_timestamp":1795607000,"retry_enabled":true},
              {"name":"Other","webhook_id":"wh_2","webhook_url":"https://b.example.com","is_disabled":true,
               "is_auto_disabled":false,"created_at_unix":1795000001,"auth_type":"mtls"}]}
            """);

        var webhooks = await Fixture.Client.WorkspaceWebhooks.ListAsync(includeUsages);

        Assert.Multiple(() =>
        {
            Assert.That(captured.Request!.RequestUri!.Query, Is.EqualTo(expectedQuery));
            Assert.That(webhooks, Has.Count.EqualTo(2));
            var first = webhooks[0];
            Assert.That(first.WebhookId, Is.EqualTo("wh_1"));
            Assert.That(first.IsAutoDisabled, Is.True);
            Assert.That(first.AuthType, Is.EqualTo(WebhookAuthType.Hmac));
            Assert.That(first.Usage![0].UsageType, Is.EqualTo("ConvAI Settings"));
            Assert.That(first.Events, Is.EqualTo(new[] { WorkspaceWebhookEventType.AgentQa, new WorkspaceWebhookEventType("brand_new_event") }));
            Assert.That(first.MostRecentFailureErrorCode, Is.EqualTo(500));
            Assert.That(first.MostRecentFailureTimestamp, Is.EqualTo(1795607000));
            Assert.That(first.AdditionalProperties!.ContainsKey("retry_enabled"), Is.True);
            Assert.That(webhooks[1].IsDisabled, Is.True);
            Assert.That(webhooks[1].AuthType, Is.EqualTo(WebhookAuthType.Mtls));
            Assert.That(webhooks[1].MostRecentFailureTimestamp, Is.Null);
        });
    }

    [Test]
    public async Task CreateAsync_WrapsSettingsAndHidesSecretInToString()
    {
        var captured = new CapturedRequest();
        var mocked = Fixture.Mock.Expect(HttpMethod.Post, ClientFixture.Url(Path)).Capturing(captured);
        mocked.RespondJson("""{"webhook_id":"wh_new","webhook_secret":"wsec_abcdef"}""");

        var result = await Fixture.Client.WorkspaceWebhooks.CreateAsync(new CreateWorkspaceWebhookRequest
        {
            Name = "Post-call",
            WebhookUrl = "https://app.example.com/hooks",
            RequestHeaders = new Dictionary<string, string?> { ["X-Env"] = "prod" },
        });

        captured.AssertJsonBody("""
            {"settings":{"name":"Post-call","webhook_url":"https://app.example.com/hooks","auth_type":"hmac","request_headers":{"X-Env":"prod"}}}
            """);
        Assert.Multiple(() =>
        {
            Assert.That(result.WebhookId, Is.EqualTo("wh_new"));
            Assert.That(result.WebhookSecret, Is.EqualTo("wsec_abcdef"));
            Assert.That(result.ToString(), Does.Not.Contain("wsec_abcdef"));
            Assert.That(Fixture.Mock.GetMatchCount(mocked), Is.EqualTo(1));
        });
    }

    [TestCase("", "https://a.example.com", "request.Name")]
    [TestCase("n", "", "request.WebhookUrl")]
    [TestCase("n", "http://a.example.com", "request.WebhookUrl")]
    [TestCase("n", "/relative", "request.WebhookUrl")]
    public void CreateAsync_Invalid_SendsNothing(string name, string url, string param)
    {
        var ex = Assert.ThrowsAsync<ArgumentException>(() => Fixture.Client.WorkspaceWebhooks.CreateAsync(new CreateWorkspaceWebhookRequest { Name = name, WebhookUrl = url }));

        Assert.That(ex!.ParamName, Is.EqualTo(param));
        Fixture.Mock.VerifyNoOutstandingRequest();
    }

    [Test]
    public void CreateAsync_500WithRetriesOn_IsNotRepeated()
    {
        using var fixture = new ClientFixture(o => o.Resilience.MaxRetryAttempts = 3);
        var mocked = fixture.Mock.When(HttpMethod.Post, ClientFixture.Url(Path)).Respond(HttpStatusCode.InternalServerError);

        Assert.ThrowsAsync<ConvAiApiException>(() => fixture.Client.WorkspaceWebhooks.CreateAsync(new CreateWorkspaceWebhookRequest { Name = "n", WebhookUrl = "https://a.example.com" }));

        Assert.That(fixture.Mock.GetMatchCount(mocked), Is.EqualTo(1), "A second create would make a second webhook with a second secret.");
    }

    [Test]
    public async Task UpdateAsync_EnableRetries_PatchesExactBody()
    {
        var captured = new CapturedRequest();
        var mocked = Fixture.Mock.Expect(HttpMethod.Patch, ClientFixture.Url(Path + "/wh_1")).Capturing(captured);
        mocked.RespondJson("""{"status":"ok"}""");

        await Fixture.Client.WorkspaceWebhooks.UpdateAsync("wh_1", new UpdateWorkspaceWebhookRequest
        {
            Name = "Post-call",
            IsDisabled = false,
            RetryEnabled = true,
            Events = [WorkspaceWebhookEventType.AgentQa],
        });

        captured.AssertJsonBody("""{"is_disabled":false,"name":"Post-call","retry_enabled":true,"events":["agent_qa"]}""");
        Assert.That(Fixture.Mock.GetMatchCount(mocked), Is.EqualTo(1));
    }

    [Test]
    public void UpdateAsync_NoName_SendsNothing()
    {
        var ex = Assert.ThrowsAsync<ArgumentException>(() => Fixture.Client.WorkspaceWebhooks.UpdateAsync("wh_1", new UpdateWorkspaceWebhookRequest { RetryEnabled = true }));

        Assert.That(ex!.ParamName, Is.EqualTo("request.Name"));
        Fixture.Mock.VerifyNoOutstandingRequest();
    }

    [Test]
    public async Task DeleteAsync_DeletesById()
    {
        var mocked = Fixture.Mock.Expect(HttpMethod.Delete, ClientFixture.Url(Path + "/wh_1"));
        mocked.RespondJson("""{"status":"ok"}""");

        await Fixture.Client.WorkspaceWebhooks.DeleteAsync("wh_1");

        Assert.That(Fixture.Mock.GetMatchCount(mocked), Is.EqualTo(1));
    }
}
