using System.Collections.Specialized;
using System.Security.Cryptography;
using System.Text;
using TwilioOracle = Twilio.Security.RequestValidator;

namespace ConvAi.Telephony.Tests.Webhooks;

public class TwilioRequestValidatorTests
{
    private const string AuthToken = "12345";

    // Twilio's documented known-answer vector.
    private const string DocumentedUrl = "https://mycompany.com/myapp.php?foo=1&bar=2";
    private const string DocumentedSignature = "0/KCTR6DLpKmkAf8muzZqo1nDgQ=";

    private static readonly KeyValuePair<string, string>[] DocumentedFields =
    [
        new("CallSid", "CA1234567890ABCDE"),
        new("Caller", "+12349013030"),
        new("Digits", "1234"),
        new("From", "+12349013030"),
        new("To", "+18005551212"),
    ];

    private readonly TwilioRequestValidator _validator = new(AuthToken);

    [Test]
    public void ComputeSignature_DocumentedVector_MatchesTwilioDocumentation() =>
        Assert.That(_validator.ComputeSignature(DocumentedUrl, DocumentedFields), Is.EqualTo(DocumentedSignature));

    [Test]
    public void Verify_DocumentedVectorInAnyFieldOrder_ReturnsTrue() =>
        Assert.That(_validator.Verify(DocumentedUrl, Enumerable.Reverse(DocumentedFields), DocumentedSignature), Is.EqualTo(ConvAiWebhookSignatureResult.Valid));

    [TestCase(null, TestName = "IsValid_MissingSignature_ReturnsFalse")]
    [TestCase("", TestName = "IsValid_EmptySignature_ReturnsFalse")]
    [TestCase("not base64!", TestName = "IsValid_NonBase64Signature_ReturnsFalse")]
    [TestCase("AAAA", TestName = "IsValid_ShortSignature_ReturnsFalse")]
    [TestCase("1/KCTR6DLpKmkAf8muzZqo1nDgQ=", TestName = "IsValid_OneCharacterChanged_ReturnsFalse")]
    public void Verify_BadSignature_ReturnsFalse(string? signature) =>
        Assert.That(_validator.Verify(DocumentedUrl, DocumentedFields, signature), Is.Not.EqualTo(ConvAiWebhookSignatureResult.Valid));

    [Test]
    public void Verify_FieldValueChanged_ReturnsFalse()
    {
        var tampered = DocumentedFields.Select(f => f.Key == "To" ? new KeyValuePair<string, string>("To", "+18005551213") : f);
        Assert.That(_validator.Verify(DocumentedUrl, tampered, DocumentedSignature), Is.Not.EqualTo(ConvAiWebhookSignatureResult.Valid));
    }

    [Test]
    public void Verify_OtherAuthToken_ReturnsFalse() =>
        Assert.That(new TwilioRequestValidator("54321").Verify(DocumentedUrl, DocumentedFields, DocumentedSignature), Is.Not.EqualTo(ConvAiWebhookSignatureResult.Valid));

    [TestCase("https://mycompany.com:443/myapp.php?foo=1&bar=2", TestName = "IsValid_DefaultPortOnRequestUrl_ReturnsTrue")]
    [TestCase("https://mycompany.com:8443/myapp.php?foo=1&bar=2", TestName = "IsValid_OtherPortOnRequestUrl_ReturnsTrue")]
    public void Verify_PortVariantOfSignedUrl_ReturnsTrue(string requestUrl) =>
        Assert.That(_validator.Verify(requestUrl, DocumentedFields, DocumentedSignature), Is.EqualTo(ConvAiWebhookSignatureResult.Valid));

    [TestCase(null)]
    [TestCase("")]
    [TestCase("/relative/path")]
    [TestCase("ftp://example.com/x")]
    [TestCase("https:///no-host")]
    public void Verify_NotAnAbsoluteHttpUrl_ThrowsArgumentExceptionNamingUrl(string? url)
    {
        var exception = Assert.Catch<ArgumentException>(() => _validator.Verify(url!, DocumentedFields, DocumentedSignature));
        Assert.That(exception!.ParamName, Is.EqualTo("url"));
    }

    [Test]
    public void Constructor_EmptyAuthToken_ThrowsArgumentExceptionNamingParameter()
    {
        var exception = Assert.Catch<ArgumentException>(() => _ = new TwilioRequestValidator(" "));
        Assert.That(exception!.ParamName, Is.EqualTo("authToken"));
    }

    // Signed URL, request URL, fields: our signature must validate in both implementations, and a
    // tampered request must fail in both.
    private static IEnumerable<TestCaseData> AgreementCases()
    {
        var call = new[] { P("CallSid", "CA0123456789abcdef0123456789abcdef"), P("From", "+14155550100"), P("To", "+14155550199"), P("Direction", "inbound") };
        yield return Case("query string", "https://example.com/twilio/inbound?tenant=acme&x=1", "https://example.com/twilio/inbound?tenant=acme&x=1", call);
        yield return Case("escaped query", "https://example.com/twilio/inbound?name=Jos%C3%A9%20Mar%C3%ADa&q=a%2Bb", "https://example.com/twilio/inbound?name=Jos%C3%A9%20Mar%C3%ADa&q=a%2Bb", call);
        // A request URL with an explicit default port signed without it is accepted by this validator
        // (IsValid_PortVariantOfSignedUrl_ReturnsTrue) but not by Twilio's .NET library 8.2.0, whose
        // Uri parsing drops the default port before it builds the variant; so it is not an agreement case.
        yield return Case("default port when signed", "https://example.com:443/twilio/inbound", "https://example.com/twilio/inbound", call);
        yield return Case("http default port when signed", "http://example.com:80/voice", "http://example.com/voice", call);
        yield return Case("custom port", "https://example.com:8443/voice?a=b", "https://example.com:8443/voice?a=b", call);
        yield return Case("unicode values", "https://example.com/voice", "https://example.com/voice",
            [.. call, P("CallerName", "Zoë Ñandú"), P("FromCity", "東京"), P("Emoji", "📞 call"), P("Empty", "")]);
        yield return Case("case-sensitive ordering", "https://example.com/voice", "https://example.com/voice",
            [P("b", "1"), P("B", "2"), P("a", "3"), P("A", "4"), P("_x", "5"), P("Z9", "6")]);
        yield return Case("no fields", "https://example.com/voice?only=query", "https://example.com/voice?only=query", []);
        yield return Case("repeated keys", "https://example.com/status", "https://example.com/status",
            [.. call, P("StatusCallbackEvent", "initiated"), P("StatusCallbackEvent", "ringing"), P("StatusCallbackEvent", "answered")]);

        static TestCaseData Case(string name, string signedUrl, string requestUrl, KeyValuePair<string, string>[] fields) =>
            new TestCaseData(signedUrl, requestUrl, fields).SetArgDisplayNames(name);
    }

    private static IEnumerable<TestCaseData> GeneratedAgreementCases()
    {
        var random = new Random(20261125);
        string[] names = ["CallSid", "From", "To", "Caller", "Direction", "CallerName", "Digits", "SpeechResult", "ForwardedFrom", "StirVerstat"];
        string[] values = ["+14155550100", "inbound", "Zoë", "東京 都", "a&b=c", "100%", "", " spaced ", "emoji 📞", "line\nbreak", "comma,value"];
        string[] urls = ["https://example.com/twilio/inbound", "https://example.com:443/twilio/inbound", "http://localhost:5000/v?x=1&y=%20", "https://api.example.org:8443/a/b?tenant=t%C3%A9"];
        for (var i = 0; i < 40; i++)
        {
            var fields = Enumerable.Range(0, random.Next(0, 8))
                .Select(_ => P(names[random.Next(names.Length)], values[random.Next(values.Length)]))
                .ToArray();
            var url = urls[random.Next(urls.Length)];
            yield return new TestCaseData(url, url, fields).SetArgDisplayNames($"generated {i}");
        }
    }

    [TestCaseSource(nameof(AgreementCases))]
    [TestCaseSource(nameof(GeneratedAgreementCases))]
    public void Verify_SignedRequest_AgreesWithTwilioLibrary(string signedUrl, string requestUrl, KeyValuePair<string, string>[] fields)
    {
        var signature = _validator.ComputeSignature(signedUrl, fields);
        var oracle = new TwilioOracle(AuthToken);

        Assert.Multiple(() =>
        {
            Assert.That(_validator.Verify(requestUrl, fields, signature), Is.EqualTo(ConvAiWebhookSignatureResult.Valid), "ours");
            Assert.That(oracle.Validate(requestUrl, ToCollection(fields), signature), Is.True, "Twilio's");
        });

        var tamperedFields = fields.Append(P("Injected", "1")).ToArray();
        var tamperedUrl = requestUrl + (requestUrl.Contains('?', StringComparison.Ordinal) ? "&" : "?") + "evil=1";
        Assert.Multiple(() =>
        {
            Assert.That(_validator.Verify(requestUrl, tamperedFields, signature), Is.Not.EqualTo(ConvAiWebhookSignatureResult.Valid), "ours, extra field");
            Assert.That(oracle.Validate(requestUrl, ToCollection(tamperedFields), signature), Is.False, "Twilio's, extra field");
            Assert.That(_validator.Verify(tamperedUrl, fields, signature), Is.Not.EqualTo(ConvAiWebhookSignatureResult.Valid), "ours, changed URL");
            Assert.That(oracle.Validate(tamperedUrl, ToCollection(fields), signature), Is.False, "Twilio's, changed URL");
        });
    }

    // Twilio's other libraries append the name before each value of a repeated field.
    private static IEnumerable<TestCaseData> ValueByValueCases()
    {
        yield return new TestCaseData("Eventinitiated" + "Eventringing" + "To+1", new[] { P("To", "+1"), P("Event", "initiated"), P("Event", "ringing") })
            .SetName("IsValid_RepeatedKeysSignedValueByValue_ReturnsTrue");
        yield return new TestCaseData("Eventinitiated" + "Eventringing", new[] { P("Event", "initiated"), P("Event", "ringing") })
            .SetName("IsValid_OnlyARepeatedKeySignedValueByValue_ReturnsTrue");
    }

    [TestCaseSource(nameof(ValueByValueCases))]
    public void Verify_RepeatedKeysSignedValueByValue_ReturnsTrue(string signedFields, KeyValuePair<string, string>[] fields)
    {
        const string url = "https://example.com/status";
        var signature = Convert.ToBase64String(HMACSHA1.HashData(Encoding.UTF8.GetBytes(AuthToken), Encoding.UTF8.GetBytes(url + signedFields)));

        Assert.That(_validator.Verify(url, fields, signature), Is.EqualTo(ConvAiWebhookSignatureResult.Valid));
    }

    [Test]
    public void Verify_SignatureOneByteShort_ReturnsFalseEvenWhenTheMissingByteWouldBeZero()
    {
        // A 19-byte signature is rejected for its length, not because the 20th byte differs: pick a request whose true
        // digest ends in 0x00, which a decoder that kept going would "complete" with the zero of an empty buffer.
        const string url = "https://example.com/voice";
        var (fields, digest) = Enumerable.Range(0, 100_000)
            .Select(i => new[] { P("CallSid", "CA" + i.ToString(System.Globalization.CultureInfo.InvariantCulture)) })
            .Select(candidate => (Fields: candidate, Digest: Convert.FromBase64String(_validator.ComputeSignature(url, candidate))))
            .First(candidate => candidate.Digest[^1] == 0);

        Assert.Multiple(() =>
        {
            Assert.That(_validator.Verify(url, fields, Convert.ToBase64String(digest)), Is.EqualTo(ConvAiWebhookSignatureResult.Valid), "the whole digest");
            Assert.That(_validator.Verify(url, fields, Convert.ToBase64String(digest[..^1])), Is.Not.EqualTo(ConvAiWebhookSignatureResult.Valid), "19 of its 20 bytes");
        });
    }

    [Test]
    public void Verify_NullNameOrValue_SignedAsEmpty()
    {
        const string url = "https://example.com/voice";

        Assert.Multiple(() =>
        {
            Assert.That(_validator.Verify(url, [P(null!, "x")], _validator.ComputeSignature(url, [P("", "x")])), Is.EqualTo(ConvAiWebhookSignatureResult.Valid), "null name");
            Assert.That(_validator.Verify(url, [P("To", null!)], _validator.ComputeSignature(url, [P("To", "")])), Is.EqualTo(ConvAiWebhookSignatureResult.Valid), "null value");
        });
    }

    [TestCase(null, TestName = "ComputeSignature_NullUrl_ThrowsNamingUrl")]
    [TestCase("", TestName = "ComputeSignature_EmptyUrl_ThrowsNamingUrl")]
    public void ComputeSignature_NoUrl_ThrowsNamingUrl(string? url) =>
        Assert.That(() => _validator.ComputeSignature(url!, DocumentedFields), Throws.InstanceOf<ArgumentException>().With.Property("ParamName").EqualTo("url"));

    [Test]
    public void ComputeSignature_FormFieldsNull_ThrowsNamingFormFields() =>
        Assert.That(() => _validator.ComputeSignature(DocumentedUrl, null!), Throws.ArgumentNullException.With.Property("ParamName").EqualTo("formFields"));

    internal static NameValueCollection ToCollection(IEnumerable<KeyValuePair<string, string>> fields)
    {
        var collection = new NameValueCollection(StringComparer.Ordinal);
        foreach (var (name, value) in fields)
        {
            collection.Add(name, value);
        }

        return collection;
    }

    internal static KeyValuePair<string, string> P(string name, string value) => new(name, value);

    [TestCase(null, ConvAiWebhookSignatureResult.MissingHeader)]
    [TestCase("", ConvAiWebhookSignatureResult.MissingHeader)]
    [TestCase("not base64!", ConvAiWebhookSignatureResult.Malformed)]
    [TestCase("AAAA", ConvAiWebhookSignatureResult.Malformed)]
    [TestCase("AAAAAAAAAAAAAAAAAAAAAAAAAAA=", ConvAiWebhookSignatureResult.Mismatch)]
    public void Verify_BadSignature_SaysWhy(string? signature, ConvAiWebhookSignatureResult expected) =>
        Assert.That(_validator.Verify(DocumentedUrl, DocumentedFields, signature), Is.EqualTo(expected));
}
