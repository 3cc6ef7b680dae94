using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace ConvAi.Telephony.Sqlite;

/// <summary>Checks <see cref="ConvAiWebhookSqliteOptions"/> at start-up, naming the configuration key of each problem.</summary>
internal sealed class ConvAiWebhookSqliteOptionsValidator : IValidateOptions<ConvAiWebhookSqliteOptions>
{
    private const string Section = ConvAiWebhookSqliteOptions.SectionName + ":";

    public ValidateOptionsResult Validate(string? name, ConvAiWebhookSqliteOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(options.ConnectionString))
        {
            failures.Add($"{Section}{nameof(options.ConnectionString)} must be set, e.g. \"Data Source=webhooks.db\" (or pass it to UseSqlite).");
        }
        else
        {
            try
            {
                var builder = new SqliteConnectionStringBuilder(options.ConnectionString);
                if (string.IsNullOrWhiteSpace(builder.DataSource))
                {
                    failures.Add($"{Section}{nameof(options.ConnectionString)} must name a file in Data Source.");
                }
                else if (builder.Mode == SqliteOpenMode.Memory || builder.DataSource == ":memory:")
                {
                    failures.Add($"{Section}{nameof(options.ConnectionString)} must name a file: an in-memory database is not durable (use the in-memory store instead).");
                }
            }
            catch (ArgumentException exception)
            {
                failures.Add($"{Section}{nameof(options.ConnectionString)} is not a valid SQLite connection string: {exception.Message}");
            }
        }

        if (options.LeaseTime <= TimeSpan.Zero)
        {
            failures.Add($"{Section}{nameof(options.LeaseTime)} must be positive.");
        }

        if (options.PollInterval <= TimeSpan.Zero)
        {
            failures.Add($"{Section}{nameof(options.PollInterval)} must be positive.");
        }

        if (options.BusyTimeout <= TimeSpan.Zero)
        {
            failures.Add($"{Section}{nameof(options.BusyTimeout)} must be positive.");
        }

        if (options.MaxLength <= 0)
        {
            failures.Add($"{Section}{nameof(options.MaxLength)} must be positive.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
