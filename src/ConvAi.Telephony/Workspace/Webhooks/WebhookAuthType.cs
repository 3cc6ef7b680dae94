using System.Text.Json.Serialization;

namespace ConvAi.Telephony;

/// <summary>How a workspace webhook authenticates its deliveries. Unknown values are kept as they are.</summary>
[JsonConverter(typeof(ExtensibleEnumConverter<WebhookAuthType>))]
public sealed partial class WebhookAuthType
{
    /// <summary>Deliveries are signed with a shared secret (<c>ElevenLabs-Signature</c>). Wire value <c>hmac</c>.</summary>
    public static WebhookAuthType Hmac { get; } = new("hmac");

    /// <summary>Deliveries carry an OAuth 2.0 token. Wire value <c>oauth2</c>.</summary>
    public static WebhookAuthType OAuth2 { get; } = new("oauth2");

    /// <summary>Deliveries use mutual TLS. Wire value <c>mtls</c>.</summary>
    public static WebhookAuthType Mtls { get; } = new("mtls");
}
