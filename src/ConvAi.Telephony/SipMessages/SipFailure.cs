using System.Globalization;

namespace ConvAi.Telephony;

/// <summary>
/// Why a SIP call failed, as the trunk or ElevenLabs said it in the SIP messages: the final error response
/// (e.g. <c>486 Busy Here</c>) or the error ElevenLabs recorded.
/// </summary>
public sealed class SipFailure
{
    private const string StatusLinePrefix = "SIP/2.0 ";

    private SipFailure(int? statusCode, string? reasonPhrase, string? errorMessage, SipMessage message)
    {
        StatusCode = statusCode;
        ReasonPhrase = reasonPhrase;
        ErrorMessage = errorMessage;
        Message = message;
    }

    /// <summary>Gets the SIP status code, e.g. 486; null when only <see cref="ErrorMessage"/> is known.</summary>
    public int? StatusCode { get; }

    /// <summary>Gets the reason phrase of the response, e.g. <c>Busy Here</c>.</summary>
    public string? ReasonPhrase { get; }

    /// <summary>Gets the error ElevenLabs recorded with the message, if any.</summary>
    public string? ErrorMessage { get; }

    /// <summary>Gets the SIP message the failure was read from.</summary>
    public SipMessage Message { get; }

    /// <summary>Gets a short description such as <c>486 Busy Here</c>.</summary>
    /// <returns>The status code and reason, else the recorded error.</returns>
    public override string ToString()
        => StatusCode is { } code
            ? string.IsNullOrEmpty(ReasonPhrase) ? code.ToString(CultureInfo.InvariantCulture) : $"{code.ToString(CultureInfo.InvariantCulture)} {ReasonPhrase}"
            : ErrorMessage ?? string.Empty;

    /// <summary>
    /// Finds the failure in a call's SIP messages: the last final error response (status 400–699, except the
    /// 401 and 407 authentication challenges a trunk sends before it accepts credentials), else the last message
    /// with a recorded error. Returns null when the messages show no failure.
    /// </summary>
    /// <param name="messages">The messages, in the order the server listed them.</param>
    /// <returns>The failure, or null.</returns>
    public static SipFailure? Find(IEnumerable<SipMessage> messages)
    {
        ArgumentNullException.ThrowIfNull(messages);
        SipFailure? response = null;
        SipFailure? recorded = null;
        foreach (var message in messages.OrderBy(m => m.CreatedAtUnixMicro))
        {
            if (TryParseStatusLine(message.RawMessage, out var code, out var reason) && code is >= 400 and < 700 && code is not (401 or 407))
            {
                response = new SipFailure(code, reason, NullIfEmpty(message.ErrorMessage), message);
            }
            else if (!string.IsNullOrWhiteSpace(message.ErrorMessage))
            {
                recorded = new SipFailure(null, null, message.ErrorMessage, message);
            }
        }

        return response ?? recorded;
    }

    /// <summary>Reads the start line of a SIP response (<c>SIP/2.0 486 Busy Here</c>).</summary>
    private static bool TryParseStatusLine(string? raw, out int code, out string? reason)
    {
        code = 0;
        reason = null;
        if (raw is null || !raw.StartsWith(StatusLinePrefix, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        var end = raw.IndexOfAny(['\r', '\n']);
        var line = (end < 0 ? raw : raw[..end])[StatusLinePrefix.Length..];
        var space = line.IndexOf(' ', StringComparison.Ordinal);
        var digits = space < 0 ? line : line[..space];
        if (digits.Length != 3 || !int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out code))
        {
            return false;
        }

        reason = space < 0 ? null : NullIfEmpty(line[(space + 1)..].Trim());
        return true;
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
