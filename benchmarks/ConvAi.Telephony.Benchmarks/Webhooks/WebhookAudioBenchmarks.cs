using System.Text.Json;
using BenchmarkDotNet.Attributes;
using ConvAi.Telephony;
using ConvAi.Telephony.AspNetCore;

namespace ConvAi.Telephony.Benchmarks.Webhooks;

/// <summary>
/// Memory to get the MP3 out of a 10 MiB-audio <c>post_call_audio</c> body: the library's chunked decoder against a
/// naive parse (JsonDocument, base64 string, <c>Convert.FromBase64String</c>).
/// </summary>
[MemoryDiagnoser]
public class WebhookAudioBenchmarks
{
    /// <summary>The size of the decoded audio: 10 MiB.</summary>
    public const int AudioBytes = 10 * 1024 * 1024;

    private byte[] _body = [];

    [GlobalSetup]
    public void Setup()
    {
        _body = Payloads.AudioWebhook(AudioBytes);
    }

    [Benchmark(Baseline = true, Description = "naive: JsonDocument + string + FromBase64String")]
    public long Naive()
    {
        using var document = JsonDocument.Parse(_body);
        var base64 = document.RootElement.GetProperty("data").GetProperty("full_audio").GetString()!;
        var audio = Convert.FromBase64String(base64);
        Stream.Null.Write(audio);
        return audio.Length;
    }

    [Benchmark(Description = "PostCallAudioEvent.CopyAudioToAsync")]
    public long Library()
    {
        var webhookEvent = (PostCallAudioEvent)ConvAiWebhookEvent.Parse(_body);
        webhookEvent.CopyAudioToAsync(Stream.Null).GetAwaiter().GetResult();
        return webhookEvent.AudioLength;
    }
}
