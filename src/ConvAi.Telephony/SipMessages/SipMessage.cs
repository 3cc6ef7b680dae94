using System.Text.Json;
using System.Text.Json.Serialization;

namespace ConvAi.Telephony;

/// <summary>One SIP message ElevenLabs exchanged with a trunk, as stored when the number has <c>store_sip_messages</c> on.</summary>
public sealed record SipMessage
{
    /// <summary>Gets the SIP <c>Call-ID</c> the message belongs to.</summary>
    [JsonPropertyName("call_id")]
    public string? CallId { get; init; }

    /// <summary>Gets the phone numbers the message concerns.</summary>
    [JsonPropertyName("phone_numbers")]
    public IReadOnlyList<string>? PhoneNumbers { get; init; }

    /// <summary>Gets ElevenLabs' address (host and port).</summary>
    [JsonPropertyName("local_address")]
    public string? LocalAddress { get; init; }

    /// <summary>Gets the trunk's address (host and port).</summary>
    [JsonPropertyName("remote_address")]
    public string? RemoteAddress { get; init; }

    /// <summary>Gets the transport, e.g. <c>udp</c>, <c>tcp</c> or <c>tls</c>.</summary>
    [JsonPropertyName("transport")]
    public string? Transport { get; init; }

    /// <summary>Gets the whole message as sent on the wire: start line, headers and body.</summary>
    [JsonPropertyName("raw_message")]
    public string? RawMessage { get; init; }

    /// <summary>Gets the error ElevenLabs recorded for the message; empty when there was none.</summary>
    [JsonPropertyName("error_message")]
    public string? ErrorMessage { get; init; }

    /// <summary>Gets whether ElevenLabs received (<c>in</c>) or sent (<c>out</c>) the message.</summary>
    [JsonPropertyName("direction")]
    public SipMessageDirection? Direction { get; init; }

    /// <summary>Gets when the message was logged, in microseconds since the Unix epoch.</summary>
    [JsonPropertyName("created_at_unix_micro")]
    public long CreatedAtUnixMicro { get; init; }

    /// <summary>Gets fields the server sent that this version of the library does not know.</summary>
    [JsonExtensionData]
    public IDictionary<string, JsonElement>? AdditionalProperties { get; set; }
}

/// <summary>One page of SIP messages.</summary>
public sealed record SipMessagePage
{
    /// <summary>Gets the messages of this page.</summary>
    [JsonPropertyName("sip_messages")]
    public IReadOnlyList<SipMessage> SipMessages { get; init; } = [];

    /// <summary>Gets the cursor of the next page, or null on the last page.</summary>
    [JsonPropertyName("next_cursor")]
    public string? NextCursor { get; init; }

    /// <summary>Gets whether more pages follow.</summary>
    [JsonPropertyName("has_more")]
    public bool HasMore { get; init; }

    /// <summary>Gets fields the server sent that this version of the library does not know.</summary>
    [JsonExtensionData]
    public IDictionary<string, JsonElement>? AdditionalProperties { get; set; }
}

/// <summary>Page size and cursor of a SIP message list.</summary>
public sealed record SipMessageListOptions
{
    /// <summary>Gets the most messages per page (<c>page_size</c>); null uses the server default.</summary>
    public int? PageSize { get; init; }

    /// <summary>Gets the cursor of the page to read (<c>cursor</c>, from <see cref="SipMessagePage.NextCursor"/>); null reads the first page.</summary>
    public string? Cursor { get; init; }
}
