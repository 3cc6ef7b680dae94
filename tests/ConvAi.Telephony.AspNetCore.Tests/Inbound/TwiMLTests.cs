using System.Xml.Linq;
using ConvAi.Telephony;
using ConvAi.Telephony.AspNetCore;
using Microsoft.AspNetCore.Http;

namespace ConvAi.Telephony.AspNetCore.Tests.Inbound;

public class TwiMLTests
{
    private static IEnumerable<TestCaseData> Documents()
    {
        yield return new TestCaseData(TwiML.Reject(), "<Response><Reject /></Response>").SetArgDisplayNames("Reject");
        yield return new TestCaseData(TwiML.Reject(busySignal: true), "<Response><Reject reason=\"busy\" /></Response>").SetArgDisplayNames("Reject busy");
        yield return new TestCaseData(TwiML.Dial(" +14155550100 "), "<Response><Dial>+14155550100</Dial></Response>").SetArgDisplayNames("Dial");
        yield return new TestCaseData(TwiML.SayAndHangup("Sorry & goodbye <now>"), "<Response><Say>Sorry &amp; goodbye &lt;now&gt;</Say><Hangup /></Response>").SetArgDisplayNames("SayAndHangup escapes");
    }

    [TestCaseSource(nameof(Documents))]
    public void Build_Verbs_WritesWellFormedResponseDocument(string document, string expectedRoot)
    {
        var parsed = XDocument.Parse(document);
        Assert.Multiple(() =>
        {
            Assert.That(document, Does.StartWith("<?xml version=\"1.0\" encoding=\"utf-8\"?>"));
            Assert.That(parsed.Root!.ToString(SaveOptions.DisableFormatting), Is.EqualTo(expectedRoot));
        });
    }

    [Test]
    public void SayAndHangup_MarkupInText_StaysText()
    {
        var parsed = XDocument.Parse(TwiML.SayAndHangup("</Say><Dial>+19005550100</Dial><Say>"));
        Assert.Multiple(() =>
        {
            Assert.That(parsed.Root!.Elements().Select(e => e.Name.LocalName), Is.EqualTo(new[] { "Say", "Hangup" }));
            Assert.That(parsed.Root.Element("Say")!.Value, Is.EqualTo("</Say><Dial>+19005550100</Dial><Say>"));
        });
    }

    [TestCase(null)]
    [TestCase("")]
    [TestCase("  ")]
    public void Dial_BlankNumber_ThrowsArgumentExceptionNamingNumber(string? number)
    {
        var exception = Assert.Catch<ArgumentException>(() => TwiML.Dial(number!));
        Assert.That(exception!.ParamName, Is.EqualTo("number"));
    }

    [TestCase(null)]
    [TestCase("")]
    public void SayAndHangup_BlankText_ThrowsArgumentExceptionNamingText(string? text)
    {
        var exception = Assert.Catch<ArgumentException>(() => TwiML.SayAndHangup(text!));
        Assert.That(exception!.ParamName, Is.EqualTo("text"));
    }

    [Test]
    public async Task ExecuteAsync_Document_WritesTextXmlWithStatus200()
    {
        var context = new DefaultHttpContext();
        context.Response.Body = new MemoryStream();
        var document = TwiML.SayAndHangup("Olá, até já");

        await Results.Extensions.TwiML(document).ExecuteAsync(context);

        context.Response.Body.Position = 0;
        using var reader = new StreamReader(context.Response.Body);
        var body = await reader.ReadToEndAsync();
        Assert.Multiple(() =>
        {
            Assert.That(context.Response.StatusCode, Is.EqualTo(200));
            Assert.That(context.Response.ContentType, Is.EqualTo("text/xml; charset=utf-8"));
            Assert.That(body, Is.EqualTo(document));
        });
    }

    [Test]
    public void Constructor_EmptyDocument_ThrowsArgumentExceptionNamingDocument()
    {
        var exception = Assert.Catch<ArgumentException>(() => _ = new TwiMLResult(""));
        Assert.That(exception!.ParamName, Is.EqualTo("document"));
    }
}
