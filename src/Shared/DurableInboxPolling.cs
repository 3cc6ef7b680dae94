namespace ConvAi.Telephony;

/// <summary>
/// How a durable inbox waits for work: a lease attempt, then the next arrival announced by this process or the poll
/// interval, whichever comes first (other processes' deliveries and retries that became due are found by polling,
/// since neither a SQLite file nor a Redis stream read without blocking notifies). One source file linked into
/// ConvAi.Telephony.Sqlite and ConvAi.Telephony.Redis, so that both inboxes wait the same way.
/// </summary>
internal sealed class DurableInboxPolling(TimeSpan pollInterval)
{
    private TaskCompletionSource _arrived = NewSignal();

    /// <summary>Wakes the waiting lease calls of this process: a delivery was queued, retried or re-driven.</summary>
    public void Signal() => Interlocked.Exchange(ref _arrived, NewSignal()).TrySetResult();

    /// <summary>Calls <paramref name="tryLease"/> until it leases an item, waiting for an arrival or the poll interval in between.</summary>
    public async ValueTask<ConvAiWebhookInboxItem> LeaseAsync(Func<CancellationToken, Task<ConvAiWebhookInboxItem?>> tryLease, CancellationToken cancellationToken)
    {
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var arrived = Volatile.Read(ref _arrived).Task;
            if (await tryLease(cancellationToken).ConfigureAwait(false) is { } item)
            {
                return item;
            }

            await Task.WhenAny(arrived, Task.Delay(pollInterval, TimeProvider.System, cancellationToken)).ConfigureAwait(false);
        }
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
