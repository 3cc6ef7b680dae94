using System.Text;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using ConvAi.Telephony.AspNetCore;

namespace ConvAi.Telephony.Benchmarks.Webhooks;

/// <summary>
/// Memory to get the MP3 out of a 5 MB-audio <c>post_call_audio</c> body: the library's chunked decoder against a
/// naive parse (JsonDocument, base64 string, <c>Convert.FromBase64String</c>).
/// </summary>
[MemoryDiagnoser]
public class WebhookAudioBenchmarks
{
    private byte[] _body = [];

    [GlobalSetup]
    public void Setup()
    {
        var audio = new byte[5 * 1024 * 1024];
        new Random(1).NextBytes(audio);
        _body = Encoding.UTF8.GetBytes($$$"""{"type":"post_call_audio","event_timestamp":1739537297,"data":{"agent_id":"xyz","conversation_id":"abc","full_audio":"{{{Convert.ToBase64String(audio)}}}"}}""");
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
