namespace ConvAi.Telephony.Sqlite;

/// <summary>
/// Settings for the SQLite delivery store and inbox, bound from <c>ConvAi:Webhooks:Sqlite</c> by <c>UseSqlite</c>.
/// Every process of one machine that shares the store and inbox uses the same <see cref="ConnectionString"/>.
/// </summary>
public sealed class ConvAiWebhookSqliteOptions
{
    /// <summary>The configuration section these options are bound from: <c>ConvAi:Webhooks:Sqlite</c>.</summary>
    public const string SectionName = "ConvAi:Webhooks:Sqlite";

    /// <summary>
    /// The Microsoft.Data.Sqlite connection string, e.g. <c>Data Source=webhooks.db</c>
    /// (<c>ConvAi:Webhooks:Sqlite:ConnectionString</c>). A relative <c>Data Source</c> is resolved against the content
    /// root (the host's <c>ContentRootPath</c>, else the current directory). The file must be on a local disk: network
    /// file systems are not supported (SQLite's locks do not hold there).
    /// </summary>
    public string? ConnectionString { get; set; }

    /// <summary>
    /// How long a leased delivery may go without a sign of life from its process before another process (or the same
    /// one after a restart) leases it again. A live process renews its leases every third of it, so a slow handler is
    /// not taken over. Default 15 seconds (renewed every 5), so the deliveries a killed process held are processed within
    /// seconds of its restart.
    /// </summary>
    public TimeSpan LeaseTime { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>How often an idle consumer looks for deliveries that another process queued or that became due. Default 250 milliseconds.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>How long a write waits for another process's write to finish before it fails (SQLite's busy timeout). Default 30 seconds.</summary>
    public TimeSpan BusyTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The most deliveries the inbox holds (queued, leased or waiting for a retry); beyond it a new delivery is refused
    /// and the receiver answers 503. Default 100,000; dead letters do not count.
    /// </summary>
    public int MaxLength { get; set; } = 100_000;
}
