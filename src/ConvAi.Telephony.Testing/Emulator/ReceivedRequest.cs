namespace ConvAi.Telephony.Testing;

/// <summary>One HTTP request the emulator received, as recorded for assertions in tests.</summary>
/// <param name="Method">The HTTP method, for example <c>POST</c>.</param>
/// <param name="Path">The request path, for example <c>/v1/convai/twilio/outbound-call</c>.</param>
/// <param name="QueryString">The raw query string including the leading <c>?</c>, or an empty string.</param>
/// <param name="ContentType">The request's <c>Content-Type</c> header, or <see langword="null"/> when absent.</param>
/// <param name="Body">The request body decoded as UTF-8, or an empty string when there was none.</param>
/// <param name="HasApiKey">Whether the request carried an <c>xi-api-key</c> header (its value is never recorded).</param>
/// <param name="UserAgent">The request's <c>User-Agent</c> header, or <see langword="null"/> when absent.</param>
public sealed record ReceivedRequest(
    string Method,
    string Path,
    string QueryString,
    string? ContentType,
    string Body,
    bool HasApiKey,
    string? UserAgent);
