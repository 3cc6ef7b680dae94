namespace ConvAi.Telephony;

/// <summary>
/// Reads the <see cref="RequestKind"/> mark for the error mapping, telemetry and the resilience layer. Nothing here looks
/// at the URL: the kind is declared where the request is made, and an unmarked POST fails closed (call-placing).
/// </summary>
internal static class RequestKinds
{
    /// <summary>The key of the mark in <see cref="HttpRequestMessage.Options"/>, for Refit's <c>[Property]</c> attribute.</summary>
    public const string OptionName = "ConvAi.RequestKind";

    /// <summary>The <c>convai.operation.kind</c> of a call-placing request.</summary>
    public const string CallPlacingTag = "call_placing";

    /// <summary>The <c>convai.operation.kind</c> of the phone-number import.</summary>
    public const string PhoneNumberImportTag = "phone_number_import";

    /// <summary>The <c>convai.operation.kind</c> of a request that creates a resource (other than a phone number).</summary>
    public const string ResourceCreationTag = "resource_creation";

    /// <summary>The <c>convai.operation.kind</c> of every request that is safe to repeat.</summary>
    public const string RetrySafeTag = "retry_safe";

    /// <summary>The typed key of the mark in <see cref="HttpRequestMessage.Options"/>.</summary>
    public static readonly HttpRequestOptionsKey<RequestKind> OptionKey = new(OptionName);

    /// <summary>
    /// Returns the declared kind of a request. Without a mark, a POST is <see cref="RequestKind.CallPlacing"/> (a new
    /// endpoint is never repeated until someone declares it safe) and every other method is <see cref="RequestKind.RetrySafe"/>.
    /// One dictionary lookup, no allocation.
    /// </summary>
    public static RequestKind Get(HttpRequestMessage request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Options.TryGetValue(OptionKey, out var kind))
        {
            return kind;
        }

        return request.Method == HttpMethod.Post ? RequestKind.CallPlacing : RequestKind.RetrySafe;
    }

    /// <summary>Returns the kind as used in telemetry tags and logs.</summary>
    public static string Tag(RequestKind kind) => kind switch
    {
        RequestKind.RetrySafe => RetrySafeTag,
        RequestKind.PhoneNumberImport => PhoneNumberImportTag,
        RequestKind.ResourceCreation => ResourceCreationTag,
        _ => CallPlacingTag,
    };

    /// <summary>
    /// Returns true for transport errors that prove the request never reached the server: <see cref="SocketsHttpHandler"/>
    /// raises <see cref="HttpRequestError.ConnectionError"/> and <see cref="HttpRequestError.NameResolutionError"/> only
    /// while connecting, before any byte of the request is sent. Any other transport error may come after sending.
    /// </summary>
    public static bool ProvesNotSent(Exception? exception)
        => exception is HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError };
}
