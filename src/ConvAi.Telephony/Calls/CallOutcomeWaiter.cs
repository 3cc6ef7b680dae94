namespace ConvAi.Telephony;

/// <summary>
/// Waits for one call's outcome from two sources: the events published to <see cref="CallOutcomeTracker"/> and polls
/// of the conversation with backoff. The first answer wins; both read the conversation the same way (<see cref="CallOutcome.FromConversation"/>).
/// </summary>
internal static class CallOutcomeWaiter
{
    public static async Task<CallOutcome> WaitAsync(
        ConversationsClient conversations,
        CallOutcomeTracker tracker,
        TimeProvider timeProvider,
        string conversationId,
        string? knownCallId,
        CallOutcomeWaitOptions options,
        PollBackoff backoff,
        CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        using var watch = tracker.Start(conversationId);
        if (watch.Task.IsCompleted)
        {
            return WithCallId(await watch.Task.ConfigureAwait(false), knownCallId);
        }

        // One token for the caller's cancellation and the deadline (on the given clock); which of the two fired is told apart below.
        using var deadline = new CancellationTokenSource(options.Timeout, timeProvider);
        using var link = cancellationToken.UnsafeRegister(static state => ((CancellationTokenSource)state!).Cancel(), deadline);
        var token = deadline.Token;
        Conversation? last = null;
        try
        {
            while (true)
            {
                Exception? failure = null;
                if (options.Poll)
                {
                    try
                    {
                        last = await conversations.GetAsync(conversationId, cancellationToken: token).ConfigureAwait(false);
                        if (CallOutcome.FromConversation(last, acceptProcessing: !options.WaitForAnalysis) is { } polled)
                        {
                            return WithCallId(polled, knownCallId);
                        }
                    }
                    catch (Exception exception) when (PollBackoff.IsTransient(exception) && !token.IsCancellationRequested)
                    {
                        failure = exception;
                    }
                }

                var delay = options.Poll ? backoff.Next(failure) : Timeout.InfiniteTimeSpan;
                if (watch.Task.IsCompleted || await PollBackoff.DelayAsync(delay, watch.Task, timeProvider, token).ConfigureAwait(false))
                {
                    return WithCallId(await watch.Task.ConfigureAwait(false), knownCallId);
                }
            }
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            // An event may have landed in the same instant as the deadline: it is the better answer.
            return watch.Task.IsCompletedSuccessfully
                ? WithCallId(watch.Task.Result, knownCallId)
                : TimedOut(conversationId, last, knownCallId);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw new OperationCanceledException(cancellationToken);
        }
        finally
        {
            // Releases the pending delay's timer at once rather than at the deadline.
            await deadline.CancelAsync().ConfigureAwait(false);
        }
    }

    private static CallOutcome WithCallId(CallOutcome outcome, string? knownCallId) =>
        outcome.CallId is null && knownCallId is not null ? outcome with { CallId = knownCallId } : outcome;

    private static CallOutcome TimedOut(string conversationId, Conversation? last, string? knownCallId) => new()
    {
        Kind = CallOutcomeKind.TimedOut,
        ConversationId = conversationId,
        CallId = knownCallId ?? last?.Metadata?.PhoneCall?.CallSid ?? last?.Metadata?.PhoneCall?.CallId,
        Status = last?.Status,
    };
}
