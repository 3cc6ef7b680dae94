using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace ConvAi.Telephony;

/// <summary>
/// Verifies the <c>X-Twilio-Signature</c> header of a Twilio webhook request: an HMAC-SHA1, keyed by
/// the account's auth token, over the full request URL followed by every form field sorted by name
/// (ordinal), each name immediately followed by its value; the digest is base64 encoded.
/// </summary>
/// <remarks>
/// <para>This class has no ASP.NET Core dependency and can be used from any host.</para>
/// <para>Like Twilio's own libraries, <see cref="Verify(string, IEnumerable{KeyValuePair{string, string}}, string?)"/>
/// accepts the signature computed over the URL without its port and over the URL with its port (the
/// scheme's default port when none is given), because Twilio signs the URL exactly as it was configured.
/// For a field sent more than once, Twilio's libraries disagree: the .NET library joins the values with
/// commas, the others append the name and each value in order. Both forms are accepted.</para>
/// <para>Comparisons run in constant time. The auth token is never exposed by this class.</para>
/// </remarks>
public sealed class TwilioRequestValidator
{
    /// <summary>The name of the HTTP header that carries Twilio's request signature.</summary>
    public const string HeaderName = "X-Twilio-Signature";

    private const int Sha1Length = 20;
    private const string HttpsPrefix = "https://";
    private const string HttpPrefix = "http://";
    private const string WssPrefix = "wss://";
    private const string WsPrefix = "ws://";
    private const string NotAnAbsoluteHttpUrl = "The URL must be an absolute http, https, ws or wss URL.";

    private readonly byte[] _key;

    /// <summary>Creates a validator for requests signed with the given Twilio auth token.</summary>
    /// <param name="authToken">The Twilio account's auth token (the primary or secondary token).</param>
    /// <exception cref="ArgumentException"><paramref name="authToken"/> is null, empty or white space.</exception>
    public TwilioRequestValidator(string authToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(authToken);
        _key = Encoding.UTF8.GetBytes(authToken);
    }

    /// <summary>
    /// Checks a signature against a request URL and its form fields; the same shape as
    /// <see cref="ConvAiWebhookSignature.Verify(ReadOnlySpan{byte}, string?)"/>.
    /// </summary>
    /// <param name="url">
    /// The full URL Twilio requested, including the query string, as Twilio saw it; for a media stream's WebSocket handshake, the
    /// <c>wss://</c> URL of the <c>&lt;Stream&gt;</c>.
    /// </param>
    /// <param name="formFields">The form fields of the POST body, a repeated field once per value; empty for a GET request or a WebSocket handshake.</param>
    /// <param name="signature">The value of the <c>X-Twilio-Signature</c> header, or <see langword="null"/> when it was missing.</param>
    /// <returns>
    /// <see cref="ConvAiWebhookSignatureResult.Valid"/> when the signature matches;
    /// <see cref="ConvAiWebhookSignatureResult.MissingHeader"/> when it is missing or empty;
    /// <see cref="ConvAiWebhookSignatureResult.Malformed"/> when it is not the base64 of an HMAC-SHA1;
    /// otherwise <see cref="ConvAiWebhookSignatureResult.Mismatch"/>. Twilio signs no timestamp, so nothing is stale.
    /// </returns>
    /// <exception cref="ArgumentException"><paramref name="url"/> is not an absolute http, https, ws or wss URL.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="formFields"/> is null.</exception>
    public ConvAiWebhookSignatureResult Verify(string url, IEnumerable<KeyValuePair<string, string>> formFields, string? signature)
    {
        var (withoutPort, withPort) = UrlVariants(url);
        ArgumentNullException.ThrowIfNull(formFields);
        if (string.IsNullOrEmpty(signature))
        {
            return ConvAiWebhookSignatureResult.MissingHeader;
        }

        Span<byte> expected = stackalloc byte[Sha1Length];
        if (!Convert.TryFromBase64String(signature, expected, out var written) || written != Sha1Length)
        {
            return ConvAiWebhookSignatureResult.Malformed;
        }

        var fields = SortedFields(formFields);
        var hasRepeatedNames = HasRepeatedNames(fields);
        var matched = false;
        foreach (var candidate in new[] { withoutPort, withPort })
        {
            // Non-short-circuiting OR keeps the work independent of which variant matched.
            matched |= Matches(candidate, fields, joinRepeatedValues: true, expected);
            if (hasRepeatedNames)
            {
                matched |= Matches(candidate, fields, joinRepeatedValues: false, expected);
            }
        }

        return matched ? ConvAiWebhookSignatureResult.Valid : ConvAiWebhookSignatureResult.Mismatch;
    }

    /// <summary>
    /// Computes the signature Twilio sends for a request, for example to sign requests in tests.
    /// </summary>
    /// <param name="url">The full URL, including the query string, exactly as it is signed.</param>
    /// <param name="formFields">The form fields of the POST body, a repeated field once per value.</param>
    /// <returns>The base64 signature, as sent in the <c>X-Twilio-Signature</c> header.</returns>
    /// <exception cref="ArgumentException"><paramref name="url"/> is null or empty.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="formFields"/> is null.</exception>
    public string ComputeSignature(string url, IEnumerable<KeyValuePair<string, string>> formFields)
    {
        ArgumentException.ThrowIfNullOrEmpty(url);
        ArgumentNullException.ThrowIfNull(formFields);
        Span<byte> hash = stackalloc byte[Sha1Length];
        Hash(url, SortedFields(formFields), joinRepeatedValues: true, hash);
        return Convert.ToBase64String(hash);
    }

    private bool Matches(string url, List<KeyValuePair<string, string>> fields, bool joinRepeatedValues, ReadOnlySpan<byte> expected)
    {
        Span<byte> actual = stackalloc byte[Sha1Length];
        Hash(url, fields, joinRepeatedValues, actual);
        return CryptographicOperations.FixedTimeEquals(actual, expected);
    }

    private void Hash(string url, List<KeyValuePair<string, string>> fields, bool joinRepeatedValues, Span<byte> destination)
    {
        var text = new StringBuilder(url);
        for (var i = 0; i < fields.Count; i++)
        {
            var (name, value) = fields[i];
            var continuesPrevious = joinRepeatedValues && i > 0 && string.Equals(fields[i - 1].Key, name, StringComparison.Ordinal);
            if (continuesPrevious)
            {
                text.Append(',').Append(value);
            }
            else
            {
                text.Append(name).Append(value);
            }
        }

        HMACSHA1.HashData(_key, Encoding.UTF8.GetBytes(text.ToString()), destination);
    }

    // Stable sort by name (ordinal), keeping the order of the values of a repeated name.
    private static List<KeyValuePair<string, string>> SortedFields(IEnumerable<KeyValuePair<string, string>> formFields) =>
        formFields
            .Select(field => new KeyValuePair<string, string>(field.Key ?? string.Empty, field.Value ?? string.Empty))
            .OrderBy(field => field.Key, StringComparer.Ordinal)
            .ToList();

    private static bool HasRepeatedNames(List<KeyValuePair<string, string>> sortedFields)
    {
        for (var i = 1; i < sortedFields.Count; i++)
        {
            if (string.Equals(sortedFields[i - 1].Key, sortedFields[i].Key, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    // The URL without any port and with an explicit port (the scheme's default when none is given),
    // leaving every other character as Twilio signed it.
    private static (string WithoutPort, string WithPort) UrlVariants(string url)
    {
        ArgumentException.ThrowIfNullOrEmpty(url);
        int defaultPort;
        int authorityStart;
        if (url.StartsWith(HttpsPrefix, StringComparison.OrdinalIgnoreCase))
        {
            defaultPort = 443;
            authorityStart = HttpsPrefix.Length;
        }
        else if (url.StartsWith(HttpPrefix, StringComparison.OrdinalIgnoreCase))
        {
            defaultPort = 80;
            authorityStart = HttpPrefix.Length;
        }
        else if (url.StartsWith(WssPrefix, StringComparison.OrdinalIgnoreCase))
        {
            // A media stream's WebSocket handshake is signed over its wss:// URL, with no form fields.
            defaultPort = 443;
            authorityStart = WssPrefix.Length;
        }
        else if (url.StartsWith(WsPrefix, StringComparison.OrdinalIgnoreCase))
        {
            defaultPort = 80;
            authorityStart = WsPrefix.Length;
        }
        else
        {
            throw new ArgumentException(NotAnAbsoluteHttpUrl, nameof(url));
        }

        // The authority ends where the path, the query or the fragment starts.
        var authorityLength = url.AsSpan(authorityStart).IndexOfAny('/', '?', '#');
        var authorityEnd = authorityLength < 0 ? url.Length : authorityStart + authorityLength;

        // Keep any user info ("user:password@") with the scheme; the port follows the host.
        var userInfoLength = url.AsSpan(authorityStart, authorityEnd - authorityStart).LastIndexOf('@');
        if (userInfoLength >= 0)
        {
            authorityStart += userInfoLength + 1;
        }

        var authority = url[authorityStart..authorityEnd];
        var hostEnd = authority.LastIndexOf(']') + 1; // after an IPv6 literal, if any
        var colon = authority.IndexOf(':', hostEnd);
        string host;
        string port;
        if (colon < 0)
        {
            host = authority;
            port = defaultPort.ToString(CultureInfo.InvariantCulture);
        }
        else
        {
            host = authority[..colon];
            port = authority[(colon + 1)..];
        }

        if (host.Length == 0)
        {
            throw new ArgumentException(NotAnAbsoluteHttpUrl, nameof(url));
        }

        var prefix = url[..authorityStart];
        var rest = url[authorityEnd..];
        return (prefix + host + rest, prefix + host + ":" + port + rest);
    }
}
