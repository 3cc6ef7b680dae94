using ConvAi.Telephony;
using ConvAi.Telephony.AspNetCore;

namespace ConvAi.Telephony.Samples.Tests.InboundRouting;

/// <summary>Builds Twilio's "A call comes in" request as Twilio sends it to the sample.</summary>
internal static class TwilioCall
{
    public const string Path = "/twilio/inbound";

    /// <summary>The URL the endpoint rebuilds from a WebApplicationFactory request, which is what Twilio signs.</summary>
    public const string Url = "http://localhost" + Path;

    public const string CalledNumber = "+14155550100";

    public static Dictionary<string, string> Form(string from) => new(StringComparer.Ordinal)
    {
        ["AccountSid"] = "AC00000000000000000000000000000000",
        ["CallSid"] = "CA00000000000000000000000000000001",
        ["Direction"] = "inbound",
        ["From"] = from,
        ["To"] = CalledNumber,
    };

    public static string Sign(IReadOnlyDictionary<string, string> form, string url = Url, string authToken = InboundRoutingFactory.AuthToken) =>
        new TwilioRequestValidator(authToken).ComputeSignature(url, form);

    public static HttpRequestMessage Request(IReadOnlyDictionary<string, string> form, string? signature)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri(Path, UriKind.Relative)) { Content = new FormUrlEncodedContent(form) };
        if (signature is not null)
        {
            request.Headers.Add(TwilioRequestValidator.HeaderName, signature);
        }

        return request;
    }

    public static HttpRequestMessage SignedRequest(string from)
    {
        var form = Form(from);
        return Request(form, Sign(form));
    }
}
