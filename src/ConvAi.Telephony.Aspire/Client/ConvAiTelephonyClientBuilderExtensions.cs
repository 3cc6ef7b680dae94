using ConvAi.Telephony;
using ConvAi.Telephony.Aspire;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Microsoft.Extensions.Hosting;

/// <summary>Registers the ConvAi.Telephony client the way Aspire's client integrations register theirs.</summary>
public static class ConvAiTelephonyClientBuilderExtensions
{
    /// <summary>The name of the health check this integration registers.</summary>
    public const string HealthCheckName = "ConvAi.Telephony";

    /// <summary>
    /// Registers <see cref="IConvAiTelephonyClient"/> with options from the <c>ConvAi</c> section, then the API address
    /// and key from <c>Aspire:ConvAi:Telephony</c> and from the connection string <c>ConnectionStrings:{connectionName}</c>
    /// (<c>Endpoint=…;ApiKey=…</c>, what an AppHost's <c>WithReference</c> sets). Precedence, highest first: the
    /// connection string, <paramref name="configureSettings"/>, <c>Aspire:ConvAi:Telephony:{connectionName}</c>,
    /// <c>Aspire:ConvAi:Telephony</c>, <c>ConvAi:ApiKey</c> / <c>ConvAi:BaseAddress</c>, and for the key last
    /// <c>ELEVENLABS_API_KEY</c>. Adds a health check and OpenTelemetry tracing and metrics, each with a switch in
    /// <see cref="ConvAiTelephonySettings"/>.
    /// </summary>
    /// <param name="builder">The host builder.</param>
    /// <param name="connectionName">The connection name (the AppHost resource's name, e.g. <c>convai</c>).</param>
    /// <param name="configureSettings">Changes the settings after configuration and before the connection string is read.</param>
    /// <returns>A builder to keep configuring the client (HttpClient, resilience).</returns>
    public static IConvAiTelephonyBuilder AddConvAiTelephonyClient(
        this IHostApplicationBuilder builder,
        string connectionName,
        Action<ConvAiTelephonySettings>? configureSettings = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrEmpty(connectionName);

        var settings = ReadSettings(builder.Configuration, connectionName, configureSettings);

        var client = builder.Services.AddConvAiTelephony(builder.Configuration.GetSection(ConvAiTelephonyOptions.SectionName));
        builder.Services.Configure<ConvAiTelephonyOptions>(options =>
        {
            if (settings.Endpoint is { } endpoint)
            {
                options.BaseAddress = endpoint;
            }

            if (!string.IsNullOrEmpty(settings.ApiKey))
            {
                options.ApiKey = settings.ApiKey;
            }
        });

        if (!settings.DisableHealthChecks)
        {
            builder.Services.AddHealthChecks().Add(new HealthCheckRegistration(
                HealthCheckName,
                sp => new ConvAiTelephonyHealthCheck(sp.GetRequiredService<IConvAiTelephonyClient>()),
                failureStatus: default,
                tags: default));
        }

        if (!settings.DisableTracing)
        {
            builder.Services.AddOpenTelemetry().WithTracing(tracing => tracing.AddSource(ConvAiTelephonyDiagnostics.ActivitySourceName));
        }

        if (!settings.DisableMetrics)
        {
            builder.Services.AddOpenTelemetry().WithMetrics(metrics => metrics.AddMeter(ConvAiTelephonyDiagnostics.MeterName));
        }

        return client;
    }

    /// <summary>Binds the settings in precedence order, lowest first (internal for the precedence tests).</summary>
    internal static ConvAiTelephonySettings ReadSettings(IConfiguration configuration, string connectionName, Action<ConvAiTelephonySettings>? configureSettings)
    {
        var settings = new ConvAiTelephonySettings();
        var section = configuration.GetSection(ConvAiTelephonySettings.DefaultConfigSectionName);
        section.Bind(settings);
        section.GetSection(connectionName).Bind(settings);
        configureSettings?.Invoke(settings);
        settings.ParseConnectionString(configuration.GetConnectionString(connectionName));
        return settings;
    }
}
