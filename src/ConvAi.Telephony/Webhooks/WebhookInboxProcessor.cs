using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ConvAi.Telephony;

/// <summary>
/// The hosted service that empties the <see cref="IConvAiWebhookInbox"/>: leases a delivery, dispatches it to the
/// handler, then marks it processed and completes it, or retries it later with exponential backoff on the
/// <see cref="TimeProvider"/>, or dead-letters it after the last attempt. At shutdown it stops leasing; an in-memory
/// inbox is drained of deliveries that are due (until the host's shutdown timeout cancels the handlers), a shared
/// inbox keeps what is left for the next instance.
/// </summary>
internal sealed class WebhookInboxProcessor(
    IConvAiWebhookInbox inbox,
    WebhookDispatcher dispatcher,
    WebhookAcknowledgementGate acknowledgements,
    TimeProvider timeProvider,
    ILogger<WebhookInboxProcessor> logger) : BackgroundService
{
    private static readonly TimeSpan InboxFailurePause = TimeSpan.FromSeconds(1);
    private readonly CancellationTokenSource _abortHandlers = new();
    private readonly ConvAiWebhookDeliveryOptions _options = dispatcher.Options.Delivery;

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        // The handlers finish (and the in-memory inbox drains) until the host's shutdown timeout.
        using var registration = cancellationToken.Register(static state => ((CancellationTokenSource)state!).Cancel(), _abortHandlers);
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
        if (inbox is InMemoryWebhookInbox { Count: > 0 } memory)
        {
            WebhookLog.LeftInInbox(logger, memory.Count);
        }
    }

    public override void Dispose()
    {
        _abortHandlers.Dispose();
        base.Dispose();
    }

    /// <summary>The wait before attempt <paramref name="failedAttempts"/> + 1: the retry delay doubled per failure, capped.</summary>
    internal static TimeSpan Backoff(ConvAiWebhookDeliveryOptions options, int failedAttempts)
    {
        var factor = Math.Pow(2, Math.Min(failedAttempts - 1, 30));
        var delay = options.RetryDelay.TotalMilliseconds * factor;
        return delay >= options.MaxRetryDelay.TotalMilliseconds ? options.MaxRetryDelay : TimeSpan.FromMilliseconds(delay);
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(Enumerable.Range(0, _options.ProcessorConcurrency).Select(_ => RunWorkerAsync(stoppingToken)));

    private async Task RunWorkerAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        while (!stoppingToken.IsCancellationRequested)
        {
            ConvAiWebhookInboxItem item;
            try
            {
                item = await inbox.LeaseAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (ChannelClosedException)
            {
                return;
            }
#pragma warning disable CA1031 // A failing shared inbox (e.g. Redis down) must not stop the processor.
            catch (Exception exception)
#pragma warning restore CA1031
            {
                WebhookLog.InboxFailed(logger, exception.GetType().FullName!);
                await PauseAsync(stoppingToken).ConfigureAwait(false);
                continue;
            }

            // A lease from a full in-memory inbox, the gate and a synchronous handler all complete at once: without a
            // yield a worker would keep its thread-pool thread item after item and starve the requests it waits for.
            await Task.Yield();
            await WaitForTurnAsync(stoppingToken).ConfigureAwait(false);
            await ProcessAsync(item, _abortHandlers.Token).ConfigureAwait(false);
        }

        // Drain what is due now: an in-memory inbox dies with the process.
        if (inbox is InMemoryWebhookInbox memory)
        {
            while (!_abortHandlers.IsCancellationRequested && memory.TryLeaseDue(out var lease))
            {
                await ProcessAsync(await lease.ConfigureAwait(false), _abortHandlers.Token).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Processes one leased delivery and ends its lease; never throws.</summary>
    internal async Task ProcessAsync(ConvAiWebhookInboxItem item, CancellationToken cancellationToken)
    {
        var delivery = item.Delivery;
        var type = delivery.EventType.Value;
        try
        {
            if (await dispatcher.Store.IsProcessedAsync(delivery.DeliveryKey, cancellationToken).ConfigureAwait(false))
            {
                WebhookLog.AlreadyProcessed(logger, type, delivery.ConversationId);
                await inbox.CompleteAsync(item, CancellationToken.None).ConfigureAwait(false);
                return;
            }

            if (!ConvAiWebhookEventParser.TryParse(delivery.Body, lease: null, bindLazily: true, out var webhookEvent, out _))
            {
                // Verified but not bindable (a value of the wrong type): retrying cannot help.
                await EndFailedAsync(item, typeof(ConvAiWebhookPayloadException).FullName!, lastAttempt: true).ConfigureAwait(false);
                return;
            }

            bool marked;
            try
            {
                marked = await dispatcher.DispatchAsync(webhookEvent, delivery.DeliveryKey, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                // Shutting down: give the delivery back without counting an attempt.
                await inbox.RetryLaterAsync(item, timeProvider.GetUtcNow(), failure: null, CancellationToken.None).ConfigureAwait(false);
                return;
            }
#pragma warning disable CA1031 // Any handler failure is retried or dead-lettered, never lost.
            catch (Exception exception)
#pragma warning restore CA1031
            {
                // Data that does not fit the model (bound when the handler read it) fails the same way on every attempt.
                await EndFailedAsync(item, exception.GetType().FullName!, lastAttempt: webhookEvent.HasMalformedData).ConfigureAwait(false);
                return;
            }

            if (!marked)
            {
                await dispatcher.MarkProcessedAsync(delivery.DeliveryKey, delivery.ConversationId).ConfigureAwait(false);
            }

            await inbox.CompleteAsync(item, CancellationToken.None).ConfigureAwait(false);
            WebhookLog.ProcessedQueued(logger, type, delivery.ConversationId, delivery.Attempts + 1);
        }
#pragma warning disable CA1031 // An inbox or store failure leaves the item leased; a shared inbox hands it out again.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            WebhookLog.InboxFailed(logger, exception.GetType().FullName!);
        }
    }

    private async Task EndFailedAsync(ConvAiWebhookInboxItem item, string failure, bool lastAttempt)
    {
        var delivery = item.Delivery;
        var attempt = delivery.Attempts + 1;
        if (lastAttempt || attempt >= _options.MaxAttempts)
        {
            await inbox.DeadLetterAsync(item, failure, CancellationToken.None).ConfigureAwait(false);
            WebhookLog.DeadLettered(logger, delivery.EventType.Value, delivery.ConversationId, attempt, failure, item.Id);
            return;
        }

        var dueAt = timeProvider.GetUtcNow() + Backoff(_options, attempt);
        await inbox.RetryLaterAsync(item, dueAt, failure, CancellationToken.None).ConfigureAwait(false);
        WebhookLog.RetryScheduled(logger, delivery.EventType.Value, delivery.ConversationId, attempt, failure, dueAt);
    }

    /// <summary>
    /// Answers first: with a delivery leased, waits while deliveries are being acknowledged or one ended within the
    /// gate's quiet period (at most <see cref="WebhookAcknowledgementGate.MaxDeferral"/>), unless the in-memory inbox is
    /// 90% full. Stopping ends the wait.
    /// </summary>
    private async Task WaitForTurnAsync(CancellationToken stoppingToken)
    {
        var backlogged = inbox is InMemoryWebhookInbox memory && memory.Count >= memory.Capacity - (memory.Capacity / 10);
        try
        {
            await acknowledgements.WaitForTurnAsync(backlogged, stoppingToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Stopping: process the leased delivery now (a cancelled handler gives it back).
        }
    }

    private async Task PauseAsync(CancellationToken stoppingToken)
    {
        try
        {
            await Task.Delay(InboxFailurePause, timeProvider, stoppingToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }
}
