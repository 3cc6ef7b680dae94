using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Extensions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;

namespace ConvAi.Telephony.AspNetCore;

/// <summary>
/// The request pipeline of the Twilio voice webhook: verify the signature, route the call,
/// register it with ElevenLabs and answer TwiML; any failure after verification answers the fallback TwiML.
/// Built once when the endpoint is mapped, with its dependencies; the options are read per request so reloads apply.
/// </summary>
internal sealed class TwilioInboundEndpoint(
    Func<HttpContext, TwilioInboundCall, CancellationToken, ValueTask<TwilioCallRoute>> router,
    IOptionsMonitor<TwilioInboundOptions> optionsMonitor,
    ILogger logger,
    TimeProvider timeProvider)
{
    public async Task HandleAsync(HttpContext context)
    {
        var options = optionsMonitor.CurrentValue;
        var path = context.Request.Path.Value ?? string.Empty;
        var aborted = context.RequestAborted;

        if (await ReadVerifiedFormAsync(context, options, logger).ConfigureAwait(false) is not { } form)
        {
            return;
        }

        var call = ToCall(form);
        if (call.CallSid.Length == 0 || call.From.Length == 0 || call.To.Length == 0)
        {
            InboundLog.TwilioBadRequest(logger, path, "CallSid, From or To is missing");
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }

        var twiml = await AnswerAsync(context, call, options).ConfigureAwait(false);
        await new TwiMLResult(twiml).ExecuteAsync(context).ConfigureAwait(false);
    }

    /// <summary>
    /// Reads the form of a Twilio webhook and verifies <c>X-Twilio-Signature</c> over it (unless the Development opt-out is set). Null when
    /// the request was answered: 400 when the body is not form data, 403 when the signature is missing or wrong. The bridge's voice and
    /// after endpoints verify the same way.
    /// </summary>
    internal static async Task<IFormCollection?> ReadVerifiedFormAsync(HttpContext context, TwilioInboundOptions options, ILogger logger)
    {
        var path = context.Request.Path.Value ?? string.Empty;
        var form = await ReadFormAsync(context.Request, context.RequestAborted).ConfigureAwait(false);
        if (form is null)
        {
            InboundLog.TwilioBadRequest(logger, path, "the body is not form data");
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            return null;
        }

        if (options.DangerouslyDisableSignatureValidation)
        {
            InboundLog.TwilioSignatureValidationDisabled(logger, path);
        }
        else if (new TwilioRequestValidator(options.AuthToken!).Verify(
            SignedUrl(context.Request, options.PublicBaseUrl),
            FormFields(form),
            context.Request.Headers[TwilioRequestValidator.HeaderName].ToString()) != ConvAiWebhookSignatureResult.Valid)
        {
            InboundLog.TwilioSignatureRejected(logger, path);
            context.Response.StatusCode = StatusCodes.Status403Forbidden;
            return null;
        }

        return form;
    }

    /// <summary>The URL Twilio signed: the configured public base URL, or the request's own (as rewritten by forwarded-header handling), plus path and query.</summary>
    internal static string SignedUrl(HttpRequest request, Uri? publicBaseUrl) =>
        publicBaseUrl is null
            ? request.GetEncodedUrl()
            : publicBaseUrl.AbsoluteUri.TrimEnd('/') + request.Path.ToUriComponent() + request.QueryString.ToUriComponent();

    private async Task<string> AnswerAsync(HttpContext context, TwilioInboundCall call, TwilioInboundOptions options)
    {
        var aborted = context.RequestAborted;
        TwilioCallRoute route;
        try
        {
            route = await router(context, call, aborted).ConfigureAwait(false);
            ArgumentNullException.ThrowIfNull(route);
        }
        catch (Exception exception) when (!aborted.IsCancellationRequested)
        {
            // The caller must never hear silence: any failure answers the fallback.
            InboundLog.TwilioRouterFailed(logger, exception, call.CallSid);
            return FallbackTwiML(options);
        }

        if (route.TwiML is { } own)
        {
            InboundLog.TwilioCallAnsweredByRouter(logger, call.CallSid);
            return own;
        }

        var request = new RegisterTwilioCallRequest
        {
            AgentId = route.AgentId ?? options.AgentId,
            FromNumber = call.From,
            ToNumber = call.To,
            Direction = TelephonyDirection.Inbound,
            ConversationInitiationClientData = route.ClientData,
        };
        try
        {
            // The client is transient by contract (its HttpClient comes from IHttpClientFactory, which rotates handlers
            // only for clients created after a rotation), so it is taken from the request's scope, not held by the endpoint.
            var client = context.RequestServices.GetRequiredService<IConvAiTelephonyClient>();
            var twiml = await TimeLimit.RunAsync(
                cancellationToken => new ValueTask<string>(client.Calls.RegisterTwilioCallAsync(request, cancellationToken)),
                options.RegisterCallTimeout,
                timeProvider,
                aborted).ConfigureAwait(false);
            InboundLog.TwilioCallRegistered(logger, call.CallSid, request.AgentId ?? "(client default)");
            return twiml;
        }
        catch (Exception exception) when (!aborted.IsCancellationRequested)
        {
            // Timeouts, API errors, rate limits, connection failures, bad numbers: the caller hears the fallback.
            InboundLog.TwilioRegisterCallFailed(logger, exception, call.CallSid, request.AgentId ?? "(client default)");
            return FallbackTwiML(options);
        }
    }

    internal static string FallbackTwiML(TwilioInboundOptions options) =>
        !string.IsNullOrWhiteSpace(options.FallbackTwiML) ? options.FallbackTwiML
        : !string.IsNullOrWhiteSpace(options.FallbackDialNumber) ? TwiML.Dial(options.FallbackDialNumber)
        : TwiML.SayAndHangup(options.FallbackMessage);

    internal static async Task<IFormCollection?> ReadFormAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (!request.HasFormContentType)
        {
            return null;
        }

        try
        {
            return await request.ReadFormAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is InvalidDataException or BadHttpRequestException or IOException)
        {
            return null;
        }
    }

    internal static IEnumerable<KeyValuePair<string, string>> FormFields(IFormCollection form) =>
        form.SelectMany(field => field.Value.Select(value => new KeyValuePair<string, string>(field.Key, value ?? string.Empty)));

    internal static TwilioInboundCall ToCall(IFormCollection form)
    {
        var fields = form.ToDictionary(field => field.Key, field => field.Value, StringComparer.Ordinal);
        return new TwilioInboundCall
        {
            CallSid = form["CallSid"].ToString(),
            From = form["From"].ToString(),
            To = form["To"].ToString(),
            Direction = NullIfEmpty(form["Direction"]),
            AccountSid = NullIfEmpty(form["AccountSid"]),
            Form = fields,
        };

        static string? NullIfEmpty(StringValues value) => StringValues.IsNullOrEmpty(value) ? null : value.ToString();
    }
}
