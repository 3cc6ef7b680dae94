using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace ConvAi.Telephony.AspNetCore;

/// <summary>
/// The path of an app's own endpoint marked as a webhook receiver (<c>RequireConvAiWebhookSignature()</c> on any
/// endpoint, route group or <c>MapControllers()</c>, or <see cref="ConvAiWebhookAttribute"/> on a controller or action):
/// the same receive, verify, parse and claim as <c>MapConvAiWebhooks</c>, before the endpoint or its parameter binding
/// runs, then the endpoint as its own inline handler. A request that fails is answered (401, 400, 413, …) and the
/// endpoint never runs; an accepted one is marked processed when the endpoint succeeds and kept as a dead letter when it
/// throws or answers 5xx.
/// </summary>
internal static class MarkedWebhookEndpoint
{
    /// <summary>
    /// Wraps the endpoint's request delegate (a <c>Finally</c> convention: the delegate includes parameter binding, so
    /// the verification runs before anything reads the body).
    /// </summary>
    /// <exception cref="InvalidOperationException"><c>AddConvAiWebhooks</c> was not called.</exception>
    public static void Wrap(EndpointBuilder endpoint)
    {
        if (endpoint.Metadata.Contains(VerifiedEndpointMetadata.Instance))
        {
            return; // Marked twice (e.g. on a group and on one of its endpoints): verified once.
        }

        var inner = endpoint.RequestDelegate
            ?? throw new InvalidOperationException($"The endpoint '{endpoint.DisplayName}' has no request delegate to verify.");
        var receiver = WebhookHttpReceiver.Create(endpoint.ApplicationServices, endpoint.DisplayName);
        endpoint.Metadata.Add(VerifiedEndpointMetadata.Instance);
        endpoint.RequestDelegate = async context =>
        {
            if (await RunAsync(context, receiver, inner).ConfigureAwait(false) is { } status)
            {
                context.Response.StatusCode = status;
            }
        };
    }

    /// <summary>
    /// Receives the request, then runs <paramref name="endpoint"/> as the delivery's own handler, with the verified event
    /// available through <see cref="ConvAiWebhookHttpContextExtensions.GetConvAiWebhookEvent"/> and the verified bytes
    /// as the request body.
    /// </summary>
    /// <returns>The status to answer without running the endpoint; null when the endpoint ran.</returns>
    public static async Task<int?> RunAsync(HttpContext context, WebhookHttpReceiver receiver, RequestDelegate endpoint)
    {
        if (context.Features.Get<ConvAiWebhookFeature>() is not null)
        {
            // Verified further out (an attributed action under a marked MapControllers()): that surface owns the outcome.
            await endpoint(context).ConfigureAwait(false);
            return null;
        }

        var (received, status) = await receiver.ReceiveAsync(context, process: false).ConfigureAwait(false);
        using var receipt = received;
        if (receipt is not { Event: { } webhookEvent })
        {
            return status;
        }

        context.Features.Set(new ConvAiWebhookFeature(webhookEvent));
        // [FromBody] and model binding read the bytes that were verified.
        context.Request.Body = System.Runtime.InteropServices.MemoryMarshal.TryGetArray(receipt.Body, out var segment)
            ? new MemoryStream(segment.Array!, segment.Offset, segment.Count, writable: false)
            : new MemoryStream(receipt.Body.ToArray(), writable: false);
        var threw = false;
        await receipt.HandleAsync(
            async (_, _) =>
            {
                threw = true;
                await endpoint(context).ConfigureAwait(false);
                threw = false;
                var answered = context.Response.StatusCode;
                return answered >= StatusCodes.Status500InternalServerError ? $"status {answered}" : null;
            },
            context.RequestAborted).ConfigureAwait(false); // rethrows only when the dead letter could not be kept (500)

        // Kept as a dead letter after a throw: ElevenLabs does not retry a post-call webhook; the sender is told it arrived.
        if (threw && !context.Response.HasStarted)
        {
            context.Response.StatusCode = StatusCodes.Status200OK;
        }

        return null;
    }
}

/// <summary>Endpoint metadata: the endpoint's request delegate runs behind <see cref="MarkedWebhookEndpoint"/>.</summary>
internal sealed class VerifiedEndpointMetadata
{
    public static readonly VerifiedEndpointMetadata Instance = new();
}
