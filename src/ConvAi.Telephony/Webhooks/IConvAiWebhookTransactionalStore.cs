namespace ConvAi.Telephony;

/// <summary>
/// A delivery store that can commit a handler's own writes and the delivery's processed mark as one transaction, so
/// that a crash between the two can neither lose the write nor process the delivery twice (the SQLite store: a handler
/// that writes to the same file enlists through <c>SqliteWebhookTransaction</c>).
/// </summary>
/// <remarks>
/// For each call of the registered <see cref="ConvAiWebhookHandler"/> (Inline mode, the inbox processor,
/// reconciliation) the library creates a DI scope, calls <see cref="PrepareHandlerCall"/> in it before the handler is
/// resolved, runs the handler, and after it returned calls <see cref="TryCompleteHandlerCallAsync"/>. When that returns
/// false (the handler did not enlist) the library marks the delivery with
/// <see cref="IConvAiWebhookDeliveryStore.MarkProcessedAsync"/> as for any store. When the handler throws, or the
/// completion throws, the scope is disposed without completion, which must roll the enlisted writes back; the delivery
/// is then retried like any failed delivery.
/// </remarks>
public interface IConvAiWebhookTransactionalStore : IConvAiWebhookDeliveryStore
{
    /// <summary>Gets the handler call's scope ready to enlist: what a handler resolves from it then belongs to the delivery <paramref name="key"/>.</summary>
    /// <param name="services">The handler call's scoped service provider.</param>
    /// <param name="key">The delivery key the processed mark is written under.</param>
    void PrepareHandlerCall(IServiceProvider services, string key);

    /// <summary>
    /// After the handler returned: when it enlisted, writes the processed mark for <paramref name="horizon"/> in the
    /// handler's transaction and commits both.
    /// </summary>
    /// <param name="services">The scoped service provider passed to <see cref="PrepareHandlerCall"/>.</param>
    /// <param name="horizon">How long the processed mark is kept.</param>
    /// <param name="cancellationToken">Cancels the operation (then nothing is committed).</param>
    /// <returns>True when the mark was committed with the handler's writes; false when the handler did not enlist (nothing was written).</returns>
    ValueTask<bool> TryCompleteHandlerCallAsync(IServiceProvider services, TimeSpan horizon, CancellationToken cancellationToken = default);
}
