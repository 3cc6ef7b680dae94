using System.Net;
using ConvAi.Telephony;
using ConvAi.Telephony.AspNetCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Time.Testing;
using RichardSzalay.MockHttp;

namespace ConvAi.Telephony.AspNetCore.Tests.HealthChecks;

/// <summary>The post-call webhook health check, through the real container with MockHttp as the API.</summary>
public class ConvAiWebhookHealthCheckTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);

    private static IEnumerable<TestCaseData> Cases()
    {
        var recent = Now.AddMinutes(-10).ToUnixTimeSeconds();
        var old = Now.AddHours(-3).ToUnixTimeSeconds();
        yield return new TestCaseData(Webhook("wh_1", false, false, null, null), null, HealthStatus.Healthy, "no recent failures").SetName("Check_NoFailures_Healthy");
        yield return new TestCaseData(Webhook("wh_1", false, false, 500, old), null, HealthStatus.Healthy, "no recent failures").SetName("Check_OldFailure_Healthy");
        yield return new TestCaseData(Webhook("wh_1", false, false, 500, recent), null, HealthStatus.Degraded, "(status 500)").SetName("Check_RecentFailure_Degraded");
        yield return new TestCaseData(Webhook("wh_1", false, true, 500, recent), null, HealthStatus.Unhealthy, "ElevenLabs disabled webhook 'wh_1'").SetName("Check_AutoDisabled_Unhealthy");
        yield return new TestCaseData(Webhook("wh_1", true, false, null, null), null, HealthStatus.Unhealthy, "is disabled").SetName("Check_Disabled_Unhealthy");
        yield return new TestCaseData(Webhook("wh_1", false, true, null, null, usage: "Speech to Text"), null, HealthStatus.Degraded, "No workspace webhook is used by the ConvAI settings").SetName("Check_OnlyOtherProducts_Degraded");
        yield return new TestCaseData(Webhook("wh_1", false, true, null, null, usage: "Speech to Text"), "wh_1", HealthStatus.Unhealthy, "ElevenLabs disabled").SetName("Check_ExplicitId_IgnoresUsage");
        yield return new TestCaseData(Webhook("wh_1", false, false, null, null), "wh_404", HealthStatus.Unhealthy, "does not exist").SetName("Check_ExplicitIdMissing_Unhealthy");
    }

    [TestCaseSource(nameof(Cases))]
    public async Task Check_ReportsWebhookState(string webhookJson, string? webhookId, HealthStatus expected, string description)
    {
        using var mock = new MockHttpMessageHandler();
        var list = mock.Expect(HttpMethod.Get, "https://api.elevenlabs.io/v1/workspace/webhooks").WithExactQueryString("include_usages=true")
            .Respond("application/json", $$"""{"webhooks":[{{webhookJson}}]}""");
        await using var services = Build(mock, o => o.WebhookId = webhookId);

        var report = await services.GetRequiredService<HealthCheckService>().CheckHealthAsync();

        var entry = report.Entries["convai-webhook"];
        Assert.Multiple(() =>
        {
            Assert.That(entry.Status, Is.EqualTo(expected), entry.Description);
            Assert.That(entry.Description, Does.Contain(description));
            Assert.That(mock.GetMatchCount(list), Is.EqualTo(1));
        });
    }

    [Test]
    public async Task Check_ApiFails_DegradedNotUnhealthy()
    {
        using var mock = new MockHttpMessageHandler();
        mock.When("https://api.elevenlabs.io/v1/workspace/webhooks*").Respond(HttpStatusCode.Unauthorized, "application/json", """{"detail":{"status":"invalid_api_key","message":"bad key"}}""");
        await using var services = Build(mock, null);

        var report = await services.GetRequiredService<HealthCheckService>().CheckHealthAsync();

        var entry = report.Entries["convai-webhook"];
        Assert.That(entry.Status, Is.EqualTo(HealthStatus.Degraded));
        Assert.That(entry.Exception, Is.InstanceOf<ConvAiApiException>());
    }

    private static ServiceProvider Build(MockHttpMessageHandler mock, Action<ConvAiWebhookHealthCheckOptions>? configure)
    {
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(new FakeTimeProvider(Now));
        services.AddConvAiTelephony(o =>
        {
            o.ApiKey = "sk_test";
            o.Resilience.MaxRetryAttempts = 0;
        }).HttpClientBuilder.ConfigurePrimaryHttpMessageHandler(() => mock);
        services.AddHealthChecks().AddConvAiWebhookHealthCheck(configure);
        return services.BuildServiceProvider();
    }

    private static string Webhook(string id, bool disabled, bool autoDisabled, int? code, long? failedAt, string usage = "ConvAI Settings")
        => $$"""
            {"name":"n","webhook_id":"{{id}}","webhook_url":"https://a.example.com","is_disabled":{{(disabled ? "true" : "false")}},
             "is_auto_disabled":{{(autoDisabled ? "true" : "false")}},"created_at_unix":1,"auth_type":"hmac","usage":[{"usage_type":"{{usage}}"}],
             "most_recent_failure_error_code":{{(code?.ToString() ?? "null")}},"most_recent_failure_timestamp":{{(failedAt?.ToString() ?? "null")}}}
            """;
}
