namespace ConvAi.Telephony.Testing;

/// <summary>The recording every emulated call has: a tiny MP3-like byte sequence (an ID3 tag and two silent frames).</summary>
internal static class EmulatedAudio
{
    public const string ContentType = "audio/mpeg";

    public static byte[] Mp3 { get; } = Create();

    private static byte[] Create()
    {
        const int FrameLength = 417; // MPEG-1 Layer III, 128 kbit/s, 44.1 kHz
        var bytes = new byte[10 + (2 * FrameLength)];
        "ID3"u8.CopyTo(bytes);
        bytes[3] = 4; // ID3v2.4, no flags, empty tag
        for (var frame = 0; frame < 2; frame++)
        {
            var offset = 10 + (frame * FrameLength);
            bytes[offset] = 0xFF;
            bytes[offset + 1] = 0xFB;
            bytes[offset + 2] = 0x90;
            bytes[offset + 3] = 0x64;
        }

        return bytes;
    }
}
