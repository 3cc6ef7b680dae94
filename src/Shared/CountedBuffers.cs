using System.Buffers;

namespace ConvAi.Telephony;

/// <summary>
/// Byte arrays rented from <see cref="ArrayPool{T}.Shared"/> and counted, so tests can check every rented array came
/// back. Each derived class (<typeparamref name="TOwner"/>) has counters of its own, so a test can tell which side held
/// an array. One source file linked into ConvAi.Telephony (the realtime session) and ConvAi.Telephony.AspNetCore (the
/// Media Streams bridge).
/// </summary>
/// <typeparam name="TOwner">The class that counts its arrays (the derived class itself).</typeparam>
internal abstract class CountedBuffers<TOwner>
    where TOwner : CountedBuffers<TOwner>
{
    private static long _rented;
    private static long _returned;

    /// <summary>Gets the number of arrays rented and not yet returned.</summary>
    public static long Outstanding => Interlocked.Read(ref _rented) - Interlocked.Read(ref _returned);

    /// <summary>Rents an array of at least <paramref name="minimumLength"/> bytes.</summary>
    public static byte[] Rent(int minimumLength)
    {
        var array = ArrayPool<byte>.Shared.Rent(minimumLength);
        Interlocked.Increment(ref _rented);
        return array;
    }

    /// <summary>Returns an array rented with <see cref="Rent"/>.</summary>
    public static void Return(byte[] array)
    {
        ArrayPool<byte>.Shared.Return(array);
        Interlocked.Increment(ref _returned);
    }
}
