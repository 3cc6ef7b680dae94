using ConvAi.Telephony;
using ConvAi.Telephony.AspNetCore;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Maps the inbound-call endpoints: the Twilio voice webhook and the conversation-initiation webhook.</summary>
public static class InboundEndpointRouteBuilderExtensions
{
    /// <summary>
    /// Maps a POST endpoint for ElevenLabs' conversation-initiation webhook that answers with the
    /// <see cref="ConvAiConversationInitiationHandler"/> registered in DI (resolved per request).
    /// Requires <c>services.AddConvAiConversationInitiation(...)</c>.
    /// </summary>
    /// <param name="endpoints">The route builder.</param>
    /// <param name="pattern">The route, for example <c>/webhooks/elevenlabs/initiation</c>.</param>
    /// <returns>A builder to add conventions (authorization, rate limiting) to the endpoint.</returns>
    /// <exception cref="InvalidOperationException">
    /// <c>AddConvAiConversationInitiation</c> was not called, or no <see cref="ConvAiConversationInitiationHandler"/> is registered.
    /// </exception>
    public static IEndpointConventionBuilder MapConvAiConversationInitiation(this IEndpointRouteBuilder endpoints, string pattern)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        if (endpoints.ServiceProvider.GetService<IServiceProviderIsService>()?.IsService(typeof(ConvAiConversationInitiationHandler)) == false)
        {
            throw new InvalidOperationException(
                "No ConvAiConversationInitiationHandler is registered. Use services.AddConvAiConversationInitiation(...).AddHandler<THandler>() "
                + "or pass the handler to MapConvAiConversationInitiation.");
        }

        // The handler is scoped by contract (it may use the request's services), so it comes from the request's scope.
        return MapConversationInitiation(endpoints, pattern, static (context, request, cancellationToken) =>
            context.RequestServices.GetRequiredService<ConvAiConversationInitiationHandler>().HandleAsync(request, cancellationToken));
    }

    /// <summary>
    /// Maps a POST endpoint for ElevenLabs' conversation-initiation webhook that answers with
    /// <paramref name="handler"/>. Requires <c>services.AddConvAiConversationInitiation(...)</c>.
    /// </summary>
    /// <param name="endpoints">The route builder.</param>
    /// <param name="pattern">The route, for example <c>/webhooks/elevenlabs/initiation</c>.</param>
    /// <param name="handler">Builds the initiation data of a call within the configured timeout.</param>
    /// <returns>A builder to add conventions (authorization, rate limiting) to the endpoint.</returns>
    /// <exception cref="InvalidOperationException"><c>AddConvAiConversationInitiation</c> was not called.</exception>
    public static IEndpointConventionBuilder MapConvAiConversationInitiation(
        this IEndpointRouteBuilder endpoints,
        string pattern,
        Func<ConversationInitiationRequest, CancellationToken, ValueTask<ConversationInitiationResponse>> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        return MapConversationInitiation(endpoints, pattern, (_, request, cancellationToken) => handler(request, cancellationToken));
    }

    /// <summary>
    /// Maps a POST endpoint for Twilio's voice webhook ("A call comes in"). It verifies
    /// <c>X-Twilio-Signature</c> (403 otherwise), routes the call with the <see cref="ConvAiTwilioCallRouter"/>
    /// registered in DI (or to <see cref="TwilioInboundOptions.AgentId"/> when none is), registers it with
    /// ElevenLabs and answers the TwiML (<c>text/xml</c>). When routing or register-call fails, the caller
    /// hears the fallback TwiML. Requires <c>services.AddConvAiTelephony(...)</c> and <c>services.AddConvAiTwilioInboundCalls(...)</c>.
    /// </summary>
    /// <param name="endpoints">The route builder.</param>
    /// <param name="pattern">The route, for example <c>/twilio/inbound</c>.</param>
    /// <returns>A builder to add conventions to the endpoint.</returns>
    /// <exception cref="InvalidOperationException"><c>AddConvAiTwilioInboundCalls</c> was not called.</exception>
    public static IEndpointConventionBuilder MapConvAiTwilioInboundCalls(this IEndpointRouteBuilder endpoints, string pattern)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        if (endpoints.ServiceProvider.GetService<IServiceProviderIsService>()?.IsService(typeof(ConvAiTwilioCallRouter)) == false)
        {
            return MapTwilioInbound(endpoints, pattern, static (_, _, _) => ValueTask.FromResult(TwilioCallRoute.ToAgent()));
        }

        // The router is scoped by contract (it may use the request's services), so it comes from the request's scope.
        return MapTwilioInbound(endpoints, pattern, static (context, call, cancellationToken) =>
            context.RequestServices.GetService<ConvAiTwilioCallRouter>() is { } router
                ? router.RouteAsync(call, cancellationToken)
                : ValueTask.FromResult(TwilioCallRoute.ToAgent()));
    }

    /// <summary>
    /// Maps a POST endpoint for Twilio's voice webhook that routes each call with <paramref name="router"/>;
    /// otherwise as <see cref="MapConvAiTwilioInboundCalls(IEndpointRouteBuilder, string)"/>.
    /// </summary>
    /// <param name="endpoints">The route builder.</param>
    /// <param name="pattern">The route, for example <c>/twilio/inbound</c>.</param>
    /// <param name="router">Chooses the agent and client data of a call, or answers TwiML of its own.</param>
    /// <returns>A builder to add conventions to the endpoint.</returns>
    /// <exception cref="InvalidOperationException"><c>AddConvAiTwilioInboundCalls</c> was not called.</exception>
    public static IEndpointConventionBuilder MapConvAiTwilioInboundCalls(
        this IEndpointRouteBuilder endpoints,
        string pattern,
        Func<TwilioInboundCall, CancellationToken, ValueTask<TwilioCallRoute>> router)
    {
        ArgumentNullException.ThrowIfNull(router);
        return MapTwilioInbound(endpoints, pattern, (_, call, cancellationToken) => router(call, cancellationToken));
    }

    private static IEndpointConventionBuilder MapTwilioInbound(
        IEndpointRouteBuilder endpoints,
        string pattern,
        Func<HttpContext, TwilioInboundCall, CancellationToken, ValueTask<TwilioCallRoute>> router)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentException.ThrowIfNullOrEmpty(pattern);
        var services = RequireFeature<TwilioInboundOptions, TwilioInboundOptionsValidator>(endpoints, "services.AddConvAiTwilioInboundCalls(...)");
        var endpoint = new TwilioInboundEndpoint(
            router, services.GetRequiredService<IOptionsMonitor<TwilioInboundOptions>>(), CreateLogger(services), GetTimeProvider(services));
        return endpoints.MapPost(pattern, (RequestDelegate)endpoint.HandleAsync)
            .WithDisplayName("ConvAi Twilio inbound calls");
    }

    private static IEndpointConventionBuilder MapConversationInitiation(
        IEndpointRouteBuilder endpoints,
        string pattern,
        Func<HttpContext, ConversationInitiationRequest, CancellationToken, ValueTask<ConversationInitiationResponse>> handler)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentException.ThrowIfNullOrEmpty(pattern);
        var services = RequireFeature<ConversationInitiationOptions, ConversationInitiationOptionsValidator>(
            endpoints, "services.AddConvAiConversationInitiation(...)");
        var endpoint = new ConversationInitiationEndpoint(
            handler, services.GetRequiredService<IOptionsMonitor<ConversationInitiationOptions>>(), CreateLogger(services), GetTimeProvider(services));
        return endpoints.MapPost(pattern, (RequestDelegate)endpoint.HandleAsync)
            .WithDisplayName("ConvAi conversation initiation");
    }

    private static IServiceProvider RequireFeature<TOptions, TValidator>(IEndpointRouteBuilder endpoints, string registration)
        where TOptions : class
        where TValidator : IValidateOptions<TOptions> =>
        FeatureRegistration.IsRegistered<TOptions, TValidator>(endpoints.ServiceProvider)
            ? endpoints.ServiceProvider
            : throw new InvalidOperationException($"The endpoint's services are not registered. Call {registration} first.");

    private static ILogger CreateLogger(IServiceProvider services) =>
        services.GetRequiredService<ILoggerFactory>().CreateLogger(InboundLog.CategoryName);

    private static TimeProvider GetTimeProvider(IServiceProvider services) => services.GetService<TimeProvider>() ?? TimeProvider.System;
}
