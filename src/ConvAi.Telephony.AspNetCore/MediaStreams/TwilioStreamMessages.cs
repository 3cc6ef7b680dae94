using System.Buffers;
using System.Buffers.Text;
using System.Text;
using System.Text.Json;

namespace ConvAi.Telephony.AspNetCore;

/// <summary>The <c>event</c> of a message Twilio sent on a media stream.</summary>
internal enum TwilioStreamEvent
{
    Connected,
    Start,
    Media,
    Dtmf,
    Mark,
    Stop,
    Unknown,
    Malformed,
}

/// <summary>What the bridge reads from one Twilio message: the event, and for <c>media</c> where its payload lies, for <c>mark</c> its number.</summary>
internal readonly record struct TwilioStreamMessage(TwilioStreamEvent Event, int PayloadStart, int PayloadLength, bool PayloadEscaped, bool IsInbound, long MarkNumber, int ObjectStart)
{
    public static TwilioStreamMessage Of(TwilioStreamEvent e) => new(e, 0, 0, false, false, -1, -1);
}

/// <summary>The <c>start</c> message's fields the bridge uses.</summary>
internal sealed record TwilioStart(string StreamSid, string CallSid, string? AccountSid, Dictionary<string, string> CustomParameters, string? Encoding, int? SampleRate, int? Channels);

/// <summary>
/// Reads Twilio's media-stream messages with <see cref="Utf8JsonReader"/> straight from the pooled receive buffer (the media payload stays
/// where it is, as base64 text) and writes the three messages the bridge sends (<c>media</c>, <c>mark</c>, <c>clear</c>) by hand.
/// </summary>
internal static class TwilioStreamMessages
{
    private static readonly JsonReaderOptions ReaderOptions = new() { MaxDepth = 16 };

    public static TwilioStreamMessage Read(ReadOnlySpan<byte> frame)
    {
        try
        {
            return ReadCore(frame);
        }
        catch (JsonException)
        {
            return TwilioStreamMessage.Of(TwilioStreamEvent.Malformed);
        }
        catch (InvalidOperationException)
        {
            return TwilioStreamMessage.Of(TwilioStreamEvent.Malformed);
        }
    }

    private static TwilioStreamMessage ReadCore(ReadOnlySpan<byte> frame)
    {
        var reader = new Utf8JsonReader(frame, ReaderOptions);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            return TwilioStreamMessage.Of(TwilioStreamEvent.Malformed);
        }

        var kind = TwilioStreamEvent.Malformed;
        long media = -1;
        long mark = -1;
        long start = -1;
        long dtmf = -1;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("event"u8))
            {
                reader.Read();
                if (reader.TokenType != JsonTokenType.String)
                {
                    return TwilioStreamMessage.Of(TwilioStreamEvent.Malformed);
                }

                kind = reader.ValueTextEquals("media"u8) ? TwilioStreamEvent.Media
                    : reader.ValueTextEquals("mark"u8) ? TwilioStreamEvent.Mark
                    : reader.ValueTextEquals("start"u8) ? TwilioStreamEvent.Start
                    : reader.ValueTextEquals("connected"u8) ? TwilioStreamEvent.Connected
                    : reader.ValueTextEquals("dtmf"u8) ? TwilioStreamEvent.Dtmf
                    : reader.ValueTextEquals("stop"u8) ? TwilioStreamEvent.Stop
                    : TwilioStreamEvent.Unknown;
                continue;
            }

            ref long slot = ref media;
            var known = true;
            if (reader.ValueTextEquals("media"u8))
            {
                slot = ref media;
            }
            else if (reader.ValueTextEquals("mark"u8))
            {
                slot = ref mark;
            }
            else if (reader.ValueTextEquals("start"u8))
            {
                slot = ref start;
            }
            else if (reader.ValueTextEquals("dtmf"u8))
            {
                slot = ref dtmf;
            }
            else
            {
                known = false;
            }

            reader.Read();
            if (known && reader.TokenType == JsonTokenType.StartObject)
            {
                slot = reader.TokenStartIndex;
            }

            reader.Skip();
        }

        // Reads to the end, so a truncated frame is malformed rather than half-used.
        while (reader.Read())
        {
        }

        return kind switch
        {
            TwilioStreamEvent.Media => media < 0 ? TwilioStreamMessage.Of(TwilioStreamEvent.Malformed) : ReadMedia(frame, (int)media),
            TwilioStreamEvent.Mark => mark < 0 ? TwilioStreamMessage.Of(TwilioStreamEvent.Unknown) : ReadMark(frame, (int)mark),
            TwilioStreamEvent.Start => start < 0 ? TwilioStreamMessage.Of(TwilioStreamEvent.Malformed) : TwilioStreamMessage.Of(kind) with { ObjectStart = (int)start },
            TwilioStreamEvent.Dtmf => dtmf < 0 ? TwilioStreamMessage.Of(TwilioStreamEvent.Unknown) : TwilioStreamMessage.Of(kind) with { ObjectStart = (int)dtmf },
            _ => TwilioStreamMessage.Of(kind),
        };
    }

    private static TwilioStreamMessage ReadMedia(ReadOnlySpan<byte> frame, int offset)
    {
        var reader = new Utf8JsonReader(frame[offset..], ReaderOptions);
        reader.Read();
        var inbound = true;
        var found = false;
        int start = 0, length = 0;
        var escaped = false;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("payload"u8))
            {
                reader.Read();
                if (reader.TokenType != JsonTokenType.String)
                {
                    return TwilioStreamMessage.Of(TwilioStreamEvent.Malformed);
                }

                found = true;
                start = offset + (int)reader.TokenStartIndex + 1;
                length = reader.ValueSpan.Length;
                escaped = reader.ValueIsEscaped;
            }
            else if (reader.ValueTextEquals("track"u8))
            {
                reader.Read();
                inbound = reader.TokenType == JsonTokenType.String && reader.ValueTextEquals("inbound"u8);
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        return found
            ? new TwilioStreamMessage(TwilioStreamEvent.Media, start, length, escaped, inbound, -1, offset)
            : TwilioStreamMessage.Of(TwilioStreamEvent.Malformed);
    }

    private static TwilioStreamMessage ReadMark(ReadOnlySpan<byte> frame, int offset)
    {
        var reader = new Utf8JsonReader(frame[offset..], ReaderOptions);
        reader.Read();
        long number = -1;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("name"u8))
            {
                reader.Read();
                // Marks the bridge did not send (not a plain decimal) are not counted.
                if (reader.TokenType == JsonTokenType.String && !reader.ValueIsEscaped
                    && Utf8Parser.TryParse(reader.ValueSpan, out long value, out var consumed) && consumed == reader.ValueSpan.Length && value > 0)
                {
                    number = value;
                }
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        return TwilioStreamMessage.Of(TwilioStreamEvent.Mark) with { MarkNumber = number };
    }

    /// <summary>Reads a <c>start</c> object (once per call, so it may allocate); null when a required field is missing.</summary>
    public static TwilioStart? ReadStart(ReadOnlySpan<byte> frame, int offset)
    {
        try
        {
            var reader = new Utf8JsonReader(frame[offset..], ReaderOptions);
            using var document = JsonDocument.ParseValue(ref reader);
            var start = document.RootElement;
            var streamSid = String(start, "streamSid");
            var callSid = String(start, "callSid");
            if (streamSid is null || callSid is null || !IsSid(streamSid) || !IsSid(callSid))
            {
                return null;
            }

            var parameters = new Dictionary<string, string>(StringComparer.Ordinal);
            if (start.TryGetProperty("customParameters", out var custom) && custom.ValueKind == JsonValueKind.Object)
            {
                foreach (var property in custom.EnumerateObject())
                {
                    parameters[property.Name] = property.Value.ValueKind == JsonValueKind.String ? property.Value.GetString()! : property.Value.GetRawText();
                }
            }

            string? encoding = null;
            int? rate = null;
            int? channels = null;
            if (start.TryGetProperty("mediaFormat", out var format) && format.ValueKind == JsonValueKind.Object)
            {
                encoding = String(format, "encoding");
                rate = format.TryGetProperty("sampleRate", out var r) && r.ValueKind == JsonValueKind.Number && r.TryGetInt32(out var rv) ? rv : null;
                channels = format.TryGetProperty("channels", out var c) && c.ValueKind == JsonValueKind.Number && c.TryGetInt32(out var cv) ? cv : null;
            }

            return new TwilioStart(streamSid, callSid, String(start, "accountSid"), parameters, encoding, rate, channels);
        }
        catch (JsonException)
        {
            return null;
        }

        static string? String(JsonElement element, string name) =>
            element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
    }

    /// <summary>Reads a <c>dtmf</c> object's digit; null when it has none.</summary>
    public static string? ReadDtmfDigit(ReadOnlySpan<byte> frame, int offset)
    {
        var reader = new Utf8JsonReader(frame[offset..], ReaderOptions);
        reader.Read();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("digit"u8))
            {
                reader.Read();
                return reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
            }

            reader.Read();
            reader.Skip();
        }

        return null;
    }

    /// <summary>A SID as Twilio writes them: letters and digits only (so it needs no JSON escaping), at most 64.</summary>
    public static bool IsSid(string value) => value.Length is > 0 and <= 64 && value.All(char.IsAsciiLetterOrDigit);

    // {"event":"media","streamSid":"MZ…","media":{"payload":"<base64>"}} then {"event":"mark","streamSid":"MZ…","mark":{"name":"<n>"}}
    public static byte[] MediaPrefix(string streamSid) => Encoding.UTF8.GetBytes("{\"event\":\"media\",\"streamSid\":\"" + streamSid + "\",\"media\":{\"payload\":\"");

    public static ReadOnlySpan<byte> MediaSuffix => "\"}}"u8;

    public static byte[] MarkPrefix(string streamSid) => Encoding.UTF8.GetBytes("{\"event\":\"mark\",\"streamSid\":\"" + streamSid + "\",\"mark\":{\"name\":\"");

    public static ReadOnlySpan<byte> MarkSuffix => "\"}}"u8;

    public static byte[] Clear(string streamSid) => Encoding.UTF8.GetBytes("{\"event\":\"clear\",\"streamSid\":\"" + streamSid + "\"}");
}
