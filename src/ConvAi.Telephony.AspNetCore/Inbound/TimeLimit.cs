namespace ConvAi.Telephony.AspNetCore;

/// <summary>Runs an operation under a time limit measured by a <see cref="TimeProvider"/>, so tests can use a fake clock.</summary>
internal static class TimeLimit
{
    /// <summary>
    /// Runs <paramref name="operation"/>, cancelling its token and giving up on it when
    /// <paramref name="timeout"/> elapses, even if the operation ignores its token.
    /// </summary>
    /// <exception cref="TimeoutException">The time limit elapsed first.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled (for example the caller went away).</exception>
    public static async Task<T> RunAsync<T>(
        Func<CancellationToken, ValueTask<T>> operation,
        TimeSpan timeout,
        TimeProvider timeProvider,
        CancellationToken cancellationToken)
    {
        using var timeoutSource = new CancellationTokenSource(timeout, timeProvider);
        using var linkedSource = CancellationTokenSource.CreateLinkedTokenSource(timeoutSource.Token, cancellationToken);
        try
        {
            return await operation(linkedSource.Token).AsTask().WaitAsync(linkedSource.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (timeoutSource.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"The operation did not complete within {timeout}.");
        }
    }
}
