using System.Text.Json;
using System.Text.Json.Serialization;

namespace ConvAi.Telephony;

/// <summary>
/// An imported phone number, as returned by the list, get and update endpoints. One record covers
/// every provider: the SIP-trunk fields are null for other providers, and an unknown provider is
/// kept in <see cref="Provider"/> instead of failing.
/// </summary>
public sealed record PhoneNumber
{
    /// <summary>Gets the id of the phone number (<c>phone_number_id</c>), used when placing calls.</summary>
    [JsonPropertyName("phone_number_id")]
    public string PhoneNumberId { get; init; } = string.Empty;

    /// <summary>Gets the number in E.164 format.</summary>
    [JsonPropertyName("phone_number")]
    public string Number { get; init; } = string.Empty;

    /// <summary>Gets the label shown in the dashboard.</summary>
    [JsonPropertyName("label")]
    public string Label { get; init; } = string.Empty;

    /// <summary>Gets the provider (<c>twilio</c>, <c>sip_trunk</c>, <c>exotel</c> or a newer value).</summary>
    [JsonPropertyName("provider")]
    public PhoneNumberProvider? Provider { get; init; }

    /// <summary>Gets whether the number accepts inbound calls (deprecated by the API).</summary>
    [JsonPropertyName("supports_inbound")]
    public bool? SupportsInbound { get; init; }

    /// <summary>Gets whether the number can place outbound calls (deprecated by the API).</summary>
    [JsonPropertyName("supports_outbound")]
    public bool? SupportsOutbound { get; init; }

    /// <summary>Gets the agent that answers the number, if any.</summary>
    [JsonPropertyName("assigned_agent")]
    public PhoneNumberAgentInfo? AssignedAgent { get; init; }

    /// <summary>Gets the outbound trunk (SIP trunk only).</summary>
    [JsonPropertyName("outbound_trunk")]
    public OutboundSipTrunkInfo? OutboundTrunk { get; init; }

    /// <summary>Gets the deprecated duplicate of <see cref="OutboundTrunk"/> (SIP trunk only).</summary>
    [JsonPropertyName("provider_config")]
    public OutboundSipTrunkInfo? ProviderConfig { get; init; }

    /// <summary>Gets the inbound trunk (SIP trunk only).</summary>
    [JsonPropertyName("inbound_trunk")]
    public InboundSipTrunkInfo? InboundTrunk { get; init; }

    /// <summary>Gets the media stack serving the number (SIP trunk only).</summary>
    [JsonPropertyName("livekit_stack")]
    public LivekitStack? LivekitStack { get; init; }

    /// <summary>Gets whether SIP messages are stored (SIP trunk only; server default true).</summary>
    [JsonPropertyName("store_sip_messages")]
    public bool? StoreSipMessages { get; init; }

    /// <summary>Gets fields the server sent that this version of the library does not know.</summary>
    [JsonExtensionData]
    public IDictionary<string, JsonElement>? AdditionalProperties { get; set; }
}

/// <summary>The agent assigned to a phone number.</summary>
public sealed record PhoneNumberAgentInfo
{
    /// <summary>Gets the agent id.</summary>
    [JsonPropertyName("agent_id")]
    public string AgentId { get; init; } = string.Empty;

    /// <summary>Gets the agent name.</summary>
    [JsonPropertyName("agent_name")]
    public string? AgentName { get; init; }

    /// <summary>Gets the agent environment.</summary>
    [JsonPropertyName("environment")]
    public string? Environment { get; init; }

    /// <summary>Gets the agent branch.</summary>
    [JsonPropertyName("branch_id")]
    public string? BranchId { get; init; }

    /// <summary>Gets fields the server sent that this version of the library does not know.</summary>
    [JsonExtensionData]
    public IDictionary<string, JsonElement>? AdditionalProperties { get; set; }
}

/// <summary>The outbound trunk of a SIP-trunk number, as the server reports it (secrets are never returned).</summary>
public sealed record OutboundSipTrunkInfo
{
    /// <summary>Gets the SIP address calls are sent to.</summary>
    [JsonPropertyName("address")]
    public string? Address { get; init; }

    /// <summary>Gets the transport.</summary>
    [JsonPropertyName("transport")]
    public SipTransport? Transport { get; init; }

    /// <summary>Gets the media encryption setting.</summary>
    [JsonPropertyName("media_encryption")]
    public SipMediaEncryption? MediaEncryption { get; init; }

    /// <summary>Gets the headers added to the INVITE.</summary>
    [JsonPropertyName("headers")]
    public IReadOnlyDictionary<string, string>? Headers { get; init; }

    /// <summary>Gets the mapping of SIP attributes to headers.</summary>
    [JsonPropertyName("attributes_to_headers")]
    public IReadOnlyDictionary<string, string>? AttributesToHeaders { get; init; }

    /// <summary>Gets whether credentials are configured.</summary>
    [JsonPropertyName("has_auth_credentials")]
    public bool? HasAuthCredentials { get; init; }

    /// <summary>Gets the digest user name, if any.</summary>
    [JsonPropertyName("username")]
    public string? Username { get; init; }

    /// <summary>Gets whether an outbound trunk is configured.</summary>
    [JsonPropertyName("has_outbound_trunk")]
    public bool? HasOutboundTrunk { get; init; }

    /// <summary>Gets the codecs offered.</summary>
    [JsonPropertyName("enabled_codecs")]
    public IReadOnlyList<MediaCodec>? EnabledCodecs { get; init; }

    /// <summary>Gets fields the server sent that this version of the library does not know.</summary>
    [JsonExtensionData]
    public IDictionary<string, JsonElement>? AdditionalProperties { get; set; }
}

/// <summary>The inbound trunk of a SIP-trunk number, as the server reports it.</summary>
public sealed record InboundSipTrunkInfo
{
    /// <summary>Gets the IP addresses or CIDR ranges allowed to send calls.</summary>
    [JsonPropertyName("allowed_addresses")]
    public IReadOnlyList<string>? AllowedAddresses { get; init; }

    /// <summary>Gets the caller numbers allowed, or null for any.</summary>
    [JsonPropertyName("allowed_numbers")]
    public IReadOnlyList<string>? AllowedNumbers { get; init; }

    /// <summary>Gets the media encryption setting.</summary>
    [JsonPropertyName("media_encryption")]
    public SipMediaEncryption? MediaEncryption { get; init; }

    /// <summary>Gets whether credentials are configured.</summary>
    [JsonPropertyName("has_auth_credentials")]
    public bool? HasAuthCredentials { get; init; }

    /// <summary>Gets the digest user name, if any.</summary>
    [JsonPropertyName("username")]
    public string? Username { get; init; }

    /// <summary>Gets the remote SIP domains allowed.</summary>
    [JsonPropertyName("remote_domains")]
    public IReadOnlyList<string>? RemoteDomains { get; init; }

    /// <summary>Gets the mapping of SIP attributes to headers.</summary>
    [JsonPropertyName("attributes_to_headers")]
    public IReadOnlyDictionary<string, string>? AttributesToHeaders { get; init; }

    /// <summary>Gets fields the server sent that this version of the library does not know.</summary>
    [JsonExtensionData]
    public IDictionary<string, JsonElement>? AdditionalProperties { get; set; }
}
