using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace ConvAi.Telephony.Testing;

/// <summary>Writes responses in the wire shapes of the ElevenLabs API (§1.4 of the reference).</summary>
internal static class ApiResults
{
    public const string JsonContentType = "application/json";

    public static Task JsonAsync(HttpContext context, JsonNode body, int statusCode = StatusCodes.Status200OK)
    {
        context.Response.StatusCode = statusCode;
        context.Response.ContentType = JsonContentType;
        return context.Response.WriteAsync(body.ToJsonString(), context.RequestAborted);
    }

    /// <summary>200 with an empty JSON object, as the API answers deletes and feedback.</summary>
    public static Task EmptyObjectAsync(HttpContext context) => JsonAsync(context, new JsonObject());

    /// <summary>
    /// An error in the object shape <c>{"detail":{"status","code","message","request_id"}}</c>:
    /// <c>code</c> is the newer field, <c>status</c> the legacy one, both carry the same value.
    /// </summary>
    public static Task ErrorAsync(HttpContext context, int statusCode, string code, string message)
    {
        var detail = new JsonObject
        {
            ["status"] = code,
            ["code"] = code,
            ["message"] = message,
            ["request_id"] = RequestId(context),
        };
        return JsonAsync(context, new JsonObject { ["detail"] = detail }, statusCode);
    }

    public static Task NotFoundAsync(HttpContext context, string resource, string id) =>
        ErrorAsync(
            context,
            StatusCodes.Status404NotFound,
            resource + "_not_found",
            string.Create(CultureInfo.InvariantCulture, $"The {resource.Replace('_', ' ')} '{id}' was not found."));

    /// <summary>422 <c>{"detail":[{"loc","msg","type"}]}</c>.</summary>
    public static Task ValidationErrorAsync(HttpContext context, JsonArray errors) =>
        JsonAsync(context, new JsonObject { ["detail"] = errors }, StatusCodes.Status422UnprocessableEntity);

    private static string RequestId(HttpContext context) => "req_" + context.TraceIdentifier.Replace(':', '_');
}
