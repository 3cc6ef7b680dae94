using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace ConvAi.Telephony.AspNetCore;

/// <summary>What a stream's per-call token turned out to be.</summary>
internal enum CallTokenCheck
{
    Valid,
    Missing,
    Malformed,
    Expired,
    Mismatch,
    Replayed,
}

/// <summary>
/// The one-time per-call token of a media stream: <c>v1.&lt;expiry unix seconds&gt;.&lt;base64url HMAC-SHA256&gt;</c> over the call SID, the
/// expiry and every other <c>&lt;Parameter&gt;</c> (name and value, length-prefixed, sorted by name), keyed by a key derived from the
/// Twilio auth token, so any instance sharing the token can check it. Forged or changed <c>customParameters</c> do not match; a token
/// is accepted once per instance (remembered until it expires).
/// </summary>
internal sealed class MediaStreamTokens
{
    public const string ParameterName = "convai_call_token";
    public const string ReservedPrefix = "convai_";
    private const string Version = "v1";

    private readonly byte[] _key;
    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<string, long> _used = new(StringComparer.Ordinal);
    private int _checks;

    public MediaStreamTokens(string? authToken, TimeProvider time)
    {
        _time = time;
        // Without an auth token (signature validation disabled in Development), a key of this process: tokens then work on one instance.
        _key = string.IsNullOrEmpty(authToken)
            ? RandomNumberGenerator.GetBytes(32)
            : HMACSHA256.HashData(Encoding.UTF8.GetBytes(authToken), "ConvAi.Telephony media stream call token v1"u8);
    }

    /// <summary>Gets the number of used tokens remembered, for tests.</summary>
    public int RememberedCount => _used.Count;

    public string Issue(string callSid, IEnumerable<KeyValuePair<string, string>> parameters, TimeSpan lifetime)
    {
        var expiry = _time.GetUtcNow().Add(lifetime).ToUnixTimeSeconds();
        return Version + "." + expiry.ToString(CultureInfo.InvariantCulture) + "." + Mac(callSid, expiry, parameters);
    }

    public CallTokenCheck Check(string? token, string callSid, IEnumerable<KeyValuePair<string, string>> parameters)
    {
        if (string.IsNullOrEmpty(token))
        {
            return CallTokenCheck.Missing;
        }

        var parts = token.Split('.');
        if (parts.Length != 3 || parts[0] != Version || !long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var expiry) || parts[2].Length != 43)
        {
            return CallTokenCheck.Malformed;
        }

        var expected = Encoding.ASCII.GetBytes(Mac(callSid, expiry, parameters));
        if (!CryptographicOperations.FixedTimeEquals(expected, Encoding.ASCII.GetBytes(parts[2])))
        {
            return CallTokenCheck.Mismatch;
        }

        var now = _time.GetUtcNow().ToUnixTimeSeconds();
        if (now > expiry)
        {
            return CallTokenCheck.Expired;
        }

        Sweep(now);
        return _used.TryAdd(token, expiry) ? CallTokenCheck.Valid : CallTokenCheck.Replayed;
    }

    private void Sweep(long now)
    {
        if (Interlocked.Increment(ref _checks) % 64 != 0)
        {
            return;
        }

        foreach (var (token, expiry) in _used)
        {
            if (expiry < now)
            {
                _used.TryRemove(token, out _);
            }
        }
    }

    private string Mac(string callSid, long expiry, IEnumerable<KeyValuePair<string, string>> parameters)
    {
        var text = new StringBuilder();
        Append(text, Version);
        Append(text, expiry.ToString(CultureInfo.InvariantCulture));
        Append(text, callSid);
        foreach (var (name, value) in parameters.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            Append(text, name);
            Append(text, value);
        }

        var mac = HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes(text.ToString()));
        return Convert.ToBase64String(mac).TrimEnd('=').Replace('+', '-').Replace('/', '_');

        static void Append(StringBuilder text, string value) => text.Append(value.Length.ToString(CultureInfo.InvariantCulture)).Append(':').Append(value);
    }
}
