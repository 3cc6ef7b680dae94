using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace ConvAi.Telephony.Samples.Tests.MediaStreamBridge;

/// <summary>
/// The sample's <c>GET /stats</c> for benchmarks/bridges: absent unless <c>CONVAI_BENCH_STATS=1</c> (it can force a full collection),
/// and with it the counts the load driver reads.
/// </summary>
public class BenchmarkStatsTests
{
    [TestCase(null)]
    [TestCase("0")]
    [TestCase("true")]
    public async Task Stats_IsNotMapped_UnlessTheSwitchIsExactly1(string? value)
    {
        await using var factory = new Factory(value);
        using var response = await factory.CreateClient().GetAsync(new Uri("/stats?gc=1", UriKind.Relative));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
    }

    [TestCase("/stats", false)]
    [TestCase("/stats?gc=1", true)]
    public async Task Stats_WithTheSwitch_AnswersTheCountsAndTheLiveHeapOnlyWhenAskedToCollect(string path, bool liveHeap)
    {
        await using var factory = new Factory("1");
        using var response = await factory.CreateClient().GetAsync(new Uri(path, UriKind.Relative));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/json"));
        var stats = JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
        Assert.Multiple(() =>
        {
            Assert.That(stats.Select(p => p.Key), Is.EquivalentTo(
                new[] { "liveCalls", "sessions", "allocatedBytes", "heapUsed", "gen0", "gen1", "gen2" }.Concat(liveHeap ? ["liveHeap", "totalMemory"] : Array.Empty<string>())));
            Assert.That(stats["liveCalls"]!.GetValue<int>(), Is.Zero);
            Assert.That(stats["sessions"]!.GetValue<long>(), Is.Zero, "this app has opened no agent session");
            Assert.That(stats["allocatedBytes"]!.GetValue<long>(), Is.Positive);
            Assert.That(stats["heapUsed"]!.GetValue<long>(), Is.Positive);
            if (liveHeap)
            {
                Assert.That(stats["liveHeap"]!.GetValue<long>(), Is.Positive);
            }
        });
    }

    private sealed class Factory(string? stats) : WebApplicationFactory<ContextUpdate>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseSetting("ConvAi:ApiKey", "");
            builder.UseSetting("ELEVENLABS_API_KEY", "");
            builder.UseSetting("ConvAi:Twilio:AuthToken", "test-twilio-token");
            builder.UseSetting("CONVAI_BENCH_STATS", stats);
        }
    }
}
