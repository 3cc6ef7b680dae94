namespace ConvAi.Telephony;

/// <summary>
/// Settings for receiving ElevenLabs post-call webhooks, bound from the configuration section <c>ConvAi:Webhooks</c>:
/// the secret, and three groups (<see cref="Verification"/>, <see cref="Deduplication"/>, <see cref="Delivery"/>) whose
/// defaults fit almost every app. A top-level <c>WEBHOOK_SECRET</c> key is used when no secret is set. The in-memory
/// store's and inbox's capacities are <see cref="InMemoryWebhookOptions"/>; reconciliation has
/// <see cref="ConvAiWebhookReconcileOptions"/>.
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
    /// Used by the allowlist when <see cref="ConvAiWebhookVerificationOptions.AllowedSourceIps"/> is empty.
    /// </summary>
    public static IReadOnlyList<string> PublishedSourceIps { get; } =
    [
        "34.67.146.145", "34.59.11.47",
        "35.204.38.71", "34.147.113.54",
        "35.185.187.110", "35.247.157.189",
        "34.77.234.246", "34.140.184.144",
        "34.93.26.174", "34.93.252.69",
    ];

    /// <summary>Gets or sets the webhook secret (<c>ConvAi:Webhooks:Secret</c>; <c>WEBHOOK_SECRET</c> when empty).</summary>
    public string? Secret { get; set; }

    /// <summary>
    /// Gets further accepted secrets (<c>ConvAi:Webhooks:Secrets:0</c>, ...), for rotating a secret without downtime: a
    /// signature made with any of them is accepted.
    /// </summary>
    public IList<string> Secrets { get; } = [];

    /// <summary>Gets how requests are checked before anything is kept (<c>ConvAi:Webhooks:Verification:*</c>).</summary>
    public ConvAiWebhookVerificationOptions Verification { get; } = new();

    /// <summary>Gets how duplicate deliveries are recognized (<c>ConvAi:Webhooks:Deduplication:*</c>).</summary>
    public ConvAiWebhookDeduplicationOptions Deduplication { get; } = new();

    /// <summary>Gets when the handler runs and how failures are retried (<c>ConvAi:Webhooks:Delivery:*</c>).</summary>
    public ConvAiWebhookDeliveryOptions Delivery { get; } = new();

    /// <summary>All configured non-blank secrets: <see cref="Secret"/> first, then <see cref="Secrets"/>.</summary>
    internal IEnumerable<string> EffectiveSecrets =>
        Secrets.Prepend(Secret ?? string.Empty).Where(secret => !string.IsNullOrWhiteSpace(secret));
}

/// <summary>How webhook requests are checked before anything is kept (<c>ConvAi:Webhooks:Verification:*</c>).</summary>
public sealed class ConvAiWebhookVerificationOptions
{
    /// <summary>
    /// Gets or sets how old a signed timestamp may be before it is rejected as stale. Default 30 minutes. A timestamp
    /// more than 5 minutes in the future (clock skew) is rejected too.
    /// </summary>
    public TimeSpan TimestampTolerance { get; set; } = ConvAiWebhookSignature.DefaultTolerance;

    /// <summary>
    /// Gets or sets the largest accepted body in bytes (answered 413 above it, also for chunked bodies). Default 40 MiB.
    /// An endpoint's <c>IRequestSizeLimitMetadata</c> with a value overrides it for that endpoint.
    /// </summary>
    public long MaxRequestBodySize { get; set; } = ConvAiWebhookOptions.DefaultMaxRequestBodySize;

    /// <summary>
    /// Gets or sets a value indicating whether requests from addresses outside <see cref="AllowedSourceIps"/> (or
    /// <see cref="ConvAiWebhookOptions.PublishedSourceIps"/> when that is empty) are answered 403. Default false. The
    /// sender's address is the host's (in ASP.NET Core, after forwarded-header processing when the app enabled it).
    /// </summary>
    public bool EnableSourceIpAllowlist { get; set; }

    /// <summary>Gets the addresses or CIDR ranges (e.g. <c>10.0.0.0/8</c>) allowed when the allowlist is on; replaces the published list.</summary>
    public IList<string> AllowedSourceIps { get; } = [];
}

/// <summary>How duplicate deliveries are recognized (<c>ConvAi:Webhooks:Deduplication:*</c>).</summary>
public sealed class ConvAiWebhookDeduplicationOptions
{
    /// <summary>
    /// Gets or sets how long a delivery's "processed" mark is kept, during which a redelivery or reconciliation of the
    /// same event is not dispatched again. Default 7 days; keep it longer than the reconciliation look-back.
    /// </summary>
    public TimeSpan ProcessedHorizon { get; set; } = TimeSpan.FromDays(7);

    /// <summary>
    /// Gets or sets how long a claim lasts while a delivery waits in the inbox (queued, or for a retry). A redelivery
    /// within it is acknowledged without dispatch. Default 1 hour; keep it longer than the retry schedule
    /// (<see cref="ConvAiWebhookDeliveryOptions"/>).
    /// </summary>
    public TimeSpan ClaimLifetime { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// Gets or sets how long the claim of a delivery whose handler is running (<c>Inline</c> mode, an endpoint's own
    /// handler, reconciliation) lasts without renewal. The process renews it every third of this while the handler
    /// runs, so a live handler keeps others out however long it takes, and the claim of a process that died (killed
    /// mid-handler) ends within this time: a restarted process, another one or the reconciler processes the delivery
    /// then. Default 15 seconds (renewed every 5); a pause of the process longer than two thirds of it (a debugger, a
    /// stalled disk) can let another process claim the delivery beside it.
    /// </summary>
    public TimeSpan ClaimLease { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>
    /// Gets or sets the prefix of the delivery keys in the delivery store. Default <c>convai:webhook:</c>; give each app
    /// its own when several share one Redis database.
    /// </summary>
    public string KeyPrefix { get; set; } = "convai:webhook:";
}

/// <summary>When the handler runs and how its failures are retried (<c>ConvAi:Webhooks:Delivery:*</c>).</summary>
public sealed class ConvAiWebhookDeliveryOptions
{
    /// <summary>
    /// Gets or sets when <c>MapConvAiWebhooks</c> answers: <see cref="ConvAiWebhookMode.Inline"/> (default; after the
    /// handler's first attempt) or <see cref="ConvAiWebhookMode.Queued"/> (after appending to the inbox).
    /// </summary>
    public ConvAiWebhookMode Mode { get; set; } = ConvAiWebhookMode.Inline;

    /// <summary>Gets or sets how many handler calls a delivery gets before it is dead-lettered. Default 8.</summary>
    public int MaxAttempts { get; set; } = 8;

    /// <summary>Gets or sets the wait before the first retry; each further retry waits twice as long, up to <see cref="MaxRetryDelay"/>. Default 5 seconds.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Gets or sets the longest wait between retries. Default 5 minutes (the default schedule spans about 16 minutes).</summary>
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Gets or sets how many deliveries the inbox processor dispatches at once. Default 4.</summary>
    public int ProcessorConcurrency { get; set; } = 4;
}

/// <summary>
/// The capacities of the in-memory delivery store and inbox, the default when no durable store is configured
/// (<c>ConvAi:Webhooks:InMemory:*</c>). Both live and die with the process.
/// </summary>
public sealed class InMemoryWebhookOptions
{
    /// <summary>The configuration section these options are bound from: <c>ConvAi:Webhooks:InMemory</c>.</summary>
    public const string SectionName = "ConvAi:Webhooks:InMemory";

    /// <summary>Gets or sets the most deliveries the inbox holds; beyond it deliveries are answered 503. Default 10,000.</summary>
    public int InboxCapacity { get; set; } = InMemoryWebhookInbox.DefaultCapacity;

    /// <summary>Gets or sets the body size in bytes above which the inbox spools a body to a temp file. Default 1 MiB.</summary>
    public int SpoolThreshold { get; set; } = InMemoryWebhookInbox.DefaultSpoolThreshold;

    /// <summary>Gets or sets where the inbox spools large bodies; a new folder under the temp path when empty.</summary>
    public string? SpoolDirectory { get; set; }

    /// <summary>Gets or sets the most keys the delivery store holds; the oldest are forgotten first beyond it. Default 100,000.</summary>
    public int DeliveryStoreCapacity { get; set; } = InMemoryWebhookDeliveryStore.DefaultCapacity;
}
