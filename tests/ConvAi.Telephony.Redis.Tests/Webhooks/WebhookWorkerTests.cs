using System.Diagnostics;
using System.Text.Json;
using ConvAi.Telephony.Shared;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace ConvAi.Telephony.Redis.Tests.Webhooks;

/// <summary>
/// The pipeline needs no ASP.NET Core: samples/WebhookWorker (a plain generic host, no ASP.NET Core framework
/// reference) drains the Redis inbox that a receiver in Queued mode filled, as a child process of its own.
/// </summary>
[NonParallelizable]
public class WebhookWorkerTests
{
    private static string WorkerDirectory() => SampleOutput.Directory("WebhookWorker");

    [Test]
    public void WebhookWorker_RunsOnTheBaseRuntimeOnly()
    {
        var runtimeConfig = Path.Combine(WorkerDirectory(), "WebhookWorker.runtimeconfig.json");
        Assert.That(File.Exists(runtimeConfig), Is.True, $"build the solution first: {runtimeConfig} is missing");
        using var json = JsonDocument.Parse(File.ReadAllText(runtimeConfig));
        var options = json.RootElement.GetProperty("runtimeOptions");
        var frameworks = options.TryGetProperty("frameworks", out var list)
            ? list.EnumerateArray().Select(f => f.GetProperty("name").GetString()).ToArray()
            : [options.GetProperty("framework").GetProperty("name").GetString()];

        Assert.Multiple(() =>
        {
            Assert.That(frameworks, Is.EqualTo(new[] { "Microsoft.NETCore.App" }), "no ASP.NET Core shared framework");
            Assert.That(Directory.GetFiles(WorkerDirectory(), "Microsoft.AspNetCore*.dll"), Is.Empty);
        });
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task QueuedDeliveries_DrainedByAWorkerWithoutAspNetCore(CancellationToken cancellationToken)
    {
        await using var redis = await RedisServer.StartAsync();
        var prefix = $"worker:{Guid.NewGuid():N}:";

        // The receiving side, also without ASP.NET Core: the core receiver in Queued mode appends to the Redis inbox.
        var settings = new Dictionary<string, string?>
        {
            ["ConvAi:Webhooks:Secret"] = WebhookFixtures.Secret,
            ["ConvAi:Webhooks:Delivery:Mode"] = "Queued",
            ["ConvAi:Webhooks:Redis:Configuration"] = redis.Configuration,
            ["ConvAi:Webhooks:Redis:KeyPrefix"] = prefix,
        };
        var services = new ServiceCollection()
            .AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(settings).Build())
            .AddSingleton(TimeProvider.System)
            .AddLogging();
        services.AddConvAiWebhooks().UseRedis();
        await using var provider = services.BuildServiceProvider();
        var receiver = provider.GetRequiredService<ConvAiWebhookReceiver>();
        var ids = new[] { "worker-1", "worker-2", "worker-3" };
        foreach (var id in ids)
        {
            var body = WebhookFixtures.Utf8(System.Text.Encoding.UTF8.GetString(WebhookFixtures.Load("post_call_transcription.json"))
                .Replace("\"conversation_id\":\"abc\"", $"\"conversation_id\":\"{id}\"", StringComparison.Ordinal));
            using var receipt = await receiver.ProcessAsync(new MemoryStream(body), WebhookFixtures.Sign(body, at: DateTimeOffset.UtcNow), cancellationToken: cancellationToken);
            Assert.That(receipt.Status, Is.EqualTo(ConvAiWebhookReceiptStatus.Queued));
        }

        var start = new ProcessStartInfo("dotnet") { ArgumentList = { Path.Combine(WorkerDirectory(), "WebhookWorker.dll") } };
        start.Environment["WEBHOOK_SECRET"] = WebhookFixtures.Secret;
        start.Environment["ConvAi__Webhooks__Redis__Configuration"] = redis.Configuration;
        start.Environment["ConvAi__Webhooks__Redis__KeyPrefix"] = prefix;
        start.Environment["DOTNET_ENVIRONMENT"] = "Production";
        start.RedirectStandardOutput = true;
        start.UseShellExecute = false;
        using var worker = Process.Start(start)!;
        var processed = new List<string>();
        try
        {
            while (processed.Count < ids.Length && await worker.StandardOutput.ReadLineAsync(cancellationToken) is { } line)
            {
                if (line.StartsWith("processed post_call_transcription ", StringComparison.Ordinal))
                {
                    processed.Add(line.Split(' ')[2]);
                }
            }
        }
        finally
        {
            worker.Kill(entireProcessTree: true);
            await worker.WaitForExitAsync(CancellationToken.None);
        }

        Assert.That(processed, Is.EquivalentTo(ids));
    }
}
