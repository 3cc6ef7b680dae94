namespace ConvAi.Telephony.Testing;

/// <summary>
/// The emulated agent's voice and ear: a deterministic tone in the agent's output format (μ-law 8 kHz or 16-bit PCM), cut into
/// 100 ms chunks, and the energy of the caller's audio, to tell speech from silence.
/// </summary>
internal static class AgentAudio
{
    /// <summary>The length of one audio chunk the agent sends.</summary>
    public static readonly TimeSpan ChunkDuration = TimeSpan.FromMilliseconds(100);

    /// <summary>How long the agent speaks per character of text (at least one chunk, at most 10 seconds).</summary>
    private const int MillisecondsPerCharacter = 40;

    /// <summary>The RMS level (of 32,768) above which the caller's audio counts as speech.</summary>
    public const double SpeechThreshold = 500;

    public static int SampleRate(ConversationAudioFormat format)
        => format.Value.StartsWith("pcm_", StringComparison.Ordinal) && int.TryParse(format.Value.AsSpan(4), out var rate) ? rate : 8000;

    public static bool IsUlaw(ConversationAudioFormat format) => format == ConversationAudioFormat.Ulaw8000;

    /// <summary>The chunks of the agent speaking <paramref name="text"/>: a 440 Hz tone with a short fade, the same bytes every time.</summary>
    public static IReadOnlyList<byte[]> Speak(string text, ConversationAudioFormat format)
    {
        var milliseconds = Math.Clamp(text.Length * MillisecondsPerCharacter, (int)ChunkDuration.TotalMilliseconds, 10_000);
        var chunks = (milliseconds + (int)ChunkDuration.TotalMilliseconds - 1) / (int)ChunkDuration.TotalMilliseconds;
        var rate = SampleRate(format);
        var samplesPerChunk = rate / 10;
        var result = new List<byte[]>(chunks);
        var n = 0;
        for (var c = 0; c < chunks; c++)
        {
            var chunk = new byte[IsUlaw(format) ? samplesPerChunk : samplesPerChunk * 2];
            for (var i = 0; i < samplesPerChunk; i++, n++)
            {
                var sample = (short)(Math.Sin(2 * Math.PI * 440 * n / rate) * 8000);
                if (IsUlaw(format))
                {
                    chunk[i] = LinearToUlaw(sample);
                }
                else
                {
                    chunk[2 * i] = (byte)sample;
                    chunk[(2 * i) + 1] = (byte)(sample >> 8);
                }
            }

            result.Add(chunk);
        }

        return result;
    }

    /// <summary>The RMS level of a chunk of the caller's audio, from 0 (silence) to 32,768.</summary>
    public static double Energy(ReadOnlySpan<byte> audio, ConversationAudioFormat format)
    {
        double sum = 0;
        var count = 0;
        if (IsUlaw(format))
        {
            foreach (var b in audio)
            {
                double s = UlawToLinear(b);
                sum += s * s;
                count++;
            }
        }
        else
        {
            for (var i = 0; i + 1 < audio.Length; i += 2)
            {
                double s = (short)(audio[i] | (audio[i + 1] << 8));
                sum += s * s;
                count++;
            }
        }

        return count == 0 ? 0 : Math.Sqrt(sum / count);
    }

    /// <summary>The duration of a chunk of the caller's audio.</summary>
    public static TimeSpan Duration(int bytes, ConversationAudioFormat format)
        => TimeSpan.FromSeconds((double)(IsUlaw(format) ? bytes : bytes / 2) / SampleRate(format));

    /// <summary>G.711 μ-law encoding of one 16-bit sample.</summary>
    public static byte LinearToUlaw(short sample)
    {
        const int Bias = 0x84;
        const int Clip = 32635;
        var sign = (sample >> 8) & 0x80;
        int magnitude = sign != 0 ? -sample : sample;
        magnitude = Math.Min(magnitude, Clip) + Bias;
        var exponent = 7;
        for (var mask = 0x4000; (magnitude & mask) == 0 && exponent > 0; mask >>= 1)
        {
            exponent--;
        }

        var mantissa = (magnitude >> (exponent + 3)) & 0x0F;
        return (byte)~(sign | (exponent << 4) | mantissa);
    }

    /// <summary>G.711 μ-law decoding of one byte.</summary>
    public static short UlawToLinear(byte ulaw)
    {
        var u = ~ulaw;
        var sign = u & 0x80;
        var exponent = (u >> 4) & 0x07;
        var mantissa = u & 0x0F;
        var magnitude = (((mantissa << 3) + 0x84) << exponent) - 0x84;
        return (short)(sign != 0 ? -magnitude : magnitude);
    }
}
