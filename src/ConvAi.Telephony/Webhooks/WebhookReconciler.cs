using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ConvAi.Telephony;

/// <summary>
/// The opt-in hosted service that recovers post-call transcriptions no webhook delivered (every instance down, a
/// crash that lost an in-memory inbox, a webhook disabled by ElevenLabs): each pass lists the configured agents'
/// conversations started since the checkpoint, and for each <c>done</c> conversation that ended more than the grace
/// period ago and has no processed mark, claims it with the same key as its webhook, fetches it and dispatches a
/// <see cref="PostCallTranscriptionEvent"/> with <see cref="PostCallTranscriptionEvent.IsReconciled"/> set. The claim
/// and the processed mark make sure a conversation is dispatched once, whichever of webhook and reconciler comes first.
/// </summary>
internal sealed class WebhookReconciler(
    IConvAiTelephonyClient client,
    ConvAiWebhookReceiver receiver,
    IConvAiWebhookDeliveryStore store,
    IOptions<ConvAiWebhookOptions> webhookOptions,
    IOptions<ConvAiWebhookReconcileOptions> reconcileOptions,
    TimeProvider timeProvider,
    ILogger<WebhookReconciler> logger) : BackgroundService
{
    private readonly ConvAiWebhookReconcileOptions _options = reconcileOptions.Value;
    // Where each agent's last pass stopped, kept in the delivery store so that a restarted process continues there.
    private readonly string _checkpointPrefix = webhookOptions.Value.Deduplication.KeyPrefix + "reconcile:";
    private readonly SemaphoreSlim _pass = new(1, 1);

    public override void Dispose()
    {
        _pass.Dispose();
        base.Dispose();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await ReconcileAsync(stoppingToken).ConfigureAwait(false);
                await Task.Delay(_options.Interval, timeProvider, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
        }
    }

    /// <summary>Runs one pass over every configured agent (one pass at a time); returns how many conversations it dispatched.</summary>
    internal async Task<int> ReconcileAsync(CancellationToken cancellationToken)
    {
        await _pass.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await ReconcileAgentsAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _pass.Release();
        }
    }

    private async Task<int> ReconcileAgentsAsync(CancellationToken cancellationToken)
    {
        var dispatched = 0;
        IEnumerable<string?> agents = _options.AgentIds.Count > 0 ? (IEnumerable<string?>)_options.AgentIds : new string?[] { null };
        foreach (var agentId in agents)
        {
            try
            {
                dispatched += await ReconcileAgentAsync(agentId, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                // The listing failed after the client's own retries: the checkpoint stays, the next pass lists again.
                WebhookLog.ReconcileListFailed(logger, agentId, exception.GetType().FullName!);
            }
        }

        return dispatched;
    }

    private async Task<int> ReconcileAgentAsync(string? agentId, CancellationToken cancellationToken)
    {
        var now = timeProvider.GetUtcNow();
        var oldest = now - _options.LookBack;
        var checkpointName = _checkpointPrefix + (agentId ?? "*");
        var checkpoint = await store.GetCheckpointAsync(checkpointName, cancellationToken).ConfigureAwait(false);
        var from = checkpoint > oldest ? checkpoint.Value : oldest;
        DateTimeOffset? pending = null;
        var latest = from;
        var dispatched = 0;
        var listing = client.Conversations.ListAllAsync(
            new ConversationListOptions { AgentId = agentId, CallStartAfterUnix = from.ToUnixTimeSeconds() - 1, PageSize = 100 },
            cancellationToken);
        await foreach (var summary in listing.ConfigureAwait(false))
        {
            var startedAt = DateTimeOffset.FromUnixTimeSeconds(summary.StartTimeUnixSecs);
            latest = startedAt > latest ? startedAt : latest;
            var outcome = await ReconcileConversationAsync(summary, startedAt, now, cancellationToken).ConfigureAwait(false);
            if (outcome == Outcome.Dispatched)
            {
                dispatched++;
            }
            else if (outcome == Outcome.Pending && (pending is null || startedAt < pending))
            {
                pending = startedAt;
            }
        }

        // The next pass starts at the oldest conversation still to settle, or else after the newest one seen.
        await store.SetCheckpointAsync(checkpointName, pending ?? latest, cancellationToken).ConfigureAwait(false);
        return dispatched;
    }

    private async Task<Outcome> ReconcileConversationAsync(ConversationSummary summary, DateTimeOffset startedAt, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (summary.Status == ConversationStatus.Failed)
        {
            return Outcome.Settled; // a call that never connected has no transcription; its initiation failure is not reconciled
        }

        var endedAt = startedAt + TimeSpan.FromSeconds(summary.CallDurationSecs);
        if (summary.Status != ConversationStatus.Done || endedAt + _options.GracePeriod > now)
        {
            return Outcome.Pending;
        }

        var conversationId = summary.ConversationId;
        if (await receiver.IsProcessedAsync(ConvAiWebhookEventType.PostCallTranscription, conversationId, cancellationToken).ConfigureAwait(false))
        {
            return Outcome.Settled;
        }

        bool dispatched;
        try
        {
            // The same claim, handler and processed mark as a delivery of the conversation's webhook.
            var conversation = await client.Conversations.GetAsync(conversationId, cancellationToken: cancellationToken).ConfigureAwait(false);
            dispatched = await receiver.ProcessReconciledAsync(
                new PostCallTranscriptionEvent(conversation) { ConversationId = conversationId, IsReconciled = true },
                cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            WebhookLog.ReconcileFailed(logger, conversationId, exception.GetType().FullName!);
            return Outcome.Pending;
        }

        if (!dispatched)
        {
            return Outcome.Pending; // a webhook for it is being processed (or waits in an inbox): look again next pass
        }

        WebhookLog.Reconciled(logger, conversationId);
        return Outcome.Dispatched;
    }

    private enum Outcome
    {
        Settled,
        Pending,
        Dispatched,
    }
}
