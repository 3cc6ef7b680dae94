using ConvAi.Telephony.AspNetCore;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Maps the inbound-call endpoints: the Twilio voice webhook and the conversation-initiation webhook.</summary>
public static class InboundEndpointRouteBuilderExtensions
{
    /// <summary>
    /// Maps a POST endpoint for ElevenLabs' conversation-initiation webhook that answers with the
    /// <see cref="IConversationInitiationHandler"/> registered in DI (resolved per request).
    /// Requires <c>services.AddConvAiConversationInitiation(...)</c>.
    /// </summary>
    /// <param name="endpoints">The route builder.</param>
    /// <param name="pattern">The route, for example <c>/webhooks/elevenlabs/initiation</c>.</param>
    /// <returns>A builder to add conventions (authorization, rate limiting) to the endpoint.</returns>
    public static IEndpointConventionBuilder MapConvAiConversationInitiation(this IEndpointRouteBuilder endpoints, string pattern) =>
        MapConversationInitiation(endpoints, pattern, static (context, request, cancellationToken) =>
            context.RequestServices.GetRequiredService<IConversationInitiationHandler>().HandleAsync(request, cancellationToken));

    /// <summary>
    /// Maps a POST endpoint for ElevenLabs' conversation-initiation webhook that answers with
    /// <paramref name="handler"/>. Requires <c>services.AddConvAiConversationInitiation(...)</c>.
    /// </summary>
    /// <param name="endpoints">The route builder.</param>
    /// <param name="pattern">The route, for example <c>/webhooks/elevenlabs/initiation</c>.</param>
    /// <param name="handler">Builds the initiation data of a call within the configured timeout.</param>
    /// <returns>A builder to add conventions (authorization, rate limiting) to the endpoint.</returns>
    public static IEndpointConventionBuilder MapConvAiConversationInitiation(
        this IEndpointRouteBuilder endpoints,
        string pattern,
        Func<ConversationInitiationRequest, CancellationToken, ValueTask<ConversationInitiationResponse>> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        return MapConversationInitiation(endpoints, pattern, (_, request, cancellationToken) => handler(request, cancellationToken));
    }

    private static IEndpointConventionBuilder MapConversationInitiation(
        IEndpointRouteBuilder endpoints,
        string pattern,
        Func<HttpContext, ConversationInitiationRequest, CancellationToken, ValueTask<ConversationInitiationResponse>> handler)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentException.ThrowIfNullOrEmpty(pattern);
        var endpoint = new ConversationInitiationEndpoint(handler);
        return endpoints.MapPost(pattern, (RequestDelegate)endpoint.HandleAsync)
            .WithDisplayName("ConvAi conversation initiation");
    }
}
