using System.Collections.Concurrent;
using ConvAi.Telephony;
using ConvAi.Telephony.AspNetCore;

namespace WebhookReceiver;

/// <summary>What the receiver keeps about one call. A real app would write this to its database.</summary>
internal sealed record CallResult
{
    public string ConversationId { get; init; } = "";
    public string? AgentId { get; init; }
    public string? Status { get; init; }
    public string? CallSuccessful { get; init; }
    public string? Summary { get; init; }
    public int? DurationSecs { get; init; }
    public IReadOnlyList<TranscriptLine> Transcript { get; init; } = [];
    public long? AudioBytes { get; init; }
    public string? FailureReason { get; init; }
    public DateTimeOffset UpdatedAt { get; init; }
}

internal sealed record TranscriptLine(string Role, int TimeInCallSecs, string? Message);

/// <summary>Thread-safe, in-memory results keyed by conversation id; each webhook merges what it carries.</summary>
internal sealed class CallResultStore(TimeProvider timeProvider)
{
    private readonly ConcurrentDictionary<string, CallResult> _results = new(StringComparer.Ordinal);

    public IReadOnlyList<CallResult> List() => [.. _results.Values.OrderByDescending(r => r.UpdatedAt)];

    public CallResult? Get(string conversationId) => _results.GetValueOrDefault(conversationId);

    public void SaveTranscription(Conversation conversation) => Update(conversation.ConversationId, r => r with
    {
        AgentId = conversation.AgentId,
        Status = conversation.Status.ToString(),
        CallSuccessful = conversation.Analysis?.CallSuccessful.ToString(),
        Summary = conversation.Analysis?.TranscriptSummary,
        DurationSecs = conversation.Metadata?.CallDurationSecs,
        Transcript = [.. (conversation.Transcript ?? []).Select(t => new TranscriptLine(t.Role.ToString(), t.TimeInCallSecs, t.Message))],
    });

    public void SaveAudioSize(string conversationId, long bytes) => Update(conversationId, r => r with { AudioBytes = bytes });

    public void SaveFailure(CallInitiationFailure failure) => Update(failure.ConversationId!, r => r with
    {
        AgentId = failure.AgentId,
        Status = "failed",
        FailureReason = failure.FailureReason?.ToString() ?? "unknown",
    });

    private void Update(string conversationId, Func<CallResult, CallResult> change) =>
        _results.AddOrUpdate(
            conversationId,
            id => change(new CallResult { ConversationId = id }) with { UpdatedAt = timeProvider.GetUtcNow() },
            (_, existing) => change(existing) with { UpdatedAt = timeProvider.GetUtcNow() });
}
