using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace ConvAi.Telephony.Testing.Tests;

/// <summary>The agent socket's benchmark echo (benchmarks/bridges): caller audio back as agent audio, stamped with the receive time.</summary>
public class AgentBenchmarkEchoTests
{
    private static readonly byte[] Audio = Enumerable.Range(0, 160).Select(i => (byte)i).ToArray();

    private static byte[] Stamped(long received)
    {
        var audio = (byte[])Audio.Clone();
        BinaryPrimitives.WriteInt64LittleEndian(audio.AsSpan(AgentBenchmarkEcho.StampOffset), received);
        return audio;
    }

    [Test]
    public void UserAudioChunk_ComesBackAsAgentAudio_StampedAtBytes20To28()
    {
        var output = new ArrayBufferWriter<byte>();
        var message = Encoding.UTF8.GetBytes($$$"""{"user_audio_chunk":"{{{Convert.ToBase64String(Audio)}}}"}""");

        Assert.That(AgentBenchmarkEcho.Echo(message, 0x0102030405060708, 7, output), Is.True);

        Assert.That(Encoding.UTF8.GetString(output.WrittenSpan),
            Is.EqualTo($$$"""{"type":"audio","audio_event":{"audio_base_64":"{{{Convert.ToBase64String(Stamped(0x0102030405060708))}}}","event_id":7}}"""));
    }

    [Test]
    public void TwilioMediaForwardedAsIs_ComesBackAsTwilioMedia_OnTheSameStream()
    {
        var output = new ArrayBufferWriter<byte>();
        var message = Encoding.UTF8.GetBytes($$$"""{"event":"media","sequenceNumber":"3","media":{"track":"inbound","chunk":"2","timestamp":"20","payload":"{{{Convert.ToBase64String(Audio)}}}"},"streamSid":"MZ1"}""");

        Assert.That(AgentBenchmarkEcho.Echo(message, 42, 1, output), Is.True);

        Assert.That(Encoding.UTF8.GetString(output.WrittenSpan), Is.EqualTo($$$"""{"event":"media","streamSid":"MZ1","media":{"payload":"{{{Convert.ToBase64String(Stamped(42))}}}"}}"""));
    }

    [TestCase("", """{"type":"audio","audio_event":{"audio_base_64":"{0}","event_id":1}}""")]
    [TestCase("MZ1", """{"event":"media","streamSid":"MZ1","media":{"payload":"{0}"}}""")]
    public void Greeting_CarriesTheInitiationTimeAt12AndTheSendTimeAt20(string streamSid, string shape)
    {
        var output = new ArrayBufferWriter<byte>();
        var before = System.Diagnostics.Stopwatch.GetTimestamp();

        AgentBenchmarkEcho.Greeting(Encoding.ASCII.GetBytes(streamSid), 0x0102030405060708, 1, output);

        var text = Encoding.UTF8.GetString(output.WrittenSpan);
        var key = streamSid.Length == 0 ? "\"audio_base_64\":\"" : "\"payload\":\"";
        var start = text.IndexOf(key, StringComparison.Ordinal) + key.Length;
        var payload = text[start..text.IndexOf('"', start)];
        Assert.That(text, Is.EqualTo(shape.Replace("{0}", payload, StringComparison.Ordinal)));
        var audio = Convert.FromBase64String(payload);
        Assert.Multiple(() =>
        {
            Assert.That(audio, Has.Length.EqualTo(160));
            Assert.That(Encoding.ASCII.GetString(audio, 0, 4), Is.EqualTo("CVAG"));
            Assert.That(audio[4..12], Is.All.Zero);
            Assert.That(BinaryPrimitives.ReadInt64LittleEndian(audio.AsSpan(AgentBenchmarkEcho.InitiationOffset)), Is.EqualTo(0x0102030405060708));
            Assert.That(BinaryPrimitives.ReadInt64LittleEndian(audio.AsSpan(AgentBenchmarkEcho.StampOffset)), Is.InRange(before, System.Diagnostics.Stopwatch.GetTimestamp()));
            Assert.That(audio[28..], Is.All.EqualTo(0xFF), "μ-law silence");
        });
    }

    [TestCase("""{"type":"pong","event_id":1}""")]
    [TestCase("""{"event":"start","streamSid":"MZ1"}""")]
    [TestCase("""{"type":"conversation_initiation_client_data"}""")]
    [TestCase("""{"user_audio_chunk":"not base64!"}""")]
    public void OtherMessages_AreNotEchoed(string message)
    {
        var output = new ArrayBufferWriter<byte>();
        Assert.That(AgentBenchmarkEcho.Echo(Encoding.UTF8.GetBytes(message), 1, 1, output), Is.False);
        Assert.That(output.WrittenCount, Is.Zero);
    }
}
