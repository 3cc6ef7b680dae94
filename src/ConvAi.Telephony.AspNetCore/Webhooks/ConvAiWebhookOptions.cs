namespace ConvAi.Telephony.AspNetCore;

/// <summary>
/// Settings for receiving ElevenLabs post-call webhooks, bound from the configuration section
/// <c>ConvAi:Webhooks</c>. A top-level <c>WEBHOOK_SECRET</c> key is used when no secret is set there.
/// </summary>
public sealed class ConvAiWebhookOptions
{
    /// <summary>The configuration section these options are bound from: <c>ConvAi:Webhooks</c>.</summary>
    public const string SectionName = "ConvAi:Webhooks";

    /// <summary>The top-level configuration key (or environment variable) read when no secret is configured in the section.</summary>
    public const string SecretFallbackKey = "WEBHOOK_SECRET";

    /// <summary>The default largest accepted body: 40 MiB, enough for the base64 audio of a 30-minute call.</summary>
    public const long DefaultMaxRequestBodySize = 40L * 1024 * 1024;

    /// <summary>
    /// The source addresses ElevenLabs publishes for webhook delivery (US, EU, Asia, EU residency, India residency).
    /// Used by the allowlist when <see cref="AllowedSourceIps"/> is empty.
    /// </summary>
    public static IReadOnlyList<string> PublishedSourceIps { get; } =
    [
        "34.67.146.145", "34.59.11.47",
        "35.204.38.71", "34.147.113.54",
        "35.185.187.110", "35.247.157.189",
        "34.77.234.246", "34.140.184.144",
        "34.93.26.174", "34.93.252.69",
    ];

    /// <summary>The webhook secret (<c>ConvAi:Webhooks:Secret</c>).</summary>
    public string? Secret { get; set; }

    /// <summary>
    /// Further accepted secrets (<c>ConvAi:Webhooks:Secrets:0</c>, ...), for rotating a secret without downtime: a
    /// signature made with any of them is accepted.
    /// </summary>
    public IList<string> Secrets { get; } = [];

    /// <summary>How old a signed timestamp may be before it is rejected as stale. Default 30 minutes.</summary>
    public TimeSpan TimestampTolerance { get; set; } = ConvAiWebhookSignature.DefaultTolerance;

    /// <summary>How far in the future a signed timestamp may be (clock skew). Default 5 minutes.</summary>
    public TimeSpan FutureTimestampTolerance { get; set; } = ConvAiWebhookSignature.DefaultFutureTolerance;

    /// <summary>
    /// The largest accepted body in bytes (answered 413 above it, also for chunked bodies). Default 40 MiB. An
    /// endpoint's <c>IRequestSizeLimitMetadata</c> with a value overrides it for that endpoint.
    /// </summary>
    public long MaxRequestBodySize { get; set; } = DefaultMaxRequestBodySize;

    /// <summary>
    /// When true, requests from addresses outside <see cref="AllowedSourceIps"/> (or <see cref="PublishedSourceIps"/>
    /// when that is empty) are answered 403. Default false. Uses <c>HttpContext.Connection.RemoteIpAddress</c>, so
    /// forwarded headers count only when the app enabled the forwarded-headers middleware.
    /// </summary>
    public bool EnableSourceIpAllowlist { get; set; }

    /// <summary>Addresses or CIDR ranges (e.g. <c>10.0.0.0/8</c>) allowed when the allowlist is on; replaces the published list.</summary>
    public IList<string> AllowedSourceIps { get; } = [];

    /// <summary>The prefix of duplicate-delivery keys in the delivery store (e.g. Redis). Default <c>convai:webhook:</c>.</summary>
    public string DeliveryKeyPrefix { get; set; } = "convai:webhook:";

    /// <summary>All configured non-blank secrets: <see cref="Secret"/> first, then <see cref="Secrets"/>.</summary>
    internal IEnumerable<string> EffectiveSecrets =>
        Secrets.Prepend(Secret ?? string.Empty).Where(secret => !string.IsNullOrWhiteSpace(secret));
}
