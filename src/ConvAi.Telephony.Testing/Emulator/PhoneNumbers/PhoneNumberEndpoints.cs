using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace ConvAi.Telephony.Testing;

/// <summary>The phone-number endpoints (§2): import, list, get, update, delete.</summary>
internal sealed class PhoneNumberEndpoints(EmulatorState state)
{
    private const string Collection = "/v1/convai/phone-numbers";
    private const string Item = Collection + "/{phone_number_id}";
    private static readonly string[] Providers = [PhoneNumberRecord.Twilio, PhoneNumberRecord.SipTrunk, PhoneNumberRecord.Exotel];

    public void Map(IEndpointRouteBuilder app)
    {
        app.MapPost(Collection, ImportAsync);
        app.MapGet(Collection, ListAsync);
        app.MapGet(Item, GetAsync);
        app.MapMethods(Item, [HttpMethods.Patch], UpdateAsync);
        app.MapDelete(Item, DeleteAsync);
    }

    private Task ImportAsync(HttpContext context) => RequestValidator.WithBodyAsync(context, (validator, body) =>
    {
        var root = RequestValidator.BodyRoot;
        var provider = validator.OptionalString(body, "provider", root) ?? InferProvider(body);
        if (validator.CheckEnum(provider, RequestValidator.Append(root, "provider"), Providers) is null)
        {
            return ApiResults.ValidationErrorAsync(context, validator.Errors);
        }

        var variant = RequestValidator.Append(root, provider!);
        var number = validator.RequiredPhoneNumber(body, "phone_number", variant);
        var label = validator.RequiredString(body, "label", variant);
        var agentId = validator.OptionalString(body, "agent_id", variant);
        JsonObject? outbound = null;
        JsonObject? inbound = null;
        switch (provider)
        {
            case PhoneNumberRecord.Twilio:
                validator.RequiredString(body, "sid", variant);
                validator.RequiredString(body, "token", variant);
                validator.OptionalBoolean(body, "enable_sms", variant);
                break;
            case PhoneNumberRecord.SipTrunk:
                outbound = validator.OptionalObject(body, "outbound_trunk_config", variant);
                if (outbound is not null)
                {
                    validator.RequiredString(outbound, "address", RequestValidator.Append(variant, "outbound_trunk_config"));
                }

                inbound = validator.OptionalObject(body, "inbound_trunk_config", variant);
                break;
            default:
                foreach (var field in new[] { "account_sid", "api_key", "api_token", "app_id", "api_subdomain" })
                {
                    validator.RequiredString(body, field, variant);
                }

                break;
        }

        if (validator.HasErrors)
        {
            return ApiResults.ValidationErrorAsync(context, validator.Errors);
        }

        PhoneNumberRecord record;
        lock (state.Gate)
        {
            if (state.PhoneNumbers.Exists(p => p.Number == number))
            {
                return ApiResults.ErrorAsync(
                    context,
                    StatusCodes.Status409Conflict,
                    "phone_number_already_exists",
                    "This phone number is already imported into the workspace.");
            }

            record = new PhoneNumberRecord
            {
                PhoneNumberId = EmulatorIds.New("phnum_"),
                Number = number!,
                Label = label!,
                Provider = provider!,
                AgentId = agentId,
                OutboundTrunk = outbound is null ? null : PhoneNumberRecord.OutboundTrunkResponse(outbound),
                InboundTrunk = inbound is null ? null : PhoneNumberRecord.InboundTrunkResponse(inbound),
            };
            state.PhoneNumbers.Add(record);
        }

        return ApiResults.JsonAsync(context, new JsonObject { ["phone_number_id"] = record.PhoneNumberId });
    });

    private Task ListAsync(HttpContext context)
    {
        var validator = new RequestValidator();
        var provider = validator.QueryEnum(context, "provider", Providers);
        var agentId = validator.QueryString(context, "agent_id");
        if (validator.HasErrors)
        {
            return ApiResults.ValidationErrorAsync(context, validator.Errors);
        }

        var list = new JsonArray();
        lock (state.Gate)
        {
            foreach (var record in state.PhoneNumbers)
            {
                if ((provider is null || record.Provider == provider) && (agentId is null || record.AgentId == agentId))
                {
                    list.Add((JsonNode)record.ToJson(state.Options.AgentName));
                }
            }
        }

        return ApiResults.JsonAsync(context, list);
    }

    private Task GetAsync(HttpContext context)
    {
        var id = RouteId(context);
        JsonObject json;
        lock (state.Gate)
        {
            if (state.FindPhoneNumber(id) is not { } record)
            {
                return ApiResults.NotFoundAsync(context, "phone_number", id);
            }

            json = record.ToJson(state.Options.AgentName);
        }

        return ApiResults.JsonAsync(context, json);
    }

    private Task UpdateAsync(HttpContext context) => RequestValidator.WithBodyAsync(context, (validator, body) =>
    {
        var id = RouteId(context);
        var root = RequestValidator.BodyRoot;
        var agentId = validator.OptionalString(body, "agent_id", root);
        var label = validator.OptionalString(body, "label", root);
        var outbound = validator.OptionalObject(body, "outbound_trunk_config", root);
        if (outbound is not null)
        {
            validator.RequiredString(outbound, "address", RequestValidator.Append(root, "outbound_trunk_config"));
        }

        var inbound = validator.OptionalObject(body, "inbound_trunk_config", root);
        var livekitStack = validator.CheckEnum(
            validator.OptionalString(body, "livekit_stack", root),
            RequestValidator.Append(root, "livekit_stack"),
            "standard",
            "static");
        var storeSipMessages = validator.OptionalBoolean(body, "store_sip_messages", root);
        if (validator.HasErrors)
        {
            return ApiResults.ValidationErrorAsync(context, validator.Errors);
        }

        JsonObject json;
        lock (state.Gate)
        {
            if (state.FindPhoneNumber(id) is not { } record)
            {
                return ApiResults.NotFoundAsync(context, "phone_number", id);
            }

            // An explicit "agent_id": null unassigns the agent; an omitted agent_id leaves it as it is.
            if (body.ContainsKey("agent_id"))
            {
                record.AgentId = agentId;
            }

            record.Label = label ?? record.Label;
            if (record.Provider == PhoneNumberRecord.SipTrunk)
            {
                record.OutboundTrunk = outbound is null ? record.OutboundTrunk : PhoneNumberRecord.OutboundTrunkResponse(outbound);
                record.InboundTrunk = inbound is null ? record.InboundTrunk : PhoneNumberRecord.InboundTrunkResponse(inbound);
                record.LivekitStack = livekitStack ?? record.LivekitStack;
                record.StoreSipMessages = storeSipMessages ?? record.StoreSipMessages;
            }

            json = record.ToJson(state.Options.AgentName);
        }

        return ApiResults.JsonAsync(context, json);
    });

    private Task DeleteAsync(HttpContext context)
    {
        var id = RouteId(context);
        lock (state.Gate)
        {
            if (state.FindPhoneNumber(id) is not { } record)
            {
                return ApiResults.NotFoundAsync(context, "phone_number", id);
            }

            state.PhoneNumbers.Remove(record);
        }

        return ApiResults.EmptyObjectAsync(context);
    }

    /// <summary>The spec's body is an <c>anyOf</c> whose variants default <c>provider</c>; pick the variant the fields fit.</summary>
    private static string InferProvider(JsonObject body) =>
        body.ContainsKey("sid") || body.ContainsKey("token") ? PhoneNumberRecord.Twilio
        : body.ContainsKey("account_sid") ? PhoneNumberRecord.Exotel
        : body.ContainsKey("outbound_trunk_config") || body.ContainsKey("inbound_trunk_config") ? PhoneNumberRecord.SipTrunk
        : PhoneNumberRecord.Twilio;

    private static string RouteId(HttpContext context) => RouteValue.Get(context, "phone_number_id");
}
