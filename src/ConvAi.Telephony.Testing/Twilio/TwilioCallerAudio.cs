using System.Buffers.Binary;

namespace ConvAi.Telephony.Testing;

/// <summary>
/// What the simulated caller says: G.711 μ-law audio at 8 kHz, mono, the format Twilio streams in <c>media</c> messages.
/// The simulator sends it in 20 ms frames of 160 bytes.
/// </summary>
public sealed class TwilioCallerAudio
{
    /// <summary>The number of μ-law bytes in one second of audio (8,000 samples of one byte).</summary>
    public const int BytesPerSecond = 8000;

    /// <summary>The μ-law byte of silence (a zero sample).</summary>
    public const byte SilenceByte = 0xFF;

    private const ushort WaveFormatPcm = 1;
    private const ushort WaveFormatMulaw = 7;

    private readonly byte[] _ulaw;

    private TwilioCallerAudio(byte[] ulaw) => _ulaw = ulaw;

    /// <summary>Gets no audio at all: the caller stays silent (with pacing on, the simulator still sends silent frames, as Twilio does).</summary>
    public static TwilioCallerAudio None { get; } = new([]);

    /// <summary>Gets the μ-law bytes.</summary>
    public ReadOnlyMemory<byte> Ulaw => _ulaw;

    /// <summary>Gets how long the audio plays.</summary>
    public TimeSpan Duration => TimeSpan.FromSeconds((double)_ulaw.Length / BytesPerSecond);

    /// <summary>Wraps raw μ-law bytes (8 kHz, mono, no header).</summary>
    /// <param name="ulaw">The audio; copied.</param>
    /// <returns>The audio.</returns>
    public static TwilioCallerAudio FromUlaw(ReadOnlySpan<byte> ulaw) => new(ulaw.ToArray());

    /// <summary>Silence of the given length.</summary>
    /// <param name="duration">How long; rounded down to whole samples.</param>
    /// <returns>The audio.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="duration"/> is negative.</exception>
    public static TwilioCallerAudio Silence(TimeSpan duration)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(duration, TimeSpan.Zero);
        var bytes = new byte[(int)(duration.TotalSeconds * BytesPerSecond)];
        bytes.AsSpan().Fill(SilenceByte);
        return new TwilioCallerAudio(bytes);
    }

    /// <summary>
    /// Generated speech-like audio: <paramref name="bursts"/> bursts of a voiced sound (a 140 Hz fundamental with
    /// harmonics and a syllable-rate envelope), each followed by a pause, loud enough for a voice-activity detector
    /// (the emulator's agent hears each burst as a user turn when the pause is long enough). The same bytes every time.
    /// </summary>
    /// <param name="bursts">How many bursts (1 to 100).</param>
    /// <param name="burst">How long each burst lasts (default 800 ms).</param>
    /// <param name="pause">The silence after each burst (default 700 ms).</param>
    /// <returns>The audio.</returns>
    /// <exception cref="ArgumentOutOfRangeException">A count or a length is out of range.</exception>
    public static TwilioCallerAudio SpeechBursts(int bursts = 1, TimeSpan? burst = null, TimeSpan? pause = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(bursts, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(bursts, 100);
        var burstLength = burst ?? TimeSpan.FromMilliseconds(800);
        var pauseLength = pause ?? TimeSpan.FromMilliseconds(700);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(burstLength, TimeSpan.Zero, nameof(burst));
        ArgumentOutOfRangeException.ThrowIfLessThan(pauseLength, TimeSpan.Zero, nameof(pause));
        var burstSamples = (int)(burstLength.TotalSeconds * BytesPerSecond);
        var pauseSamples = (int)(pauseLength.TotalSeconds * BytesPerSecond);
        var audio = new byte[bursts * (burstSamples + pauseSamples)];
        audio.AsSpan().Fill(SilenceByte);
        for (var b = 0; b < bursts; b++)
        {
            var offset = b * (burstSamples + pauseSamples);
            for (var i = 0; i < burstSamples; i++)
            {
                var t = (double)i / BytesPerSecond;
                // A voiced sound: fundamental plus two harmonics, pitch drifting a little per burst.
                var f0 = 140 + (15 * b % 45);
                var voiced = Math.Sin(2 * Math.PI * f0 * t) + (0.5 * Math.Sin(2 * Math.PI * 2 * f0 * t)) + (0.25 * Math.Sin(2 * Math.PI * 3 * f0 * t));
                // Syllables at about 4 per second, with a fade in and out of the whole burst.
                var syllable = 0.55 + (0.45 * Math.Sin(2 * Math.PI * 4 * t));
                var edge = Math.Min(1, Math.Min(i, burstSamples - i) / 160.0);
                audio[offset + i] = AgentAudio.LinearToUlaw((short)(voiced * syllable * edge * 6000));
            }
        }

        return new TwilioCallerAudio(audio);
    }

    /// <summary>
    /// Reads audio from a file: a WAV file in μ-law (format 7) or 16-bit PCM (format 1, converted to μ-law), 8 kHz mono; any
    /// other file is taken as raw μ-law bytes.
    /// </summary>
    /// <param name="path">The file to read.</param>
    /// <returns>The audio.</returns>
    /// <exception cref="InvalidDataException">The file is a WAV file in another format, rate or channel count; the message says which.</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public static TwilioCallerAudio FromFile(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        return FromFileBytes(File.ReadAllBytes(path));
    }

    /// <summary>Reads audio from the bytes of a file, as <see cref="FromFile(string)"/> does.</summary>
    /// <param name="file">The file's bytes: a WAV file or raw μ-law.</param>
    /// <returns>The audio.</returns>
    /// <exception cref="InvalidDataException">The bytes are a WAV file in another format, rate or channel count.</exception>
    public static TwilioCallerAudio FromFileBytes(ReadOnlySpan<byte> file)
    {
        if (file.Length < 12 || !file[..4].SequenceEqual("RIFF"u8) || !file.Slice(8, 4).SequenceEqual("WAVE"u8))
        {
            return FromUlaw(file);
        }

        ushort format = 0, channels = 0, bits = 0;
        uint rate = 0;
        var position = 12;
        while (position + 8 <= file.Length)
        {
            var id = file.Slice(position, 4);
            var size = (int)Math.Min(BinaryPrimitives.ReadUInt32LittleEndian(file.Slice(position + 4, 4)), (uint)(file.Length - position - 8));
            var body = file.Slice(position + 8, size);
            if (id.SequenceEqual("fmt "u8) && size >= 16)
            {
                format = BinaryPrimitives.ReadUInt16LittleEndian(body);
                channels = BinaryPrimitives.ReadUInt16LittleEndian(body[2..]);
                rate = BinaryPrimitives.ReadUInt32LittleEndian(body[4..]);
                bits = BinaryPrimitives.ReadUInt16LittleEndian(body[14..]);
            }
            else if (id.SequenceEqual("data"u8))
            {
                if (channels != 1 || rate != BytesPerSecond || !((format == WaveFormatMulaw && bits == 8) || (format == WaveFormatPcm && bits == 16)))
                {
                    throw new InvalidDataException(
                        $"The WAV file holds format {format}, {bits}-bit, {rate} Hz, {channels} channel(s); Twilio streams μ-law 8 kHz mono: "
                        + "give a μ-law (format 7) or 16-bit PCM (format 1) WAV file at 8000 Hz, mono "
                        + "(e.g. ffmpeg -i in.wav -ar 8000 -ac 1 -acodec pcm_mulaw out.wav).");
                }

                if (format == WaveFormatMulaw)
                {
                    return FromUlaw(body);
                }

                var ulaw = new byte[body.Length / 2];
                for (var i = 0; i < ulaw.Length; i++)
                {
                    ulaw[i] = AgentAudio.LinearToUlaw(BinaryPrimitives.ReadInt16LittleEndian(body[(2 * i)..]));
                }

                return new TwilioCallerAudio(ulaw);
            }

            position += 8 + size + (size & 1);
        }

        throw new InvalidDataException("The WAV file has no data chunk (or no fmt chunk before it).");
    }

    /// <summary>This audio followed by <paramref name="next"/>.</summary>
    /// <param name="next">The audio that follows.</param>
    /// <returns>The joined audio.</returns>
    public TwilioCallerAudio Then(TwilioCallerAudio next)
    {
        ArgumentNullException.ThrowIfNull(next);
        return new TwilioCallerAudio([.. _ulaw, .. next._ulaw]);
    }
}
