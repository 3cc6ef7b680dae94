using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Net.Http.Headers;

namespace ConvAi.Telephony.AspNetCore;

/// <summary>
/// The HTTP half of a webhook request, shared by <c>MapConvAiWebhooks</c> and every marked endpoint: source-IP allowlist
/// (403), content type (415), the endpoint's size limit (413, also given to the server); then the core
/// <see cref="ConvAiWebhookReceiver"/> reads and takes over (signature 401, size 413, payload 400, duplicate 200, store
/// or inbox 503).
/// </summary>
internal sealed class WebhookHttpReceiver
{
    private readonly ConvAiWebhookReceiver _receiver;
    private readonly ConvAiWebhookOptions _options;
    private readonly ILogger _logger;

    private WebhookHttpReceiver(ConvAiWebhookReceiver receiver, ILogger logger)
    {
        _receiver = receiver;
        _options = receiver.Options;
        _logger = logger;
    }

    /// <summary>Creates the HTTP receiver over the app's registered webhooks, with an error that says what to do when they are not registered.</summary>
    /// <exception cref="InvalidOperationException"><c>AddConvAiWebhooks</c> was not called.</exception>
    public static WebhookHttpReceiver Create(IServiceProvider services, string? endpointName) =>
        new(
            services.GetService<ConvAiWebhookReceiver>()
            ?? throw new InvalidOperationException(
                $"The endpoint '{endpointName}' receives ElevenLabs webhooks, but ElevenLabs webhooks are not registered: "
                + "call services.AddConvAiWebhooks(...) with a secret (ConvAi:Webhooks:Secret or WEBHOOK_SECRET)."),
            services.GetRequiredService<ILoggerFactory>().CreateLogger("ConvAi.Telephony.ConvAiWebhookReceiver"));

    /// <summary>
    /// Checks the request and passes its body to the core receiver: <see cref="ConvAiWebhookReceiver.ProcessAsync"/> (the
    /// mapped endpoint, by mode) or <see cref="ConvAiWebhookReceiver.ReceiveAsync"/> (a marked endpoint, its own handler).
    /// </summary>
    /// <returns>The receipt (dispose it), or null with the HTTP status when the request was rejected before the core.</returns>
    public async Task<(ConvAiWebhookReceipt? Receipt, int StatusCode)> ReceiveAsync(HttpContext context, bool process)
    {
        var request = context.Request;
        if (!_receiver.IsAllowedSource(context.Connection.RemoteIpAddress))
        {
            WebhookHttpLog.ForbiddenSource(_logger, context.Connection.RemoteIpAddress);
            return (null, StatusCodes.Status403Forbidden);
        }

        if (!IsJson(request.ContentType))
        {
            return Reject(StatusCodes.Status415UnsupportedMediaType, "the content type is not JSON");
        }

        var limit = context.GetEndpoint()?.Metadata.GetMetadata<IRequestSizeLimitMetadata>()?.MaxRequestBodySize ?? _options.Verification.MaxRequestBodySize;
        if (request.ContentLength > limit)
        {
            return Reject(StatusCodes.Status413PayloadTooLarge, "the body is larger than the limit");
        }

        // Let the server enforce our limit instead of its own default (Kestrel: 30 MB).
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } sizeFeature)
        {
            sizeFeature.MaxRequestBodySize = limit;
        }

        var header = request.Headers[ConvAiWebhookSignature.HeaderName].ToString();
        try
        {
            var receipt = process
                ? await _receiver.ProcessAsync(request.Body, header, request.ContentLength, limit, context.RequestAborted).ConfigureAwait(false)
                : await _receiver.ReceiveAsync(request.Body, header, request.ContentLength, limit, context.RequestAborted).ConfigureAwait(false);
            return (receipt, receipt.StatusCode);
        }
        catch (BadHttpRequestException exception)
        {
            // The server stopped the read (over its limit, a client that went away mid-body): the sender's fault.
            return Reject(exception.StatusCode, "the body could not be read");
        }
    }

    private static bool IsJson(string? contentType) =>
        MediaTypeHeaderValue.TryParse(contentType, out var mediaType)
        && (mediaType.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase)
            || mediaType.Suffix.Equals("json", StringComparison.OrdinalIgnoreCase));

    private (ConvAiWebhookReceipt? Receipt, int StatusCode) Reject(int statusCode, string reason)
    {
        WebhookHttpLog.Rejected(_logger, statusCode, reason);
        return (null, statusCode);
    }
}
