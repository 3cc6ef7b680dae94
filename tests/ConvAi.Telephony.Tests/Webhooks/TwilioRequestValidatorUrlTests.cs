using System.Collections.Specialized;
using TwilioOracle = Twilio.Security.RequestValidator;

namespace ConvAi.Telephony.Tests.Webhooks;

/// <summary>
/// The URL variants the validator accepts (port added or removed, nothing else changed) and repeated form keys,
/// with Twilio's own <c>RequestValidator</c> as the oracle (pinned by mutation testing, scripts/mutation.sh).
/// </summary>
public class TwilioRequestValidatorUrlTests
{
    private const string AuthToken = "url-variant-token";

    private static readonly KeyValuePair<string, string>[] Call =
    [
        new("CallSid", "CA0123456789abcdef0123456789abcdef"),
        new("From", "+14155550100"),
        new("To", "+14155550199"),
    ];

    private readonly TwilioRequestValidator _validator = new(AuthToken);

    private static IEnumerable<TestCaseData> UrlCases()
    {
        // name, signed URL, requested URL, valid; Twilio's library gives the same answer for each.
        yield return Case("user info", "https://user:pw@example.com/voice", "https://user:pw@example.com/voice", true);
        yield return Case("user info, port added", "https://user:pw@example.com/voice", "https://user:pw@example.com:8443/voice", true);
        yield return Case("user info, other user", "https://user:pw@example.com/voice", "https://other:pw@example.com/voice", false);
        yield return Case("@ in the query", "https://example.com/voice?email=a@b.com", "https://example.com/voice?email=a@b.com", true);
        yield return Case("@ in the query, port added", "https://example.com/voice?email=a@b.com", "https://example.com:8443/voice?email=a@b.com", true);
        yield return Case("@ in the path, port added", "https://example.com/u/@me", "https://example.com:8443/u/@me", true);
        yield return Case("colon in the path, port added", "https://example.com/a:b", "https://example.com:8443/a:b", true);
        yield return Case("no path", "https://example.com", "https://example.com", true);
        yield return Case("IPv6 host", "https://[2001:db8::1]/voice", "https://[2001:db8::1]/voice", true);
        yield return Case("IPv6 host with port", "https://[2001:db8::1]:8443/voice", "https://[2001:db8::1]:8443/voice", true);
        yield return Case("IPv6 host, port added", "https://[2001:db8::1]/voice", "https://[2001:db8::1]:8443/voice", true);
        yield return Case("non-default port removed", "https://example.com/voice", "https://example.com:8443/voice", true);
        yield return Case("https default port signed", "https://example.com:443/voice", "https://example.com/voice", true);
        yield return Case("http default port signed", "http://example.com:80/voice", "http://example.com/voice", true);
        yield return Case("other host", "https://example.com/voice", "https://example.org/voice", false);
        yield return Case("other scheme", "https://example.com/voice", "http://example.com/voice", false);
        yield return Case("other non-default port", "https://example.com:8443/voice", "https://example.com:9443/voice", false);
        yield return Case("https signed with http's default port", "https://example.com:80/voice", "https://example.com/voice", false);
        yield return Case("http signed with https's default port", "http://example.com:443/voice", "http://example.com/voice", false);
        yield return Case("other path", "https://example.com/voice", "https://example.com/voice2", false);
        yield return Case("port moved into the path", "https://example.com:8443/voice", "https://example.com/8443/voice", false);

        static TestCaseData Case(string name, string signedUrl, string requestUrl, bool valid) =>
            new TestCaseData(signedUrl, requestUrl, valid).SetArgDisplayNames(name);
    }

    [TestCaseSource(nameof(UrlCases))]
    public void Verify_UrlVariant_AgreesWithTwilioLibrary(string signedUrl, string requestUrl, bool valid)
    {
        var signature = _validator.ComputeSignature(signedUrl, Call);

        Assert.Multiple(() =>
        {
            Assert.That(_validator.Verify(requestUrl, Call, signature) == ConvAiWebhookSignatureResult.Valid, Is.EqualTo(valid), "ours");
            Assert.That(new TwilioOracle(AuthToken).Validate(requestUrl, ToCollection(Call), signature), Is.EqualTo(valid), "Twilio's");
        });
    }

    // Variants Twilio's .NET library misses (its Uri parsing drops a default port, lower-cases the scheme and adds a "/"
    // path before it builds them) but its other libraries accept: the port is the only difference, so these are accepted.
    [TestCase("https://example.com/voice", "https://example.com:443/voice", TestName = "IsValid_HttpsDefaultPortAdded_ReturnsTrue")]
    [TestCase("http://example.com/voice", "http://example.com:80/voice", TestName = "IsValid_HttpDefaultPortAdded_ReturnsTrue")]
    [TestCase("HTTPS://example.com/voice", "HTTPS://example.com/voice", TestName = "IsValid_UppercaseScheme_ReturnsTrue")]
    [TestCase("HTTP://example.com:80/voice", "HTTP://example.com/voice", TestName = "IsValid_UppercaseHttpSchemeDefaultPortSigned_ReturnsTrue")]
    [TestCase("https://user:pw@example.com:443/voice", "https://user:pw@example.com/voice", TestName = "IsValid_UserInfoWithColon_PortTakenFromHost")]
    [TestCase("https://[2001:db8::1]:443/voice", "https://[2001:db8::1]/voice", TestName = "IsValid_IPv6DefaultPortSigned_ReturnsTrue")]
    [TestCase("https://example.com?x=1", "https://example.com:8443?x=1", TestName = "IsValid_NoPathQueryPortAdded_ReturnsTrue")]
    [TestCase("https://example.com#f", "https://example.com:8443#f", TestName = "IsValid_NoPathFragmentPortAdded_ReturnsTrue")]
    [TestCase("wss://example.com/media", "wss://example.com:443/media", TestName = "IsValid_WssDefaultPortAdded_ReturnsTrue")]
    [TestCase("WSS://example.com:443/media", "WSS://example.com/media", TestName = "IsValid_UppercaseWssDefaultPortSigned_ReturnsTrue")]
    [TestCase("ws://example.com/media", "ws://example.com:80/media", TestName = "IsValid_WsDefaultPortAdded_ReturnsTrue")]
    public void Verify_DefaultPortVariant_ReturnsTrue(string signedUrl, string requestUrl) =>
        Assert.That(_validator.Verify(requestUrl, Call, _validator.ComputeSignature(signedUrl, Call)), Is.EqualTo(ConvAiWebhookSignatureResult.Valid));

    // A media stream's handshake is signed over its wss:// URL: the scheme is part of what is signed, so the https form of the same
    // URL (what ASP.NET Core sees for the upgrade request) must not match, and the other way round.
    [TestCase("wss://example.com/twilio/media", "https://example.com/twilio/media", TestName = "Verify_WssSignedHttpsChecked_Mismatch")]
    [TestCase("https://example.com/twilio/media", "wss://example.com/twilio/media", TestName = "Verify_HttpsSignedWssChecked_Mismatch")]
    [TestCase("ws://example.com/twilio/media", "wss://example.com/twilio/media", TestName = "Verify_WsSignedWssChecked_Mismatch")]
    public void Verify_SchemeDiffers_Mismatch(string signedUrl, string requestUrl) =>
        Assert.That(_validator.Verify(requestUrl, [], _validator.ComputeSignature(signedUrl, [])), Is.EqualTo(ConvAiWebhookSignatureResult.Mismatch));

    [TestCase("https://:8443/voice", TestName = "IsValid_EmptyHostWithPort_Throws")]
    [TestCase("https://user@/voice", TestName = "IsValid_EmptyHostAfterUserInfo_Throws")]
    [TestCase("https://@/voice", TestName = "IsValid_EmptyUserInfoAndHost_Throws")]
    [TestCase("https:///voice", TestName = "IsValid_EmptyAuthority_Throws")]
    [TestCase("https://", TestName = "IsValid_SchemeOnly_Throws")]
    [TestCase("http:/example.com/voice", TestName = "IsValid_OneSlash_Throws")]
    [TestCase("://example.com/voice", TestName = "IsValid_EmptyScheme_Throws")]
    [TestCase("example.com/voice", TestName = "IsValid_NoScheme_Throws")]
    [TestCase("ftp://example.com/voice", TestName = "IsValid_OtherScheme_Throws")]
    [TestCase("wss:///voice", TestName = "IsValid_WssEmptyAuthority_Throws")]
    public void Verify_NotAnAbsoluteHttpUrl_ThrowsNamingUrl(string url)
    {
        var exception = Assert.Catch<ArgumentException>(() => _validator.Verify(url, Call, "AAAAAAAAAAAAAAAAAAAAAAAAAAA="));

        Assert.Multiple(() =>
        {
            Assert.That(exception!.ParamName, Is.EqualTo("url"));
            Assert.That(exception.Message, Does.StartWith("The URL must be an absolute http, https, ws or wss URL."));
        });
    }

    [Test]
    public void Verify_FormFieldsNull_ThrowsArgumentNullException() =>
        Assert.That(() => _validator.Verify("https://example.com/voice", null!, "sig"), Throws.ArgumentNullException.With.Property("ParamName").EqualTo("formFields"));

    private static IEnumerable<TestCaseData> RepeatedKeyCases()
    {
        yield return Case("apart in the body", [P("Event", "initiated"), P("To", "+1"), P("Event", "ringing")]);
        yield return Case("first and last", [P("A", "1"), P("B", "2"), P("C", "3"), P("A", "4")]);
        yield return Case("two names repeated", [P("B", "x"), P("A", "1"), P("B", "y"), P("A", "2")]);
        yield return Case("empty values", [P("A", ""), P("A", ""), P("B", "")]);
        yield return Case("value with a comma", [P("A", "1,2"), P("A", "3")]);
        // Joined ("," + value) and value by value ("," + value) sign the same text here: both forms match, still valid.
        yield return Case("a repeated name that is a comma", [P(",", "x"), P(",", "y")]);

        static TestCaseData Case(string name, KeyValuePair<string, string>[] fields) => new TestCaseData((object)fields).SetArgDisplayNames(name);
    }

    [TestCaseSource(nameof(RepeatedKeyCases))]
    public void Verify_RepeatedKeys_AgreeWithTwilioLibrary(KeyValuePair<string, string>[] fields)
    {
        const string url = "https://example.com/status";
        var signature = _validator.ComputeSignature(url, fields);
        var reordered = fields.AsEnumerable().Reverse().ToArray();
        var oracle = new TwilioOracle(AuthToken);

        Assert.Multiple(() =>
        {
            Assert.That(_validator.Verify(url, fields, signature), Is.EqualTo(ConvAiWebhookSignatureResult.Valid), "ours");
            Assert.That(oracle.Validate(url, ToCollection(fields), signature), Is.True, "Twilio's");
            // The values of a repeated key are signed in the order they were sent, so swapping them breaks the signature.
            Assert.That(_validator.Verify(url, reordered, signature) == ConvAiWebhookSignatureResult.Valid, Is.EqualTo(oracle.Validate(url, ToCollection(reordered), signature)), "reordered");
            Assert.That(_validator.Verify(url, fields.SkipLast(1), signature), Is.Not.EqualTo(ConvAiWebhookSignatureResult.Valid), "one value left out");
        });
    }

    [Test]
    public void Verify_RepeatedKeysNotJoinedWhenSignedJoined_ValueByValueFormNotConfused()
    {
        // "A" + "1,2" (one field whose value has a comma) and "A1" + "A2" are different payloads from "A" + "1" + "," + "2".
        const string url = "https://example.com/status";
        var joined = _validator.ComputeSignature(url, [P("A", "1"), P("A", "2")]);

        Assert.Multiple(() =>
        {
            Assert.That(_validator.Verify(url, [P("A", "1,2")], joined), Is.EqualTo(ConvAiWebhookSignatureResult.Valid), "a comma in one value is the joined form");
            Assert.That(_validator.Verify(url, [P("A", "1"), P("B", "2")], joined), Is.Not.EqualTo(ConvAiWebhookSignatureResult.Valid));
            Assert.That(_validator.Verify(url, [P("A", "2"), P("A", "1")], joined), Is.Not.EqualTo(ConvAiWebhookSignatureResult.Valid));
        });
    }

    private static NameValueCollection ToCollection(IEnumerable<KeyValuePair<string, string>> fields) => TwilioRequestValidatorTests.ToCollection(fields);

    private static KeyValuePair<string, string> P(string name, string value) => TwilioRequestValidatorTests.P(name, value);
}
