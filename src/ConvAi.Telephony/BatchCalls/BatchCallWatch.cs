using System.Runtime.CompilerServices;

namespace ConvAi.Telephony;

/// <summary>How <see cref="BatchCallsClient.WatchAsync"/> polls a batch. The defaults poll at once, then after 5 s, growing by 1.5 up to 1 minute while nothing changes.</summary>
public sealed record BatchCallWatchOptions : PollingOptions;

/// <summary>A recipient of a batch whose status changed, as streamed by <see cref="BatchCallsClient.WatchAsync"/>.</summary>
public sealed record BatchCallRecipientUpdate
{
    /// <summary>Gets the batch id.</summary>
    public string BatchCallId { get; init; } = string.Empty;

    /// <summary>Gets the recipient with its new status (and its conversation id once there is one).</summary>
    public BatchCallRecipientResult Recipient { get; init; } = null!;

    /// <summary>Gets the status the recipient had at the previous poll; null the first time it is seen.</summary>
    public BatchCallRecipientStatus? PreviousStatus { get; init; }

    /// <summary>Gets the batch's status at the poll that saw the change.</summary>
    public BatchCallStatus BatchStatus { get; init; } = BatchCallStatus.Empty;
}

/// <summary>Polls a batch and yields its recipients' status changes until the batch ends.</summary>
internal static class BatchCallWatch
{
    public static async IAsyncEnumerable<BatchCallRecipientUpdate> WatchAsync(
        Func<CancellationToken, Task<BatchCall>> get,
        PollBackoff backoff,
        TimeProvider timeProvider,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var seen = new Dictionary<string, BatchCallRecipientStatus>(StringComparer.Ordinal);
        while (true)
        {
            BatchCall? batch = null;
            Exception? failure = null;
            try
            {
                batch = await get(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception exception) when (PollBackoff.IsTransient(exception) && !cancellationToken.IsCancellationRequested)
            {
                failure = exception;
            }

            if (batch is not null)
            {
                var changed = false;
                foreach (var recipient in batch.Recipients ?? [])
                {
                    var known = seen.TryGetValue(recipient.Id, out var previous);
                    if (known && previous == recipient.Status)
                    {
                        continue;
                    }

                    seen[recipient.Id] = recipient.Status;
                    changed = true;
                    yield return new BatchCallRecipientUpdate
                    {
                        BatchCallId = batch.Id,
                        Recipient = recipient,
                        PreviousStatus = known ? previous : null,
                        BatchStatus = batch.Status,
                    };
                }

                if (IsFinal(batch.Status))
                {
                    yield break;
                }

                if (changed)
                {
                    backoff.Reset();
                }
            }

            await PollBackoff.DelayAsync(backoff.Next(failure), null, timeProvider, cancellationToken).ConfigureAwait(false);
        }
    }

    private static bool IsFinal(BatchCallStatus status) =>
        status == BatchCallStatus.Completed || status == BatchCallStatus.Failed || status == BatchCallStatus.Cancelled;
}
