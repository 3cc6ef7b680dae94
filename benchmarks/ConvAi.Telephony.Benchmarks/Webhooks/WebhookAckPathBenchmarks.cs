using System.Security.Cryptography;
using System.Text;
using BenchmarkDotNet.Attributes;
using ConvAi.Telephony;
using ConvAi.Telephony.AspNetCore;

namespace ConvAi.Telephony.Benchmarks.Webhooks;

/// <summary>
/// The acknowledge path (Queued mode; Inline before the handler) on a 7.5 KB <c>post_call_transcription</c>: signature
/// check, envelope read as the receiver does it (type, timestamp, <c>data.conversation_id</c>, stopping there, without
/// binding <c>data</c>) and the delivery key, against a bare HMAC
/// over the same bytes (the floor; target at most 1.5x) and against the Inline path's full parse.
/// </summary>
[MemoryDiagnoser]
public class WebhookAckPathBenchmarks
{
    private static readonly byte[] Key = Encoding.UTF8.GetBytes(Payloads.WebhookSecret);
    private readonly byte[] _digest = new byte[32];
    private byte[] _body = [];
    private string _header = string.Empty;
    private ConvAiWebhookSignature _verifier = null!;

    [GlobalSetup]
    public void Setup()
    {
        _body = Payloads.TranscriptWebhook;
        _header = ConvAiWebhookSignature.CreateHeader(Payloads.WebhookSecret, _body, DateTimeOffset.UtcNow);
        _verifier = new ConvAiWebhookSignature(Payloads.WebhookSecret);
    }

    [Benchmark(Baseline = true, Description = "bare HMACSHA256.HashData(body)")]
    public int BareHmac() => HMACSHA256.HashData(Key, _body, _digest);

    [Benchmark(Description = "Queued ack path: Verify + envelope read + delivery key")]
    public string? VerifyAndEnvelope()
    {
        if (_verifier.Verify(_body, _header) != ConvAiWebhookSignatureResult.Valid
            || !ConvAiWebhookEventParser.TryReadEnvelope(_body, out var envelope, out _, stopEarly: true))
        {
            return null;
        }

        return WebhookDeliveryKey.For("convai:webhook:", envelope.Type, envelope.ConversationId, _body);
    }

    [Benchmark(Description = "Inline path: Verify + full parse")]
    public ConvAiWebhookEvent? VerifyAndParse() =>
        _verifier.Verify(_body, _header) == ConvAiWebhookSignatureResult.Valid ? ConvAiWebhookEvent.Parse(_body) : null;
}
