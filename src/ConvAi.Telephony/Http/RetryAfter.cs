namespace ConvAi.Telephony;

/// <summary>Reads the <c>Retry-After</c> header, in either of its forms (delta seconds or an HTTP date).</summary>
internal static class RetryAfter
{
    /// <summary>Returns how long the server asked to wait, or null when the answer has no usable <c>Retry-After</c>.</summary>
    /// <param name="response">The answer.</param>
    /// <param name="timeProvider">The clock a date form is measured against; a date in the past means no wait.</param>
    /// <returns>The wait, never negative, or null.</returns>
    public static TimeSpan? Get(HttpResponseMessage response, TimeProvider timeProvider)
    {
        var retryAfter = response.Headers.RetryAfter;
        if (retryAfter?.Delta is { } delta)
        {
            return NotNegative(delta);
        }

        if (retryAfter?.Date is { } date)
        {
            return NotNegative(date - timeProvider.GetUtcNow());
        }

        return null;
    }

    private static TimeSpan NotNegative(TimeSpan wait) => TimeSpan.FromTicks(Math.Max(0L, wait.Ticks));
}
