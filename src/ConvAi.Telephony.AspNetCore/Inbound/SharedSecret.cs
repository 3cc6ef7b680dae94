using System.Security.Cryptography;
using System.Text;

namespace ConvAi.Telephony.AspNetCore;

/// <summary>Compares a presented secret with the configured one in constant time.</summary>
internal static class SharedSecret
{
    /// <summary>
    /// Returns whether <paramref name="presented"/> equals <paramref name="expected"/>. Both are hashed
    /// first, so neither the content nor the length of the secret leaks through timing.
    /// </summary>
    public static bool Matches(string? presented, string expected)
    {
        if (string.IsNullOrEmpty(presented))
        {
            return false;
        }

        Span<byte> presentedHash = stackalloc byte[SHA256.HashSizeInBytes];
        Span<byte> expectedHash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes(presented), presentedHash);
        SHA256.HashData(Encoding.UTF8.GetBytes(expected), expectedHash);
        return CryptographicOperations.FixedTimeEquals(presentedHash, expectedHash);
    }
}
