using System.Security.Cryptography;

namespace ConvAi.Telephony.Testing;

/// <summary>Makes identifiers that look like the real API's (prefix plus random lowercase characters).</summary>
internal static class EmulatorIds
{
    private const string Alphabet = "0123456789abcdefghjkmnpqrstvwxyz";

    public static string New(string prefix, int length = 26) =>
        prefix + RandomNumberGenerator.GetString(Alphabet, length);

    public static string TwilioCallSid() => "CA" + RandomNumberGenerator.GetHexString(32, lowercase: true);

    public static string TwilioAccountSid() => "AC" + RandomNumberGenerator.GetHexString(32, lowercase: true);
}
