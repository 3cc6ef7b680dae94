using ConvAi.Telephony.AspNetCore;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Maps the Twilio Media Streams bridge's endpoints: the voice webhook (with its <c>/after</c>) and the media stream.</summary>
public static class TwilioBridgeEndpointRouteBuilderExtensions
{
    /// <summary>
    /// Maps Twilio's voice webhook ("A call comes in") at <paramref name="pattern"/> and the endpoint that runs after the stream at
    /// <paramref name="pattern"/><c>/after</c>, both POST and verified with <c>X-Twilio-Signature</c> (403 otherwise). The webhook answers
    /// <c>&lt;Connect&gt;&lt;Stream url="wss://…"&gt;</c> with the handler's <c>&lt;Parameter&gt;</c>s and a one-time call token, then a
    /// <c>&lt;Redirect&gt;</c> to <c>/after</c>, which answers <c>&lt;Dial&gt;</c> to the hand-off chosen during the call or <c>&lt;Hangup/&gt;</c>.
    /// Requires <c>services.AddConvAiTwilioBridge&lt;THandler&gt;()</c>.
    /// </summary>
    /// <param name="endpoints">The route builder.</param>
    /// <param name="pattern">The route, for example <c>/twilio/voice</c>.</param>
    /// <returns>A builder to add conventions to both endpoints.</returns>
    /// <exception cref="InvalidOperationException"><c>AddConvAiTwilioBridge</c> was not called.</exception>
    public static IEndpointConventionBuilder MapConvAiTwilioVoice(this IEndpointRouteBuilder endpoints, string pattern)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentException.ThrowIfNullOrEmpty(pattern);
        var services = RequireBridge(endpoints);
        var endpoint = new TwilioVoiceEndpoint(
            services.GetRequiredService<IOptionsMonitor<TwilioInboundOptions>>(),
            services.GetRequiredService<IOptionsMonitor<ConvAiTwilioBridgeOptions>>(),
            services.GetRequiredService<MediaStreamTokens>(),
            services.GetRequiredService<LiveCallRegistry>(),
            services.GetRequiredService<ILoggerFactory>().CreateLogger(MediaStreamLog.CategoryName));
        var group = endpoints.MapGroup(pattern);
        group.MapPost(string.Empty, (RequestDelegate)endpoint.HandleVoiceAsync).WithDisplayName("ConvAi Twilio voice (media stream)");
        group.MapPost("/after", (RequestDelegate)endpoint.HandleAfterAsync).WithDisplayName("ConvAi Twilio voice after the stream");
        return group;
    }

    /// <summary>
    /// Maps the media-stream WebSocket endpoint at <paramref name="pattern"/> (it must match <see cref="ConvAiTwilioBridgeOptions.MediaStreamPath"/>):
    /// the handshake's <c>X-Twilio-Signature</c> is verified (403 otherwise), the per-call token checked at <c>start</c>, and the call
    /// bridged to the agent until either side ends. Requires <c>services.AddConvAiTwilioBridge&lt;THandler&gt;()</c> and <c>app.UseWebSockets()</c>.
    /// </summary>
    /// <param name="endpoints">The route builder.</param>
    /// <param name="pattern">The route, for example <c>/twilio/media</c>.</param>
    /// <returns>A builder to add conventions to the endpoint.</returns>
    /// <exception cref="InvalidOperationException"><c>AddConvAiTwilioBridge</c> was not called.</exception>
    public static IEndpointConventionBuilder MapConvAiTwilioMediaStream(this IEndpointRouteBuilder endpoints, string pattern)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentException.ThrowIfNullOrEmpty(pattern);
        var services = RequireBridge(endpoints);
        var endpoint = new MediaStreamEndpoint(
            services.GetRequiredService<IOptionsMonitor<TwilioInboundOptions>>(),
            services.GetRequiredService<IOptionsMonitor<ConvAiTwilioBridgeOptions>>(),
            services.GetRequiredService<MediaStreamTokens>(),
            services.GetRequiredService<LiveCallRegistry>(),
            services.GetRequiredService<ILoggerFactory>().CreateLogger(MediaStreamLog.CategoryName),
            services.GetService<TimeProvider>() ?? TimeProvider.System);
        return endpoints.Map(pattern, (RequestDelegate)endpoint.HandleAsync).WithDisplayName("ConvAi Twilio media stream");
    }

    private static IServiceProvider RequireBridge(IEndpointRouteBuilder endpoints) =>
        FeatureRegistration.IsRegistered<ConvAiTwilioBridgeOptions, ConvAiTwilioBridgeOptionsValidator>(endpoints.ServiceProvider)
            ? endpoints.ServiceProvider
            : throw new InvalidOperationException("The bridge's services are not registered. Call services.AddConvAiTwilioBridge<THandler>() first.");
}
