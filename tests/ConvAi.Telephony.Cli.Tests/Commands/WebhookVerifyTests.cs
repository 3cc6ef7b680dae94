using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using ConvAi.Telephony;
using ConvAi.Telephony.AspNetCore;
using Microsoft.Extensions.Time.Testing;

namespace ConvAi.Telephony.Cli.Tests.Commands;

/// <summary><c>convai webhooks verify</c>: every reason a signature fails, on a fixed clock.</summary>
public class WebhookVerifyTests
{
    private const string Secret = "whsec_VERIFY_SECRET_51aa";
    private static readonly DateTimeOffset Now = new(2026, 3, 2, 10, 0, 0, TimeSpan.Zero);

    // What the sender signed: compact UTF-8 JSON with a non-ASCII character, as it goes over the wire.
    private static readonly byte[] Sent = Encoding.UTF8.GetBytes("""{"type":"post_call_transcription","event_timestamp":1772445600,"data":{"conversation_id":"conv_1","dynamic_variables":{"customer_name":"José"},"note":"a\nb"}}""");

    private string _directory = null!;

    public static IEnumerable<TestCaseData> ChangedBodies()
    {
        yield return new TestCaseData((Func<byte[], byte[]>)(b => [.. b, (byte)'\n']), "trailing newline").SetName("Verify_TrailingNewlineAdded");
        yield return new TestCaseData((Func<byte[], byte[]>)(b => [.. b, (byte)'\r', (byte)'\n']), "trailing CRLF").SetName("Verify_TrailingCrlfAdded");
        yield return new TestCaseData((Func<byte[], byte[]>)(b => [0xEF, 0xBB, 0xBF, .. b]), "byte order mark").SetName("Verify_BomAdded");
        yield return new TestCaseData((Func<byte[], byte[]>)(b => Encoding.UTF8.GetBytes(JsonNode.Parse(b)!.ToJsonString(new JsonSerializerOptions { WriteIndented = true }))), "re-serialized JSON").SetName("Verify_PrettyPrinted");
        yield return new TestCaseData((Func<byte[], byte[]>)(b => Encoding.UTF8.GetBytes(JsonNode.Parse(b)!.ToJsonString())), "re-serialized JSON").SetName("Verify_ReserializedWithEscapedUnicode");
        yield return new TestCaseData((Func<byte[], byte[]>)(b => [.. Encoding.Unicode.GetPreamble(), .. Encoding.Unicode.GetBytes(Encoding.UTF8.GetString(b))]), "UTF-16").SetName("Verify_SavedAsUtf16");
        yield return new TestCaseData((Func<byte[], byte[]>)(b => Encoding.Latin1.GetBytes(Encoding.UTF8.GetString(b))), "not valid UTF-8").SetName("Verify_SavedAsLatin1");
        yield return new TestCaseData((Func<byte[], byte[]>)(b => Encoding.UTF8.GetBytes(Encoding.Latin1.GetString(b))), "mojibake").SetName("Verify_Utf8ReadAsLatin1");
    }

    [SetUp]
    public void SetUp() => _directory = Directory.CreateTempSubdirectory("convai-verify").FullName;

    [TearDown]
    public void TearDown() => Directory.Delete(_directory, recursive: true);

    [Test]
    public async Task Verify_ExactBodyAndFreshSignature_IsValid()
    {
        var result = await VerifyAsync(Sent, Header(Sent, Now.AddSeconds(-42)));

        Assert.That(result.ExitCode, Is.EqualTo(0), result.ToString());
        Assert.That(result.Output.ReplaceLineEndings("\n"), Is.EqualTo(
            "timestamp: signed at 2026-03-02 09:59:18Z, 42 s ago (within the tolerance).\n"
            + "signature: matches the secret over this exact body.\n"
            + "valid: a receiver with these settings accepts this delivery.\n"));
    }

    [TestCaseSource(nameof(ChangedBodies))]
    public async Task Verify_BodyChangedAfterSigning_NamesTheChange(Func<byte[], byte[]> change, string hint)
    {
        var result = await VerifyAsync(change(Sent), Header(Sent, Now));

        Assert.That(result.ExitCode, Is.EqualTo(1), result.ToString());
        Assert.That(result.Output, Does.Contain("body changed: the signature matches").And.Contain(hint));
        Assert.That(result.Output, Does.Contain("invalid: a receiver rejects this delivery (401)."));
    }

    [Test]
    public async Task Verify_PythonRedumpedBodyAgainstSignatureOfPythonStyle_NamesJsonDumps()
    {
        // The sender signed Python-style JSON; the file holds it re-written compactly (as many frameworks do).
        var python = Encoding.UTF8.GetBytes("""{"type": "post_call_audio", "data": {"conversation_id": "conv_2", "name": "Jos\u00e9"}}""");
        var compact = Encoding.UTF8.GetBytes(JsonNode.Parse(python)!.ToJsonString());

        var result = await VerifyAsync(compact, Header(python, Now));

        Assert.That(result.ExitCode, Is.EqualTo(1), result.ToString());
        Assert.That(result.Output, Does.Contain("Python json.dumps"));
    }

    [TestCase(-1801, "stale: signed at 2026-03-02 09:29:59Z (1801 s ago), 1 s beyond the 1800 s tolerance.")]
    [TestCase(-4000, "stale: signed at 2026-03-02 08:53:20Z (4000 s ago), 2200 s beyond the 1800 s tolerance.")]
    [TestCase(900, "future: signed at 2026-03-02 10:15:00Z, 900 s ahead of this machine's clock, 600 s beyond the 300 s allowed skew.")]
    public async Task Verify_TimestampOutsideTolerance_SaysByHowManySecondsAndStillChecksTheSignature(int offsetSeconds, string expected)
    {
        var result = await VerifyAsync(Sent, Header(Sent, Now.AddSeconds(offsetSeconds)));

        Assert.That(result.ExitCode, Is.EqualTo(1), result.ToString());
        Assert.That(result.Output, Does.Contain(expected));
        Assert.That(result.Output, Does.Contain("signature: matches the secret over this exact body."));
    }

    [Test]
    public async Task Verify_ToleranceOption_ChangesTheStaleLimit()
    {
        var result = await VerifyAsync(Sent, Header(Sent, Now.AddSeconds(-100)), "--tolerance-secs", "60");

        Assert.That(result.ExitCode, Is.EqualTo(1), result.ToString());
        Assert.That(result.Output, Does.Contain("(100 s ago), 40 s beyond the 60 s tolerance."));
    }

    [Test]
    public async Task Verify_OtherSecret_SaysNoSecretMatches()
    {
        var header = ConvAiWebhookSignature.CreateHeader("some-other-secret", Sent, Now);

        var result = await VerifyAsync(Sent, header);

        Assert.That(result.ExitCode, Is.EqualTo(1), result.ToString());
        Assert.That(result.Output, Does.Contain($"no secret matches: none of the 1 secret(s) given signs this body ({Sent.Length} bytes) at t={Now.ToUnixTimeSeconds()}"));
    }

    [Test]
    public async Task Verify_SeveralSecrets_NamesTheOneThatMatches()
    {
        var file = Write(Sent);

        var result = await Cli.RunAsync(new Dictionary<string, string>(), new FakeTimeProvider(Now),
            "webhooks", "verify", "--secret", "old-secret", "--secret", Secret, "--header", Header(Sent, Now), "--body", file);

        Assert.That(result.ExitCode, Is.EqualTo(0), result.ToString());
        Assert.That(result.Output, Does.Contain("signature: matches secret #2 of 2 over this exact body."));
    }

    [TestCase("", "malformed header: it is empty.")]
    [TestCase("0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", "malformed header: this is a bare digest")]
    [TestCase("v0=0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", "malformed header: no t= entry.")]
    [TestCase("t=1772445600", "malformed header: no v0= entry.")]
    [TestCase("t=abc,v0=0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", "malformed header: 't=abc' is not Unix seconds (digits only).")]
    [TestCase("t=1772445600,t=1772445601,v0=0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", "malformed header: 2 t= entries (exactly one is allowed).")]
    [TestCase("t=1772445600,v0=ASNFZ4mrze8BI0VniavN7wEjRWeJq83vASNFZ4mrze8=", "no v0= entry holds 64 hex digits (an HMAC-SHA256 digest in hex, not base64)")]
    public async Task Verify_MalformedHeader_SaysWhatIsWrong(string header, string expected)
    {
        var result = await VerifyAsync(Sent, header);

        Assert.That(result.ExitCode, Is.EqualTo(1), result.ToString());
        Assert.That(result.Output, Does.Contain(expected));
    }

    [Test]
    public async Task Verify_HeaderPastedWithItsName_IsStillChecked()
    {
        var result = await VerifyAsync(Sent, "ElevenLabs-Signature: " + Header(Sent, Now));

        Assert.That(result.ExitCode, Is.EqualTo(0), result.ToString());
        Assert.That(result.Output, Does.Contain("note: the value starts with the header name"));
    }

    [Test]
    public async Task Verify_MissingBodyFile_IsAUsageError()
    {
        var result = await Cli.RunAsync("webhooks", "verify", "--secret", Secret, "--header", "t=1,v0=00", "--body", Path.Combine(_directory, "absent.json"));

        Assert.That(result.ExitCode, Is.EqualTo(2), result.ToString());
        Assert.That(result.Error, Does.Contain("cannot read the body file"));
    }

    private static string Header(byte[] body, DateTimeOffset signedAt) => ConvAiWebhookSignature.CreateHeader(Secret, body, signedAt);

    private Task<CliResult> VerifyAsync(byte[] body, string header, params string[] extra) =>
        Cli.RunAsync(new Dictionary<string, string>(), new FakeTimeProvider(Now), ["webhooks", "verify", "--secret", Secret, "--header", header, "--body", Write(body), .. extra]);

    private string Write(byte[] body)
    {
        var path = Path.Combine(_directory, Guid.NewGuid().ToString("N") + ".json");
        File.WriteAllBytes(path, body);
        return path;
    }
}
