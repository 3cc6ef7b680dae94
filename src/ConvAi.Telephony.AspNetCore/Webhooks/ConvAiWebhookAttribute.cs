using Microsoft.AspNetCore.Mvc.Filters;

namespace ConvAi.Telephony.AspNetCore;

/// <summary>
/// Marks an MVC controller or action as an ElevenLabs webhook receiver: a resource filter verifies, parses and checks
/// each request for duplicates before model binding and the action run, so an unsigned, stale or tampered request is
/// answered 401 and never reaches the action. The action reads the event with
/// <c>HttpContext.GetConvAiWebhookEvent()</c> (a <c>[FromBody]</c> parameter binds the verified bytes). When the action
/// throws or answers 5xx, the delivery is kept as a dead letter. Minimal API endpoints, route groups and
/// <c>MapControllers()</c> use <c>RequireConvAiWebhookSignature()</c> instead: minimal APIs run no attribute filters,
/// so this attribute on a minimal API handler verifies nothing (and <c>GetConvAiWebhookEvent()</c> there throws).
/// </summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Method, AllowMultiple = false, Inherited = true)]
public sealed class ConvAiWebhookAttribute : Attribute, IFilterFactory
{
    /// <summary>Gets a value indicating whether the filter can be reused across requests: it can (it holds only the app's singleton receiver).</summary>
    public bool IsReusable => true;

    /// <summary>Creates the resource filter that runs the webhook receiver before model binding.</summary>
    /// <param name="serviceProvider">The app's services.</param>
    /// <returns>The filter.</returns>
    /// <exception cref="InvalidOperationException"><c>AddConvAiWebhooks</c> was not called.</exception>
    public IFilterMetadata CreateInstance(IServiceProvider serviceProvider) =>
        new ResourceFilter(WebhookHttpReceiver.Create(serviceProvider, "[ConvAiWebhook] action"));

    private sealed class ResourceFilter(WebhookHttpReceiver receiver) : IAsyncResourceFilter
    {
        public async Task OnResourceExecutionAsync(ResourceExecutingContext context, ResourceExecutionDelegate next)
        {
            var verifiedFurtherOut = context.HttpContext.Features.Get<ConvAiWebhookFeature>() is not null;
            var status = await MarkedWebhookEndpoint.RunAsync(context.HttpContext, receiver, async _ =>
            {
                var executed = await next().ConfigureAwait(false);
                if (!verifiedFurtherOut && executed.Exception is { } exception && !executed.ExceptionHandled)
                {
                    // The action failed: this surface keeps the delivery (or rethrows when it cannot).
                    executed.ExceptionHandled = true;
                    System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(exception);
                }
            }).ConfigureAwait(false);
            if (status is { } rejected)
            {
                context.Result = new Microsoft.AspNetCore.Mvc.StatusCodeResult(rejected);
            }
        }
    }
}
