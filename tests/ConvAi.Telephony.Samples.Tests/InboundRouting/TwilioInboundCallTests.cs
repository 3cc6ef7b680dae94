using System.Net;
using System.Xml.Linq;

namespace ConvAi.Telephony.Samples.Tests.InboundRouting;

public class TwilioInboundCallTests
{
    private InboundRoutingFactory _factory = null!;
    private HttpClient _client = null!;

    [SetUp]
    public void SetUp()
    {
        _factory = new InboundRoutingFactory();
        _client = _factory.CreateClient();
    }

    [TearDown]
    public async Task TearDown()
    {
        _client.Dispose();
        await _factory.DisposeAsync();
    }

    // Callers from the sample's appsettings.json Routing section; the VIP agent is set by the factory.
    [TestCase("+447700900123", InboundRoutingFactory.EmulatedAgentId, TestName = "{m}(ordinary caller)")]
    [TestCase("+14155550123", InboundRoutingFactory.VipAgentId, TestName = "{m}(VIP caller)")]
    public async Task PostInbound_CallerRoutedToAnAgent_AnswersConnectTwiMLFromRegisterCall(string from, string agentId)
    {
        using var request = TwilioCall.SignedRequest(from);
        using var response = await _client.SendAsync(request);

        var twiml = await ReadTwiMLAsync(response);
        var stream = twiml.Root!.Element("Connect")?.Element("Stream");
        Assert.That(stream, Is.Not.Null, twiml.ToString());
        Assert.Multiple(() =>
        {
            // The emulator's TwiML: its media-stream URL and the registered conversation's parameters.
            Assert.That(stream!.Attribute("url")?.Value, Does.StartWith("wss://").And.EndWith("/v1/convai/conversation/twilio"));
            Assert.That(Parameter(stream!, "agent_id"), Is.EqualTo(agentId));
            Assert.That(Parameter(stream!, "conversation_id"), Is.Not.Empty);
        });
    }

    [TestCase("+15005550001", TestName = "{m}(blocked number)")]
    [TestCase("anonymous", TestName = "{m}(withheld number)")]
    public async Task PostInbound_BlockedCaller_AnswersRejectTwiML(string from)
    {
        using var request = TwilioCall.SignedRequest(from);
        using var response = await _client.SendAsync(request);

        var twiml = await ReadTwiMLAsync(response);
        Assert.That(twiml.Root!.Elements().Select(e => e.Name.LocalName), Is.EqualTo(new[] { "Reject" }), twiml.ToString());
    }

    public enum Forgery
    {
        MissingSignature,
        ForgedSignature,
        OtherAuthToken,
        OtherUrl,
        OtherFields,
    }

    [TestCase(Forgery.MissingSignature)]
    [TestCase(Forgery.ForgedSignature)]
    [TestCase(Forgery.OtherAuthToken)]
    [TestCase(Forgery.OtherUrl)]
    [TestCase(Forgery.OtherFields)]
    public async Task PostInbound_SignatureNotValid_Returns403(Forgery forgery)
    {
        var form = TwilioCall.Form("+447700900123");
        var signature = forgery switch
        {
            Forgery.MissingSignature => null,
            Forgery.ForgedSignature => "AAAAAAAAAAAAAAAAAAAAAAAAAAA=",
            Forgery.OtherAuthToken => TwilioCall.Sign(form, authToken: "another-token"),
            Forgery.OtherUrl => TwilioCall.Sign(form, url: "https://voice.example.com" + TwilioCall.Path),
            Forgery.OtherFields => TwilioCall.Sign(TwilioCall.Form("+14155550123")),
            _ => throw new ArgumentOutOfRangeException(nameof(forgery)),
        };

        using var request = TwilioCall.Request(form, signature);
        using var response = await _client.SendAsync(request);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That(await response.Content.ReadAsStringAsync(), Does.Not.Contain("<Response"));
    }

    internal static async Task<XDocument> ReadTwiMLAsync(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), body);
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("text/xml"));
        var twiml = XDocument.Parse(body);
        Assert.That(twiml.Root?.Name.LocalName, Is.EqualTo("Response"), body);
        return twiml;
    }

    private static string? Parameter(XElement stream, string name) =>
        stream.Elements("Parameter").SingleOrDefault(p => p.Attribute("name")?.Value == name)?.Attribute("value")?.Value;
}
