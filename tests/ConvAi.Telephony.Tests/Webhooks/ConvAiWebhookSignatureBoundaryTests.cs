using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Time.Testing;

namespace ConvAi.Telephony.Tests.Webhooks;

/// <summary>The exact bounds of the header parser and of the tolerances (pinned by mutation testing, scripts/mutation.sh).</summary>
public class ConvAiWebhookSignatureBoundaryTests
{
    private static readonly byte[] Body = Encoding.UTF8.GetBytes("""{"type":"post_call_transcription","data":{"conversation_id":"c1"}}""");

    private readonly FakeTimeProvider _time = new(WebhookFixtures.Now);

    [TestCase(0, ConvAiWebhookSignatureResult.Valid, TestName = "Verify_ZeroTolerances_SignedThisSecond_Valid")]
    [TestCase(-1, ConvAiWebhookSignatureResult.Stale, TestName = "Verify_ZeroTolerances_SignedOneSecondAgo_Stale")]
    [TestCase(1, ConvAiWebhookSignatureResult.Stale, TestName = "Verify_ZeroTolerances_SignedOneSecondAhead_Stale")]
    public void Verify_ZeroTolerancesAccepted_OnlyTheCurrentSecondIsFresh(int offsetSeconds, ConvAiWebhookSignatureResult expected)
    {
        var verifier = new ConvAiWebhookSignature([WebhookFixtures.Secret], TimeSpan.Zero, TimeSpan.Zero, _time);

        var header = ConvAiWebhookSignature.CreateHeader(WebhookFixtures.Secret, Body, WebhookFixtures.Now.AddSeconds(offsetSeconds));

        Assert.That(verifier.Verify(Body, header), Is.EqualTo(expected));
    }

    [TestCase(-1, 0, "tolerance", "The tolerance must not be negative.", TestName = "Constructor_ToleranceOneTickBelowZero_ThrowsNamingTolerance")]
    [TestCase(0, -1, "futureTolerance", "The future tolerance must not be negative.", TestName = "Constructor_FutureToleranceOneTickBelowZero_ThrowsNamingFutureTolerance")]
    public void Constructor_NegativeTolerance_ThrowsNamingTheParameter(long toleranceTicks, long futureToleranceTicks, string parameter, string message)
    {
        var exception = Assert.Throws<ArgumentException>(() => _ = new ConvAiWebhookSignature(
            [WebhookFixtures.Secret], TimeSpan.FromTicks(toleranceTicks), TimeSpan.FromTicks(futureToleranceTicks), _time));

        Assert.Multiple(() =>
        {
            Assert.That(exception!.ParamName, Is.EqualTo(parameter));
            Assert.That(exception.Message, Does.StartWith(message));
        });
    }

    [Test]
    public void Constructor_SecretsNull_ThrowsArgumentNullException() =>
        Assert.That(() => new ConvAiWebhookSignature(null!, TimeSpan.Zero, TimeSpan.Zero), Throws.ArgumentNullException.With.Property("ParamName").EqualTo("secrets"));

    [Test]
    public void Constructor_FractionalTolerances_TruncatedToWholeSeconds()
    {
        // 1.9 s of tolerance allows one whole second on each side, not two.
        var tolerance = TimeSpan.FromMilliseconds(1900);
        var verifier = new ConvAiWebhookSignature([WebhookFixtures.Secret], tolerance, tolerance, _time);

        Assert.Multiple(() =>
        {
            Assert.That(verifier.Verify(Body, Header(WebhookFixtures.Now.AddSeconds(-1))), Is.EqualTo(ConvAiWebhookSignatureResult.Valid));
            Assert.That(verifier.Verify(Body, Header(WebhookFixtures.Now.AddSeconds(1))), Is.EqualTo(ConvAiWebhookSignatureResult.Valid));
            Assert.That(verifier.Verify(Body, Header(WebhookFixtures.Now.AddSeconds(-2))), Is.EqualTo(ConvAiWebhookSignatureResult.Stale));
            Assert.That(verifier.Verify(Body, Header(WebhookFixtures.Now.AddSeconds(2))), Is.EqualTo(ConvAiWebhookSignatureResult.Stale));
        });
    }

    // The timestamp text is signed as sent, so leading zeros are part of the signed payload; 12 digits are the most accepted.
    [TestCase("001739537297", ConvAiWebhookSignatureResult.Valid, TestName = "Verify_TwelveDigitTimestamp_Valid")]
    [TestCase("0001739537297", ConvAiWebhookSignatureResult.Malformed, TestName = "Verify_ThirteenDigitTimestamp_Malformed")]
    [TestCase("1739537297", ConvAiWebhookSignatureResult.Valid, TestName = "Verify_TenDigitTimestamp_Valid")]
    public void Verify_TimestampDigits_BoundedAtTwelve(string timestampText, ConvAiWebhookSignatureResult expected)
    {
        var verifier = new ConvAiWebhookSignature(WebhookFixtures.Secret, _time);

        Assert.That(verifier.Verify(Body, $"t={timestampText},v0={Digest(timestampText, Body)}"), Is.EqualTo(expected));
    }

    private static IEnumerable<TestCaseData> EntryShapes()
    {
        var t = WebhookFixtures.Now.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var v0 = "v0=" + Digest(t, Body);
        yield return new TestCaseData($"t={t},{v0},").SetName("Verify_TrailingComma_Valid");
        yield return new TestCaseData($",t={t},,{v0}").SetName("Verify_EmptyEntries_Valid");
        yield return new TestCaseData($"t={t}\t,\t{v0}").SetName("Verify_TabsAroundEntries_Valid");
        yield return new TestCaseData($"t={t},   {v0}   ,v0=00").SetName("Verify_SpacedEntryFollowedByShortOne_Valid");
        yield return new TestCaseData($"x=1,t={t},y=2,{v0}").SetName("Verify_UnknownEntriesAround_Valid");
        yield return new TestCaseData($"{v0},t={t}").SetName("Verify_TimestampLast_Valid");
    }

    [TestCaseSource(nameof(EntryShapes))]
    public void Verify_EntryShapes_Valid(string header)
    {
        var verifier = new ConvAiWebhookSignature(WebhookFixtures.Secret, _time);

        Assert.That(verifier.Verify(Body, header), Is.EqualTo(ConvAiWebhookSignatureResult.Valid));
    }

    [TestCase(-1, TestName = "Verify_DigestOneHexDigitShort_Mismatch")]
    [TestCase(1, TestName = "Verify_DigestOneHexDigitLong_Mismatch")]
    public void Verify_DigestLengthOffByOne_Mismatch(int extraDigits)
    {
        var verifier = new ConvAiWebhookSignature(WebhookFixtures.Secret, _time);
        var t = WebhookFixtures.Now.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var digest = Digest(t, Body);
        digest = extraDigits < 0 ? digest[..^1] : digest + "0";

        Assert.That(verifier.Verify(Body, $"t={t},v0={digest}"), Is.EqualTo(ConvAiWebhookSignatureResult.Mismatch));
    }

    [Test]
    public void Verify_DigestWithZeroByte_Valid()
    {
        // A 0x00 byte is the hex pair "00", whose two digits are both 0: a decoder that treats 0 as invalid rejects it.
        var verifier = new ConvAiWebhookSignature(WebhookFixtures.Secret, _time);
        var t = WebhookFixtures.Now.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var body = Enumerable.Range(0, 10_000)
            .Select(i => Encoding.UTF8.GetBytes($"{{\"n\":{i}}}"))
            .First(candidate => Digest(t, candidate).Chunk(2).Any(pair => pair is ['0', '0']));

        Assert.That(verifier.Verify(body, $"t={t},v0={Digest(t, body)}"), Is.EqualTo(ConvAiWebhookSignatureResult.Valid));
    }

    [TestCase("0123456789abcdef", TestName = "Verify_EveryLowercaseHexDigit_DecodedExactly")]
    [TestCase("0123456789ABCDEF", TestName = "Verify_EveryUppercaseHexDigit_DecodedExactly")]
    public void Verify_HexDigits_DecodedExactly(string digits)
    {
        // A digest whose every hex digit was changed to another one never matches; the true digest in either case always does.
        var verifier = new ConvAiWebhookSignature(WebhookFixtures.Secret, _time);
        var t = WebhookFixtures.Now.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var digest = Digest(t, Body);
        var cased = digits[10] == 'A' ? digest.ToUpperInvariant() : digest;
        foreach (var digit in digits)
        {
            var position = cased.IndexOf(digit, StringComparison.Ordinal);
            if (position < 0)
            {
                continue;
            }

            var replacement = digits[(digits.IndexOf(digit, StringComparison.Ordinal) + 1) % digits.Length];
            var changed = string.Concat(cased.AsSpan(0, position), replacement.ToString(), cased.AsSpan(position + 1));
            Assert.That(verifier.Verify(Body, $"t={t},v0={changed}"), Is.EqualTo(ConvAiWebhookSignatureResult.Mismatch), $"{digit} -> {replacement}");
        }

        Assert.That(verifier.Verify(Body, $"t={t},v0={cased}"), Is.EqualTo(ConvAiWebhookSignatureResult.Valid));
    }

    [TestCase("v1", TestName = "Verify_TimestampWithOnlyAV1Entry_Malformed")]
    [TestCase("x", TestName = "Verify_TimestampWithOnlyAnUnknownEntry_Malformed")]
    [TestCase("v00", TestName = "Verify_TimestampWithOnlyAV00Entry_Malformed")]
    public void Verify_NoV0Entry_Malformed(string key)
    {
        // Only an entry named exactly v0 counts as a signature: the right digest under another name is a malformed header.
        var verifier = new ConvAiWebhookSignature(WebhookFixtures.Secret, _time);
        var t = WebhookFixtures.Now.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);

        Assert.That(verifier.Verify(Body, $"t={t},{key}={Digest(t, Body)}"), Is.EqualTo(ConvAiWebhookSignatureResult.Malformed));
    }

    // Forged entries must not combine: the bytes a rejected entry decoded before its bad digit (or the bytes of an
    // earlier entry, when an entry of the wrong length is skipped) never complete another entry into the true digest.
    [TestCase(1, TestName = "Verify_EntryWithBadDigitAfterTheFirstByte_DoesNotCompleteAnEarlierEntry")]
    [TestCase(31, TestName = "Verify_EntryWithBadDigitInTheLastByte_DoesNotCompleteAnEarlierEntry")]
    public void Verify_EntryWithBadHexDigit_IsRejectedWhole(int badByte)
    {
        var verifier = new ConvAiWebhookSignature(WebhookFixtures.Secret, _time);
        var t = WebhookFixtures.Now.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var digest = Digest(t, Body);
        // The first entry holds every byte but the first few right; the second holds the first bytes right, then "zz".
        var earlier = new string('0', 2 * badByte) + digest[(2 * badByte)..];
        var spliced = digest[..(2 * badByte)] + "zz" + new string('0', 62 - (2 * badByte));
        Assume.That(earlier, Is.Not.EqualTo(digest));

        Assert.That(verifier.Verify(Body, $"t={t},v0={earlier},v0={spliced}"), Is.EqualTo(ConvAiWebhookSignatureResult.Mismatch));
    }

    [Test]
    public void Verify_EntryOfTheWrongLengthAfterAPartialOne_IsNotComparedWithLeftoverBytes()
    {
        // Entry 1 decodes to the true last byte, entry 2 to the true first 31 bytes and then stops at "zz", entry 3 is short:
        // the leftover bytes spell the true digest, and only an entry that decoded whole may be compared.
        var verifier = new ConvAiWebhookSignature(WebhookFixtures.Secret, _time);
        var t = WebhookFixtures.Now.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var digest = Digest(t, Body);
        var lastByte = new string('0', 62) + digest[62..];
        var partial = digest[..62] + "zz";

        Assert.That(verifier.Verify(Body, $"t={t},v0={lastByte},v0={partial},v0=ab"), Is.EqualTo(ConvAiWebhookSignatureResult.Mismatch));
    }

    private static string Header(DateTimeOffset at) => ConvAiWebhookSignature.CreateHeader(WebhookFixtures.Secret, Body, at);

    private static string Digest(string timestampText, byte[] body) =>
        Convert.ToHexString(HMACSHA256.HashData(
            Encoding.UTF8.GetBytes(WebhookFixtures.Secret),
            (byte[])[.. Encoding.ASCII.GetBytes(timestampText + "."), .. body])).ToLowerInvariant();
}
