using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace ConvAi.Telephony.Testing;

/// <summary>
/// Builds the <c>ElevenLabs-Signature</c> header (§8.2): <c>t=&lt;unix seconds&gt;,v0=&lt;lowercase hex&gt;</c>, where the
/// digest is HMAC-SHA256 keyed with the secret's UTF-8 bytes over <c>"{t}." + raw body</c>.
/// </summary>
/// <remarks>
/// Kept inside the emulator until the add-on's public <c>ConvAiWebhookSignature.CreateHeader</c> is available to it.
/// </remarks>
internal static class WebhookSigner
{
    public const string HeaderName = "ElevenLabs-Signature";

    public static string CreateHeader(string secret, long unixSeconds, ReadOnlySpan<byte> body)
    {
        var prefix = Encoding.UTF8.GetBytes(unixSeconds.ToString(CultureInfo.InvariantCulture) + ".");
        var signed = new byte[prefix.Length + body.Length];
        prefix.CopyTo(signed, 0);
        body.CopyTo(signed.AsSpan(prefix.Length));
        var digest = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), signed);
        return string.Create(CultureInfo.InvariantCulture, $"t={unixSeconds},v0={Convert.ToHexString(digest).ToLowerInvariant()}");
    }
}
