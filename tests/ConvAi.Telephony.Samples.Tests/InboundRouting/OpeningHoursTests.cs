using System.Globalization;

namespace ConvAi.Telephony.Samples.Tests.InboundRouting;

/// <summary>The after-hours rule with an on-call number configured, on a fake clock (Europe/London, Monday to Friday 08:00-18:00).</summary>
public class OpeningHoursTests
{
    private const string OnCallNumber = "+14155550111";

    private static readonly Dictionary<string, string> AfterHoursSettings = new() { ["Routing:AfterHoursDialNumber"] = OnCallNumber };

    [TestCase("2026-03-07T10:00:00Z", TestName = "{m}(Saturday)")]
    [TestCase("2026-03-02T07:59:00Z", TestName = "{m}(before opening, GMT)")]
    [TestCase("2026-03-02T18:00:00Z", TestName = "{m}(at closing, GMT)")]
    [TestCase("2026-07-06T17:30:00Z", TestName = "{m}(18:30 BST)")]
    public async Task PostInbound_OutsideOpeningHours_DialsTheOnCallNumber(string utcNow)
    {
        var twiml = await CallAtAsync(utcNow);

        var dial = twiml.Root!.Element("Dial");
        Assert.That(dial, Is.Not.Null, twiml.ToString());
        Assert.That(dial!.Value.Trim(), Is.EqualTo(OnCallNumber));
    }

    [TestCase("2026-03-02T08:00:00Z", TestName = "{m}(at opening, GMT)")]
    [TestCase("2026-07-06T07:30:00Z", TestName = "{m}(08:30 BST)")]
    public async Task PostInbound_InsideOpeningHours_ConnectsTheAgent(string utcNow)
    {
        var twiml = await CallAtAsync(utcNow);

        Assert.That(twiml.Root!.Element("Connect")?.Element("Stream"), Is.Not.Null, twiml.ToString());
    }

    private static async Task<System.Xml.Linq.XDocument> CallAtAsync(string utcNow)
    {
        await using var factory = new InboundRoutingFactory(AfterHoursSettings, now: DateTimeOffset.Parse(utcNow, CultureInfo.InvariantCulture));
        using var client = factory.CreateClient();

        using var request = TwilioCall.SignedRequest("+447700900123");
        using var response = await client.SendAsync(request);
        return await TwilioInboundCallTests.ReadTwiMLAsync(response);
    }
}
