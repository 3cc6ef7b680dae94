using ConvAi.Telephony;

namespace MyWebhooks;

/// <summary>Stores what each post-call webhook reports. Throwing here makes the inbox retry the delivery later.</summary>
internal sealed partial class CallResultsHandler(CallResultStore store, ILogger<CallResultsHandler> logger) : ConvAiWebhookHandler
{
    public override async Task OnPostCallTranscriptionAsync(PostCallTranscriptionEvent webhookEvent, CancellationToken cancellationToken = default)
    {
        var conversation = webhookEvent.GetData();
        await store.SaveAsync(new CallResult(
            conversation.ConversationId,
            conversation.Status.ToString(),
            conversation.Analysis?.TranscriptSummary,
            conversation.Transcript?.Count ?? 0,
            webhookEvent.IsReconciled), cancellationToken);
        LogStored(logger, conversation.ConversationId);
    }

    public override async Task OnCallInitiationFailureAsync(CallInitiationFailureEvent webhookEvent, CancellationToken cancellationToken = default)
    {
        if (webhookEvent.Data.ConversationId is { } conversationId)
        {
            await store.SaveAsync(new CallResult(conversationId, "failed: " + webhookEvent.Data.FailureReason, null, 0, false), cancellationToken);
        }
    }

    // Conversation ids only: never transcripts, numbers or secrets.
    [LoggerMessage(1, LogLevel.Information, "Stored the result of {ConversationId}")]
    private static partial void LogStored(ILogger logger, string conversationId);
}
