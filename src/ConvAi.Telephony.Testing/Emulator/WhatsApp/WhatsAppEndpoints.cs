using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace ConvAi.Telephony.Testing;

/// <summary>The WhatsApp endpoints: outbound call, outbound template message, and the connected accounts (list, get, update, delete).</summary>
internal sealed class WhatsAppEndpoints(EmulatorState state)
{
    public void Map(IEndpointRouteBuilder app)
    {
        app.MapPost("/v1/convai/whatsapp/outbound-call", context => StartAsync(context, isCall: true));
        app.MapPost("/v1/convai/whatsapp/outbound-message", context => StartAsync(context, isCall: false));
        app.MapGet("/v1/convai/whatsapp-accounts", ListAccountsAsync);
        app.MapGet("/v1/convai/whatsapp-accounts/{phone_number_id}", GetAccountAsync);
        app.MapMethods("/v1/convai/whatsapp-accounts/{phone_number_id}", [HttpMethods.Patch], UpdateAccountAsync);
        app.MapDelete("/v1/convai/whatsapp-accounts/{phone_number_id}", DeleteAccountAsync);
    }

    /// <summary>A call and a message both open a conversation with the agent; they differ in their required fields and answer.</summary>
    private Task StartAsync(HttpContext context, bool isCall) => RequestValidator.WithBodyAsync(context, (validator, body) =>
    {
        var root = RequestValidator.BodyRoot;
        var phoneNumberId = validator.RequiredString(body, "whatsapp_phone_number_id", root);
        var userId = validator.RequiredString(body, "whatsapp_user_id", root);
        var agentId = validator.RequiredString(body, "agent_id", root);
        if (isCall)
        {
            validator.RequiredString(body, "whatsapp_call_permission_request_template_name", root);
            validator.RequiredString(body, "whatsapp_call_permission_request_template_language_code", root);
        }
        else
        {
            validator.RequiredString(body, "template_name", root);
            validator.RequiredString(body, "template_language_code", root);
            validator.RequiredArray(body, "template_params", root, 0, int.MaxValue);
        }

        var clientData = validator.ClientData(body, root);
        if (validator.HasErrors)
        {
            return ApiResults.ValidationErrorAsync(context, validator.Errors);
        }

        ConversationRecord conversation;
        lock (state.Gate)
        {
            if (state.FindWhatsAppAccount(phoneNumberId!) is not { } account)
            {
                return ApiResults.NotFoundAsync(context, "whatsapp_account", phoneNumberId!);
            }

            conversation = state.PlaceCall(agentId!, "whatsapp", "outbound", null, account.PhoneNumber, userId!, clientData);
        }

        var response = isCall
            ? new JsonObject { ["success"] = true, ["message"] = "Call initiated successfully.", ["conversation_id"] = conversation.ConversationId }
            : new JsonObject { ["conversation_id"] = conversation.ConversationId };
        return ApiResults.JsonAsync(context, response);
    });

    private Task ListAccountsAsync(HttpContext context)
    {
        var agentId = new RequestValidator().QueryString(context, "agent_id");
        var items = new JsonArray();
        lock (state.Gate)
        {
            foreach (var account in state.WhatsAppAccounts.Where(a => agentId is null || a.AssignedAgentId == agentId))
            {
                items.Add((JsonNode)ToJson(account));
            }
        }

        return ApiResults.JsonAsync(context, new JsonObject { ["items"] = items });
    }

    private Task GetAccountAsync(HttpContext context)
    {
        var id = RouteValue.Get(context, "phone_number_id");
        JsonObject json;
        lock (state.Gate)
        {
            if (state.FindWhatsAppAccount(id) is not { } account)
            {
                return ApiResults.NotFoundAsync(context, "whatsapp_account", id);
            }

            json = ToJson(account);
        }

        return ApiResults.JsonAsync(context, json);
    }

    /// <summary>
    /// The PATCH of elevenlabs-python 2.59: every field is optional, and an absent (or null) field keeps its value. The answer is
    /// untyped in the spec; the emulator answers <c>{}</c>, like its other updates and deletes.
    /// </summary>
    private Task UpdateAccountAsync(HttpContext context) => RequestValidator.WithBodyAsync(context, (validator, body) =>
    {
        var id = RouteValue.Get(context, "phone_number_id");
        var root = RequestValidator.BodyRoot;
        var agentId = validator.OptionalString(body, "assigned_agent_id", root);
        var messaging = validator.OptionalBoolean(body, "enable_messaging", root);
        var audioResponse = validator.OptionalBoolean(body, "enable_audio_message_response", root);
        var typingIndicator = validator.OptionalBoolean(body, "enable_typing_indicator", root);
        if (validator.HasErrors)
        {
            return ApiResults.ValidationErrorAsync(context, validator.Errors);
        }

        lock (state.Gate)
        {
            var index = state.WhatsAppAccounts.FindIndex(a => a.PhoneNumberId == id);
            if (index < 0)
            {
                return ApiResults.NotFoundAsync(context, "whatsapp_account", id);
            }

            var account = state.WhatsAppAccounts[index];
            state.WhatsAppAccounts[index] = account with
            {
                AssignedAgentId = agentId ?? account.AssignedAgentId,
                EnableMessaging = messaging ?? account.EnableMessaging,
                EnableAudioMessageResponse = audioResponse ?? account.EnableAudioMessageResponse,
                EnableTypingIndicator = typingIndicator ?? account.EnableTypingIndicator,
            };
        }

        return ApiResults.EmptyObjectAsync(context);
    });

    /// <summary>Removes the account: later calls and messages from its number answer 404, as for a number never connected.</summary>
    private Task DeleteAccountAsync(HttpContext context)
    {
        var id = RouteValue.Get(context, "phone_number_id");
        lock (state.Gate)
        {
            if (state.WhatsAppAccounts.RemoveAll(a => a.PhoneNumberId == id) == 0)
            {
                return ApiResults.NotFoundAsync(context, "whatsapp_account", id);
            }
        }

        return ApiResults.EmptyObjectAsync(context);
    }

    private JsonObject ToJson(EmulatedWhatsAppAccount account) => new()
    {
        ["business_account_id"] = "waba_" + account.PhoneNumberId,
        ["phone_number_id"] = account.PhoneNumberId,
        ["business_account_name"] = "Emulated business",
        ["phone_number_name"] = "Emulated number",
        ["phone_number"] = account.PhoneNumber,
        ["assigned_agent_id"] = account.AssignedAgentId,
        ["assigned_agent_name"] = account.AssignedAgentId is null ? null : state.Options.AgentName,
        ["enable_messaging"] = account.EnableMessaging,
        ["enable_audio_message_response"] = account.EnableAudioMessageResponse,
        ["enable_typing_indicator"] = account.EnableTypingIndicator,
        ["is_token_expired"] = false,
    };
}
