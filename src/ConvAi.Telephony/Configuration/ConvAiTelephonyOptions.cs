namespace ConvAi.Telephony;

/// <summary>
/// Settings of the ConvAi.Telephony client, bound from the <c>ConvAi</c> configuration section by default.
/// A top-level <c>ELEVENLABS_API_KEY</c> key is used when no API key is set.
/// </summary>
public sealed class ConvAiTelephonyOptions
{
    /// <summary>The default configuration section name.</summary>
    public const string SectionName = "ConvAi";

    /// <summary>The top-level configuration key (or environment variable) read when no API key is configured: <c>ELEVENLABS_API_KEY</c>.</summary>
    public const string ApiKeyFallbackKey = "ELEVENLABS_API_KEY";

    /// <summary>
    /// Gets or sets the ElevenLabs API key (required), sent as <c>xi-api-key</c>. It never appears in logs or exceptions.
    /// When empty, the top-level <see cref="ApiKeyFallbackKey"/> of the registered <c>IConfiguration</c> is used.
    /// </summary>
    public string? ApiKey { get; set; }

    /// <summary>Gets or sets an absolute base address that overrides <see cref="Environment"/>, e.g. a local emulator or proxy.</summary>
    public Uri? BaseAddress { get; set; }

    /// <summary>Gets or sets the environment used when <see cref="BaseAddress"/> is not set (default <see cref="ConvAiEnvironment.Production"/>).</summary>
    public ConvAiEnvironment Environment { get; set; } = ConvAiEnvironment.Production;

    /// <summary>Gets or sets the agent used when a request does not name one.</summary>
    public string? DefaultAgentId { get; set; }

    /// <summary>Gets or sets the phone number id used to place calls when a request does not name one.</summary>
    public string? DefaultPhoneNumberId { get; set; }

    /// <summary>
    /// Gets or sets the overall timeout of one client call, retries included (the HttpClient timeout; default 3 minutes).
    /// It must be at least <see cref="ConvAiResilienceOptions.TotalTimeout"/>; use <see cref="System.Threading.Timeout.InfiniteTimeSpan"/> to disable it.
    /// </summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromMinutes(3);

    /// <summary>Gets or sets the retry, timeout, circuit-breaker and concurrency settings.</summary>
    public ConvAiResilienceOptions Resilience { get; set; } = new();

    /// <summary>Gets the base address requests go to: <see cref="BaseAddress"/> when set, else the <see cref="Environment"/>'s.</summary>
    /// <returns>The absolute base address.</returns>
    public Uri GetEffectiveBaseAddress() => BaseAddress ?? ConvAiEnvironmentExtensions.GetBaseAddress(Environment);
}
