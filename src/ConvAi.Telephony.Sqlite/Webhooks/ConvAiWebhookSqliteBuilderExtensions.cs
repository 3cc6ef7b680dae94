using ConvAi.Telephony;
using ConvAi.Telephony.Sqlite;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Keeps webhook deliveries in a local SQLite file, durable across crashes and restarts of the machine's processes.</summary>
public static class ConvAiWebhookSqliteBuilderExtensions
{
    /// <summary>
    /// Uses one SQLite file for the delivery store (<see cref="SqliteWebhookDeliveryStore"/>: claims, processed marks and
    /// the reconciler's checkpoint) and the inbox (<see cref="SqliteWebhookInbox"/>: queued deliveries, retries and dead
    /// letters), so that a crash or restart forgets nothing and several processes of one machine share them. A handler
    /// that writes to the same file injects the scoped <see cref="SqliteWebhookTransaction"/> so that its writes and the
    /// processed mark commit together. Options are bound from <c>ConvAi:Webhooks:Sqlite</c>; start-up fails when
    /// <c>ConvAi:Webhooks:Sqlite:ConnectionString</c> is not set.
    /// </summary>
    /// <param name="builder">The builder returned by <c>AddConvAiWebhooks</c>.</param>
    /// <returns>The same builder.</returns>
    public static IConvAiWebhooksBuilder UseSqlite(this IConvAiWebhooksBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return UseSqliteCore(builder, configure: null);
    }

    /// <summary>
    /// Uses the SQLite file named by <paramref name="connectionString"/> for the delivery store and the inbox (see
    /// <see cref="UseSqlite(IConvAiWebhooksBuilder)"/>); a relative <c>Data Source</c> is resolved against the content root.
    /// </summary>
    /// <param name="builder">The builder returned by <c>AddConvAiWebhooks</c>.</param>
    /// <param name="connectionString">A Microsoft.Data.Sqlite connection string naming a file, e.g. <c>Data Source=webhooks.db</c>.</param>
    /// <returns>The same builder.</returns>
    public static IConvAiWebhooksBuilder UseSqlite(this IConvAiWebhooksBuilder builder, string connectionString)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        return UseSqliteCore(builder, options => options.ConnectionString = connectionString);
    }

    /// <summary>
    /// Uses SQLite for the delivery store and the inbox (see <see cref="UseSqlite(IConvAiWebhooksBuilder)"/>) with the
    /// options bound from <c>ConvAi:Webhooks:Sqlite</c> and then changed by <paramref name="configure"/>.
    /// </summary>
    /// <param name="builder">The builder returned by <c>AddConvAiWebhooks</c>.</param>
    /// <param name="configure">Changes the options, e.g. <c>o =&gt; o.ConnectionString = "Data Source=webhooks.db"</c>.</param>
    /// <returns>The same builder.</returns>
    public static IConvAiWebhooksBuilder UseSqlite(this IConvAiWebhooksBuilder builder, Action<ConvAiWebhookSqliteOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        return UseSqliteCore(builder, configure);
    }

    private static IConvAiWebhooksBuilder UseSqliteCore(IConvAiWebhooksBuilder builder, Action<ConvAiWebhookSqliteOptions>? configure)
    {
        var services = builder.Services;
        var options = services.AddOptions<ConvAiWebhookSqliteOptions>()
            .Configure<IServiceProvider>((options, sp) =>
            {
                if (sp.GetService<IConfiguration>() is { } configuration)
                {
                    configuration.GetSection(ConvAiWebhookSqliteOptions.SectionName).Bind(options);
                }
            });
        if (configure is not null)
        {
            options.Configure(configure);
        }

        options.ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ConvAiWebhookSqliteOptions>, ConvAiWebhookSqliteOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.Replace(ServiceDescriptor.Singleton(sp =>
        {
            var value = sp.GetRequiredService<IOptions<ConvAiWebhookSqliteOptions>>().Value;
            var contentRoot = sp.GetService<IHostEnvironment>()?.ContentRootPath;
            return new SqliteWebhookDatabase(ResolveDataSource(value.ConnectionString!, contentRoot), value.BusyTimeout);
        }));
        services.Replace(ServiceDescriptor.Singleton<IConvAiWebhookDeliveryStore>(sp => new SqliteWebhookDeliveryStore(
            sp.GetRequiredService<SqliteWebhookDatabase>(),
            sp.GetRequiredService<TimeProvider>())));
        services.TryAddScoped(_ => new SqliteWebhookTransaction());
        services.Replace(ServiceDescriptor.Singleton<IConvAiWebhookInbox>(sp => new SqliteWebhookInbox(
            sp.GetRequiredService<IOptions<ConvAiWebhookSqliteOptions>>().Value,
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<SqliteWebhookDatabase>())));
        return builder;
    }

    /// <summary>Makes a relative <c>Data Source</c> absolute against <paramref name="contentRoot"/> (else the current directory).</summary>
    internal static string ResolveDataSource(string connectionString, string? contentRoot)
    {
        var builder = new SqliteConnectionStringBuilder(connectionString);
        var dataSource = builder.DataSource;
        if (string.IsNullOrEmpty(dataSource)
            || dataSource.StartsWith("file:", StringComparison.OrdinalIgnoreCase)
            || Path.IsPathRooted(dataSource))
        {
            return connectionString;
        }

        builder.DataSource = Path.GetFullPath(Path.Combine(
            string.IsNullOrEmpty(contentRoot) ? Directory.GetCurrentDirectory() : contentRoot, dataSource));
        return builder.ToString();
    }
}
