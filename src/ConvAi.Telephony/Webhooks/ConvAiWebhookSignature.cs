using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.ObjectPool;

namespace ConvAi.Telephony;

/// <summary>
/// Verifies and creates the <c>ElevenLabs-Signature</c> header of ElevenLabs webhooks
/// (<c>t=&lt;unix seconds&gt;,v0=&lt;lowercase hex HMAC-SHA256 of "{t}." + raw body&gt;</c>, keyed with the
/// secret's UTF-8 bytes). Usable without ASP.NET Core; thread-safe; allocation-free when verifying.
/// </summary>
public sealed class ConvAiWebhookSignature
{
    /// <summary>The name of the HTTP header that carries the signature.</summary>
    public const string HeaderName = "ElevenLabs-Signature";

    /// <summary>The default age after which a signed timestamp is rejected as stale: 30 minutes, as in the official SDKs.</summary>
    public static readonly TimeSpan DefaultTolerance = TimeSpan.FromMinutes(30);

    /// <summary>The default clock skew allowed for timestamps in the future: 5 minutes.</summary>
    public static readonly TimeSpan DefaultFutureTolerance = TimeSpan.FromMinutes(5);

    private const int DigestSize = 32;
    private const int MaxTimestampDigits = 12;

    // One pool of keyed HMACs per secret. Reusing a keyed IncrementalHash skips the MAC set-up that a one-shot
    // HMACSHA256.HashData pays on every call: under a 32-connection burst that halved the verifier's CPU per delivery
    // (benchmarks/README.md, "The verifier reuses its keyed HMAC").
    private readonly ObjectPool<IncrementalHash>[] _hmacs;
    private readonly TimeProvider _timeProvider;
    private readonly long _toleranceSeconds;
    private readonly long _futureToleranceSeconds;

    /// <summary>Creates a verifier for one secret with the default tolerances.</summary>
    /// <param name="secret">The webhook secret shown by ElevenLabs when the webhook was created.</param>
    /// <param name="timeProvider">The clock used for the timestamp check; <see cref="TimeProvider.System"/> when null.</param>
    /// <exception cref="ArgumentException">The secret is null, empty or white space.</exception>
    [SuppressMessage("ApiDesign", "RS0026:Do not add multiple public overloads with optional parameters", Justification = "The overloads differ in their required parameters (one secret vs secrets and tolerances), so no call is ambiguous; both shipped together.")]
    public ConvAiWebhookSignature(string secret, TimeProvider? timeProvider = null)
        : this([secret], DefaultTolerance, DefaultFutureTolerance, timeProvider)
    {
    }

    /// <summary>Creates a verifier that accepts a signature made with any of several secrets (for rotation).</summary>
    /// <param name="secrets">The accepted secrets; blank entries are ignored, at least one must remain.</param>
    /// <param name="tolerance">How old a signed timestamp may be.</param>
    /// <param name="futureTolerance">How far in the future a signed timestamp may be (clock skew).</param>
    /// <param name="timeProvider">The clock used for the timestamp check; <see cref="TimeProvider.System"/> when null.</param>
    /// <exception cref="ArgumentException">No usable secret, or a negative tolerance.</exception>
    [SuppressMessage("ApiDesign", "RS0026:Do not add multiple public overloads with optional parameters", Justification = "The overloads differ in their required parameters (one secret vs secrets and tolerances), so no call is ambiguous; both shipped together.")]
    public ConvAiWebhookSignature(
        IEnumerable<string> secrets,
        TimeSpan tolerance,
        TimeSpan futureTolerance,
        TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(secrets);
        var keys = secrets
            .Where(secret => !string.IsNullOrWhiteSpace(secret))
            .Distinct(StringComparer.Ordinal)
            .Select(Encoding.UTF8.GetBytes)
            .ToArray();
        if (keys.Length == 0)
        {
            throw new ArgumentException("At least one non-empty webhook secret is required.", nameof(secrets));
        }

        if (tolerance < TimeSpan.Zero)
        {
            throw new ArgumentException("The tolerance must not be negative.", nameof(tolerance));
        }

        if (futureTolerance < TimeSpan.Zero)
        {
            throw new ArgumentException("The future tolerance must not be negative.", nameof(futureTolerance));
        }

        var pools = new DefaultObjectPoolProvider();
        _hmacs = Array.ConvertAll(keys, key => pools.Create(new KeyedHmacPolicy(key)));
        _toleranceSeconds = (long)tolerance.TotalSeconds;
        _futureToleranceSeconds = (long)futureTolerance.TotalSeconds;
        _timeProvider = timeProvider ?? TimeProvider.System;
    }

    /// <summary>Checks a signature header against the raw request body.</summary>
    /// <param name="body">The request body exactly as received (never a re-serialized copy).</param>
    /// <param name="signatureHeader">The value of the <c>ElevenLabs-Signature</c> header, or null when absent.</param>
    /// <returns>The outcome; this method does not throw for bad input.</returns>
    public ConvAiWebhookSignatureResult Verify(ReadOnlySpan<byte> body, string? signatureHeader)
    {
        var header = signatureHeader.AsSpan().Trim();
        if (header.IsEmpty)
        {
            return ConvAiWebhookSignatureResult.MissingHeader;
        }

        if (!TryParseHeader(header, out var timestampText, out var timestamp))
        {
            return ConvAiWebhookSignatureResult.Malformed;
        }

        var now = _timeProvider.GetUtcNow().ToUnixTimeSeconds();
        if (timestamp < now - _toleranceSeconds || timestamp > now + _futureToleranceSeconds)
        {
            return ConvAiWebhookSignatureResult.Stale;
        }

        // The signed payload is "{t}." followed by the raw body: the prefix and the body are hashed one after the other.
        Span<byte> prefix = stackalloc byte[MaxTimestampDigits + 1];
        for (var i = 0; i < timestampText.Length; i++)
        {
            prefix[i] = (byte)timestampText[i];
        }

        prefix[timestampText.Length] = (byte)'.';
        prefix = prefix[..(timestampText.Length + 1)];
        Span<byte> expected = stackalloc byte[DigestSize];
        Span<byte> candidate = stackalloc byte[DigestSize];
        foreach (var pool in _hmacs)
        {
            // Returned only after GetHashAndReset: a hash that threw part-way is dropped, never reused with stale input.
            var hmac = pool.Get();
            hmac.AppendData(prefix);
            hmac.AppendData(body);
            hmac.GetHashAndReset(expected);
            pool.Return(hmac);
            if (MatchesAnyEntry(header, expected, candidate))
            {
                return ConvAiWebhookSignatureResult.Valid;
            }
        }

        return ConvAiWebhookSignatureResult.Mismatch;
    }

    /// <summary>
    /// Creates a valid <c>ElevenLabs-Signature</c> header value for a body, for tests and for senders
    /// such as an emulator.
    /// </summary>
    /// <param name="secret">The webhook secret.</param>
    /// <param name="body">The exact body bytes that will be sent.</param>
    /// <param name="timestamp">The signing time; its Unix seconds become the <c>t=</c> value.</param>
    /// <returns>A header value of the form <c>t=1739537297,v0=&lt;64 lowercase hex digits&gt;</c>.</returns>
    /// <exception cref="ArgumentException">The secret is null, empty or white space.</exception>
    public static string CreateHeader(string secret, ReadOnlySpan<byte> body, DateTimeOffset timestamp)
    {
        if (string.IsNullOrWhiteSpace(secret))
        {
            throw new ArgumentException("A non-empty webhook secret is required.", nameof(secret));
        }

        var t = timestamp.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var payload = new byte[t.Length + 1 + body.Length];
        Encoding.ASCII.GetBytes(t, payload);
        payload[t.Length] = (byte)'.';
        body.CopyTo(payload.AsSpan(t.Length + 1));
        var digest = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), payload);
        return $"t={t},v0={Convert.ToHexString(digest).ToLowerInvariant()}";
    }

    /// <summary>Finds the single <c>t=</c> entry (digits only) and checks that at least one <c>v0=</c> entry exists.</summary>
    private static bool TryParseHeader(ReadOnlySpan<char> header, out ReadOnlySpan<char> timestampText, out long timestamp)
    {
        timestampText = default;
        timestamp = 0;
        var sawTimestamp = false;
        var sawSignature = false;
        var position = 0;
        while (TryReadEntry(header, ref position, out var start, out var length))
        {
            var entry = header.Slice(start, length);
            if (entry.StartsWith("t=", StringComparison.Ordinal))
            {
                var value = entry[2..];
                if (sawTimestamp
                    || value.IsEmpty
                    || value.Length > MaxTimestampDigits
                    || !long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out timestamp))
                {
                    return false;
                }

                sawTimestamp = true;
                timestampText = value;
            }
            else if (entry.StartsWith("v0=", StringComparison.Ordinal))
            {
                sawSignature = true;
            }
        }

        return sawTimestamp && sawSignature;
    }

    /// <summary>Compares every well-formed <c>v0=</c> entry with the expected digest in constant time.</summary>
    private static bool MatchesAnyEntry(ReadOnlySpan<char> header, ReadOnlySpan<byte> expected, Span<byte> candidate)
    {
        var matched = false;
        var position = 0;
        while (TryReadEntry(header, ref position, out var start, out var length))
        {
            var entry = header.Slice(start, length);
            if (entry.StartsWith("v0=", StringComparison.Ordinal)
                && TryDecodeHex(entry[3..], candidate)
                && CryptographicOperations.FixedTimeEquals(candidate, expected))
            {
                matched = true;
            }
        }

        return matched;
    }

    /// <summary>Finds the next comma-separated entry of <paramref name="header"/> at or after <paramref name="position"/>, trimmed of white space.</summary>
    private static bool TryReadEntry(ReadOnlySpan<char> header, ref int position, out int start, out int length)
    {
        if (position > header.Length)
        {
            start = length = 0;
            return false;
        }

        var rest = header[position..];
        var comma = rest.IndexOf(',');
        var raw = comma < 0 ? rest : rest[..comma];
        var trimmed = raw.TrimStart();
        start = position + (raw.Length - trimmed.Length);
        length = trimmed.TrimEnd().Length;
        position += raw.Length + 1;
        return true;
    }

    private static bool TryDecodeHex(ReadOnlySpan<char> hex, Span<byte> destination)
    {
        if (hex.Length != destination.Length * 2)
        {
            return false;
        }

        for (var i = 0; i < destination.Length; i++)
        {
            var high = HexValue(hex[2 * i]);
            var low = HexValue(hex[(2 * i) + 1]);
            if ((high | low) < 0)
            {
                return false;
            }

            destination[i] = (byte)((high << 4) | low);
        }

        return true;
    }

    private static int HexValue(char c) => c switch
    {
        >= '0' and <= '9' => c - '0',
        >= 'a' and <= 'f' => c - 'a' + 10,
        >= 'A' and <= 'F' => c - 'A' + 10,
        _ => -1,
    };

    /// <summary>Creates a secret's keyed HMAC-SHA256 for the pool; every hash goes back reset (<see cref="IncrementalHash.GetHashAndReset(Span{byte})"/>).</summary>
    private sealed class KeyedHmacPolicy(byte[] key) : PooledObjectPolicy<IncrementalHash>
    {
        public override IncrementalHash Create() => IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, key);

        public override bool Return(IncrementalHash obj) => true;
    }
}
