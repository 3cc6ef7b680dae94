using System.Text.Json;
using System.Text.Json.Serialization;
using ConvAi.Telephony;
using ConvAi.Telephony.AspNetCore;
using Microsoft.Data.Sqlite;

namespace WebhookReceiver;

/// <summary>What the receiver keeps about one call, as <c>GET /conversations</c> returns it.</summary>
internal sealed record CallResult
{
    [JsonPropertyName("conversation_id")]
    public string ConversationId { get; init; } = "";

    [JsonPropertyName("agent_id")]
    public string? AgentId { get; init; }

    [JsonPropertyName("status")]
    public string? Status { get; init; }

    [JsonPropertyName("call_successful")]
    public string? CallSuccessful { get; init; }

    [JsonPropertyName("summary")]
    public string? Summary { get; init; }

    [JsonPropertyName("duration_secs")]
    public int? DurationSecs { get; init; }

    [JsonPropertyName("transcript")]
    public IReadOnlyList<TranscriptLine> Transcript { get; init; } = [];

    [JsonPropertyName("audio_bytes")]
    public long? AudioBytes { get; init; }

    [JsonPropertyName("failure_reason")]
    public string? FailureReason { get; init; }

    /// <summary>How many times the handler stored this call's result (a transcription or an initiation failure): 1 unless a delivery was processed twice.</summary>
    [JsonPropertyName("processed_count")]
    public int ProcessedCount { get; init; }

    /// <summary>True when the result came from reconciliation (no webhook delivered it).</summary>
    [JsonPropertyName("reconciled")]
    public bool Reconciled { get; init; }

    [JsonPropertyName("updated_at")]
    public DateTimeOffset UpdatedAt { get; init; }
}

internal sealed record TranscriptLine(
    [property: JsonPropertyName("role")] string Role,
    [property: JsonPropertyName("time_in_call_secs")] int TimeInCallSecs,
    [property: JsonPropertyName("message")] string? Message);

/// <summary>
/// Results in SQLite (<c>ConnectionStrings:Results</c>, default <c>results.db</c> in the content root), so they survive
/// restarts. With the SQLite delivery store (the default) the file is the webhooks' own, and the handler passes the
/// handler call's transaction: the result and the delivery's processed mark then commit together, so a crash can
/// neither store a result twice nor mark a delivery whose result was not stored. Every write is also an upsert keyed
/// by the conversation id, the idempotency key the handler gets, so where no such transaction exists (Redis) a
/// delivery processed twice (after a crash between the handler's return and its processed mark) overwrites the row
/// with the same values; <c>processed_count</c> shows how often that happened.
/// </summary>
internal sealed class CallResultStore
{
    private const string Columns =
        "conversation_id, agent_id, status, call_successful, summary, duration_secs, transcript, audio_bytes, failure_reason, processed_count, reconciled, updated_at";

    private readonly string _connectionString;
    private readonly TimeProvider _timeProvider;

    public CallResultStore(IConfiguration configuration, IHostEnvironment environment, TimeProvider timeProvider)
    {
        _connectionString = configuration.GetConnectionString("Results")
            ?? $"Data Source={Path.Combine(environment.ContentRootPath, "results.db")}";
        _timeProvider = timeProvider;
        using var connection = Open();
        Execute(connection, $"""
            CREATE TABLE IF NOT EXISTS results (
                conversation_id TEXT PRIMARY KEY, agent_id TEXT, status TEXT, call_successful TEXT, summary TEXT,
                duration_secs INTEGER, transcript TEXT NOT NULL DEFAULT '[]', audio_bytes INTEGER, failure_reason TEXT,
                processed_count INTEGER NOT NULL DEFAULT 0, reconciled INTEGER NOT NULL DEFAULT 0, updated_at TEXT NOT NULL)
            """);
    }

    public IReadOnlyList<CallResult> List()
    {
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {Columns} FROM results ORDER BY updated_at DESC, conversation_id";
        return Read(command);
    }

    public CallResult? Get(string conversationId)
    {
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {Columns} FROM results WHERE conversation_id = $id";
        command.Parameters.AddWithValue("$id", conversationId);
        return Read(command).SingleOrDefault();
    }

    public void SaveTranscription(PostCallTranscriptionEvent webhookEvent, SqliteTransaction? transaction)
    {
        var conversation = webhookEvent.GetData();
        var transcript = (conversation.Transcript ?? []).Select(t => new TranscriptLine(t.Role.ToString(), t.TimeInCallSecs, t.Message)).ToArray();
        Upsert(
            transaction,
            conversation.ConversationId,
            """
            agent_id = $agent_id, status = $status, call_successful = $call_successful, summary = $summary,
            duration_secs = $duration_secs, transcript = $transcript, reconciled = $reconciled,
            processed_count = processed_count + 1
            """,
            ("$agent_id", conversation.AgentId),
            ("$status", conversation.Status.ToString()),
            ("$call_successful", conversation.Analysis?.CallSuccessful.ToString()),
            ("$summary", conversation.Analysis?.TranscriptSummary),
            ("$duration_secs", conversation.Metadata?.CallDurationSecs),
            ("$transcript", JsonSerializer.Serialize(transcript)),
            ("$reconciled", webhookEvent.IsReconciled));
    }

    public void SaveAudioSize(string conversationId, long bytes, SqliteTransaction? transaction) =>
        Upsert(transaction, conversationId, "audio_bytes = $audio_bytes", ("$audio_bytes", bytes));

    public void SaveFailure(CallInitiationFailure failure, SqliteTransaction? transaction) =>
        Upsert(
            transaction,
            failure.ConversationId!,
            "agent_id = $agent_id, status = 'failed', failure_reason = $reason, processed_count = processed_count + 1",
            ("$agent_id", failure.AgentId),
            ("$reason", failure.FailureReason?.ToString() ?? "unknown"));

    /// <summary>
    /// Creates the row when missing, then applies <paramref name="assignments"/>, in one transaction: the handler call's
    /// (<paramref name="enlisted"/>, committed by the library with the processed mark) or one of its own.
    /// </summary>
    private void Upsert(SqliteTransaction? enlisted, string conversationId, string assignments, params (string Name, object? Value)[] values)
    {
        using var connection = enlisted is null ? Open() : null;
        using var own = connection?.BeginTransaction();
        var transaction = enlisted ?? own!;
        using var command = transaction.Connection!.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = $"""
            INSERT INTO results (conversation_id, updated_at) VALUES ($id, $now) ON CONFLICT (conversation_id) DO NOTHING;
            UPDATE results SET {assignments}, updated_at = $now WHERE conversation_id = $id;
            """;
        command.Parameters.AddWithValue("$id", conversationId);
        command.Parameters.AddWithValue("$now", _timeProvider.GetUtcNow().ToString("O"));
        foreach (var (name, value) in values)
        {
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }

        command.ExecuteNonQuery();
        own?.Commit();
    }

    private SqliteConnection Open()
    {
        var connection = new SqliteConnection(_connectionString);
        connection.Open();
        return connection;
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static List<CallResult> Read(SqliteCommand command)
    {
        using var reader = command.ExecuteReader();
        var results = new List<CallResult>();
        while (reader.Read())
        {
            results.Add(new CallResult
            {
                ConversationId = reader.GetString(0),
                AgentId = reader.IsDBNull(1) ? null : reader.GetString(1),
                Status = reader.IsDBNull(2) ? null : reader.GetString(2),
                CallSuccessful = reader.IsDBNull(3) ? null : reader.GetString(3),
                Summary = reader.IsDBNull(4) ? null : reader.GetString(4),
                DurationSecs = reader.IsDBNull(5) ? null : reader.GetInt32(5),
                Transcript = JsonSerializer.Deserialize<TranscriptLine[]>(reader.GetString(6)) ?? [],
                AudioBytes = reader.IsDBNull(7) ? null : reader.GetInt64(7),
                FailureReason = reader.IsDBNull(8) ? null : reader.GetString(8),
                ProcessedCount = reader.GetInt32(9),
                Reconciled = reader.GetInt32(10) != 0,
                UpdatedAt = DateTimeOffset.Parse(reader.GetString(11), System.Globalization.CultureInfo.InvariantCulture),
            });
        }

        return results;
    }
}
