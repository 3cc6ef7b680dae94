namespace ConvAi.Telephony;

/// <summary>Follows <c>next_cursor</c> over the SIP messages of a conversation or a phone number.</summary>
internal static class SipMessagePaging
{
    public static IAsyncEnumerable<SipMessage> EnumerateAsync(
        SipMessageListOptions? options,
        Func<SipMessageListOptions, CancellationToken, Task<SipMessagePage>> listPage,
        CancellationToken cancellationToken)
    {
        var first = options ?? new SipMessageListOptions();
        return CursorPaging.EnumerateAsync(
            first.Cursor,
            (cursor, ct) => listPage(first with { Cursor = cursor }, ct),
            page => (page.SipMessages, page.HasMore, page.NextCursor),
            cancellationToken);
    }
}
