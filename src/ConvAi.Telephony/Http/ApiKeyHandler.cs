namespace ConvAi.Telephony;

/// <summary>Adds the <c>xi-api-key</c> header and the library's User-Agent to every request.</summary>
internal sealed class ApiKeyHandler : DelegatingHandler
{
    public const string HeaderName = "xi-api-key";

    private readonly Func<string?> _apiKey;

    public ApiKeyHandler(Func<string?> apiKey) => _apiKey = apiKey;

    /// <summary>Gets the User-Agent value, <c>ConvAi.Telephony/&lt;version&gt;</c>.</summary>
    public static string UserAgent { get; } = $"{ConvAiTelephonyInfo.Name}/{ConvAiTelephonyInfo.Version}";

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        request.Headers.Remove(HeaderName);
        var key = _apiKey();
        if (!string.IsNullOrEmpty(key))
        {
            request.Headers.TryAddWithoutValidation(HeaderName, key);
        }

        if (!request.Headers.UserAgent.Any())
        {
            request.Headers.TryAddWithoutValidation("User-Agent", UserAgent);
        }

        return base.SendAsync(request, cancellationToken);
    }
}
