using System.Text.Json;
using System.Text.Json.Serialization;

namespace ConvAi.Telephony;

/// <summary>The body of <c>POST /v1/convai/phone-numbers</c> for a Twilio number.</summary>
public sealed record ImportTwilioPhoneNumberRequest
{
    /// <summary>Gets the provider discriminator, always <c>twilio</c> (always sent).</summary>
    [JsonPropertyName("provider")]
    public PhoneNumberProvider Provider => PhoneNumberProvider.Twilio;

    /// <summary>Gets the number in E.164 format (normalized before sending).</summary>
    [JsonPropertyName("phone_number")]
    public string PhoneNumber { get; init; } = string.Empty;

    /// <summary>Gets the label shown in the dashboard.</summary>
    [JsonPropertyName("label")]
    public string Label { get; init; } = string.Empty;

    /// <summary>Gets the Twilio Account SID.</summary>
    [JsonPropertyName("sid")]
    public string Sid { get; init; } = string.Empty;

    /// <summary>Gets the Twilio auth token. It is sent to ElevenLabs and never logged.</summary>
    [JsonPropertyName("token")]
    public string Token { get; init; } = string.Empty;

    /// <summary>Gets the agent to assign on import.</summary>
    [JsonPropertyName("agent_id")]
    public string? AgentId { get; init; }

    /// <summary>Gets the Twilio region settings, for numbers outside the US1 region.</summary>
    [JsonPropertyName("region_config")]
    public TwilioRegionConfig? RegionConfig { get; init; }

    /// <summary>Gets whether inbound SMS is routed to ElevenLabs (server default true).</summary>
    [JsonPropertyName("enable_sms")]
    public bool? EnableSms { get; init; }

    /// <summary>Gets whether the number accepts inbound calls (deprecated by the API).</summary>
    [JsonPropertyName("supports_inbound")]
    public bool? SupportsInbound { get; init; }

    /// <summary>Gets whether the number can place outbound calls (deprecated by the API).</summary>
    [JsonPropertyName("supports_outbound")]
    public bool? SupportsOutbound { get; init; }

    /// <inheritdoc/>
    public override string ToString() => $"ImportTwilioPhoneNumberRequest {{ PhoneNumber = {PhoneNumber}, Label = {Label} }}";
}

/// <summary>Twilio region settings (<c>region_config</c>).</summary>
public sealed record TwilioRegionConfig
{
    /// <summary>Gets the region id: <c>us1</c>, <c>ie1</c> or <c>au1</c>.</summary>
    [JsonPropertyName("region_id")]
    public string RegionId { get; init; } = string.Empty;

    /// <summary>Gets the auth token for the region. It is never logged.</summary>
    [JsonPropertyName("token")]
    public string Token { get; init; } = string.Empty;

    /// <summary>Gets the edge location, such as <c>dublin</c> or <c>ashburn</c>.</summary>
    [JsonPropertyName("edge_location")]
    public string EdgeLocation { get; init; } = string.Empty;

    /// <inheritdoc/>
    public override string ToString() => $"TwilioRegionConfig {{ RegionId = {RegionId}, EdgeLocation = {EdgeLocation} }}";
}

/// <summary>The body of <c>POST /v1/convai/phone-numbers</c> for a SIP-trunk number.</summary>
public sealed record ImportSipTrunkPhoneNumberRequest
{
    /// <summary>Gets the provider discriminator, always <c>sip_trunk</c> (always sent).</summary>
    [JsonPropertyName("provider")]
    public PhoneNumberProvider Provider => PhoneNumberProvider.SipTrunk;

    /// <summary>Gets the number in E.164 format (normalized before sending).</summary>
    [JsonPropertyName("phone_number")]
    public string PhoneNumber { get; init; } = string.Empty;

    /// <summary>Gets the label shown in the dashboard.</summary>
    [JsonPropertyName("label")]
    public string Label { get; init; } = string.Empty;

    /// <summary>Gets the agent to assign on import.</summary>
    [JsonPropertyName("agent_id")]
    public string? AgentId { get; init; }

    /// <summary>Gets the inbound trunk settings.</summary>
    [JsonPropertyName("inbound_trunk_config")]
    public InboundSipTrunkConfig? InboundTrunkConfig { get; init; }

    /// <summary>Gets the outbound trunk settings.</summary>
    [JsonPropertyName("outbound_trunk_config")]
    public OutboundSipTrunkConfig? OutboundTrunkConfig { get; init; }

    /// <summary>Gets whether the number accepts inbound calls (deprecated by the API).</summary>
    [JsonPropertyName("supports_inbound")]
    public bool? SupportsInbound { get; init; }

    /// <summary>Gets whether the number can place outbound calls (deprecated by the API).</summary>
    [JsonPropertyName("supports_outbound")]
    public bool? SupportsOutbound { get; init; }
}

/// <summary>Inbound SIP trunk settings sent on import or update (<c>inbound_trunk_config</c>).</summary>
public sealed record InboundSipTrunkConfig
{
    /// <summary>Gets the IP addresses or CIDR ranges allowed to send calls.</summary>
    [JsonPropertyName("allowed_addresses")]
    public IReadOnlyList<string>? AllowedAddresses { get; init; }

    /// <summary>Gets the caller numbers allowed.</summary>
    [JsonPropertyName("allowed_numbers")]
    public IReadOnlyList<string>? AllowedNumbers { get; init; }

    /// <summary>Gets the media encryption setting (server default <c>allowed</c>).</summary>
    [JsonPropertyName("media_encryption")]
    public SipMediaEncryption? MediaEncryption { get; init; }

    /// <summary>Gets the digest credentials.</summary>
    [JsonPropertyName("credentials")]
    public SipCredentials? Credentials { get; init; }

    /// <summary>Gets the remote SIP domains allowed.</summary>
    [JsonPropertyName("remote_domains")]
    public IReadOnlyList<string>? RemoteDomains { get; init; }

    /// <summary>Gets the mapping of SIP attributes to headers.</summary>
    [JsonPropertyName("attributes_to_headers")]
    public IReadOnlyDictionary<string, string>? AttributesToHeaders { get; init; }
}

/// <summary>Outbound SIP trunk settings sent on import or update (<c>outbound_trunk_config</c>).</summary>
public sealed record OutboundSipTrunkConfig
{
    /// <summary>Gets the SIP address calls are sent to (required by the API).</summary>
    [JsonPropertyName("address")]
    public string Address { get; init; } = string.Empty;

    /// <summary>Gets the transport (server default <c>auto</c>).</summary>
    [JsonPropertyName("transport")]
    public SipTransport? Transport { get; init; }

    /// <summary>Gets the media encryption setting (server default <c>allowed</c>).</summary>
    [JsonPropertyName("media_encryption")]
    public SipMediaEncryption? MediaEncryption { get; init; }

    /// <summary>Gets X-headers added to the INVITE.</summary>
    [JsonPropertyName("headers")]
    public IReadOnlyDictionary<string, string>? Headers { get; init; }

    /// <summary>Gets the mapping of SIP attributes to headers.</summary>
    [JsonPropertyName("attributes_to_headers")]
    public IReadOnlyDictionary<string, string>? AttributesToHeaders { get; init; }

    /// <summary>Gets the digest credentials; without them, ACL authentication is assumed.</summary>
    [JsonPropertyName("credentials")]
    public SipCredentials? Credentials { get; init; }

    /// <summary>Gets the codecs to offer.</summary>
    [JsonPropertyName("enabled_codecs")]
    public IReadOnlyList<MediaCodec>? EnabledCodecs { get; init; }
}

/// <summary>SIP digest credentials.</summary>
public sealed record SipCredentials
{
    /// <summary>Gets the user name.</summary>
    [JsonPropertyName("username")]
    public string Username { get; init; } = string.Empty;

    /// <summary>Gets the password. It is never logged.</summary>
    [JsonPropertyName("password")]
    public string? Password { get; init; }

    /// <inheritdoc/>
    public override string ToString() => $"SipCredentials {{ Username = {Username} }}";
}

/// <summary>The body of <c>PATCH /v1/convai/phone-numbers/{id}</c>; unset properties are not sent.</summary>
public sealed record UpdatePhoneNumberRequest
{
    /// <summary>Gets the agent to assign.</summary>
    [JsonPropertyName("agent_id")]
    public string? AgentId { get; init; }

    /// <summary>Gets the new label.</summary>
    [JsonPropertyName("label")]
    public string? Label { get; init; }

    /// <summary>Gets the new inbound trunk settings (SIP trunk only).</summary>
    [JsonPropertyName("inbound_trunk_config")]
    public InboundSipTrunkConfig? InboundTrunkConfig { get; init; }

    /// <summary>Gets the new outbound trunk settings (SIP trunk only).</summary>
    [JsonPropertyName("outbound_trunk_config")]
    public OutboundSipTrunkConfig? OutboundTrunkConfig { get; init; }

    /// <summary>Gets the media stack (SIP trunk only).</summary>
    [JsonPropertyName("livekit_stack")]
    public LivekitStack? LivekitStack { get; init; }

    /// <summary>Gets whether SIP messages are stored (SIP trunk only).</summary>
    [JsonPropertyName("store_sip_messages")]
    public bool? StoreSipMessages { get; init; }

    /// <summary>Gets the agent environment.</summary>
    [JsonPropertyName("environment")]
    public string? Environment { get; init; }

    /// <summary>Gets the agent branch.</summary>
    [JsonPropertyName("branch_id")]
    public string? BranchId { get; init; }
}

/// <summary>Filters of <c>GET /v1/convai/phone-numbers</c>.</summary>
public sealed record PhoneNumberListOptions
{
    /// <summary>Gets the provider to list.</summary>
    public PhoneNumberProvider? Provider { get; init; }

    /// <summary>Gets the agent whose numbers to list.</summary>
    public string? AgentId { get; init; }

    /// <summary>Gets the agent branch whose numbers to list.</summary>
    public string? BranchId { get; init; }
}

/// <summary>The answer of a phone-number import.</summary>
public sealed record ImportPhoneNumberResult
{
    /// <summary>Gets the id of the imported number.</summary>
    [JsonPropertyName("phone_number_id")]
    public string PhoneNumberId { get; init; } = string.Empty;

    /// <summary>Gets fields the server sent that this version of the library does not know.</summary>
    [JsonExtensionData]
    public IDictionary<string, JsonElement>? AdditionalProperties { get; set; }
}

/// <summary>The body of <c>POST /v1/convai/phone-numbers</c> for an Exotel number.</summary>
public sealed record ImportExotelPhoneNumberRequest
{
    /// <summary>Gets the provider discriminator, always <c>exotel</c> (always sent).</summary>
    [JsonPropertyName("provider")]
    public PhoneNumberProvider Provider => PhoneNumberProvider.Exotel;

    /// <summary>Gets the number in E.164 format (normalized before sending).</summary>
    [JsonPropertyName("phone_number")]
    public string PhoneNumber { get; init; } = string.Empty;

    /// <summary>Gets the label shown in the dashboard.</summary>
    [JsonPropertyName("label")]
    public string Label { get; init; } = string.Empty;

    /// <summary>Gets the Exotel account SID.</summary>
    [JsonPropertyName("account_sid")]
    public string AccountSid { get; init; } = string.Empty;

    /// <summary>Gets the Exotel API key. It is never logged.</summary>
    [JsonPropertyName("api_key")]
    public string ApiKey { get; init; } = string.Empty;

    /// <summary>Gets the Exotel API token. It is never logged.</summary>
    [JsonPropertyName("api_token")]
    public string ApiToken { get; init; } = string.Empty;

    /// <summary>Gets the Exotel app id.</summary>
    [JsonPropertyName("app_id")]
    public string AppId { get; init; } = string.Empty;

    /// <summary>Gets the Exotel API host: <c>api.exotel.com</c> or <c>api.in.exotel.com</c>.</summary>
    [JsonPropertyName("api_subdomain")]
    public string ApiSubdomain { get; init; } = "api.exotel.com";

    /// <summary>Gets the applet URL.</summary>
    [JsonPropertyName("applet_url")]
    public string? AppletUrl { get; init; }

    /// <summary>Gets the agent to assign on import.</summary>
    [JsonPropertyName("agent_id")]
    public string? AgentId { get; init; }

    /// <summary>Gets whether the number accepts inbound calls (deprecated by the API).</summary>
    [JsonPropertyName("supports_inbound")]
    public bool? SupportsInbound { get; init; }

    /// <summary>Gets whether the number can place outbound calls (deprecated by the API).</summary>
    [JsonPropertyName("supports_outbound")]
    public bool? SupportsOutbound { get; init; }

    /// <inheritdoc/>
    public override string ToString() => $"ImportExotelPhoneNumberRequest {{ PhoneNumber = {PhoneNumber}, Label = {Label} }}";
}
