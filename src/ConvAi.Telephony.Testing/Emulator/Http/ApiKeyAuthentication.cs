using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace ConvAi.Telephony.Testing;

/// <summary>Checks the <c>xi-api-key</c> header like the real API: 401 when it is missing or wrong.</summary>
internal static class ApiKeyAuthentication
{
    public const string HeaderName = "xi-api-key";

    /// <summary>Returns <see langword="true"/> when the request may proceed; otherwise writes the 401.</summary>
    public static async Task<bool> AuthorizeAsync(HttpContext context, string apiKey)
    {
        if (!context.Request.Headers.TryGetValue(HeaderName, out var values) || string.IsNullOrEmpty(values.ToString()))
        {
            await ApiResults.ErrorAsync(
                context,
                StatusCodes.Status401Unauthorized,
                "needs_authorization",
                "Neither authorization header nor xi-api-key received, please provide one.").ConfigureAwait(false);
            return false;
        }

        var sent = Encoding.UTF8.GetBytes(values.ToString());
        var expected = Encoding.UTF8.GetBytes(apiKey);
        if (!CryptographicOperations.FixedTimeEquals(sent, expected))
        {
            await ApiResults.ErrorAsync(
                context,
                StatusCodes.Status401Unauthorized,
                "invalid_api_key",
                "Invalid API key.").ConfigureAwait(false);
            return false;
        }

        return true;
    }
}
