namespace ConvAi.Telephony.Tests.Http;

/// <summary>The kind is read from the mark the sub-client declares; the URL plays no part, and an unmarked POST fails closed.</summary>
public class RequestKindsTests
{
    [TestCase("POST", "https://api.elevenlabs.io/v1/convai/conversations/c/feedback", nameof(RequestKind.CallPlacing))]
    [TestCase("POST", "https://api.elevenlabs.io/v1/convai/some-new-endpoint", nameof(RequestKind.CallPlacing))]
    [TestCase("POST", "/v1/convai/batch-calling/b/cancel", nameof(RequestKind.CallPlacing))]
    [TestCase("GET", "https://api.elevenlabs.io/v1/convai/twilio/outbound-call", nameof(RequestKind.RetrySafe))]
    [TestCase("DELETE", "https://api.elevenlabs.io/v1/convai/batch-calling/batch_1", nameof(RequestKind.RetrySafe))]
    [TestCase("PATCH", "https://api.elevenlabs.io/v1/convai/phone-numbers/p", nameof(RequestKind.RetrySafe))]
    [TestCase("PUT", "https://api.elevenlabs.io/v1/convai/phone-numbers/p", nameof(RequestKind.RetrySafe))]
    public void Get_Unmarked_PostIsCallPlacingOtherMethodsRetrySafe(string method, string url, string expected)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), new Uri(url, UriKind.RelativeOrAbsolute));

        Assert.That(RequestKinds.Get(request), Is.EqualTo(Enum.Parse<RequestKind>(expected)));
    }

    [TestCase("POST", "https://api.elevenlabs.io/v1/convai/twilio/outbound-call", nameof(RequestKind.RetrySafe))]
    [TestCase("POST", "https://api.elevenlabs.io/v1/convai/conversations/c/feedback", nameof(RequestKind.CallPlacing))]
    [TestCase("POST", "https://api.elevenlabs.io/v1/convai/batch-calling/b/cancel", nameof(RequestKind.PhoneNumberImport))]
    [TestCase("GET", "https://api.elevenlabs.io/v1/convai/conversations", nameof(RequestKind.CallPlacing))]
    [TestCase("DELETE", "https://api.elevenlabs.io/v1/convai/phone-numbers/p", nameof(RequestKind.PhoneNumberImport))]
    public void Get_Marked_ReturnsTheMarkWhateverTheMethodAndPath(string method, string url, string kind)
    {
        var mark = Enum.Parse<RequestKind>(kind);
        using var request = new HttpRequestMessage(new HttpMethod(method), url);
        request.Options.Set(RequestKinds.OptionKey, mark);

        Assert.That(RequestKinds.Get(request), Is.EqualTo(mark));
    }

    [TestCase(nameof(RequestKind.RetrySafe))]
    [TestCase(nameof(RequestKind.CallPlacing))]
    [TestCase(nameof(RequestKind.PhoneNumberImport))]
    [TestCase(nameof(RequestKind.ResourceCreation))]
    public void Get_MarkStoredAsObject_AsRefitStoresProperties_IsRead(string kind)
    {
        var mark = Enum.Parse<RequestKind>(kind);
        using var request = new HttpRequestMessage(HttpMethod.Post, "https://api.elevenlabs.io/v1/convai/x");
        request.Options.Set(new HttpRequestOptionsKey<object?>(RequestKinds.OptionName), mark);

        Assert.That(RequestKinds.Get(request), Is.EqualTo(mark));
    }

    [Test]
    public void Get_MarkOfAnotherType_IsIgnoredAndPostFailsClosed()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "https://api.elevenlabs.io/v1/convai/x");
        request.Options.Set(new HttpRequestOptionsKey<string>(RequestKinds.OptionName), "retry_safe");

        Assert.That(RequestKinds.Get(request), Is.EqualTo(RequestKind.CallPlacing));
    }

    [TestCase(nameof(RequestKind.RetrySafe), "retry_safe")]
    [TestCase(nameof(RequestKind.CallPlacing), "call_placing")]
    [TestCase(nameof(RequestKind.PhoneNumberImport), "phone_number_import")]
    [TestCase(nameof(RequestKind.ResourceCreation), "resource_creation")]
    [TestCase("99", "call_placing")]
    public void Tag_Kind_IsTheTelemetryValue(string kind, string expected)
        => Assert.That(RequestKinds.Tag(Enum.Parse<RequestKind>(kind)), Is.EqualTo(expected));

    [Test]
    public void Get_NullRequest_ThrowsArgumentNullException()
        => Assert.That(() => RequestKinds.Get(null!), Throws.ArgumentNullException.With.Property(nameof(ArgumentException.ParamName)).EqualTo("request"));

    [Test]
    public void OptionKey_IsTheNameRefitPropertiesUse()
        => Assert.That(RequestKinds.OptionKey.Key, Is.EqualTo(RequestKinds.OptionName).And.EqualTo("ConvAi.RequestKind"));
}
