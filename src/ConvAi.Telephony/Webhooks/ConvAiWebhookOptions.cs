namespace ConvAi.Telephony;

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

    /// <summary>
    /// When <c>MapConvAiWebhooks</c> answers (<c>ConvAi:Webhooks:Mode</c>): <see cref="ConvAiWebhookMode.Inline"/>
    /// (default; after the handler) or <see cref="ConvAiWebhookMode.Queued"/> (after appending to the inbox).
    /// </summary>
    public ConvAiWebhookMode Mode { get; set; } = ConvAiWebhookMode.Inline;

    /// <summary>
    /// How long a delivery's "processed" mark is kept, during which a redelivery or reconciliation of the same event is
    /// not dispatched again. Default 7 days; keep it longer than the reconciliation look-back.
    /// </summary>
    public TimeSpan ProcessedHorizon { get; set; } = TimeSpan.FromDays(7);

    /// <summary>
    /// How long a claim lasts while a delivery is being processed (handler running, waiting in the inbox or for a
    /// retry). A redelivery within it is acknowledged without dispatch. Default 1 hour; keep it longer than the retry
    /// schedule (<see cref="MaxAttempts"/>, <see cref="RetryDelay"/>, <see cref="MaxRetryDelay"/>).
    /// </summary>
    public TimeSpan ClaimLifetime { get; set; } = TimeSpan.FromHours(1);

    /// <summary>How many handler calls a queued delivery gets before it is dead-lettered. Default 8.</summary>
    public int MaxAttempts { get; set; } = 8;

    /// <summary>The wait before the first retry; each further retry waits twice as long, up to <see cref="MaxRetryDelay"/>. Default 5 seconds.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The longest wait between retries. Default 5 minutes (the default schedule spans about 16 minutes).</summary>
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How many deliveries the inbox processor dispatches at once. Default 4.</summary>
    public int ProcessorConcurrency { get; set; } = 4;

    /// <summary>The most deliveries the in-memory inbox holds (<c>ConvAi:Webhooks:InboxCapacity</c>); beyond it deliveries are answered 503. Default 10,000.</summary>
    public int InboxCapacity { get; set; } = InMemoryWebhookInbox.DefaultCapacity;

    /// <summary>Bodies larger than this many bytes are spooled to a temp file by the in-memory inbox. Default 1 MiB.</summary>
    public int InboxSpoolThreshold { get; set; } = InMemoryWebhookInbox.DefaultSpoolThreshold;

    /// <summary>Where the in-memory inbox spools large bodies; a new folder under the temp path when empty.</summary>
    public string? InboxSpoolDirectory { get; set; }

    /// <summary>The most keys the in-memory delivery store holds; the oldest are forgotten first beyond it. Default 100,000.</summary>
    public int DeliveryStoreCapacity { get; set; } = InMemoryWebhookDeliveryStore.DefaultCapacity;

    /// <summary>All configured non-blank secrets: <see cref="Secret"/> first, then <see cref="Secrets"/>.</summary>
    internal IEnumerable<string> EffectiveSecrets =>
        Secrets.Prepend(Secret ?? string.Empty).Where(secret => !string.IsNullOrWhiteSpace(secret));
}
