using System.Net;
using System.Text;
using ConvAi.Telephony;
using ConvAi.Telephony.AspNetCore;
using Microsoft.Extensions.DependencyInjection;

namespace ConvAi.Telephony.AspNetCore.Tests.Webhooks;

/// <summary>One status matrix run through every surface: the mapped endpoint and each way of marking the app's own endpoint (no middleware).</summary>
[TestFixtureSource(nameof(Surfaces))]
public class WebhookStatusMatrixTests(WebhookSurface surface)
{
    private const long Limit = 64 * 1024;

    private static readonly WebhookSurface[] Surfaces = Enum.GetValues<WebhookSurface>();

    private WebhookTestHost _host = null!;

    /// <summary>A delivery: body, header and content type, and what the app must answer.</summary>
    public sealed record Delivery(string Name, Func<byte[]> Body, Func<byte[], string?> Signature, string? ContentType, HttpStatusCode Expected, int Dispatched, bool Chunked = false)
    {
        public override string ToString() => Name;
    }

    private static readonly string Transcription = "post_call_transcription.json";

    private static IEnumerable<Delivery> Deliveries()
    {
        static Func<byte[]> Fixture(string name) => () => WebhookFixtures.Load(name);
        static Func<byte[]> Json(string json) => () => Encoding.UTF8.GetBytes(json);
        static string Signed(byte[] body) => WebhookFixtures.Sign(body);

        yield return new("transcription", Fixture(Transcription), Signed, "application/json", HttpStatusCode.OK, 1);
        yield return new("audio", Fixture("post_call_audio.json"), Signed, "application/json", HttpStatusCode.OK, 1);
        yield return new("sip failure", Fixture("call_initiation_failure_sip.json"), Signed, "application/json", HttpStatusCode.OK, 1);
        yield return new("twilio failure", Fixture("call_initiation_failure_twilio.json"), Signed, "application/json", HttpStatusCode.OK, 1);
        yield return new("unknown type", Fixture("unknown_type.json"), Signed, "application/json", HttpStatusCode.OK, 1);
        yield return new("charset parameter", Fixture(Transcription), Signed, "application/json; charset=utf-8", HttpStatusCode.OK, 1);
        yield return new("+json suffix", Fixture(Transcription), Signed, "application/vnd.elevenlabs+json", HttpStatusCode.OK, 1);
        yield return new("chunked body in 7-byte pieces", Fixture(Transcription), Signed, "application/json", HttpStatusCode.OK, 1, Chunked: true);
        yield return new("missing signature", Fixture(Transcription), _ => null, "application/json", HttpStatusCode.Unauthorized, 0);
        yield return new("empty signature", Fixture(Transcription), _ => "", "application/json", HttpStatusCode.Unauthorized, 0);
        yield return new("malformed signature", Fixture(Transcription), _ => "v0=abc", "application/json", HttpStatusCode.Unauthorized, 0);
        yield return new("stale signature", Fixture(Transcription), body => WebhookFixtures.Sign(body, at: WebhookFixtures.Now.AddMinutes(-31)), "application/json", HttpStatusCode.Unauthorized, 0);
        yield return new("future signature", Fixture(Transcription), body => WebhookFixtures.Sign(body, at: WebhookFixtures.Now.AddMinutes(6)), "application/json", HttpStatusCode.Unauthorized, 0);
        yield return new("wrong secret", Fixture(Transcription), body => WebhookFixtures.Sign(body, "whsec_wrong"), "application/json", HttpStatusCode.Unauthorized, 0);
        yield return new("tampered body", Fixture(Transcription), body => WebhookFixtures.Sign([.. body, (byte)' ']), "application/json", HttpStatusCode.Unauthorized, 0);
        yield return new("signed invalid JSON", Json("{\"type\":"), Signed, "application/json", HttpStatusCode.BadRequest, 0);
        yield return new("signed envelope without type", Json("""{"data":{}}"""), Signed, "application/json", HttpStatusCode.BadRequest, 0);
        yield return new("signed transcription without data", Json("""{"type":"post_call_transcription"}"""), Signed, "application/json", HttpStatusCode.BadRequest, 0);
        yield return new("signed audio with bad base64", Json("""{"type":"post_call_audio","data":{"full_audio":"%%%%"}}"""), Signed, "application/json", HttpStatusCode.BadRequest, 0);
        yield return new("signed empty body", () => [], Signed, "application/json", HttpStatusCode.BadRequest, 0);
        yield return new("text/plain", Fixture(Transcription), Signed, "text/plain", HttpStatusCode.UnsupportedMediaType, 0);
        yield return new("form content", Fixture(Transcription), Signed, "application/x-www-form-urlencoded", HttpStatusCode.UnsupportedMediaType, 0);
        yield return new("no content type", Fixture(Transcription), Signed, null, HttpStatusCode.UnsupportedMediaType, 0);
        yield return new("over the limit with Content-Length", () => WebhookFixtures.AudioBody(new byte[Limit]), Signed, "application/json", HttpStatusCode.RequestEntityTooLarge, 0);
        yield return new("over the limit chunked", () => WebhookFixtures.AudioBody(new byte[Limit]), Signed, "application/json", HttpStatusCode.RequestEntityTooLarge, 0, Chunked: true);
        yield return new("just under the limit", () => WebhookFixtures.AudioBody(new byte[(Limit / 4 * 3) - 300]), Signed, "application/json", HttpStatusCode.OK, 1);
    }

    [SetUp]
    public async Task SetUp() => _host = await WebhookTestHost.StartAsync(surface, options => options.Verification.MaxRequestBodySize = Limit);

    [TearDown]
    public async Task TearDown() => await _host.DisposeAsync();

    [TestCaseSource(nameof(Deliveries))]
    public async Task Post_Delivery_AnswersStatusAndDispatches(Delivery delivery)
    {
        var body = delivery.Body();

        var status = await _host.PostAsync(body, delivery.Signature(body), delivery.ContentType, delivery.Chunked, chunkSize: 7);

        Assert.Multiple(() =>
        {
            Assert.That(status, Is.EqualTo(delivery.Expected));
            Assert.That(_host.Recorder.Events, Has.Count.EqualTo(delivery.Dispatched));
            Assert.That(_host.Recorder.Reached, Is.EqualTo(delivery.Dispatched), "the app's code runs only for an accepted delivery");
        });
        if (surface is WebhookSurface.TypedEndpoint or WebhookSurface.MarkedControllers && delivery.Dispatched == 1)
        {
            var type = System.Text.Json.JsonDocument.Parse(body).RootElement.GetProperty("type").GetString();
            Assert.That(_host.Recorder.BoundTypes, Is.EqualTo(new[] { type }), "the typed parameter bound the verified bytes");
        }
    }

    [Test]
    public async Task Get_AnySurface_MethodNotAllowed()
    {
        using var response = await _host.Client.GetAsync(_host.Path);

        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.MethodNotAllowed));
            Assert.That(_host.Recorder.Events, Is.Empty);
        });
    }

    [Test]
    public async Task Post_SameDeliveryTwice_SecondAcknowledgedNotDispatched()
    {
        var body = WebhookFixtures.Load(Transcription);
        var signature = WebhookFixtures.Sign(body);

        var first = await _host.PostAsync(body, signature);
        var second = await _host.PostAsync(body, signature);

        Assert.Multiple(() =>
        {
            Assert.That(first, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(second, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(_host.Recorder.Events, Has.Count.EqualTo(1));
        });
    }

    [Test]
    public async Task Post_SameEventSignedAgainLater_DispatchedOnce()
    {
        var body = WebhookFixtures.Load(Transcription);

        var first = await _host.PostAsync(body, WebhookFixtures.Sign(body));
        _host.Time.Advance(TimeSpan.FromSeconds(60));
        var resigned = await _host.PostAsync(body, WebhookFixtures.Sign(body, at: WebhookFixtures.Now.AddSeconds(60)));

        Assert.Multiple(() =>
        {
            Assert.That(first, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(resigned, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(_host.Recorder.Events, Has.Count.EqualTo(1));
        });
    }

    [Test]
    public async Task Post_ReplayAfterToleranceWindow_RejectedAsStale()
    {
        var body = WebhookFixtures.Load(Transcription);
        var signature = WebhookFixtures.Sign(body);
        await _host.PostAsync(body, signature);

        _host.Time.Advance(TimeSpan.FromMinutes(31));
        var replay = await _host.PostAsync(body, signature);

        Assert.Multiple(() =>
        {
            Assert.That(replay, Is.EqualTo(HttpStatusCode.Unauthorized));
            Assert.That(_host.Recorder.Events, Has.Count.EqualTo(1));
        });
    }

    [Test]
    public async Task Post_HandlerFails_DeliveryKeptAnswered200AndProcessedOnce()
    {
        var body = WebhookFixtures.Load(Transcription);
        var signature = WebhookFixtures.Sign(body);
        _host.Recorder.FailuresToThrow = 1;

        // The mapped endpoint queues the failed delivery (its inbox retries it at once); a marked endpoint is its own
        // handler, so the delivery becomes a dead letter that an operator re-drives to the registered handler.
        var failed = await _host.PostAsync(body, signature);
        var inbox = _host.Services.GetRequiredService<IConvAiWebhookInbox>();
        if (surface != WebhookSurface.Endpoint)
        {
            var deadLetter = (await inbox.ListDeadLettersAsync()).Single();
            Assert.That(deadLetter.Delivery.Attempts, Is.EqualTo(1));
            Assert.That(deadLetter.Delivery.LastFailure, Is.EqualTo(typeof(InvalidOperationException).FullName));
            Assert.That(deadLetter.Delivery.Body.ToArray(), Is.EqualTo(body));
            Assert.That(await inbox.RedriveAsync(deadLetter.Id), Is.True);
        }

        await _host.WaitForEventsAsync(1);
        var redelivered = await _host.PostAsync(body, signature);

        Assert.Multiple(async () =>
        {
            Assert.That(failed, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(redelivered, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(_host.Recorder.Events, Has.Count.EqualTo(1));
            Assert.That(await inbox.ListDeadLettersAsync(), Is.Empty);
        });
    }

    [Test]
    public async Task Post_InboxRefusesFailedDelivery_Answers500AndReleasesClaim()
    {
        await using var host = await WebhookTestHost.StartAsync(surface, options => options.Delivery.Mode = ConvAiWebhookMode.Inline,
            services: services => services.AddSingleton<IConvAiWebhookInbox, RefusingWebhookInbox>());
        var body = WebhookFixtures.Load(Transcription);
        var signature = WebhookFixtures.Sign(body);
        host.Recorder.FailuresToThrow = 1;

        var failed = await host.PostAsync(body, signature);
        var retried = await host.PostAsync(body, signature);

        Assert.Multiple(() =>
        {
            Assert.That(failed, Is.EqualTo(HttpStatusCode.InternalServerError));
            Assert.That(retried, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(host.Recorder.Events, Has.Count.EqualTo(1), "the sender's retry was processed");
        });
    }

    [Test]
    public async Task Post_SameDeliveryConcurrently_DispatchedOnce()
    {
        var body = WebhookFixtures.Load(Transcription);
        var signature = WebhookFixtures.Sign(body);

        var statuses = await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => Task.Run(() => _host.PostAsync(body, signature))));

        Assert.Multiple(() =>
        {
            Assert.That(statuses, Is.All.EqualTo(HttpStatusCode.OK));
            Assert.That(_host.Recorder.Events, Has.Count.EqualTo(1));
        });
    }

    [Test]
    public async Task Post_DistinctDeliveriesConcurrently_AllDispatched()
    {
        var bodies = Enumerable.Range(0, 24)
            .Select(i => Encoding.UTF8.GetBytes($$$"""{"type":"post_call_audio","event_timestamp":1739537297,"data":{"conversation_id":"conv-{{{i}}}","full_audio":"QUJD"}}"""))
            .ToArray();

        var statuses = await Task.WhenAll(bodies.Select(body => Task.Run(() => _host.PostAsync(body, WebhookFixtures.Sign(body)))));

        Assert.Multiple(() =>
        {
            Assert.That(statuses, Is.All.EqualTo(HttpStatusCode.OK));
            Assert.That(_host.Recorder.Events.Select(e => e.ConversationId), Is.EquivalentTo(Enumerable.Range(0, 24).Select(i => $"conv-{i}")));
        });
    }

    [Test]
    public async Task Post_RotatedSecret_BothSecretsAccepted()
    {
        await using var host = await WebhookTestHost.StartAsync(surface, options => options.Secrets.Add(WebhookFixtures.OtherSecret));
        var oldBody = WebhookFixtures.Load(Transcription);
        var newBody = WebhookFixtures.Load("call_initiation_failure_sip.json");

        var oldStatus = await host.PostAsync(oldBody, WebhookFixtures.Sign(oldBody, WebhookFixtures.Secret));
        var newStatus = await host.PostAsync(newBody, WebhookFixtures.Sign(newBody, WebhookFixtures.OtherSecret));
        var wrongStatus = await host.PostAsync(newBody, WebhookFixtures.Sign(newBody, "whsec_retired"));

        Assert.Multiple(() =>
        {
            Assert.That(oldStatus, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(newStatus, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(wrongStatus, Is.EqualTo(HttpStatusCode.Unauthorized));
            Assert.That(host.Recorder.Events, Has.Count.EqualTo(2));
        });
    }

    [TestCase(false, HttpStatusCode.OK, TestName = "Post_AllowlistOff_AnyAddressAccepted")]
    [TestCase(true, HttpStatusCode.Forbidden, TestName = "Post_AllowlistOnAddressNotListed_Forbidden")]
    public async Task Post_SourceIpAllowlist(bool enabled, HttpStatusCode expected)
    {
        // TestServer connections have no remote address; an address that is not listed is treated alike.
        await using var host = await WebhookTestHost.StartAsync(surface, options => options.Verification.EnableSourceIpAllowlist = enabled);
        var body = WebhookFixtures.Load(Transcription);

        var status = await host.PostAsync(body, WebhookFixtures.Sign(body));

        Assert.Multiple(() =>
        {
            Assert.That(status, Is.EqualTo(expected));
            Assert.That(host.Recorder.Events, Has.Count.EqualTo(expected == HttpStatusCode.OK ? 1 : 0));
        });
    }

    [Test]
    public async Task Post_LogsOfWholeMatrix_NeverContainSecretSignatureOrTranscript()
    {
        var signatures = new List<string>();
        foreach (var delivery in Deliveries())
        {
            var body = delivery.Body();
            var signature = delivery.Signature(body);
            if (signature is not null)
            {
                signatures.Add(signature);
            }

            await _host.PostAsync(body, signature, delivery.ContentType, delivery.Chunked);
        }

        _host.Recorder.FailuresToThrow = 1;
        // Another conversation than the fixture's, which the matrix already processed.
        var failing = WebhookFixtures.Utf8(Encoding.UTF8.GetString(WebhookFixtures.Load(Transcription)).Replace("\"conversation_id\":\"abc\"", "\"conversation_id\":\"abc-2\"", StringComparison.Ordinal));
        await _host.PostAsync(failing, WebhookFixtures.Sign(failing, at: WebhookFixtures.Now.AddSeconds(1)));

        var records = _host.Logs.GetSnapshot();
        var text = string.Join("\n", records.Select(r => $"{r.Message} {r.Exception}"));
        var digests = signatures.Select(s => s.Split("v0=").Last()).Where(d => d.Length >= 16);
        Assert.Multiple(() =>
        {
            Assert.That(records.Any(r => r.Id.Id == 4001), Is.True, "rejections are logged");
            Assert.That(records.Any(r => r.Id.Id is 4005 or 4007 or 4020 && r.Message.Contains("abc-2", StringComparison.Ordinal)), Is.True, "handler failures are logged with the conversation id");
            Assert.That(text, Does.Not.Contain(WebhookFixtures.Secret));
            Assert.That(text, Does.Not.Contain("Hey there angelo"));
            Assert.That(text, Does.Not.Contain("weather"));
            Assert.That(text, Does.Not.Contain("storage is down"), "the handler's exception message is not logged");
            foreach (var digest in digests)
            {
                Assert.That(text, Does.Not.Contain(digest));
            }
        });
    }
}
