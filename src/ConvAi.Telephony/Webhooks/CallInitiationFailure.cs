using System.Text.Json;
using System.Text.Json.Serialization;

namespace ConvAi.Telephony;

/// <summary>The <c>data</c> of a <c>call_initiation_failure</c> webhook: an outbound call that never connected.</summary>
public sealed record CallInitiationFailure
{
    /// <summary>The agent that was to take the call.</summary>
    [JsonPropertyName("agent_id")]
    public string? AgentId { get; init; }

    /// <summary>The conversation created for the call.</summary>
    [JsonPropertyName("conversation_id")]
    public string? ConversationId { get; init; }

    /// <summary>Why the call failed: <c>busy</c>, <c>no-answer</c>, <c>unknown</c>, or a newer value.</summary>
    [JsonPropertyName("failure_reason")]
    public CallInitiationFailureReason? FailureReason { get; init; }

    /// <summary>The provider's details about the failure.</summary>
    [JsonPropertyName("metadata")]
    public CallInitiationFailureMetadata? Metadata { get; init; }

    /// <summary>Fields this version does not model, kept as received.</summary>
    [JsonExtensionData]
    public IDictionary<string, JsonElement>? AdditionalProperties { get; set; }
}

/// <summary>The <c>metadata</c> of a <c>call_initiation_failure</c> webhook, typed by provider.</summary>
[JsonConverter(typeof(CallInitiationFailureMetadataJsonConverter))]
public sealed record CallInitiationFailureMetadata
{
    /// <summary>The provider: <c>sip</c>, <c>twilio</c>, or a newer value.</summary>
    public CallInitiationFailureProvider Type { get; init => field = value ?? CallInitiationFailureProvider.Empty; } = CallInitiationFailureProvider.Empty;

    /// <summary>The SIP details when <see cref="Type"/> is <c>sip</c>; otherwise null.</summary>
    public SipCallFailureDetails? Sip { get; init; }

    /// <summary>
    /// Twilio's status-callback parameters when <see cref="Type"/> is <c>twilio</c>, keyed by Twilio's PascalCase names
    /// (<c>CallSid</c>, <c>CallStatus</c>, <c>SipResponseCode</c>, ...); otherwise null. Non-string values keep their JSON text.
    /// </summary>
    public IReadOnlyDictionary<string, string>? Twilio { get; init; }

    /// <summary>The <c>body</c> exactly as received, for any provider (including ones this version does not know).</summary>
    public JsonElement? Body { get; init; }
}

/// <summary>The SIP details of a failed call (<c>metadata.body</c> when <c>metadata.type</c> is <c>sip</c>).</summary>
public sealed record SipCallFailureDetails
{
    /// <summary>The final SIP response code, e.g. 486.</summary>
    [JsonPropertyName("sip_status_code")]
    public int? SipStatusCode { get; init; }

    /// <summary>The error text reported by the SIP stack.</summary>
    [JsonPropertyName("error_reason")]
    public string? ErrorReason { get; init; }

    /// <summary>The SIP call id.</summary>
    [JsonPropertyName("call_sid")]
    public string? CallSid { get; init; }

    /// <summary>The SIP reason phrase, e.g. <c>Busy here</c>.</summary>
    [JsonPropertyName("sip_status")]
    public string? SipStatus { get; init; }

    /// <summary>The internal RPC error code, e.g. <c>unavailable</c>.</summary>
    [JsonPropertyName("twirp_code")]
    public string? TwirpCode { get; init; }

    /// <summary>Fields this version does not model, kept as received.</summary>
    [JsonExtensionData]
    public IDictionary<string, JsonElement>? AdditionalProperties { get; set; }
}
