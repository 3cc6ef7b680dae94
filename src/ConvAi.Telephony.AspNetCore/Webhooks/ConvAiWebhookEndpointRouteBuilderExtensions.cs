using System.Diagnostics.CodeAnalysis;
using ConvAi.Telephony.AspNetCore;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Maps the ElevenLabs post-call webhook endpoint and the verification middleware for your own endpoints.</summary>
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
    /// inbox refused the delivery. A transcription's <see cref="PostCallTranscriptionEvent.Data"/> is bound when the
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
        var receiver = GetReceiver(services);
        if (services.GetService<IServiceProviderIsService>()?.IsService(typeof(ConvAiWebhookHandler)) == false)
        {
            throw new InvalidOperationException(
                "No ConvAiWebhookHandler is registered. Use services.AddConvAiWebhooks<THandler>() or .AddHandler<THandler>().");
        }

        return endpoints
            .MapPost(pattern, (RequestDelegate)(context => HandleAsync(context, receiver)))
            .WithDisplayName("ElevenLabs webhooks");
    }

    /// <summary>
    /// Adds middleware that verifies, parses and de-duplicates requests to endpoints marked with
    /// <see cref="ConvAiWebhookAttribute"/> (controllers, actions or endpoints), before they run; rejected requests
    /// are answered like <see cref="MapConvAiWebhooks"/> does. The endpoint always runs inline (the mode and the inbox
    /// apply to <see cref="MapConvAiWebhooks"/> only): when it throws or answers 5xx the claim is released, so the
    /// delivery is processed only if the sender retries it; otherwise it is marked processed. The endpoint reads the event with
    /// <see cref="ConvAiWebhookHttpContextExtensions.GetConvAiWebhookEvent"/>; a transcription's data is bound when it first
    /// reads <see cref="PostCallTranscriptionEvent.Data"/>, and data that does not fit the model (the read throws
    /// <see cref="ConvAiWebhookPayloadException"/>, uncaught) is answered 400 with the claim released. Call it after routing.
    /// </summary>
    /// <param name="app">The application pipeline.</param>
    /// <returns>The same pipeline.</returns>
    /// <exception cref="InvalidOperationException"><c>AddConvAiWebhooks</c> was not called or no secret is configured.</exception>
    public static IApplicationBuilder UseConvAiWebhookVerification(this IApplicationBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var receiver = GetReceiver(app.ApplicationServices);
        return app.Use(next => context => VerifyAsync(context, next, receiver));
    }

    /// <summary>Marks an endpoint for <see cref="UseConvAiWebhookVerification"/> (the same as <see cref="ConvAiWebhookAttribute"/>).</summary>
    /// <typeparam name="TBuilder">The endpoint convention builder type.</typeparam>
    /// <param name="builder">The endpoint.</param>
    /// <returns>The same builder.</returns>
    public static TBuilder RequireConvAiWebhookSignature<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Add(endpoint => endpoint.Metadata.Add(new ConvAiWebhookAttribute()));
        return builder;
    }

    private static ConvAiWebhookReceiver GetReceiver(IServiceProvider services) =>
        services.GetService<ConvAiWebhookReceiver>()
        ?? throw new InvalidOperationException("ElevenLabs webhooks are not registered. Call services.AddConvAiWebhooks(...) first.");

    private static async Task HandleAsync(HttpContext context, ConvAiWebhookReceiver receiver)
    {
        using var receipt = await receiver.ReceiveAsync(context, queue: receiver.IsQueued).ConfigureAwait(false);
        if (receipt.Event is not { } webhookEvent)
        {
            context.Response.StatusCode = receipt.StatusCode;
            return;
        }

        var handler = context.RequestServices.GetRequiredService<ConvAiWebhookHandler>();
        try
        {
            await handler.DispatchAsync(webhookEvent, context.RequestAborted).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // Any handler failure hands the delivery to the inbox for retries instead of losing it.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            // Malformed data (thrown when the handler read it) goes to the inbox too, whose processor dead-letters it
            // without retries; only when the inbox refuses it is it answered, as the sender's fault: 400, never 500.
            var status = await receiver.QueueAfterFailureAsync(receipt, exception).ConfigureAwait(false);
            context.Response.StatusCode = status != StatusCodes.Status200OK && webhookEvent.HasMalformedData
                ? StatusCodes.Status400BadRequest
                : status;
            return;
        }

        await receiver.MarkProcessedAsync(receipt).ConfigureAwait(false);
        context.Response.StatusCode = StatusCodes.Status200OK;
    }

    private static async Task VerifyAsync(HttpContext context, RequestDelegate next, ConvAiWebhookReceiver receiver)
    {
        if (context.GetEndpoint()?.Metadata.GetMetadata<ConvAiWebhookAttribute>() is null
            || context.Features.Get<ConvAiWebhookFeature>() is not null)
        {
            await next(context).ConfigureAwait(false);
            return;
        }

        using var receipt = await receiver.ReceiveAsync(context).ConfigureAwait(false);
        if (receipt.Event is not { } webhookEvent)
        {
            context.Response.StatusCode = receipt.StatusCode;
            return;
        }

        context.Features.Set(new ConvAiWebhookFeature(webhookEvent));
        try
        {
            await next(context).ConfigureAwait(false);
        }
        catch (ConvAiWebhookPayloadException exception) when (webhookEvent.HasMalformedData && !context.Response.HasStarted)
        {
            // The endpoint read data that does not fit the model: the sender's payload, so 400 (as before binding was lazy).
            await receiver.ReleaseAfterFailureAsync(receipt, exception).ConfigureAwait(false);
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }
        catch (Exception exception)
        {
            await receiver.ReleaseAfterFailureAsync(receipt, exception).ConfigureAwait(false);
            throw;
        }

        if (context.Response.StatusCode >= StatusCodes.Status500InternalServerError)
        {
            await receiver.ReleaseAfterFailureAsync(receipt, exception: null).ConfigureAwait(false);
            return;
        }

        await receiver.MarkProcessedAsync(receipt).ConfigureAwait(false);
    }
}
