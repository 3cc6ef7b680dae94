using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ConvAi.Telephony.Cli.Commands;

/// <summary>
/// Explains why an <c>ElevenLabs-Signature</c> header does or does not verify: malformed header, stale or future
/// timestamp (by how many seconds), which secret matches, or, when none does, whether a known change of the body
/// (re-serialized JSON, trailing newline, line endings, byte order mark, wrong text encoding) would make it match.
/// Every check runs through <see cref="ConvAiWebhookSignature"/>, the verifier receivers use.
/// </summary>
internal static class SignatureDiagnosis
{
    private static readonly byte[] Utf8Bom = [0xEF, 0xBB, 0xBF];
    private static readonly byte[] Utf16LittleEndianBom = [0xFF, 0xFE];
    private static readonly byte[] Utf16BigEndianBom = [0xFE, 0xFF];

    /// <summary>The findings, in order, and whether the receiver's default verifier accepts the delivery.</summary>
    internal sealed record Result(bool Valid, IReadOnlyList<string> Findings);

    public static Result Diagnose(IReadOnlyList<string> secrets, string header, byte[] body, DateTimeOffset now, TimeSpan tolerance, TimeSpan futureTolerance)
    {
        var findings = new List<string>();
        header = header.Trim();
        const string Prefix = ConvAiWebhookSignature.HeaderName + ":";
        if (header.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase))
        {
            findings.Add($"note: the value starts with the header name '{ConvAiWebhookSignature.HeaderName}:'; only the value after it is checked.");
            header = header[Prefix.Length..].Trim();
        }

        if (!TryReadHeader(header, findings, out var timestamp))
        {
            return new Result(false, findings);
        }

        var signedAt = DateTimeOffset.FromUnixTimeSeconds(timestamp);
        var age = (long)Math.Floor((now - signedAt).TotalSeconds);
        var timeOk = true;
        if (age > tolerance.TotalSeconds)
        {
            timeOk = false;
            findings.Add(string.Create(CultureInfo.InvariantCulture,
                $"stale: signed at {signedAt:u} ({age} s ago), {age - (long)tolerance.TotalSeconds} s beyond the {(long)tolerance.TotalSeconds} s tolerance. A delivery replayed or stored and verified later fails this way; so does a server clock that is wrong."));
        }
        else if (-age > futureTolerance.TotalSeconds)
        {
            timeOk = false;
            findings.Add(string.Create(CultureInfo.InvariantCulture,
                $"future: signed at {signedAt:u}, {-age} s ahead of this machine's clock, {-age - (long)futureTolerance.TotalSeconds} s beyond the {(long)futureTolerance.TotalSeconds} s allowed skew. Check this machine's clock (NTP)."));
        }
        else
        {
            findings.Add(string.Create(CultureInfo.InvariantCulture, $"timestamp: signed at {signedAt:u}, {age} s ago (within the tolerance)."));
        }

        // Checks the signature alone, at its own timestamp, so a stale delivery still says whether the rest is right.
        var atSigningTime = new FixedClock(signedAt);
        for (var i = 0; i < secrets.Count; i++)
        {
            var verifier = new ConvAiWebhookSignature([secrets[i]], TimeSpan.Zero, TimeSpan.Zero, atSigningTime);
            if (verifier.Verify(body, header) == ConvAiWebhookSignatureResult.Valid)
            {
                findings.Add(secrets.Count == 1
                    ? "signature: matches the secret over this exact body."
                    : $"signature: matches secret #{i + 1} of {secrets.Count} over this exact body.");
                return new Result(timeOk, findings);
            }
        }

        foreach (var (variant, explanation) in BodyVariants(body))
        {
            for (var i = 0; i < secrets.Count; i++)
            {
                var verifier = new ConvAiWebhookSignature([secrets[i]], TimeSpan.Zero, TimeSpan.Zero, atSigningTime);
                if (verifier.Verify(variant, header) == ConvAiWebhookSignatureResult.Valid)
                {
                    findings.Add("body changed: the signature matches " + explanation
                        + " Verify the raw request bytes as received, before any parsing, decoding or re-serializing.");
                    return new Result(false, findings);
                }
            }
        }

        findings.Add(string.Create(CultureInfo.InvariantCulture,
            $"no secret matches: none of the {secrets.Count} secret(s) given signs this body ({body.Length} bytes) at t={timestamp}, and no common change of the body (re-serialized JSON, trailing newline, line endings, byte order mark, text encoding) explains it. Check the secret is the one shown for this webhook in ElevenLabs (not the API key), and that the body is the delivery's."));
        return new Result(false, findings);
    }

    /// <summary>Parses the header for the diagnosis: exactly one all-digit <c>t=</c> and at least one 64-hex-digit <c>v0=</c>.</summary>
    private static bool TryReadHeader(string header, List<string> findings, out long timestamp)
    {
        timestamp = 0;
        if (header.Length == 0)
        {
            findings.Add("malformed header: it is empty. The request had no ElevenLabs-Signature header, or a proxy removed it.");
            return false;
        }

        if (header.Length == 64 && header.All(Uri.IsHexDigit))
        {
            findings.Add("malformed header: this is a bare digest; the header value is t=<unix seconds>,v0=<digest>.");
            return false;
        }

        var entries = header.Split(',', StringSplitOptions.TrimEntries);
        var timestamps = entries.Where(e => e.StartsWith("t=", StringComparison.Ordinal)).ToList();
        var signatures = entries.Where(e => e.StartsWith("v0=", StringComparison.Ordinal)).ToList();
        var problems = new List<string>();
        if (timestamps.Count == 0)
        {
            problems.Add("no t= entry");
        }
        else if (timestamps.Count > 1)
        {
            problems.Add($"{timestamps.Count} t= entries (exactly one is allowed)");
        }
        else if (!long.TryParse(timestamps[0].AsSpan(2), NumberStyles.None, CultureInfo.InvariantCulture, out timestamp) || timestamps[0].Length > 14)
        {
            problems.Add($"'{timestamps[0]}' is not Unix seconds (digits only)");
        }

        if (signatures.Count == 0)
        {
            problems.Add("no v0= entry");
        }
        else if (!signatures.Any(s => s.Length == 67 && s.Skip(3).All(Uri.IsHexDigit)))
        {
            problems.Add("no v0= entry holds 64 hex digits (an HMAC-SHA256 digest in hex, not base64)");
        }

        if (entries.Any(e => e.Length > 0 && !e.Contains('=', StringComparison.Ordinal)))
        {
            findings.Add("note: an entry without '=' is ignored (the format is t=<unix seconds>,v0=<hex>, comma-separated).");
        }

        if (problems.Count > 0)
        {
            findings.Add("malformed header: " + string.Join("; ", problems) + ".");
            return false;
        }

        return true;
    }

    /// <summary>Bodies a sender may have signed when the file at hand is a changed copy, each with what changed.</summary>
    private static IEnumerable<(byte[] Body, string Explanation)> BodyVariants(byte[] body)
    {
        if (body.AsSpan().EndsWith("\r\n"u8))
        {
            yield return (body[..^2], "the body without its trailing CRLF: a newline was added (an editor, echo, or a framework) after signing.");
        }

        if (body.AsSpan().EndsWith("\n"u8))
        {
            yield return (body[..^1], "the body without its trailing newline: a newline was added (an editor, echo, or a framework) after signing.");
        }
        else
        {
            yield return ([.. body, (byte)'\n'], "the body with a trailing newline: the newline the sender signed was stripped.");
        }

        if (body.AsSpan().StartsWith(Utf8Bom))
        {
            yield return (body[3..], "the body without its UTF-8 byte order mark: a BOM was added when the body was saved.");
        }

        if (body.AsSpan().IndexOf("\r\n"u8) >= 0)
        {
            yield return (Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(body).Replace("\r\n", "\n", StringComparison.Ordinal)), "the body with LF line endings: the line endings were converted to CRLF.");
        }

        if (body.AsSpan().IndexOf((byte)'\n') >= 0 && body.AsSpan().IndexOf("\r\n"u8) < 0)
        {
            yield return (Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(body).Replace("\n", "\r\n", StringComparison.Ordinal)), "the body with CRLF line endings: the line endings were converted to LF.");
        }

        var text = DecodeText(body, out var encodingNote);
        if (encodingNote is not null)
        {
            yield return (Encoding.UTF8.GetBytes(text), $"the body re-encoded as UTF-8: the file is {encodingNote}, not the UTF-8 bytes that were sent.");
        }

        if (encodingNote is null && text.Any(c => c > 0x7F) && text.All(c => c <= 0xFF))
        {
            yield return (Encoding.Latin1.GetBytes(text), "the body's text encoded as Latin-1: the UTF-8 bytes were decoded as Latin-1/Windows-1252 and written back as UTF-8 (mojibake such as 'Ã©').");
        }

        JsonNode? json;
        try
        {
            json = JsonNode.Parse(text);
        }
        catch (JsonException)
        {
            yield break;
        }

        if (json is null)
        {
            yield break;
        }

        const string Reserialized = "re-serialized JSON: your copy of the body was parsed and written again ({0}), which changes the bytes; the signature matches the same JSON written compactly as sent.";
        yield return (Encoding.UTF8.GetBytes(json.ToJsonString()), string.Format(CultureInfo.InvariantCulture, Reserialized, "spacing, escaping or indentation differ"));
        yield return (Encoding.UTF8.GetBytes(json.ToJsonString(new JsonSerializerOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping })), string.Format(CultureInfo.InvariantCulture, Reserialized, "spacing, escaping or indentation differ"));
        yield return (Encoding.UTF8.GetBytes(PythonDumps(json)), "re-serialized JSON: the signature matches the JSON written with Python json.dumps defaults (', ' and ': ' separators, non-ASCII escaped): verify the raw body, not a re-dumped dict.");
        yield return (Encoding.UTF8.GetBytes(json.ToJsonString(new JsonSerializerOptions { WriteIndented = true })), "re-serialized JSON: the signature matches the JSON written indented: verify the raw body, not a pretty-printed copy.");
    }

    /// <summary>Decodes the body as text, noting when it is not UTF-8 (UTF-16 with or without a BOM, or invalid UTF-8 read as Latin-1).</summary>
    private static string DecodeText(byte[] body, out string? encodingNote)
    {
        encodingNote = null;
        if (body.AsSpan().StartsWith(Utf16LittleEndianBom))
        {
            encodingNote = "UTF-16 (little endian, with a BOM; PowerShell 5's default)";
            return Encoding.Unicode.GetString(body, 2, body.Length - 2);
        }

        if (body.AsSpan().StartsWith(Utf16BigEndianBom))
        {
            encodingNote = "UTF-16 (big endian, with a BOM)";
            return Encoding.BigEndianUnicode.GetString(body, 2, body.Length - 2);
        }

        if (body.Length >= 4 && body.Length % 2 == 0 && body[1] == 0 && body[3] == 0 && body[0] != 0)
        {
            encodingNote = "UTF-16 (little endian)";
            return Encoding.Unicode.GetString(body);
        }

        try
        {
            return new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(body);
        }
        catch (DecoderFallbackException)
        {
            encodingNote = "not valid UTF-8 (Latin-1 or Windows-1252 text)";
            return Encoding.Latin1.GetString(body);
        }
    }

    /// <summary>Writes JSON as Python's <c>json.dumps</c> does by default.</summary>
    private static string PythonDumps(JsonNode? node)
    {
        var builder = new StringBuilder();
        Write(node);
        return builder.ToString();

        void Write(JsonNode? value)
        {
            switch (value)
            {
                case null:
                    builder.Append("null");
                    break;
                case JsonObject obj:
                    builder.Append('{');
                    var first = true;
                    foreach (var (name, child) in obj)
                    {
                        builder.Append(first ? string.Empty : ", ");
                        first = false;
                        WriteString(name);
                        builder.Append(": ");
                        Write(child);
                    }

                    builder.Append('}');
                    break;
                case JsonArray array:
                    builder.Append('[');
                    for (var i = 0; i < array.Count; i++)
                    {
                        builder.Append(i == 0 ? string.Empty : ", ");
                        Write(array[i]);
                    }

                    builder.Append(']');
                    break;
                default:
                    if (value.GetValueKind() == JsonValueKind.String)
                    {
                        WriteString(value.GetValue<string>());
                    }
                    else
                    {
                        builder.Append(value.ToJsonString());
                    }

                    break;
            }
        }

        void WriteString(string text)
        {
            builder.Append('"');
            foreach (var c in text)
            {
                _ = c switch
                {
                    '"' => builder.Append("\\\""),
                    '\\' => builder.Append("\\\\"),
                    '\n' => builder.Append("\\n"),
                    '\r' => builder.Append("\\r"),
                    '\t' => builder.Append("\\t"),
                    '\b' => builder.Append("\\b"),
                    '\f' => builder.Append("\\f"),
                    < ' ' or > '\x7f' => builder.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:x4}"),
                    _ => builder.Append(c),
                };
            }

            builder.Append('"');
        }
    }

    /// <summary>A clock stopped at one instant.</summary>
    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
