using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace ConvAi.Telephony.Testing;

/// <summary>
/// The workspace webhook endpoints: list (with delivery health), create (answers the secret once), update, delete.
/// Every webhook reports the <c>ConvAI Settings</c> usage, as the workspace's post-call webhook would.
/// </summary>
internal sealed class WorkspaceWebhookEndpoints(EmulatorState state)
{
    private const string Collection = "/v1/workspace/webhooks";
    private const string Item = Collection + "/{webhook_id}";

    public void Map(IEndpointRouteBuilder app)
    {
        app.MapGet(Collection, ListAsync);
        app.MapPost(Collection, CreateAsync);
        app.MapMethods(Item, [HttpMethods.Patch], UpdateAsync);
        app.MapDelete(Item, DeleteAsync);
    }

    private Task ListAsync(HttpContext context)
    {
        var validator = new RequestValidator();
        var includeUsages = validator.QueryBoolean(context, "include_usages") ?? false;
        if (validator.HasErrors)
        {
            return ApiResults.ValidationErrorAsync(context, validator.Errors);
        }

        JsonArray webhooks;
        lock (state.Gate)
        {
            webhooks = new JsonArray(state.WorkspaceWebhooks.Select(w => (JsonNode)w.ToJson(includeUsages)).ToArray());
        }

        return ApiResults.JsonAsync(context, new JsonObject { ["webhooks"] = webhooks });
    }

    private Task CreateAsync(HttpContext context) => RequestValidator.WithBodyAsync(context, (validator, body) =>
    {
        var root = RequestValidator.BodyRoot;
        var settings = validator.OptionalObject(body, "settings", root);
        if (settings is null)
        {
            validator.Add(RequestValidator.Append(root, "settings"), "Field required", "missing");
            return ApiResults.ValidationErrorAsync(context, validator.Errors);
        }

        var loc = RequestValidator.Append(root, "settings");
        var authType = validator.CheckEnum(validator.RequiredString(settings, "auth_type", loc), RequestValidator.Append(loc, "auth_type"), "hmac");
        var name = validator.RequiredString(settings, "name", loc);
        var url = validator.RequiredString(settings, "webhook_url", loc);
        if (url is not null && (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttps))
        {
            validator.Add(RequestValidator.Append(loc, "webhook_url"), "Value error, the webhook URL must use https", "value_error");
        }

        validator.OptionalObject(settings, "request_headers", loc);
        if (validator.HasErrors)
        {
            return ApiResults.ValidationErrorAsync(context, validator.Errors);
        }

        var record = new WorkspaceWebhookRecord { WebhookId = EmulatorIds.New("wh_"), Name = name!, Url = url!, AuthType = authType!, CreatedAt = state.Now };
        lock (state.Gate)
        {
            state.WorkspaceWebhooks.Add(record);
        }

        var secret = "wsec_" + RandomNumberGenerator.GetHexString(32, lowercase: true);
        return ApiResults.JsonAsync(context, new JsonObject { ["webhook_id"] = record.WebhookId, ["webhook_secret"] = secret });
    });

    private Task UpdateAsync(HttpContext context) => RequestValidator.WithBodyAsync(context, (validator, body) =>
    {
        var root = RequestValidator.BodyRoot;
        var isDisabled = validator.OptionalBoolean(body, "is_disabled", root);
        if (isDisabled is null && !validator.HasErrors)
        {
            validator.Add(RequestValidator.Append(root, "is_disabled"), "Field required", "missing");
        }

        var name = validator.RequiredString(body, "name", root);
        var retry = validator.OptionalBoolean(body, "retry_enabled", root);
        validator.OptionalObject(body, "request_headers", root);
        var events = body["events"] as JsonArray;
        if (validator.HasErrors)
        {
            return ApiResults.ValidationErrorAsync(context, validator.Errors);
        }

        var id = RouteValue.Get(context, "webhook_id");
        lock (state.Gate)
        {
            if (state.WorkspaceWebhooks.Find(w => w.WebhookId == id) is not { } webhook)
            {
                return ApiResults.NotFoundAsync(context, "webhook", id);
            }

            webhook.Name = name!;
            webhook.IsDisabled = isDisabled!.Value;
            if (!webhook.IsDisabled)
            {
                // Enabling a webhook again clears ElevenLabs' automatic disable.
                webhook.IsAutoDisabled = false;
            }

            webhook.RetryEnabled = retry ?? webhook.RetryEnabled;
            webhook.Events = events is null ? webhook.Events : (JsonArray)events.DeepClone();
        }

        return ApiResults.JsonAsync(context, new JsonObject { ["status"] = "ok" });
    });

    private Task DeleteAsync(HttpContext context)
    {
        var id = RouteValue.Get(context, "webhook_id");
        lock (state.Gate)
        {
            if (state.WorkspaceWebhooks.RemoveAll(w => w.WebhookId == id) == 0)
            {
                return ApiResults.NotFoundAsync(context, "webhook", id);
            }
        }

        return ApiResults.JsonAsync(context, new JsonObject { ["status"] = "ok" });
    }
}
