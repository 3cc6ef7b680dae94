namespace ConvAi.Telephony;

/// <summary>
/// Classifies requests for the error mapping and the resilience layer. Call-placing requests may
/// dial a person: they must not be retried once the server may have seen them.
/// </summary>
internal static class RequestKinds
{
    private const string ConvAiPrefix = "/v1/convai/";

    /// <summary>Returns true for the POSTs that place calls: Twilio, SIP-trunk, Exotel and WhatsApp outbound calls, WhatsApp outbound messages, register-call, batch submit and batch retry.</summary>
    public static bool IsCallPlacing(HttpRequestMessage request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Method != HttpMethod.Post || request.RequestUri is null)
        {
            return false;
        }

        var path = GetPath(request.RequestUri);
        return path.EndsWith("/v1/convai/twilio/outbound-call", StringComparison.Ordinal)
            || path.EndsWith("/v1/convai/sip-trunk/outbound-call", StringComparison.Ordinal)
            || path.EndsWith("/v1/convai/exotel/outbound-call", StringComparison.Ordinal)
            || path.EndsWith("/v1/convai/whatsapp/outbound-call", StringComparison.Ordinal)
            || path.EndsWith("/v1/convai/whatsapp/outbound-message", StringComparison.Ordinal)
            || path.EndsWith("/v1/convai/twilio/register-call", StringComparison.Ordinal)
            || path.EndsWith("/v1/convai/batch-calling/submit", StringComparison.Ordinal)
            || (path.Contains(ConvAiPrefix + "batch-calling/", StringComparison.Ordinal) && path.EndsWith("/retry", StringComparison.Ordinal));
    }

    /// <summary>
    /// Returns true for the phone-number import POST, which must not be repeated after a 5xx either, and for the
    /// workspace webhook creation, which would create a second webhook (with a second secret) the same way.
    /// </summary>
    public static bool IsPhoneNumberImport(HttpRequestMessage request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Method != HttpMethod.Post || request.RequestUri is null)
        {
            return false;
        }

        var path = GetPath(request.RequestUri);
        return path.EndsWith("/v1/convai/phone-numbers", StringComparison.Ordinal)
            || path.EndsWith("/v1/workspace/webhooks", StringComparison.Ordinal);
    }

    /// <summary>The <c>convai.operation.kind</c> of a call-placing request.</summary>
    public const string CallPlacing = "call_placing";

    /// <summary>The <c>convai.operation.kind</c> of the phone-number import.</summary>
    public const string PhoneNumberImport = "phone_number_import";

    /// <summary>The <c>convai.operation.kind</c> of every request that is safe to repeat.</summary>
    public const string RetrySafe = "retry_safe";

    /// <summary>Returns the kind of a request, as used in telemetry tags and logs.</summary>
    public static string GetKind(HttpRequestMessage request)
        => IsCallPlacing(request) ? CallPlacing : IsPhoneNumberImport(request) ? PhoneNumberImport : RetrySafe;

    /// <summary>Returns true for requests that are safe to repeat after an ambiguous failure (GET, DELETE, PATCH, and the other POSTs such as cancel and feedback).</summary>
    public static bool IsRetrySafe(HttpRequestMessage request) => !IsCallPlacing(request) && !IsPhoneNumberImport(request);

    /// <summary>
    /// Returns true for transport errors that prove the request never reached the server: <see cref="SocketsHttpHandler"/>
    /// raises <see cref="HttpRequestError.ConnectionError"/> and <see cref="HttpRequestError.NameResolutionError"/> only
    /// while connecting, before any byte of the request is sent. Any other transport error may come after sending.
    /// </summary>
    public static bool ProvesNotSent(Exception? exception)
        => exception is HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError };

    private static string GetPath(Uri uri) => (uri.IsAbsoluteUri ? uri.AbsolutePath : uri.OriginalString.Split('?')[0]).TrimEnd('/');
}
