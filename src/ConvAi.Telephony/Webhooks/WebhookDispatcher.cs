using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ConvAi.Telephony;

/// <summary>Hands accepted events to the app (the registered <see cref="ConvAiWebhookHandler"/> or a delivery's own handler) and records processed deliveries; shared by the receiver, the inbox processor and the reconciler.</summary>
internal sealed class WebhookDispatcher(
    IServiceScopeFactory scopes,
    IConvAiWebhookDeliveryStore store,
    IOptions<ConvAiWebhookOptions> options,
    ILogger<WebhookDispatcher> logger,
    IEnumerable<ICallEventSink> callEventSinks)
{
    private readonly ICallEventSink[] _callEventSinks = callEventSinks.ToArray();

    private readonly TimeSpan _horizon = options.Value.Deduplication.ProcessedHorizon;

    /// <summary>The options the webhooks run with.</summary>
    public ConvAiWebhookOptions Options { get; } = options.Value;

    /// <summary>The delivery store.</summary>
    public IConvAiWebhookDeliveryStore Store { get; } = store;

    /// <summary>
    /// Dispatches <paramref name="webhookEvent"/> to the registered <see cref="ConvAiWebhookHandler"/>, resolved in a new
    /// scope (see <see cref="DispatchAsync(ConvAiWebhookEvent, Func{ConvAiWebhookEvent, CancellationToken, Task{string}}, CancellationToken)"/>).
    /// With an <see cref="IConvAiWebhookTransactionalStore"/>, a handler that enlisted gets the processed mark of
    /// <paramref name="deliveryKey"/> committed with its own writes.
    /// </summary>
    /// <returns>True when the processed mark was committed with the handler's transaction; false when the caller still marks it.</returns>
    public async Task<bool> DispatchAsync(ConvAiWebhookEvent webhookEvent, string deliveryKey, CancellationToken cancellationToken)
    {
        var marked = false;
        await DispatchAsync(
            webhookEvent,
            async (accepted, ct) =>
            {
                marked = await RunRegisteredHandlerAsync(accepted, deliveryKey, ct).ConfigureAwait(false);
                return null;
            },
            cancellationToken).ConfigureAwait(false);
        return marked;
    }

    /// <summary>Runs the registered handler in a new scope; a handler that enlisted in the store's transaction commits it with the mark.</summary>
    /// <returns>True when the processed mark was committed with the handler's transaction.</returns>
    private async Task<bool> RunRegisteredHandlerAsync(ConvAiWebhookEvent webhookEvent, string deliveryKey, CancellationToken cancellationToken)
    {
        var scope = scopes.CreateAsyncScope();
        await using (scope.ConfigureAwait(false))
        {
            var transactional = Store as IConvAiWebhookTransactionalStore;
            transactional?.PrepareHandlerCall(scope.ServiceProvider, deliveryKey);
            await ResolveHandler(scope.ServiceProvider).DispatchAsync(webhookEvent, cancellationToken).ConfigureAwait(false);

            // A handler that enlisted commits now, its writes with the mark; a failed commit fails the call like a throw.
            return transactional is not null
                && await transactional.TryCompleteHandlerCallAsync(scope.ServiceProvider, _horizon, CancellationToken.None).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// The one place an accepted event reaches the app: publishes it to the core's call-event sinks (so
    /// <c>WaitForOutcomeAsync</c> completes from inline, queued, reconciled and marked-endpoint deliveries alike, even when
    /// the handler fails), then runs <paramref name="handler"/>.
    /// </summary>
    /// <returns>The handler's failure description, or null when it succeeded.</returns>
    public async Task<string?> DispatchAsync(
        ConvAiWebhookEvent webhookEvent,
        Func<ConvAiWebhookEvent, CancellationToken, Task<string?>> handler,
        CancellationToken cancellationToken)
    {
        // Tagged with the conversation id, like the activity of the call that started it (ElevenLabs sends no
        // traceparent, so the shared tag is the link between the two traces).
        using var activity = ConvAiTelemetry.ActivitySource.StartActivity("ConvAi.Telephony webhook", ActivityKind.Consumer);
        activity?.SetTag(ConvAiTelephonyDiagnostics.WebhookEventTypeTag, webhookEvent.Type.Value);
        activity?.SetTag(ConvAiTelephonyDiagnostics.ConversationIdTag, webhookEvent.ConversationId);
        CallEventPublisher.Publish(_callEventSinks, webhookEvent);
        try
        {
            var failure = await handler(webhookEvent, cancellationToken).ConfigureAwait(false);
            if (failure is not null)
            {
                activity?.SetStatus(ActivityStatusCode.Error, "handler failed");
            }

            return failure;
        }
        catch (Exception ex)
        {
            // The type only: a handler's message may hold what it read from the transcript.
            activity?.SetStatus(ActivityStatusCode.Error, ex.GetType().Name);
            throw;
        }
    }

    private static ConvAiWebhookHandler ResolveHandler(IServiceProvider services) =>
        services.GetService<ConvAiWebhookHandler>()
            ?? throw new InvalidOperationException(
                "No ConvAiWebhookHandler is registered to process this delivery. Use services.AddConvAiWebhooks().AddHandler<THandler>().");

    /// <summary>
    /// Marks a delivery processed for the horizon. A store failure here is logged, not thrown: the handler already
    /// processed the delivery, and the only cost of a missing mark is a possible second processing.
    /// </summary>
    /// <returns>True when the mark was stored.</returns>
    public async Task<bool> MarkProcessedAsync(string key, string? conversationId)
    {
        try
        {
            await Store.MarkProcessedAsync(key, _horizon, CancellationToken.None).ConfigureAwait(false);
            return true;
        }
#pragma warning disable CA1031 // The delivery was processed; the mark is best effort and its failure is logged.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            WebhookLog.MarkFailed(logger, conversationId, exception.GetType().FullName!);
            return false;
        }
    }
}
