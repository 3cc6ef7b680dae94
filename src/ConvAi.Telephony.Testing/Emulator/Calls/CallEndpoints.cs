using System.Security;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace ConvAi.Telephony.Testing;

/// <summary>The call endpoints: Twilio, SIP-trunk and Exotel outbound calls (§3) and Twilio register-call (§4).</summary>
internal sealed class CallEndpoints(EmulatorState state)
{
    public void Map(IEndpointRouteBuilder app)
    {
        app.MapPost("/v1/convai/twilio/outbound-call", context => OutboundCallAsync(context, PhoneNumberRecord.Twilio));
        app.MapPost("/v1/convai/sip-trunk/outbound-call", context => OutboundCallAsync(context, PhoneNumberRecord.SipTrunk));
        app.MapPost("/v1/convai/exotel/outbound-call", context => OutboundCallAsync(context, PhoneNumberRecord.Exotel));
        app.MapPost("/v1/convai/twilio/register-call", RegisterCallAsync);
    }

    private Task OutboundCallAsync(HttpContext context, string provider) => RequestValidator.WithBodyAsync(context, (validator, body) =>
    {
        var root = RequestValidator.BodyRoot;
        var agentId = validator.RequiredString(body, "agent_id", root);
        var phoneNumberId = validator.RequiredString(body, "agent_phone_number_id", root);
        var toNumber = validator.RequiredPhoneNumber(body, "to_number", root);
        var clientData = validator.ClientData(body, root);
        validator.TelephonyCallConfig(body, root);
        if (provider == PhoneNumberRecord.Twilio)
        {
            validator.OptionalBoolean(body, "call_recording_enabled", root);
        }

        if (validator.HasErrors)
        {
            return ApiResults.ValidationErrorAsync(context, validator.Errors);
        }

        ConversationRecord conversation;
        lock (state.Gate)
        {
            if (state.FindPhoneNumber(phoneNumberId!) is not { } number)
            {
                return ApiResults.NotFoundAsync(context, "phone_number", phoneNumberId!);
            }

            if (number.Provider != provider)
            {
                return ApiResults.ErrorAsync(
                    context,
                    StatusCodes.Status400BadRequest,
                    "invalid_phone_number_provider",
                    $"Phone number '{number.PhoneNumberId}' is a '{number.Provider}' number; this endpoint needs a '{provider}' number.");
            }

            conversation = state.PlaceCall(
                agentId!,
                provider switch { PhoneNumberRecord.Twilio => "twilio", PhoneNumberRecord.SipTrunk => "sip_trunking", _ => "exotel" },
                "outbound",
                number.PhoneNumberId,
                number.Number,
                toNumber!,
                clientData);
        }

        var response = new JsonObject
        {
            ["success"] = true,
            ["message"] = "Call initiated successfully.",
            ["conversation_id"] = conversation.ConversationId,
        };
        response[provider == PhoneNumberRecord.SipTrunk ? "sip_call_id" : "callSid"] = conversation.CallSid;
        return ApiResults.JsonAsync(context, response);
    });

    private Task RegisterCallAsync(HttpContext context) => RequestValidator.WithBodyAsync(context, (validator, body) =>
    {
        var root = RequestValidator.BodyRoot;
        var agentId = validator.RequiredString(body, "agent_id", root);
        // The reference types both as plain strings: Twilio reports a withheld caller ID as "anonymous".
        var fromNumber = validator.RequiredString(body, "from_number", root);
        var toNumber = validator.RequiredString(body, "to_number", root);
        var direction = validator.CheckEnum(
            validator.OptionalString(body, "direction", root),
            RequestValidator.Append(root, "direction"),
            "inbound",
            "outbound") ?? "inbound";
        var clientData = validator.ClientData(body, root);
        if (validator.HasErrors)
        {
            return ApiResults.ValidationErrorAsync(context, validator.Errors);
        }

        var agentNumber = direction == "inbound" ? toNumber! : fromNumber!;
        var externalNumber = direction == "inbound" ? fromNumber! : toNumber!;
        ConversationRecord conversation;
        lock (state.Gate)
        {
            var number = state.PhoneNumbers.Find(p => p.Number == agentNumber);
            conversation = state.PlaceCall(agentId!, "twilio", direction, number?.PhoneNumberId, agentNumber, externalNumber, clientData);
        }

        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = "text/html; charset=utf-8";
        return context.Response.WriteAsync(TwiML(context, conversation), context.RequestAborted);
    });

    /// <summary>The TwiML that connects Twilio's media stream to the agent.</summary>
    private static string TwiML(HttpContext context, ConversationRecord conversation)
    {
        var url = "wss://" + context.Request.Host.Value + "/v1/convai/conversation/twilio";
        var xml = new StringBuilder()
            .Append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>")
            .Append("<Response><Connect><Stream url=\"").Append(SecurityElement.Escape(url)).Append("\">")
            .Append("<Parameter name=\"conversation_id\" value=\"").Append(SecurityElement.Escape(conversation.ConversationId)).Append("\"/>")
            .Append("<Parameter name=\"agent_id\" value=\"").Append(SecurityElement.Escape(conversation.AgentId)).Append("\"/>")
            .Append("</Stream></Connect></Response>");
        return xml.ToString();
    }
}
