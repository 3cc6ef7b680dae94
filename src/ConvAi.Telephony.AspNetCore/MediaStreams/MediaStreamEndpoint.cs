using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ConvAi.Telephony.AspNetCore;

/// <summary>
/// The media-stream WebSocket endpoint: verifies the handshake's <c>X-Twilio-Signature</c> (over the <c>wss://</c> URL, no fields),
/// refuses new streams while the app stops, accepts the socket and runs one <see cref="MediaStreamBridge"/> for the request's lifetime.
/// </summary>
internal sealed class MediaStreamEndpoint(
    IOptionsMonitor<TwilioInboundOptions> twilioOptions,
    IOptionsMonitor<ConvAiTwilioBridgeOptions> bridgeOptions,
    MediaStreamTokens tokens,
    LiveCallRegistry registry,
    ILogger logger,
    TimeProvider time)
{
    public async Task HandleAsync(HttpContext context)
    {
        var path = context.Request.Path.Value ?? string.Empty;
        var twilio = twilioOptions.CurrentValue;
        if (!context.WebSockets.IsWebSocketRequest)
        {
            MediaStreamLog.StreamRefused(logger, path, "not a WebSocket request");
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }

        if (twilio.DangerouslyDisableSignatureValidation)
        {
            InboundLog.TwilioSignatureValidationDisabled(logger, path);
        }
        else if (new TwilioRequestValidator(twilio.AuthToken!).Verify(
            HandshakeUrl(context.Request, twilio.PublicBaseUrl),
            [],
            context.Request.Headers[TwilioRequestValidator.HeaderName].ToString()) != ConvAiWebhookSignatureResult.Valid)
        {
            MediaStreamLog.StreamRefused(logger, path, "the X-Twilio-Signature header is missing or does not match");
            context.Response.StatusCode = StatusCodes.Status403Forbidden;
            return;
        }

        if (registry.IsStopping)
        {
            MediaStreamLog.StreamRefused(logger, path, "the app is stopping");
            context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            return;
        }

        var services = context.RequestServices;
        var handler = services.GetRequiredService<ConvAiTwilioBridgeHandler>();
        var client = services.GetRequiredService<IConvAiTelephonyClient>();
        using var socket = await context.WebSockets.AcceptWebSocketAsync().ConfigureAwait(false);
        var bridge = new MediaStreamBridge(socket, handler, client, bridgeOptions.CurrentValue, twilio.AgentId, registry, tokens, logger, time);
        if (!registry.TryEnter(bridge))
        {
            // Stopping began between the check and the accept.
            await socket.CloseAsync(System.Net.WebSockets.WebSocketCloseStatus.EndpointUnavailable, "The server is shutting down.", CancellationToken.None).ConfigureAwait(false);
            return;
        }

        try
        {
            await bridge.RunAsync().ConfigureAwait(false);
        }
        finally
        {
            registry.Leave(bridge);
        }
    }

    /// <summary>The URL Twilio signed: the <c>wss://</c> form of the public base URL or of the request's host, plus path and query.</summary>
    internal static string HandshakeUrl(HttpRequest request, Uri? publicBaseUrl) =>
        TwilioVoiceEndpoint.WssBase(request, publicBaseUrl) + request.Path.ToUriComponent() + request.QueryString.ToUriComponent();
}
