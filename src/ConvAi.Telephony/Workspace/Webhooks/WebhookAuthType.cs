using System.Text.Json.Serialization;

namespace ConvAi.Telephony;

/// <summary>How a workspace webhook authenticates its deliveries. Unknown values are kept as they are.</summary>
[JsonConverter(typeof(ExtensibleEnumConverter<WebhookAuthType>))]
public readonly struct WebhookAuthType : IEquatable<WebhookAuthType>, IExtensibleEnum<WebhookAuthType>
{
    /// <summary>Initializes a new instance of the <see cref="WebhookAuthType"/> struct.</summary>
    /// <param name="value">The wire value.</param>
    public WebhookAuthType(string value) => Value = value ?? throw new ArgumentNullException(nameof(value));

    /// <summary>Deliveries are signed with a shared secret (<c>ElevenLabs-Signature</c>). Wire value <c>hmac</c>.</summary>
    public static WebhookAuthType Hmac { get; } = new("hmac");

    /// <summary>Deliveries carry an OAuth 2.0 token. Wire value <c>oauth2</c>.</summary>
    public static WebhookAuthType OAuth2 { get; } = new("oauth2");

    /// <summary>Deliveries use mutual TLS. Wire value <c>mtls</c>.</summary>
    public static WebhookAuthType Mtls { get; } = new("mtls");

    /// <summary>Gets the value as sent on the wire.</summary>
    public string Value { get; }

    /// <summary>Compares two values for equality (ordinal).</summary>
    /// <param name="left">The first value.</param>
    /// <param name="right">The second value.</param>
    public static bool operator ==(WebhookAuthType left, WebhookAuthType right) => left.Equals(right);

    /// <summary>Compares two values for inequality (ordinal).</summary>
    /// <param name="left">The first value.</param>
    /// <param name="right">The second value.</param>
    public static bool operator !=(WebhookAuthType left, WebhookAuthType right) => !left.Equals(right);

    /// <summary>Converts a wire value to a <see cref="WebhookAuthType"/>.</summary>
    /// <param name="value">The wire value.</param>
    public static implicit operator WebhookAuthType(string value) => new(value);

    /// <summary>Creates a <see cref="WebhookAuthType"/> from a wire value.</summary>
    /// <param name="value">The wire value.</param>
    /// <returns>The value.</returns>
    public static WebhookAuthType FromString(string value) => new(value);

    static WebhookAuthType IExtensibleEnum<WebhookAuthType>.Create(string value) => new(value);

    /// <inheritdoc/>
    public bool Equals(WebhookAuthType other) => string.Equals(Value, other.Value, StringComparison.Ordinal);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is WebhookAuthType other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => Value is null ? 0 : StringComparer.Ordinal.GetHashCode(Value);

    /// <inheritdoc/>
    public override string ToString() => Value ?? string.Empty;
}
