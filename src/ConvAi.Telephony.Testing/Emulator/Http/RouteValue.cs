using Microsoft.AspNetCore.Http;

namespace ConvAi.Telephony.Testing;

/// <summary>Reads a path parameter matched by the endpoint's route template.</summary>
internal static class RouteValue
{
    public static string Get(HttpContext context, string name) => (string)context.Request.RouteValues[name]!;
}
