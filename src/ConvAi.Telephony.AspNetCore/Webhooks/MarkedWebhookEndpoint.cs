using System.Runtime.ExceptionServices;
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
        var receiver = GetReceiver(endpoint.ApplicationServices, endpoint.DisplayName);
        endpoint.Metadata.Add(VerifiedEndpointMetadata.Instance);
        endpoint.RequestDelegate = context => InvokeAsync(context, receiver, inner);
    }

    /// <summary>Resolves the receiver, with an error that says what to do when webhooks are not registered.</summary>
    public static ConvAiWebhookReceiver GetReceiver(IServiceProvider services, string? endpointName) =>
        services.GetService<ConvAiWebhookReceiver>()
        ?? throw new InvalidOperationException(
            $"The endpoint '{endpointName}' is marked as an ElevenLabs webhook receiver, but ElevenLabs webhooks are not "
            + "registered: call services.AddConvAiWebhooks(...) with a secret (ConvAi:Webhooks:Secret or WEBHOOK_SECRET).");

    /// <summary>Runs the marked endpoint behind the receiver; answers the request itself when the receiver rejects it.</summary>
    public static async Task InvokeAsync(HttpContext context, ConvAiWebhookReceiver receiver, RequestDelegate endpoint)
    {
        if (await RunAsync(context, receiver, endpoint).ConfigureAwait(false) is { } status)
        {
            context.Response.StatusCode = status;
        }
    }

    /// <summary>
    /// Receives the request, then runs <paramref name="endpoint"/> with the verified event available through
    /// <see cref="ConvAiWebhookHttpContextExtensions.GetConvAiWebhookEvent"/> and the verified bytes as the request body.
    /// </summary>
    /// <returns>The status to answer without running the endpoint; null when the endpoint ran.</returns>
    public static async Task<int?> RunAsync(HttpContext context, ConvAiWebhookReceiver receiver, RequestDelegate endpoint)
    {
        if (context.Features.Get<ConvAiWebhookFeature>() is not null)
        {
            // Verified further out (an attributed action under a marked MapControllers()): that surface owns the outcome.
            await endpoint(context).ConfigureAwait(false);
            return null;
        }

        using var receipt = await receiver.ReceiveAsync(context).ConfigureAwait(false);
        if (receipt.Event is not { } webhookEvent)
        {
            return receipt.StatusCode;
        }

        context.Features.Set(new ConvAiWebhookFeature(webhookEvent));
        context.Request.Body = receipt.OpenBody(); // [FromBody] and model binding read the bytes that were verified
        ExceptionDispatchInfo? thrown = null;
        string? failure = null;
        try
        {
            await endpoint(context).ConfigureAwait(false);
            if (context.Response.StatusCode >= StatusCodes.Status500InternalServerError)
            {
                failure = $"status {context.Response.StatusCode}";
            }
        }
#pragma warning disable CA1031 // The failure is kept as a dead letter; the exception is rethrown when it cannot be.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            thrown = ExceptionDispatchInfo.Capture(exception);
            failure = exception.GetType().FullName!;
        }

        if (failure is null)
        {
            await receiver.MarkProcessedAsync(receipt).ConfigureAwait(false);
            return null;
        }

        // ElevenLabs does not retry a post-call webhook: the delivery is kept, and the sender is told it arrived.
        if (await receiver.DeadLetterAfterFailureAsync(receipt, failure).ConfigureAwait(false) && thrown is not null && !context.Response.HasStarted)
        {
            context.Response.StatusCode = StatusCodes.Status200OK;
            return null;
        }

        thrown?.Throw();
        return null;
    }
}

/// <summary>Endpoint metadata: the endpoint's request delegate runs behind <see cref="MarkedWebhookEndpoint"/>.</summary>
internal sealed class VerifiedEndpointMetadata
{
    public static readonly VerifiedEndpointMetadata Instance = new();
}
