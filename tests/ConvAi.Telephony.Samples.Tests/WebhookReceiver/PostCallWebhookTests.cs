using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using ConvAi.Telephony;
using ConvAi.Telephony.AspNetCore;
using Microsoft.Extensions.DependencyInjection;

namespace ConvAi.Telephony.Samples.Tests.WebhookReceiver;

public class PostCallWebhookTests
{
    private const string WebhookPath = "/webhooks/elevenlabs";

    private const string Transcription = """
        {"type":"post_call_transcription","event_timestamp":1772445600,"data":{"agent_id":"agent_1","conversation_id":"conv_1","status":"done",
        "transcript":[{"role":"agent","time_in_call_secs":0,"message":"Hello, how can I help?"},{"role":"user","time_in_call_secs":3,"message":"Just checking."}],
        "metadata":{"start_time_unix_secs":1772445500,"call_duration_secs":42},
        "analysis":{"call_successful":"success","transcript_summary":"Short call."}}}
        """;

    public enum BadSignature
    {
        Missing,
        Malformed,
        WrongSecret,
        OtherBody,
        Stale,
    }

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

    [Test]
    public async Task PostWebhook_SignedTranscription_StoresTheConversation()
    {
        using var response = await PostAsync(Transcription, Sign(Transcription, WebhookReceiverFactory.WebhookSecret, _factory.Time.GetUtcNow()));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var expected = JsonNode.Parse("""
            {"conversation_id":"conv_1","agent_id":"agent_1","status":"done","call_successful":"success","summary":"Short call.",
             "duration_secs":42,
             "transcript":[{"role":"agent","time_in_call_secs":0,"message":"Hello, how can I help?"},{"role":"user","time_in_call_secs":3,"message":"Just checking."}],
             "audio_bytes":null,"failure_reason":null,"processed_count":1,"reconciled":false,"updated_at":"2026-03-02T10:00:00+00:00"}
            """);
        var list = await WaitForConversationsAsync(1);
        Assert.That(JsonNode.DeepEquals(list, new JsonArray(expected!.DeepClone())), Is.True, list!.ToJsonString());
        var one = await GetJsonAsync("/conversations/conv_1");
        Assert.That(JsonNode.DeepEquals(one, expected), Is.True, one!.ToJsonString());
    }

    [Test]
    public async Task GetConversation_Unknown_Returns404()
    {
        using var response = await _client.GetAsync(new Uri("/conversations/conv_unknown", UriKind.Relative));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
    }

    [Test]
    public async Task PostWebhook_SameEventResignedLater_IsHandledOnce()
    {
        var signature = Sign(Transcription, WebhookReceiverFactory.WebhookSecret, _factory.Time.GetUtcNow());
        using var first = await PostAsync(Transcription, signature);
        await WaitForConversationsAsync(1);
        // Were the copy dispatched again, the store would stamp the result with this later time.
        _factory.Time.Advance(TimeSpan.FromMinutes(1));

        using var second = await PostAsync(Transcription, Sign(Transcription, WebhookReceiverFactory.WebhookSecret, _factory.Time.GetUtcNow()));

        Assert.Multiple(() =>
        {
            Assert.That(first.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(second.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        });
        var list = (await GetJsonAsync("/conversations"))!.AsArray();
        Assert.That(list, Has.Count.EqualTo(1));
        Assert.That(list[0]!["updated_at"]!.GetValue<string>(), Is.EqualTo("2026-03-02T10:00:00+00:00"));
        Assert.That(list[0]!["processed_count"]!.GetValue<int>(), Is.EqualTo(1));
    }

    [Test]
    public async Task PostWebhook_ThenRestart_ResultSurvivesInSqlite()
    {
        var before = new WebhookReceiverFactory { KeepDatabase = true };
        using (var client = before.CreateClient())
        {
            using var content = new ByteArrayContent(Encoding.UTF8.GetBytes(Transcription));
            content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            content.Headers.Add(ConvAiWebhookSignature.HeaderName, Sign(Transcription, WebhookReceiverFactory.WebhookSecret, before.Time.GetUtcNow()));
            using var response = await client.PostAsync(new Uri(WebhookPath, UriKind.Relative), content);
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            var store = before.Services.GetRequiredService<IConvAiWebhookDeliveryStore>();
            for (var i = 0; i < 1000 && !await store.IsProcessedAsync(ProcessedKey); i++)
            {
                await Task.Delay(10);
            }
        }

        await before.DisposeAsync();
        await using var after = new WebhookReceiverFactory { DatabasePath = before.DatabasePath };
        using var restarted = after.CreateClient();

        var list = JsonNode.Parse(await restarted.GetStringAsync(new Uri("/conversations", UriKind.Relative)))!.AsArray();
        var restartedStore = after.Services.GetRequiredService<IConvAiWebhookDeliveryStore>();

        Assert.Multiple(async () =>
        {
            Assert.That(list.Select(r => (r!["conversation_id"]!.GetValue<string>(), r["status"]!.GetValue<string>(), r["processed_count"]!.GetValue<int>())),
                Is.EqualTo(new[] { ("conv_1", "done", 1) }));
            Assert.That(restartedStore.GetType().Name, Is.EqualTo("SqliteWebhookDeliveryStore"), "the sample keeps webhooks in SQLite by default");
            Assert.That(await restartedStore.IsProcessedAsync(ProcessedKey), Is.True, "the processed mark survived the restart, in the results' file");
        });
    }

    private const string ProcessedKey = "convai:webhook:post_call_transcription:conv_1";

    [TestCase(BadSignature.Missing)]
    [TestCase(BadSignature.Malformed)]
    [TestCase(BadSignature.WrongSecret)]
    [TestCase(BadSignature.OtherBody)]
    [TestCase(BadSignature.Stale)]
    public async Task PostWebhook_BadSignature_Returns401AndStoresNothing(BadSignature kind)
    {
        var now = _factory.Time.GetUtcNow();
        var signature = kind switch
        {
            BadSignature.Missing => null,
            BadSignature.Malformed => "v0=" + new string('0', 64),
            BadSignature.WrongSecret => Sign(Transcription, "another-secret", now),
            BadSignature.OtherBody => Sign(Transcription.Replace("conv_1", "conv_2", StringComparison.Ordinal), WebhookReceiverFactory.WebhookSecret, now),
            BadSignature.Stale => Sign(Transcription, WebhookReceiverFactory.WebhookSecret, now - TimeSpan.FromMinutes(31)),
            _ => throw new ArgumentOutOfRangeException(nameof(kind)),
        };

        using var response = await PostAsync(Transcription, signature);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That((await GetJsonAsync("/conversations"))!.AsArray(), Is.Empty);
    }

    private static string Sign(string body, string secret, DateTimeOffset timestamp) =>
        ConvAiWebhookSignature.CreateHeader(secret, Encoding.UTF8.GetBytes(body), timestamp);

    private async Task<HttpResponseMessage> PostAsync(string body, string? signature)
    {
        using var content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        if (signature is not null)
        {
            content.Headers.Add(ConvAiWebhookSignature.HeaderName, signature);
        }

        return await _client.PostAsync(new Uri(WebhookPath, UriKind.Relative), content);
    }

    /// <summary>Queued mode stores in the background: polls (up to 10 s) until <paramref name="count"/> results are listed.</summary>
    private async Task<JsonNode?> WaitForConversationsAsync(int count)
    {
        for (var i = 0; ; i++)
        {
            var list = await GetJsonAsync("/conversations");
            if (list!.AsArray().Count >= count || i == 1000)
            {
                return list;
            }

            await Task.Delay(10);
        }
    }

    private async Task<JsonNode?> GetJsonAsync(string path)
    {
        using var response = await _client.GetAsync(new Uri(path, UriKind.Relative));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), path);
        return JsonNode.Parse(await response.Content.ReadAsStringAsync());
    }
}
