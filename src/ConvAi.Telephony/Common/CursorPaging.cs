using System.Runtime.CompilerServices;

namespace ConvAi.Telephony;

/// <summary>Enumerates the items of a cursor-paged list, one page in memory at a time.</summary>
internal static class CursorPaging
{
    /// <param name="startCursor">The cursor of the first page, or null for the beginning.</param>
    /// <param name="fetchPage">Reads the page at a cursor.</param>
    /// <param name="describe">Returns a page's items, whether more pages follow, and the next cursor.</param>
    /// <param name="cancellationToken">Stops the enumeration between pages and during requests.</param>
    public static async IAsyncEnumerable<TItem> EnumerateAsync<TPage, TItem>(
        string? startCursor,
        Func<string?, CancellationToken, Task<TPage>> fetchPage,
        Func<TPage, (IEnumerable<TItem>? Items, bool HasMore, string? NextCursor)> describe,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var cursor = startCursor;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var page = await fetchPage(cursor, cancellationToken).ConfigureAwait(false);
            var (items, hasMore, next) = describe(page);
            foreach (var item in items ?? [])
            {
                yield return item;
            }

            // Stop on the last page, on a missing cursor, and on a cursor that does not move (it would loop forever).
            if (!hasMore || string.IsNullOrEmpty(next) || next == cursor)
            {
                yield break;
            }

            cursor = next;
        }
    }
}
