using System.Diagnostics.CodeAnalysis;
using ConvAi.Telephony;
using ConvAi.Telephony.AspNetCore;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Maps the ElevenLabs post-call webhook endpoint, and marks the app's own endpoints as webhook receivers that verify by themselves.</summary>
public static class ConvAiWebhookEndpointRouteBuilderExtensions
{
    /// <summary>
    /// Maps a POST endpoint that verifies the <c>ElevenLabs-Signature</c>, reads the webhook, skips duplicate
    /// deliveries (same event type and conversation, however re-signed) and dispatches to the registered
    /// <see cref="ConvAiWebhookHandler"/>: before answering in <see cref="ConvAiWebhookMode.Inline"/> mode, through the
    /// inbox in <see cref="ConvAiWebhookMode.Queued"/> mode. Answers 200 (handled, queued, ignored or duplicate; also
    /// when an inline handler threw and the delivery went to the inbox for retries), 400 (bad JSON or envelope), 401
    /// (missing, malformed, stale or wrong signature), 403 (source IP not allowed), 413 (body over the limit), 415 (not
    /// JSON), 503 when the delivery store fails or the inbox is full, and 500 only when an inline handler threw and the
    /// inbox refused the delivery. A transcription's <see cref="PostCallTranscriptionEvent.GetData"/> is bound when the
    /// handler first reads it: when it does not fit the model, the read throws <see cref="ConvAiWebhookPayloadException"/>
    /// and the delivery is dead-lettered without retries (answered 200; 400 if the inbox refuses it).
    /// </summary>
    /// <param name="endpoints">The route builder.</param>
    /// <param name="pattern">The route, e.g. <c>/webhooks/elevenlabs</c>.</param>
    /// <returns>The endpoint's convention builder, e.g. to add metadata or a size limit.</returns>
    /// <exception cref="InvalidOperationException">
    /// <c>AddConvAiWebhooks</c> was not called, no handler is registered, or no secret is configured.
    /// </exception>
    public static IEndpointConventionBuilder MapConvAiWebhooks(
        this IEndpointRouteBuilder endpoints,
        [StringSyntax("Route")] string pattern)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentException.ThrowIfNullOrWhiteSpace(pattern);
        var services = endpoints.ServiceProvider;
        var receiver = WebhookHttpReceiver.Create(services, pattern);
        if (services.GetService<IServiceProviderIsService>()?.IsService(typeof(ConvAiWebhookHandler)) == false)
        {
            throw new InvalidOperationException(
                "No ConvAiWebhookHandler is registered. Use services.AddConvAiWebhooks().AddHandler<THandler>().");
        }

        return endpoints
            .MapPost(pattern, (RequestDelegate)(context => HandleAsync(context, receiver)))
            .WithDisplayName("ElevenLabs webhooks");
    }

    /// <summary>
    /// Makes an endpoint of the app's own (a minimal API endpoint, a route group, or <c>MapControllers()</c>) an
    /// ElevenLabs webhook receiver that verifies by itself: each request runs the same receive, verify, parse and
    /// duplicate check as <see cref="MapConvAiWebhooks"/> before the endpoint and its parameter binding run, so an
    /// unsigned, stale or tampered request is answered 401 (bad JSON 400, over the size limit 413, a duplicate 200)
    /// and the endpoint never sees it. No middleware is needed. The endpoint reads the event with
    /// <see cref="ConvAiWebhookHttpContextExtensions.GetConvAiWebhookEvent"/>, and a <c>[FromBody]</c> parameter binds
    /// the verified bytes. The endpoint is its own handler and runs inline whatever <c>Mode</c> says: when it returns
    /// below 500 the delivery is marked processed; when it throws or answers 5xx the delivery is kept as a dead letter
    /// (list it and re-drive it to the registered <see cref="ConvAiWebhookHandler"/> through
    /// <see cref="IConvAiWebhookInbox"/>) and a thrown request is answered 200.
    /// </summary>
    /// <typeparam name="TBuilder">The endpoint convention builder type.</typeparam>
    /// <param name="builder">The endpoint, group or controllers.</param>
    /// <returns>The same builder.</returns>
    /// <remarks>
    /// <c>AddConvAiWebhooks</c> with a secret is required: without it, building the endpoint fails (at start-up, or
    /// when the app first routes a request), so a marked endpoint never answers an unverified request.
    /// </remarks>
    public static TBuilder RequireConvAiWebhookSignature<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Add(static endpoint =>
        {
            if (!endpoint.Metadata.OfType<ConvAiWebhookAttribute>().Any())
            {
                endpoint.Metadata.Add(new ConvAiWebhookAttribute());
            }
        });
        builder.Finally(MarkedWebhookEndpoint.Wrap);
        return builder;
    }

    private static async Task HandleAsync(HttpContext context, WebhookHttpReceiver receiver)
    {
        var (receipt, status) = await receiver.ReceiveAsync(context, process: true).ConfigureAwait(false);
        receipt?.Dispose();
        context.Response.StatusCode = status;
    }
}
