using System.Text;
using System.Xml;

namespace ConvAi.Telephony.AspNetCore;

/// <summary>
/// Builds the small TwiML documents an inbound-call endpoint commonly answers with. Text is
/// XML-escaped by <see cref="XmlWriter"/>, so caller-supplied values cannot change the document.
/// </summary>
/// <remarks>Answer a document from a minimal API endpoint with <c>Results.Extensions.TwiML(document)</c> (<see cref="TwiMLResultExtensions"/>).</remarks>
public static class TwiML
{
    private static readonly XmlWriterSettings WriterSettings = new()
    {
        Encoding = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false),
        Indent = false,
    };

    /// <summary>Builds a document that rejects the call without answering it, so the caller is not billed.</summary>
    /// <param name="busySignal"><see langword="true"/> to play a busy signal; <see langword="false"/> (the default) to play the "not in service" tone.</param>
    /// <returns>The TwiML document, for example <c>&lt;Response&gt;&lt;Reject /&gt;&lt;/Response&gt;</c>.</returns>
    public static string Reject(bool busySignal = false) => Write(writer =>
    {
        writer.WriteStartElement("Reject");
        if (busySignal)
        {
            writer.WriteAttributeString("reason", "busy");
        }

        writer.WriteEndElement();
    });

    /// <summary>Builds a document that connects the caller to another number, for example a human agent.</summary>
    /// <param name="number">The number to dial, preferably in E.164 form (<c>+14155550100</c>).</param>
    /// <returns>The TwiML document <c>&lt;Response&gt;&lt;Dial&gt;number&lt;/Dial&gt;&lt;/Response&gt;</c>.</returns>
    /// <exception cref="ArgumentException"><paramref name="number"/> is null, empty or white space.</exception>
    public static string Dial(string number)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(number);
        return Write(writer => writer.WriteElementString("Dial", number.Trim()));
    }

    /// <summary>Builds a document that speaks a short message to the caller and hangs up.</summary>
    /// <param name="text">The message to speak.</param>
    /// <returns>The TwiML document <c>&lt;Response&gt;&lt;Say&gt;text&lt;/Say&gt;&lt;Hangup /&gt;&lt;/Response&gt;</c>.</returns>
    /// <exception cref="ArgumentException"><paramref name="text"/> is null, empty or white space.</exception>
    public static string SayAndHangup(string text)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(text);
        return Write(writer =>
        {
            writer.WriteElementString("Say", text);
            writer.WriteElementString("Hangup", null);
        });
    }

    /// <summary>Builds the bridge's answer: <c>&lt;Connect&gt;&lt;Stream url&gt;</c> with its parameters, then a <c>&lt;Redirect&gt;</c> that runs once the stream closes.</summary>
    internal static string ConnectStream(string streamUrl, IEnumerable<KeyValuePair<string, string>> parameters, string redirectUrl) => Write(writer =>
    {
        writer.WriteStartElement("Connect");
        writer.WriteStartElement("Stream");
        writer.WriteAttributeString("url", streamUrl);
        foreach (var (name, value) in parameters)
        {
            writer.WriteStartElement("Parameter");
            writer.WriteAttributeString("name", name);
            writer.WriteAttributeString("value", value);
            writer.WriteEndElement();
        }

        writer.WriteEndElement();
        writer.WriteEndElement();
        writer.WriteStartElement("Redirect");
        writer.WriteAttributeString("method", "POST");
        writer.WriteString(redirectUrl);
        writer.WriteEndElement();
    });

    /// <summary>Builds <c>&lt;Response&gt;&lt;Hangup /&gt;&lt;/Response&gt;</c>.</summary>
    internal static string Hangup() => Write(writer => writer.WriteElementString("Hangup", null));

    private static string Write(Action<XmlWriter> writeVerbs)
    {
        using var buffer = new MemoryStream();
        using (var writer = XmlWriter.Create(buffer, WriterSettings))
        {
            writer.WriteStartDocument();
            writer.WriteStartElement("Response");
            writeVerbs(writer);
            writer.WriteEndElement();
            writer.WriteEndDocument();
        }

        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }
}
