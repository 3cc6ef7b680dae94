using System.Net;
using System.Net.Sockets;
using ConvAi.Telephony;
using ConvAi.Telephony.AspNetCore;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.DependencyInjection;

namespace ConvAi.Telephony.AspNetCore.Tests.Webhooks;

/// <summary>The same receiver on a real Kestrel server on 127.0.0.1 (port 0): real chunked transfer, real limits, real addresses.</summary>
[TestFixtureSource(nameof(Surfaces))]
public class WebhookKestrelTests(WebhookSurface surface)
{
    private static readonly WebhookSurface[] Surfaces = [WebhookSurface.Endpoint, WebhookSurface.MarkedEndpoint, WebhookSurface.TypedEndpoint];

    [TestCase(false, TestName = "Post_TwentyMegabyteAudioWithContentLength_DecodedBytesMatch")]
    [TestCase(true, TestName = "Post_TwentyMegabyteAudioChunked_DecodedBytesMatch")]
    public async Task Post_TwentyMegabyteAudio_DecodedBytesMatch(bool chunked)
    {
        await using var host = await WebhookTestHost.StartAsync(surface, kestrel: true);
        var audio = WebhookFixtures.RandomBytes(20 * 1024 * 1024, seed: 20);
        var body = WebhookFixtures.AudioBody(audio);

        var status = await host.PostAsync(body, WebhookFixtures.Sign(body), chunked: chunked, chunkSize: 64 * 1024);

        Assert.Multiple(() =>
        {
            Assert.That(body.Length, Is.GreaterThan(27_000_000), "the base64 body of 20 MB audio is about 26.7 MiB, near Kestrel's own 30 MB default");
            Assert.That(status, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(host.Recorder.Audio, Has.Count.EqualTo(1));
            Assert.That(host.Recorder.Audio.Single(), Is.EqualTo(audio));
        });
    }

    [Test]
    public async Task Post_BodyOverKestrelDefaultUnderOurLimit_Accepted()
    {
        // Kestrel rejects bodies over 30,000,000 bytes by default; the receiver raises the limit to its own (40 MiB).
        await using var host = await WebhookTestHost.StartAsync(surface, kestrel: true);
        var audio = WebhookFixtures.RandomBytes(23 * 1024 * 1024, seed: 23);
        var body = WebhookFixtures.AudioBody(audio);

        var status = await host.PostAsync(body, WebhookFixtures.Sign(body), chunked: true, chunkSize: 256 * 1024);

        Assert.Multiple(() =>
        {
            Assert.That(body.Length, Is.GreaterThan(30_000_000));
            Assert.That(status, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(host.Recorder.Audio.Single(), Is.EqualTo(audio));
        });
    }

    [Test]
    public async Task Post_BodyInThousandsOfTinyChunks_Accepted()
    {
        await using var host = await WebhookTestHost.StartAsync(surface, kestrel: true);
        var body = WebhookFixtures.Load("post_call_transcription.json");

        var status = await host.PostAsync(body, WebhookFixtures.Sign(body), chunked: true, chunkSize: 1);

        Assert.Multiple(() =>
        {
            Assert.That(body.Length, Is.GreaterThan(1000));
            Assert.That(status, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(host.Recorder.Events.Single().ConversationId, Is.EqualTo("abc"));
        });
    }

    [TestCase(false, TestName = "Post_OverLimitWithContentLength_413")]
    [TestCase(true, TestName = "Post_OverLimitChunked_413")]
    public async Task Post_OverLimit_413(bool chunked)
    {
        await using var host = await WebhookTestHost.StartAsync(surface, options => options.Verification.MaxRequestBodySize = 256 * 1024, kestrel: true);
        var body = WebhookFixtures.AudioBody(new byte[300 * 1024]);

        var status = await host.PostAsync(body, WebhookFixtures.Sign(body), chunked: chunked, chunkSize: 16 * 1024);

        Assert.Multiple(() =>
        {
            Assert.That(status, Is.EqualTo(HttpStatusCode.RequestEntityTooLarge));
            Assert.That(host.Recorder.Events, Is.Empty);
        });
    }

    [Test]
    public async Task Post_EndpointSizeLimitMetadata_OverridesOptions()
    {
        await using var host = await WebhookTestHost.StartAsync(
            surface,
            kestrel: true,
            endpoint: builder => builder.WithMetadata(new Microsoft.AspNetCore.Mvc.RequestSizeLimitAttribute(1024)));
        var small = WebhookFixtures.Load("call_initiation_failure_sip.json");
        var large = WebhookFixtures.AudioBody(new byte[2048]);

        var smallStatus = await host.PostAsync(small, WebhookFixtures.Sign(small));
        var largeStatus = await host.PostAsync(large, WebhookFixtures.Sign(large), chunked: true);

        Assert.Multiple(() =>
        {
            Assert.That(smallStatus, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(largeStatus, Is.EqualTo(HttpStatusCode.RequestEntityTooLarge));
        });
    }

    [Test]
    public async Task Post_SameDeliveryConcurrently_DispatchedOnce()
    {
        await using var host = await WebhookTestHost.StartAsync(surface, kestrel: true);
        var body = WebhookFixtures.Load("post_call_transcription.json");
        var signature = WebhookFixtures.Sign(body);

        var statuses = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => Task.Run(() => host.PostAsync(body, signature))));

        Assert.Multiple(() =>
        {
            Assert.That(statuses, Is.All.EqualTo(HttpStatusCode.OK));
            Assert.That(host.Recorder.Events, Has.Count.EqualTo(1));
        });
    }

    [TestCase(new string[0], null, HttpStatusCode.Forbidden, TestName = "Post_AllowlistPublishedRangesFromLoopback_Forbidden")]
    [TestCase(new[] { "127.0.0.1" }, null, HttpStatusCode.OK, TestName = "Post_AllowlistContainsLoopback_Accepted")]
    [TestCase(new[] { "127.0.0.0/8" }, null, HttpStatusCode.OK, TestName = "Post_AllowlistCidrContainsLoopback_Accepted")]
    [TestCase(new string[0], "34.67.146.145", HttpStatusCode.Forbidden, TestName = "Post_ForwardedHeaderWithoutForwardedHeadersMiddleware_Ignored")]
    public async Task Post_SourceIpAllowlist(string[] allowed, string? forwardedFor, HttpStatusCode expected)
    {
        await using var host = await WebhookTestHost.StartAsync(
            surface,
            options =>
            {
                options.Verification.EnableSourceIpAllowlist = true;
                foreach (var entry in allowed)
                {
                    options.Verification.AllowedSourceIps.Add(entry);
                }
            },
            kestrel: true);
        var body = WebhookFixtures.Load("post_call_transcription.json");
        host.Client.DefaultRequestHeaders.Remove("X-Forwarded-For");
        if (forwardedFor is not null)
        {
            host.Client.DefaultRequestHeaders.Add("X-Forwarded-For", forwardedFor);
        }

        var status = await host.PostAsync(body, WebhookFixtures.Sign(body));

        Assert.That(status, Is.EqualTo(expected));
    }

    [TestCase("34.67.146.145", HttpStatusCode.OK, TestName = "Post_ForwardedFromPublishedAddressThroughTrustedProxy_Accepted")]
    [TestCase("203.0.113.9", HttpStatusCode.Forbidden, TestName = "Post_ForwardedFromOtherAddressThroughTrustedProxy_Forbidden")]
    public async Task Post_ForwardedHeadersEnabled_UsesForwardedAddress(string forwardedFor, HttpStatusCode expected)
    {
        await using var host = await WebhookTestHost.StartAsync(
            surface,
            options => options.Verification.EnableSourceIpAllowlist = true,
            kestrel: true,
            services: services => services.Configure<ForwardedHeadersOptions>(options =>
            {
                options.ForwardedHeaders = ForwardedHeaders.XForwardedFor;
                options.KnownProxies.Add(IPAddress.Loopback);
            }),
            forwardedHeaders: true);
        var body = WebhookFixtures.Load("post_call_transcription.json");
        host.Client.DefaultRequestHeaders.Add("X-Forwarded-For", forwardedFor);

        var status = await host.PostAsync(body, WebhookFixtures.Sign(body));

        Assert.That(status, Is.EqualTo(expected));
    }
}
