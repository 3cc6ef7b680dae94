using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ConvAi.Telephony.AspNetCore;

/// <summary>Calls the app's <see cref="ConvAiWebhookHandler"/> and records processed deliveries; shared by the endpoint, the inbox processor and the reconciler.</summary>
internal sealed class WebhookDispatcher(
    IServiceScopeFactory scopes,
    IWebhookDeliveryStore store,
    IOptions<ConvAiWebhookOptions> options,
    ILogger<WebhookDispatcher> logger,
    IEnumerable<ICallEventSink> callEventSinks)
{
    private readonly ICallEventSink[] _callEventSinks = callEventSinks.ToArray();

    private readonly TimeSpan _horizon = options.Value.ProcessedHorizon;

    /// <summary>The options the webhooks run with.</summary>
    public ConvAiWebhookOptions Options { get; } = options.Value;

    /// <summary>The delivery store.</summary>
    public IWebhookDeliveryStore Store { get; } = store;

    /// <summary>
    /// Dispatches <paramref name="webhookEvent"/> to a handler resolved in a new scope, after handing it to the core's call-event
    /// sinks (so <c>WaitForOutcomeAsync</c> completes from queued and reconciled deliveries too, even when the handler fails).
    /// </summary>
    public async Task DispatchAsync(ConvAiWebhookEvent webhookEvent, CancellationToken cancellationToken)
    {
        CallEventPublisher.Publish(_callEventSinks, webhookEvent);
        var scope = scopes.CreateAsyncScope();
        await using (scope.ConfigureAwait(false))
        {
            var handler = scope.ServiceProvider.GetRequiredService<ConvAiWebhookHandler>();
            await handler.DispatchAsync(webhookEvent, cancellationToken).ConfigureAwait(false);
        }
    }

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
