namespace ConvAi.Telephony.Tests.Http;

public class RequestKindsTests
{
    [TestCase("POST", "https://api.elevenlabs.io/v1/convai/twilio/outbound-call", true)]
    [TestCase("POST", "https://api.elevenlabs.io/v1/convai/sip-trunk/outbound-call", true)]
    [TestCase("POST", "https://api.elevenlabs.io/v1/convai/twilio/register-call", true)]
    [TestCase("POST", "https://api.elevenlabs.io/v1/convai/batch-calling/submit", true)]
    [TestCase("POST", "https://api.elevenlabs.io/v1/convai/batch-calling/batch_1/retry", true)]
    [TestCase("POST", "https://proxy.example.com/elevenlabs/v1/convai/twilio/outbound-call", true)]
    [TestCase("POST", "https://api.elevenlabs.io/v1/convai/batch-calling/batch_1/cancel", false)]
    [TestCase("POST", "https://api.elevenlabs.io/v1/convai/conversations/c/feedback", false)]
    [TestCase("POST", "https://api.elevenlabs.io/v1/convai/phone-numbers", false)]
    [TestCase("GET", "https://api.elevenlabs.io/v1/convai/batch-calling/batch_1", false)]
    [TestCase("GET", "https://api.elevenlabs.io/v1/convai/twilio/outbound-call", false)]
    [TestCase("DELETE", "https://api.elevenlabs.io/v1/convai/batch-calling/batch_1", false)]
    public void IsCallPlacing_Request_ClassifiesByMethodAndPath(string method, string url, bool expected)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), url);

        Assert.That(RequestKinds.IsCallPlacing(request), Is.EqualTo(expected));
    }

    [TestCase("POST", "https://api.elevenlabs.io/v1/convai/phone-numbers", false)]
    [TestCase("POST", "https://api.elevenlabs.io/v1/convai/twilio/outbound-call", false)]
    [TestCase("GET", "https://api.elevenlabs.io/v1/convai/phone-numbers", true)]
    [TestCase("PATCH", "https://api.elevenlabs.io/v1/convai/phone-numbers/p", true)]
    [TestCase("POST", "https://api.elevenlabs.io/v1/convai/batch-calling/b/cancel", true)]
    public void IsRetrySafe_Request_ExcludesCallPlacingAndImport(string method, string url, bool expected)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), url);

        Assert.That(RequestKinds.IsRetrySafe(request), Is.EqualTo(expected));
    }
}
