using System.Data.Common;

namespace ConvAi.Telephony.Aspire;

/// <summary>
/// Settings of the Aspire client integration, bound from <c>Aspire:ConvAi:Telephony</c> (and
/// <c>Aspire:ConvAi:Telephony:{connectionName}</c>), then overridden by the connection string
/// <c>ConnectionStrings:{connectionName}</c> (<c>Endpoint=…;ApiKey=…</c>).
/// </summary>
public sealed class ConvAiTelephonySettings
{
    /// <summary>The configuration section these settings are bound from.</summary>
    public const string DefaultConfigSectionName = "Aspire:ConvAi:Telephony";

    /// <summary>Gets or sets the API's address (the connection string's <c>Endpoint</c>); null keeps <c>ConvAi:BaseAddress</c> or the environment's default.</summary>
    public Uri? Endpoint { get; set; }

    /// <summary>Gets or sets the API key (the connection string's <c>ApiKey</c>); null keeps <c>ConvAi:ApiKey</c>, then <c>ELEVENLABS_API_KEY</c>.</summary>
    public string? ApiKey { get; set; }

    /// <summary>Gets or sets a value indicating whether the health check (an authenticated phone-number list) is left out. Default false.</summary>
    public bool DisableHealthChecks { get; set; }

    /// <summary>Gets or sets a value indicating whether OpenTelemetry tracing of the <c>ConvAi.Telephony</c> ActivitySource is left out. Default false.</summary>
    public bool DisableTracing { get; set; }

    /// <summary>Gets or sets a value indicating whether OpenTelemetry metrics of the <c>ConvAi.Telephony</c> Meter are left out. Default false.</summary>
    public bool DisableMetrics { get; set; }

    /// <summary>
    /// Reads <c>Endpoint</c> and <c>ApiKey</c> from a connection string (keys case-insensitive; others ignored). A value
    /// it holds replaces the one set before; an absent one keeps it.
    /// </summary>
    /// <param name="connectionString">The connection string, e.g. <c>Endpoint=http://localhost:5000;ApiKey=emu_…</c>.</param>
    /// <exception cref="FormatException">The string is not a connection string, or its <c>Endpoint</c> is not an absolute http(s) URL.</exception>
    internal void ParseConnectionString(string? connectionString)
    {
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            return;
        }

        var parts = new DbConnectionStringBuilder();
        try
        {
            parts.ConnectionString = connectionString;
        }
        catch (ArgumentException ex)
        {
            throw new FormatException("The ConvAi connection string is malformed; expected 'Endpoint=https://…;ApiKey=…'.", ex);
        }

        if (parts.TryGetValue("Endpoint", out var endpoint) && endpoint?.ToString() is { Length: > 0 } text)
        {
            if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
            {
                throw new FormatException($"The ConvAi connection string's Endpoint must be an absolute http or https URL; it is '{text}'.");
            }

            Endpoint = uri;
        }

        if (parts.TryGetValue("ApiKey", out var apiKey) && apiKey?.ToString() is { Length: > 0 } key)
        {
            ApiKey = key;
        }
    }
}
