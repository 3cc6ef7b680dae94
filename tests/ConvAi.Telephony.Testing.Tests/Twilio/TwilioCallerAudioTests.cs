using System.Text;

namespace ConvAi.Telephony.Testing.Tests;

/// <summary>The caller's audio: raw μ-law, WAV files, generated speech-like bursts.</summary>
public class TwilioCallerAudioTests
{
    private static byte[] Wav(ushort format, ushort channels, uint rate, ushort bits, byte[] data)
    {
        using var stream = new MemoryStream();
        using var w = new BinaryWriter(stream);
        w.Write(Encoding.ASCII.GetBytes("RIFF"));
        w.Write(36 + 8 + data.Length);
        w.Write(Encoding.ASCII.GetBytes("WAVE"));
        w.Write(Encoding.ASCII.GetBytes("fmt "));
        w.Write(18);
        w.Write(format);
        w.Write(channels);
        w.Write(rate);
        w.Write(rate * channels * bits / 8);
        w.Write((ushort)(channels * bits / 8));
        w.Write(bits);
        w.Write((ushort)0); // cbSize
        w.Write(Encoding.ASCII.GetBytes("fact"));
        w.Write(4);
        w.Write(data.Length);
        w.Write(Encoding.ASCII.GetBytes("data"));
        w.Write(data.Length);
        w.Write(data);
        w.Flush();
        return stream.ToArray();
    }

    [Test]
    public void FromFileBytes_MulawWav_YieldsTheDataChunk()
    {
        var data = new byte[] { 1, 2, 3, 4, 5 };
        Assert.That(TwilioCallerAudio.FromFileBytes(Wav(7, 1, 8000, 8, data)).Ulaw.ToArray(), Is.EqualTo(data));
    }

    [Test]
    public void FromFileBytes_Pcm16Wav_IsEncodedToMulaw()
    {
        var samples = new short[] { 0, 1000, -1000, 32000 };
        var data = samples.SelectMany(BitConverter.GetBytes).ToArray();
        var audio = TwilioCallerAudio.FromFileBytes(Wav(1, 1, 8000, 16, data));
        Assert.That(audio.Ulaw.ToArray(), Is.EqualTo(samples.Select(AgentAudio.LinearToUlaw).ToArray()));
    }

    [Test]
    public void FromFileBytes_RawBytes_AreTakenAsMulaw()
    {
        var raw = new byte[] { 0xFF, 0x7F, 0x00, 0x10 };
        Assert.That(TwilioCallerAudio.FromFileBytes(raw).Ulaw.ToArray(), Is.EqualTo(raw));
    }

    [TestCase((ushort)1, (ushort)1, 16000u, (ushort)16, "format 1, 16-bit, 16000 Hz, 1 channel(s)")]
    [TestCase((ushort)7, (ushort)2, 8000u, (ushort)8, "format 7, 8-bit, 8000 Hz, 2 channel(s)")]
    [TestCase((ushort)3, (ushort)1, 8000u, (ushort)32, "format 3, 32-bit, 8000 Hz, 1 channel(s)")]
    public void FromFileBytes_OtherWav_IsRejectedWithWhatItHolds(ushort format, ushort channels, uint rate, ushort bits, string described)
    {
        var error = Assert.Throws<InvalidDataException>(() => TwilioCallerAudio.FromFileBytes(Wav(format, channels, rate, bits, new byte[16])));
        Assert.That(error!.Message, Does.StartWith("The WAV file holds " + described + "; Twilio streams μ-law 8 kHz mono"));
    }

    [Test]
    public void FromFile_ReadsAFile()
    {
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllBytes(path, Wav(7, 1, 8000, 8, [9, 8, 7]));
            Assert.That(TwilioCallerAudio.FromFile(path).Ulaw.ToArray(), Is.EqualTo(new byte[] { 9, 8, 7 }));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Test]
    public void SpeechBursts_AreSpeechThenSilence_OfTheGivenLengths()
    {
        var audio = TwilioCallerAudio.SpeechBursts(2, TimeSpan.FromMilliseconds(500), TimeSpan.FromMilliseconds(300));

        Assert.That(audio.Ulaw.Length, Is.EqualTo(2 * (4000 + 2400)));
        Assert.That(audio.Duration, Is.EqualTo(TimeSpan.FromMilliseconds(1600)));
        var bytes = audio.Ulaw.ToArray();
        Assert.That(AgentAudio.Energy(bytes.AsSpan(0, 4000), ConversationAudioFormat.Ulaw8000), Is.GreaterThan(AgentAudio.SpeechThreshold));
        Assert.That(bytes.AsSpan(4000, 2400).ToArray(), Has.All.EqualTo((byte)0xFF));
        Assert.That(AgentAudio.Energy(bytes.AsSpan(6400, 4000), ConversationAudioFormat.Ulaw8000), Is.GreaterThan(AgentAudio.SpeechThreshold));
        Assert.That(TwilioCallerAudio.SpeechBursts(2, TimeSpan.FromMilliseconds(500), TimeSpan.FromMilliseconds(300)).Ulaw.ToArray(), Is.EqualTo(bytes), "deterministic");
    }

    [Test]
    public void SilenceAndThen_Concatenate()
    {
        var audio = TwilioCallerAudio.FromUlaw([1, 2]).Then(TwilioCallerAudio.Silence(TimeSpan.FromMilliseconds(1)));
        Assert.That(audio.Ulaw.ToArray(), Is.EqualTo(new byte[] { 1, 2, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF }));
        Assert.Throws<ArgumentOutOfRangeException>(() => TwilioCallerAudio.SpeechBursts(0));
    }
}
