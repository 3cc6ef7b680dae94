using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ConvAi.Telephony.AspNetCore;

/// <summary>
/// The bridge's voice webhook and its <c>/after</c> endpoint. The voice webhook verifies <c>X-Twilio-Signature</c> like the inbound
/// endpoint, asks the handler for the stream's parameters, adds the one-time call token and answers <c>&lt;Connect&gt;&lt;Stream&gt;</c>
/// then <c>&lt;Redirect&gt;</c> to <c>/after</c>, which answers the hand-off chosen during the call (<c>&lt;Dial&gt;</c>) or <c>&lt;Hangup/&gt;</c>.
/// </summary>
internal sealed class TwilioVoiceEndpoint(
    IOptionsMonitor<TwilioInboundOptions> twilioOptions,
    IOptionsMonitor<ConvAiTwilioBridgeOptions> bridgeOptions,
    MediaStreamTokens tokens,
    LiveCallRegistry registry,
    ILogger logger)
{
    private const int MaxParameterLength = 500;

    public async Task HandleVoiceAsync(HttpContext context)
    {
        var twilio = twilioOptions.CurrentValue;
        if (await ReadVerifiedCallAsync(context, twilio).ConfigureAwait(false) is not { } call)
        {
            return;
        }

        string twiml;
        try
        {
            var handler = context.RequestServices.GetRequiredService<ConvAiTwilioBridgeHandler>();
            var parameters = await handler.OnIncomingCallAsync(call, context.RequestAborted).ConfigureAwait(false) ?? new Dictionary<string, string>();
            var checkedParameters = Check(parameters);
            var token = tokens.Issue(call.CallSid, checkedParameters, bridgeOptions.CurrentValue.CallTokenLifetime);
            checkedParameters.Add(new KeyValuePair<string, string>(MediaStreamTokens.ParameterName, token));
            var streamUrl = StreamUrl(context.Request, twilio.PublicBaseUrl, bridgeOptions.CurrentValue.MediaStreamPath);
            var after = TwilioInboundEndpoint.SignedUrl(context.Request, twilio.PublicBaseUrl);
            var query = after.IndexOf('?', StringComparison.Ordinal);
            after = (query < 0 ? after : after[..query]).TrimEnd('/') + "/after";
            twiml = TwiML.ConnectStream(streamUrl, checkedParameters, after);
            MediaStreamLog.VoiceAnswered(logger, call.CallSid, streamUrl);
        }
        catch (Exception exception) when (!context.RequestAborted.IsCancellationRequested)
        {
            MediaStreamLog.IncomingCallHookFailed(logger, exception, call.CallSid);
            twiml = TwilioInboundEndpoint.FallbackTwiML(twilio);
        }

        await new TwiMLResult(twiml).ExecuteAsync(context).ConfigureAwait(false);
    }

    public async Task HandleAfterAsync(HttpContext context)
    {
        if (await ReadVerifiedCallAsync(context, twilioOptions.CurrentValue).ConfigureAwait(false) is not { } call)
        {
            return;
        }

        var target = registry.TakeHandOff(call.CallSid);
        MediaStreamLog.AfterStreamAnswered(logger, call.CallSid, target is null ? "Hangup" : "Dial");
        await new TwiMLResult(target is null ? TwiML.Hangup() : TwiML.Dial(target)).ExecuteAsync(context).ConfigureAwait(false);
    }

    /// <summary>The <c>&lt;Stream url&gt;</c>: always <c>wss://</c> (Twilio's only protocol), the public host or the request's, the path base and the media path; no query.</summary>
    internal static string StreamUrl(HttpRequest request, Uri? publicBaseUrl, string mediaStreamPath) =>
        WssBase(request, publicBaseUrl) + "/" + mediaStreamPath.TrimStart('/');

    /// <summary>
    /// The <c>wss://</c> form of the app's public root: the public base URL's authority and path, or the request's host and path base. The
    /// stream URL and the URL its handshake is verified over both start with it.
    /// </summary>
    internal static string WssBase(HttpRequest request, Uri? publicBaseUrl) =>
        publicBaseUrl is not null
            ? "wss://" + publicBaseUrl.Authority + publicBaseUrl.AbsolutePath.TrimEnd('/')
            : "wss://" + request.Host.ToUriComponent() + request.PathBase.ToUriComponent();

    private async Task<TwilioInboundCall?> ReadVerifiedCallAsync(HttpContext context, TwilioInboundOptions options)
    {
        if (await TwilioInboundEndpoint.ReadVerifiedFormAsync(context, options, logger).ConfigureAwait(false) is not { } form)
        {
            return null;
        }

        var call = TwilioInboundEndpoint.ToCall(form);
        if (call.CallSid.Length == 0)
        {
            InboundLog.TwilioBadRequest(logger, context.Request.Path.Value ?? string.Empty, "CallSid is missing");
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            return null;
        }

        return call;
    }

    private static List<KeyValuePair<string, string>> Check(IReadOnlyDictionary<string, string> parameters)
    {
        var list = new List<KeyValuePair<string, string>>(parameters.Count + 1);
        foreach (var (name, value) in parameters)
        {
            if (string.IsNullOrEmpty(name) || name.StartsWith(MediaStreamTokens.ReservedPrefix, StringComparison.Ordinal))
            {
                throw new ArgumentException($"A stream parameter name must not be empty or start with '{MediaStreamTokens.ReservedPrefix}' (reserved).", nameof(parameters));
            }

            if (value is null || name.Length + value.Length >= MaxParameterLength)
            {
                throw new ArgumentException($"The stream parameter '{name}' has no value, or its name and value are {MaxParameterLength} characters or more.", nameof(parameters));
            }

            list.Add(new KeyValuePair<string, string>(name, value));
        }

        return list;
    }
}
