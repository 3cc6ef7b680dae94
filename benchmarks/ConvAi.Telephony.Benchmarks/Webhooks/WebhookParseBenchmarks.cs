using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using BenchmarkDotNet.Attributes;
using ConvAi.Telephony;
using ConvAi.Telephony.AspNetCore;

namespace ConvAi.Telephony.Benchmarks.Webhooks;

/// <summary>
/// Verify and parse a 7.5 KB <c>post_call_transcription</c> into a typed event: the library (span verifier, then
/// source-generated parse of the bytes) against naive code that turns the body into a string, verifies with the
/// documented algorithm and deserializes by reflection, into the same typed model or into a dictionary.
/// </summary>
[MemoryDiagnoser]
public class WebhookParseBenchmarks
{
    // One options instance, as a careful naive user would keep; reflection-based (no source-generated context).
    private static readonly JsonSerializerOptions ReflectionOptions = new(JsonSerializerDefaults.General);

    private byte[] _body = [];
    private string _header = string.Empty;
    private ConvAiWebhookSignature _verifier = null!;

    [GlobalSetup]
    public void Setup()
    {
        _body = Payloads.TranscriptWebhook;
        _header = ConvAiWebhookSignature.CreateHeader(Payloads.WebhookSecret, _body, DateTimeOffset.UtcNow);
        _verifier = new ConvAiWebhookSignature(Payloads.WebhookSecret);
        if (NaiveTyped()?.Data.Transcript?.Count != Library().GetData().Transcript?.Count || NaiveDictionary() is null)
        {
            throw new InvalidOperationException("The naive and library parses disagree.");
        }
    }

    [Benchmark(Baseline = true, Description = "naive: string, naive verify, reflection into the typed model")]
    public NaiveTranscriptionWebhook? NaiveTyped()
    {
        var text = Encoding.UTF8.GetString(_body);
        return WebhookVerifyBenchmarks.NaiveVerify(_body, _header)
            ? JsonSerializer.Deserialize<NaiveTranscriptionWebhook>(text, ReflectionOptions)
            : null;
    }

    [Benchmark(Description = "naive: string, naive verify, reflection into Dictionary<string, object>")]
    public Dictionary<string, object>? NaiveDictionary()
    {
        var text = Encoding.UTF8.GetString(_body);
        return WebhookVerifyBenchmarks.NaiveVerify(_body, _header)
            ? JsonSerializer.Deserialize<Dictionary<string, object>>(text, ReflectionOptions)
            : null;
    }

    [Benchmark(Description = "ConvAiWebhookSignature.Verify + ConvAiWebhookEvent.Parse")]
    public PostCallTranscriptionEvent Library()
    {
        if (_verifier.Verify(_body, _header) != ConvAiWebhookSignatureResult.Valid)
        {
            throw new InvalidOperationException("The signature did not verify.");
        }

        return (PostCallTranscriptionEvent)ConvAiWebhookEvent.Parse(_body);
    }

    /// <summary>The envelope a naive receiver declares itself; the data is the library's model, read by reflection.</summary>
    public sealed class NaiveTranscriptionWebhook
    {
        [JsonPropertyName("type")]
        public string? Type { get; set; }

        [JsonPropertyName("event_timestamp")]
        public long EventTimestamp { get; set; }

        [JsonPropertyName("data")]
        public Conversation Data { get; set; } = null!;
    }
}
