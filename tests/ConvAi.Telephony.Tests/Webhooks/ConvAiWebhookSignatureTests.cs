using System.Text;
using Microsoft.Extensions.Time.Testing;

namespace ConvAi.Telephony.Tests.Webhooks;

public class ConvAiWebhookSignatureTests
{
    private const string KnownBody =
        """{"type":"post_call_transcription","event_timestamp":1739537297,"data":{"agent_id":"xyz","conversation_id":"abc"}}""";

    // Computed outside .NET (shared/README.md vector):
    //   BODY='{"type":"post_call_transcription","event_timestamp":1739537297,"data":{"agent_id":"xyz","conversation_id":"abc"}}'
    //   printf '%s' "1739537297.$BODY" | openssl dgst -sha256 -hmac whsec_test_secret
    //   SHA2-256(stdin)= 952651db7834eec13dcd02c8a9eb36445d4c759d70827120e320b5ba5308287c
    private const string KnownHeader = "t=1739537297,v0=952651db7834eec13dcd02c8a9eb36445d4c759d70827120e320b5ba5308287c";

    private static readonly byte[] Body = Encoding.UTF8.GetBytes(KnownBody);

    private FakeTimeProvider _time = null!;

    [SetUp]
    public void SetUp() => _time = new FakeTimeProvider(WebhookFixtures.Now);

    [Test]
    public void CreateHeader_KnownVector_MatchesOpenSsl()
    {
        var header = ConvAiWebhookSignature.CreateHeader(WebhookFixtures.Secret, Body, WebhookFixtures.Now);

        Assert.That(header, Is.EqualTo(KnownHeader));
    }

    [Test]
    public void Verify_KnownVector_IsValid()
    {
        var verifier = new ConvAiWebhookSignature(WebhookFixtures.Secret, _time);

        Assert.That(verifier.Verify(Body, KnownHeader), Is.EqualTo(ConvAiWebhookSignatureResult.Valid));
    }

    private static IEnumerable<TestCaseData> HeaderShapes()
    {
        const string v0 = "v0=952651db7834eec13dcd02c8a9eb36445d4c759d70827120e320b5ba5308287c";
        const string wrong = "v0=0000000000000000000000000000000000000000000000000000000000000000";
        yield return new TestCaseData($"t=1739537297,{v0}", ConvAiWebhookSignatureResult.Valid).SetName("Verify_Canonical_Valid");
        yield return new TestCaseData($"{v0},t=1739537297", ConvAiWebhookSignatureResult.Valid).SetName("Verify_SignatureBeforeTimestamp_Valid");
        yield return new TestCaseData($"  t=1739537297 , {v0}  ", ConvAiWebhookSignatureResult.Valid).SetName("Verify_WhiteSpaceAroundEntries_Valid");
        yield return new TestCaseData($"t=1739537297,{wrong},{v0}", ConvAiWebhookSignatureResult.Valid).SetName("Verify_SecondOfSeveralV0Matches_Valid");
        yield return new TestCaseData($"t=1739537297,{v0},{wrong}", ConvAiWebhookSignatureResult.Valid).SetName("Verify_FirstOfSeveralV0Matches_Valid");
        yield return new TestCaseData($"t=1739537297,v1=abc,{v0}", ConvAiWebhookSignatureResult.Valid).SetName("Verify_UnknownSchemeIgnored_Valid");
        yield return new TestCaseData($"t=1739537297,{v0.ToUpperInvariant().Replace("V0=", "v0=", StringComparison.Ordinal)}", ConvAiWebhookSignatureResult.Valid).SetName("Verify_UppercaseHex_Valid");
        yield return new TestCaseData(null, ConvAiWebhookSignatureResult.MissingHeader).SetName("Verify_NullHeader_MissingHeader");
        yield return new TestCaseData("", ConvAiWebhookSignatureResult.MissingHeader).SetName("Verify_EmptyHeader_MissingHeader");
        yield return new TestCaseData("   ", ConvAiWebhookSignatureResult.MissingHeader).SetName("Verify_BlankHeader_MissingHeader");
        yield return new TestCaseData(v0, ConvAiWebhookSignatureResult.Malformed).SetName("Verify_NoTimestamp_Malformed");
        yield return new TestCaseData("t=1739537297", ConvAiWebhookSignatureResult.Malformed).SetName("Verify_NoSignature_Malformed");
        yield return new TestCaseData($"t=17395x7297,{v0}", ConvAiWebhookSignatureResult.Malformed).SetName("Verify_NonNumericTimestamp_Malformed");
        yield return new TestCaseData($"t=-1739537297,{v0}", ConvAiWebhookSignatureResult.Malformed).SetName("Verify_NegativeTimestamp_Malformed");
        yield return new TestCaseData($"t=,{v0}", ConvAiWebhookSignatureResult.Malformed).SetName("Verify_EmptyTimestamp_Malformed");
        yield return new TestCaseData($"t=1739537297,t=1739537297,{v0}", ConvAiWebhookSignatureResult.Malformed).SetName("Verify_TwoTimestamps_Malformed");
        yield return new TestCaseData($"t=99999999999999999999,{v0}", ConvAiWebhookSignatureResult.Malformed).SetName("Verify_HugeTimestamp_Malformed");
        yield return new TestCaseData("garbage", ConvAiWebhookSignatureResult.Malformed).SetName("Verify_Garbage_Malformed");
        yield return new TestCaseData($"t=1739537297,{wrong}", ConvAiWebhookSignatureResult.Mismatch).SetName("Verify_WrongDigest_Mismatch");
        yield return new TestCaseData("t=1739537297,v0=952651db", ConvAiWebhookSignatureResult.Mismatch).SetName("Verify_TruncatedDigest_Mismatch");
        yield return new TestCaseData("t=1739537297,v0=zz2651db7834eec13dcd02c8a9eb36445d4c759d70827120e320b5ba5308287c", ConvAiWebhookSignatureResult.Mismatch).SetName("Verify_NonHexDigest_Mismatch");
        yield return new TestCaseData($"t=1739537298,{v0}", ConvAiWebhookSignatureResult.Mismatch).SetName("Verify_TimestampNotTheSignedOne_Mismatch");
        yield return new TestCaseData($"t=01739537297,{v0}", ConvAiWebhookSignatureResult.Mismatch).SetName("Verify_TimestampTextDiffersFromSigned_Mismatch");
    }

    [TestCaseSource(nameof(HeaderShapes))]
    public void Verify_HeaderShape_ReturnsExpectedResult(string? header, ConvAiWebhookSignatureResult expected)
    {
        var verifier = new ConvAiWebhookSignature(WebhookFixtures.Secret, _time);

        Assert.That(verifier.Verify(Body, header), Is.EqualTo(expected));
    }

    [Test]
    public void Verify_BodyChangedByOneByte_Mismatch()
    {
        var verifier = new ConvAiWebhookSignature(WebhookFixtures.Secret, _time);
        var tampered = (byte[])Body.Clone();
        tampered[^3] ^= 1;

        Assert.That(verifier.Verify(tampered, KnownHeader), Is.EqualTo(ConvAiWebhookSignatureResult.Mismatch));
    }

    [TestCase(-30 * 60, ConvAiWebhookSignatureResult.Valid, TestName = "Verify_ExactlyThirtyMinutesOld_Valid")]
    [TestCase(-30 * 60 - 1, ConvAiWebhookSignatureResult.Stale, TestName = "Verify_ThirtyMinutesAndOneSecondOld_Stale")]
    [TestCase(-31 * 60, ConvAiWebhookSignatureResult.Stale, TestName = "Verify_ThirtyOneMinutesOld_Stale")]
    [TestCase(5 * 60, ConvAiWebhookSignatureResult.Valid, TestName = "Verify_FiveMinutesInFuture_Valid")]
    [TestCase(5 * 60 + 1, ConvAiWebhookSignatureResult.Stale, TestName = "Verify_FiveMinutesAndOneSecondInFuture_Stale")]
    [TestCase(24 * 3600, ConvAiWebhookSignatureResult.Stale, TestName = "Verify_OneDayInFuture_Stale")]
    public void Verify_ClockSkew_DefaultTolerances(int signedOffsetSeconds, ConvAiWebhookSignatureResult expected)
    {
        var signedAt = WebhookFixtures.Now.AddSeconds(signedOffsetSeconds);
        var header = ConvAiWebhookSignature.CreateHeader(WebhookFixtures.Secret, Body, signedAt);
        var verifier = new ConvAiWebhookSignature(WebhookFixtures.Secret, _time);

        Assert.That(verifier.Verify(Body, header), Is.EqualTo(expected));
    }

    [Test]
    public void Verify_ClockAdvancesPastTolerance_BecomesStale()
    {
        var verifier = new ConvAiWebhookSignature(WebhookFixtures.Secret, _time);
        Assert.That(verifier.Verify(Body, KnownHeader), Is.EqualTo(ConvAiWebhookSignatureResult.Valid));

        _time.Advance(TimeSpan.FromMinutes(30) + TimeSpan.FromSeconds(1));

        Assert.That(verifier.Verify(Body, KnownHeader), Is.EqualTo(ConvAiWebhookSignatureResult.Stale));
    }

    [Test]
    public void Verify_CustomTolerances_Applied()
    {
        var verifier = new ConvAiWebhookSignature([WebhookFixtures.Secret], TimeSpan.FromMinutes(1), TimeSpan.Zero, _time);
        var twoMinutesOld = ConvAiWebhookSignature.CreateHeader(WebhookFixtures.Secret, Body, WebhookFixtures.Now.AddMinutes(-2));
        var oneSecondAhead = ConvAiWebhookSignature.CreateHeader(WebhookFixtures.Secret, Body, WebhookFixtures.Now.AddSeconds(1));

        Assert.Multiple(() =>
        {
            Assert.That(verifier.Verify(Body, KnownHeader), Is.EqualTo(ConvAiWebhookSignatureResult.Valid));
            Assert.That(verifier.Verify(Body, twoMinutesOld), Is.EqualTo(ConvAiWebhookSignatureResult.Stale));
            Assert.That(verifier.Verify(Body, oneSecondAhead), Is.EqualTo(ConvAiWebhookSignatureResult.Stale));
        });
    }

    [TestCase(WebhookFixtures.Secret, ConvAiWebhookSignatureResult.Valid, TestName = "Verify_RotationOldSecret_Valid")]
    [TestCase(WebhookFixtures.OtherSecret, ConvAiWebhookSignatureResult.Valid, TestName = "Verify_RotationNewSecret_Valid")]
    [TestCase("whsec_retired", ConvAiWebhookSignatureResult.Mismatch, TestName = "Verify_RotationUnknownSecret_Mismatch")]
    public void Verify_SeveralSecrets_AcceptsAnyConfigured(string signingSecret, ConvAiWebhookSignatureResult expected)
    {
        var verifier = new ConvAiWebhookSignature(
            [WebhookFixtures.OtherSecret, WebhookFixtures.Secret],
            ConvAiWebhookSignature.DefaultTolerance,
            ConvAiWebhookSignature.DefaultFutureTolerance,
            _time);
        var header = ConvAiWebhookSignature.CreateHeader(signingSecret, Body, WebhookFixtures.Now);

        Assert.That(verifier.Verify(Body, header), Is.EqualTo(expected));
    }

    [Test]
    public void Verify_LargeBody_IsValid()
    {
        var body = WebhookFixtures.RandomBytes(3 * 1024 * 1024, seed: 7);
        var header = ConvAiWebhookSignature.CreateHeader(WebhookFixtures.Secret, body, WebhookFixtures.Now);
        var verifier = new ConvAiWebhookSignature(WebhookFixtures.Secret, _time);

        Assert.That(verifier.Verify(body, header), Is.EqualTo(ConvAiWebhookSignatureResult.Valid));
    }

    [Test]
    public async Task Verify_ManyThreadsAtOnce_EachCallGetsItsOwnResult()
    {
        // The verifier reuses keyed HMACs from a pool: calls on one instance at the same time must never share one.
        var verifier = new ConvAiWebhookSignature(
            [WebhookFixtures.OtherSecret, WebhookFixtures.Secret],
            ConvAiWebhookSignature.DefaultTolerance,
            ConvAiWebhookSignature.DefaultFutureTolerance,
            _time);
        var cases = Enumerable.Range(0, 64).Select(i =>
        {
            var body = WebhookFixtures.RandomBytes(100 + (i * 997), seed: i);
            var secret = i % 2 == 0 ? WebhookFixtures.Secret : WebhookFixtures.OtherSecret;
            var header = ConvAiWebhookSignature.CreateHeader(secret, body, WebhookFixtures.Now);
            var tampered = i % 3 == 0;
            if (tampered)
            {
                body[^1] ^= 0x01;
            }

            return (Body: body, Header: header, Expected: tampered ? ConvAiWebhookSignatureResult.Mismatch : ConvAiWebhookSignatureResult.Valid);
        }).ToArray();

        var wrong = await Task.WhenAll(Enumerable.Range(0, 8).Select(worker => Task.Run(() =>
        {
            var mistakes = 0;
            for (var round = 0; round < 50; round++)
            {
                foreach (var (body, header, expected) in cases.Skip(worker * 8).Concat(cases.Take(worker * 8)))
                {
                    mistakes += verifier.Verify(body, header) == expected ? 0 : 1;
                }
            }

            return mistakes;
        })));

        Assert.That(wrong.Sum(), Is.Zero);
    }

    [TestCase(500, TestName = "Verify_SmallBodyHotPath_AllocatesNothing")]
    [TestCase(7_500, TestName = "Verify_MediumBodyHotPath_AllocatesNothing")]
    public void Verify_HotPath_AllocatesNothing(int size)
    {
        var body = WebhookFixtures.RandomBytes(size, seed: size);
        var header = ConvAiWebhookSignature.CreateHeader(WebhookFixtures.Secret, body, WebhookFixtures.Now);
        var verifier = new ConvAiWebhookSignature(WebhookFixtures.Secret, _time);
        for (var i = 0; i < 20; i++)
        {
            verifier.Verify(body, header); // warm up the pool and the crypto provider
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        var result = ConvAiWebhookSignatureResult.Mismatch;
        for (var i = 0; i < 100; i++)
        {
            result = verifier.Verify(body, header);
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Multiple(() =>
        {
            Assert.That(result, Is.EqualTo(ConvAiWebhookSignatureResult.Valid));
            Assert.That(allocated, Is.Zero);
        });
    }

    [TestCase(null, TestName = "Constructor_NullSecret_Throws")]
    [TestCase("", TestName = "Constructor_EmptySecret_Throws")]
    [TestCase("  ", TestName = "Constructor_BlankSecret_Throws")]
    public void Constructor_NoUsableSecret_ThrowsArgumentException(string? secret)
    {
        var exception = Assert.Throws<ArgumentException>(() => _ = new ConvAiWebhookSignature([secret!], TimeSpan.Zero, TimeSpan.Zero));

        Assert.Multiple(() =>
        {
            Assert.That(exception!.ParamName, Is.EqualTo("secrets"));
            Assert.That(exception.Message, Does.StartWith("At least one non-empty webhook secret is required."));
        });
    }

    [Test]
    public void CreateHeader_EmptySecret_ThrowsArgumentException()
    {
        var exception = Assert.Throws<ArgumentException>(() => ConvAiWebhookSignature.CreateHeader("", Body, WebhookFixtures.Now));

        Assert.Multiple(() =>
        {
            Assert.That(exception!.ParamName, Is.EqualTo("secret"));
            Assert.That(exception.Message, Does.StartWith("A non-empty webhook secret is required."));
        });
    }
}
