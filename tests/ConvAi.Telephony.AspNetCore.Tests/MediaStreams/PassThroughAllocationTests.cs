using System.Text;

namespace ConvAi.Telephony.AspNetCore.Tests.MediaStreams;

/// <summary>
/// The per-frame parsing of both directions creates nothing: a Twilio <c>media</c> frame is read in place (the payload stays base64 in
/// the receive buffer), and an agent <c>audio</c> message is scanned for the sink without an <see cref="AgentAudioEvent"/>.
/// </summary>
public class PassThroughAllocationTests
{
    private static readonly byte[] TwilioMedia = Encoding.UTF8.GetBytes(
        """{"event":"media","sequenceNumber":"3","media":{"track":"inbound","chunk":"1","timestamp":"5","payload":"""
        + "\"" + Convert.ToBase64String(new byte[160]) + "\"},\"streamSid\":\"MZ18ad3ab5a668481ce02b83e7395059f0\"}");

    private static readonly byte[] TwilioMark = Encoding.UTF8.GetBytes("""{"event":"mark","sequenceNumber":"4","streamSid":"MZ1","mark":{"name":"17"}}""");

    private static readonly byte[] AgentAudio = Encoding.UTF8.GetBytes(
        """{"type":"audio","audio_event":{"audio_base_64":""" + "\"" + Convert.ToBase64String(new byte[800]) + "\",\"event_id\":3}}");

    [Test]
    public void TwilioMediaFrame_IsReadInPlace()
    {
        var message = TwilioStreamMessages.Read(TwilioMedia);

        Assert.Multiple(() =>
        {
            Assert.That(message.Event, Is.EqualTo(TwilioStreamEvent.Media));
            Assert.That(message.IsInbound, Is.True);
            Assert.That(Encoding.UTF8.GetString(TwilioMedia, message.PayloadStart, message.PayloadLength), Is.EqualTo(Convert.ToBase64String(new byte[160])));
            Assert.That(TwilioStreamMessages.Read(TwilioMark).MarkNumber, Is.EqualTo(17));
        });
    }

    [Test]
    public void TwilioFrames_ReadWithoutAllocating()
    {
        for (var i = 0; i < 100; i++)
        {
            TwilioStreamMessages.Read(TwilioMedia);
            TwilioStreamMessages.Read(TwilioMark);
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1000; i++)
        {
            TwilioStreamMessages.Read(TwilioMedia);
            TwilioStreamMessages.Read(TwilioMark);
        }

        Assert.That(GC.GetAllocatedBytesForCurrentThread() - before, Is.Zero);
    }

    [Test]
    public void AgentAudio_ScannedForTheSinkWithoutAllocating()
    {
        for (var i = 0; i < 100; i++)
        {
            ServerMessageParser.ScanAudio(AgentAudio, out _, out _, out _, out _);
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        AudioScan scan = default;
        long eventId = 0;
        for (var i = 0; i < 1000; i++)
        {
            scan = ServerMessageParser.ScanAudio(AgentAudio, out eventId, out _, out _, out _);
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Multiple(() =>
        {
            Assert.That(scan, Is.EqualTo(AudioScan.Audio));
            Assert.That(eventId, Is.EqualTo(3));
            Assert.That(allocated, Is.Zero);
        });
    }

    [TestCase("""{"event":"media","media":{"track":"outbound","payload":"AAEC"}}""", "Media", false, TestName = "Read_OutboundTrack_NotInbound")]
    [TestCase("""{"event":"connected","protocol":"Call","version":"1.0.0"}""", "Connected", true, TestName = "Read_Connected")]
    [TestCase("""{"event":"stop","stop":{"callSid":"CA1"}}""", "Stop", true, TestName = "Read_Stop")]
    [TestCase("""{"event":"something_new","x":{}}""", "Unknown", true, TestName = "Read_UnknownEvent_Kept")]
    [TestCase("""{"event":"media"}""", "Malformed", true, TestName = "Read_MediaWithoutPayload_Malformed")]
    [TestCase("""{"media":{"payload":"AAEC"}}""", "Malformed", true, TestName = "Read_NoEvent_Malformed")]
    public void Read_Classifies(string json, string expectedEvent, bool inboundOrNotMedia)
    {
        var expected = Enum.Parse<TwilioStreamEvent>(expectedEvent);
        var message = TwilioStreamMessages.Read(Encoding.UTF8.GetBytes(json));
        Assert.That(message.Event, Is.EqualTo(expected));
        if (expected == TwilioStreamEvent.Media)
        {
            Assert.That(message.IsInbound, Is.EqualTo(inboundOrNotMedia));
        }
    }
}
