using System.Security.Cryptography;
using System.Text;
using BenchmarkDotNet.Attributes;
using ConvAi.Telephony;
using ConvAi.Telephony.AspNetCore;

namespace ConvAi.Telephony.Benchmarks.Webhooks;

/// <summary>
/// Webhook signature verification on a 7.5 KB <c>post_call_transcription</c> body: the library's verifier, against a bare HMAC over the same
/// bytes (the floor) and a straight port of the documented algorithm (strings, hex, ordinary compare).
/// </summary>
[MemoryDiagnoser]
public class WebhookVerifyBenchmarks
{
    private const string Secret = Payloads.WebhookSecret;
    private static readonly byte[] Key = Encoding.UTF8.GetBytes(Secret);
    private readonly byte[] _digest = new byte[32];
    private byte[] _body = [];
    private string _header = string.Empty;
    private ConvAiWebhookSignature _verifier = null!;

    [GlobalSetup]
    public void Setup()
    {
        _body = Payloads.TranscriptWebhook;
        var now = DateTimeOffset.UtcNow;
        _header = ConvAiWebhookSignature.CreateHeader(Secret, _body, now);
        _verifier = new ConvAiWebhookSignature(Secret);
    }

    [Benchmark(Baseline = true, Description = "bare HMACSHA256.HashData(body)")]
    public int BareHmac() => HMACSHA256.HashData(Key, _body, _digest);

    [Benchmark(Description = "ConvAiWebhookSignature.Verify")]
    public ConvAiWebhookSignatureResult Verify() => _verifier.Verify(_body, _header);

    [Benchmark(Description = "naive port of the documented algorithm")]
    public bool NaivePort() => NaiveVerify(_body, _header);

    /// <summary>The documented algorithm ported line by line: split the header, concatenate strings, hex, <c>==</c>.</summary>
    internal static bool NaiveVerify(byte[] body, string header)
    {
        var parts = header.Split(',');
        var t = parts.First(p => p.StartsWith("t=", StringComparison.Ordinal))[2..];
        var signature = parts.First(p => p.StartsWith("v0=", StringComparison.Ordinal));
        var payload = t + "." + Encoding.UTF8.GetString(body);
        var expected = "v0=" + Convert.ToHexString(HMACSHA256.HashData(Key, Encoding.UTF8.GetBytes(payload))).ToLowerInvariant();
        return expected == signature;
    }
}
