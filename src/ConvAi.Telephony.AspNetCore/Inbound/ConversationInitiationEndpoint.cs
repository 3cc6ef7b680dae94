using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ConvAi.Telephony.AspNetCore;

/// <summary>
/// The request pipeline of the conversation-initiation webhook: authenticate, parse, run the handler under a time limit, answer.
/// Built once when the endpoint is mapped, with its dependencies; the options are read per request so reloads apply.
/// </summary>
internal sealed class ConversationInitiationEndpoint(
    Func<HttpContext, ConversationInitiationRequest, CancellationToken, ValueTask<ConversationInitiationResponse>> handler,
    IOptionsMonitor<ConversationInitiationOptions> optionsMonitor,
    ILogger logger,
    TimeProvider timeProvider)
{
    public async Task HandleAsync(HttpContext context)
    {
        var options = optionsMonitor.CurrentValue;
        var path = context.Request.Path.Value ?? string.Empty;

        if (options.DangerouslyDisableAuthentication)
        {
            InboundLog.InitiationAuthenticationDisabled(logger, path);
        }
        else if (!SharedSecret.Matches(context.Request.Headers[options.HeaderName].ToString(), options.Secret ?? string.Empty))
        {
            InboundLog.InitiationUnauthorized(logger, path);
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            return;
        }

        var request = await ReadRequestAsync(context.Request, context.RequestAborted).ConfigureAwait(false);
        if (request is null)
        {
            InboundLog.InitiationBadRequest(logger, path);
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }

        ConversationInitiationResponse response;
        try
        {
            response = await TimeLimit.RunAsync(
                cancellationToken => handler(context, request, cancellationToken),
                options.HandlerTimeout,
                timeProvider,
                context.RequestAborted).ConfigureAwait(false);
            ArgumentNullException.ThrowIfNull(response);
            if (response.DynamicVariables is { } variables)
            {
                DynamicVariables.Validate(variables.Keys, nameof(ConversationInitiationResponse.DynamicVariables));
            }
        }
        catch (TimeoutException)
        {
            InboundLog.InitiationHandlerTimedOut(logger, request.CallSid, options.HandlerTimeout);
            response = DefaultResponse(options);
        }
        catch (Exception exception) when (!context.RequestAborted.IsCancellationRequested)
        {
            // Whatever the handler did, ElevenLabs still gets an answer so the call connects.
            InboundLog.InitiationHandlerFailed(logger, exception, request.CallSid);
            response = DefaultResponse(options);
        }

        context.Response.StatusCode = StatusCodes.Status200OK;
        await context.Response.WriteAsJsonAsync(response, InboundJsonContext.Default.ConversationInitiationResponse, contentType: null, context.RequestAborted).ConfigureAwait(false);
    }

    private static ConversationInitiationResponse DefaultResponse(ConversationInitiationOptions options) => new()
    {
        DynamicVariables = options.DefaultDynamicVariables.ToDictionary(
            variable => variable.Key,
            variable => (JsonNode?)JsonValue.Create(variable.Value),
            StringComparer.Ordinal),
    };

    // Null when the body is neither a JSON object nor form data.
    private static async Task<ConversationInitiationRequest?> ReadRequestAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        try
        {
            if (request.HasFormContentType)
            {
                var form = await request.ReadFormAsync(cancellationToken).ConfigureAwait(false);
                return FromForm(form);
            }

            return await JsonSerializer.DeserializeAsync(request.Body, InboundJsonContext.Default.ConversationInitiationRequest, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is JsonException or InvalidDataException or BadHttpRequestException or IOException)
        {
            return null;
        }
    }

    private static ConversationInitiationRequest FromForm(IFormCollection form)
    {
        Dictionary<string, JsonElement>? additional = null;
        foreach (var (name, values) in form)
        {
            if (name is not ("caller_id" or "agent_id" or "called_number" or "call_sid"))
            {
                additional ??= new Dictionary<string, JsonElement>(StringComparer.Ordinal);
                additional[name] = JsonSerializer.SerializeToElement(values.ToString(), InboundJsonContext.Default.String);
            }
        }

        return new ConversationInitiationRequest
        {
            CallerId = NullIfEmpty(form["caller_id"]),
            AgentId = NullIfEmpty(form["agent_id"]),
            CalledNumber = NullIfEmpty(form["called_number"]),
            CallSid = NullIfEmpty(form["call_sid"]),
            AdditionalProperties = additional,
        };

        static string? NullIfEmpty(Microsoft.Extensions.Primitives.StringValues value) => value.Count == 0 ? null : value.ToString();
    }
}
