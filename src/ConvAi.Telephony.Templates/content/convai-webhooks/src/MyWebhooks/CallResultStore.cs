using Microsoft.Data.Sqlite;

namespace MyWebhooks;

/// <summary>What is kept about one call.</summary>
/// <param name="ConversationId">The conversation id.</param>
/// <param name="Status">How the conversation ended (<c>done</c>, <c>failed</c>, …, or <c>failed: busy</c> when the call never connected).</param>
/// <param name="Summary">The agent's summary of the call, when analysis ran.</param>
/// <param name="TranscriptTurns">How many turns the transcript has.</param>
/// <param name="Reconciled">True when the reconciler, not a webhook, delivered the result.</param>
public sealed record CallResult(string ConversationId, string Status, string? Summary, int TranscriptTurns, bool Reconciled);

/// <summary>The call results, in a table of the app's SQLite file (beside the webhook inbox).</summary>
public sealed class CallResultStore
{
    private readonly string _connectionString;

    public CallResultStore(string connectionString, IHostEnvironment environment)
    {
        var builder = new SqliteConnectionStringBuilder(connectionString);
        if (!string.IsNullOrEmpty(builder.DataSource) && builder.DataSource != ":memory:" && !Path.IsPathRooted(builder.DataSource))
        {
            builder.DataSource = Path.Combine(environment.ContentRootPath, builder.DataSource);
        }

        _connectionString = builder.ToString();
    }

    public async Task SaveAsync(CallResult result, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            INSERT INTO call_results (conversation_id, status, summary, transcript_turns, reconciled)
            VALUES ($id, $status, $summary, $turns, $reconciled)
            ON CONFLICT (conversation_id) DO UPDATE SET status = $status, summary = $summary, transcript_turns = $turns, reconciled = $reconciled
            """;
        command.Parameters.AddWithValue("$id", result.ConversationId);
        command.Parameters.AddWithValue("$status", result.Status);
        command.Parameters.AddWithValue("$summary", (object?)result.Summary ?? DBNull.Value);
        command.Parameters.AddWithValue("$turns", result.TranscriptTurns);
        command.Parameters.AddWithValue("$reconciled", result.Reconciled);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<CallResult?> GetAsync(string conversationId, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT status, summary, transcript_turns, reconciled FROM call_results WHERE conversation_id = $id";
        command.Parameters.AddWithValue("$id", conversationId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? new CallResult(conversationId, reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetString(1), reader.GetInt32(2), reader.GetBoolean(3))
            : null;
    }

    private async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(cancellationToken);
        await using var create = connection.CreateCommand();
        create.CommandText = """
            CREATE TABLE IF NOT EXISTS call_results (
                conversation_id TEXT PRIMARY KEY, status TEXT NOT NULL, summary TEXT, transcript_turns INTEGER NOT NULL, reconciled INTEGER NOT NULL)
            """;
        await create.ExecuteNonQueryAsync(cancellationToken);
        return connection;
    }
}
