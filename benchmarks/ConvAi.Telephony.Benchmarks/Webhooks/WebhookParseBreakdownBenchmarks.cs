using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
using BenchmarkDotNet.Attributes;
using ConvAi.Telephony;
using ConvAi.Telephony.AspNetCore;

namespace ConvAi.Telephony.Benchmarks.Webhooks;

/// <summary>
/// Where the time of verify + parse goes, step by step, on the same 7.5 KB transcript: the signature check, one
/// tokenizing pass over the body (the parser's envelope scan), and binding <c>data</c> to <see cref="Conversation"/>
/// with the library's source-generated context and, for comparison, with reflection and without the fields the
/// model keeps as raw <see cref="JsonElement"/> (each of which becomes its own small JsonDocument).
/// </summary>
[MemoryDiagnoser]
public class WebhookParseBreakdownBenchmarks
{
    private static readonly JsonTypeInfo<Conversation> SourceGenerated = (JsonTypeInfo<Conversation>)ConvAiJson.Options.GetTypeInfo(typeof(Conversation));
    private static readonly JsonSerializerOptions Reflection = new(JsonSerializerDefaults.General);
    private byte[] _body = [];
    private byte[] _data = [];
    private byte[] _dataWithoutRawFields = [];
    private string _header = string.Empty;
    private ConvAiWebhookSignature _verifier = null!;

    [GlobalSetup]
    public void Setup()
    {
        _body = Payloads.TranscriptWebhook;
        _data = Payloads.ConversationResponse;
        _header = ConvAiWebhookSignature.CreateHeader(Payloads.WebhookSecret, _body, DateTimeOffset.UtcNow);
        _verifier = new ConvAiWebhookSignature(Payloads.WebhookSecret);
        _dataWithoutRawFields = Encoding.UTF8.GetBytes(WithoutRawFields(JsonNode.Parse(_data)!).ToJsonString());
    }

    [Benchmark(Baseline = true, Description = "whole: Verify + Parse")]
    public ConvAiWebhookEvent Whole()
    {
        _ = _verifier.Verify(_body, _header);
        return ConvAiWebhookEvent.Parse(_body);
    }

    [Benchmark(Description = "step: Verify")]
    public ConvAiWebhookSignatureResult VerifyOnly() => _verifier.Verify(_body, _header);

    [Benchmark(Description = "step: one Utf8JsonReader pass over the body")]
    public int ReaderPass()
    {
        var reader = new Utf8JsonReader(_body);
        var tokens = 0;
        while (reader.Read())
        {
            tokens++;
        }

        return tokens;
    }

    [Benchmark(Description = "step: data -> Conversation, source-generated (init-only records)")]
    public Conversation? BindSourceGenerated() => JsonSerializer.Deserialize(_data, SourceGenerated);

    [Benchmark(Description = "compare: data -> Conversation, reflection")]
    public Conversation? BindReflection() => JsonSerializer.Deserialize<Conversation>(_data, Reflection);

    [Benchmark(Description = "compare: data without the JsonElement-typed fields -> Conversation, source-generated")]
    public Conversation? BindWithoutRawFields() => JsonSerializer.Deserialize(_dataWithoutRawFields, SourceGenerated);

    /// <summary>Removes every property the model types as <see cref="JsonElement"/> (kept raw), at any depth.</summary>
    private static JsonNode WithoutRawFields(JsonNode node)
    {
        string[] raw = ["conversation_turn_metrics", "llm_usage", "rag_retrieval_info", "reasoning", "tool_details", "result", "old_value", "new_value",
            "otlp_traces", "scoped", "value", "json_schema"];
        if (node is JsonObject obj)
        {
            foreach (var name in raw)
            {
                obj.Remove(name);
            }

            foreach (var (_, child) in obj.ToList())
            {
                if (child is not null)
                {
                    WithoutRawFields(child);
                }
            }
        }
        else if (node is JsonArray array)
        {
            foreach (var child in array.Where(child => child is not null))
            {
                WithoutRawFields(child!);
            }
        }

        return node;
    }
}
