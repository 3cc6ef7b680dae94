using System.Buffers;

namespace ConvAi.Telephony.AspNetCore;

/// <summary>The bridge's pooled arrays (frames from Twilio, messages to Twilio, held caller audio), counted so tests can check every one came back.</summary>
internal static class MediaStreamBuffers
{
    private static long _rented;
    private static long _returned;

    public static long Outstanding => Interlocked.Read(ref _rented) - Interlocked.Read(ref _returned);

    public static byte[] Rent(int minimumLength)
    {
        var array = ArrayPool<byte>.Shared.Rent(minimumLength);
        Interlocked.Increment(ref _rented);
        return array;
    }

    public static void Return(byte[] array)
    {
        ArrayPool<byte>.Shared.Return(array);
        Interlocked.Increment(ref _returned);
    }
}
