using System.Net;

namespace ConvAi.Telephony;

/// <summary>The API answered with an error status.</summary>
public class ConvAiApiException : ConvAiException
{
    /// <summary>Initializes a new instance of the <see cref="ConvAiApiException"/> class.</summary>
    public ConvAiApiException()
        : this("The ElevenLabs API answered with an error.")
    {
    }

    /// <summary>Initializes a new instance of the <see cref="ConvAiApiException"/> class with a message.</summary>
    /// <param name="message">The error message.</param>
    public ConvAiApiException(string message)
        : base(message)
    {
        ValidationErrors = [];
    }

    /// <summary>Initializes a new instance of the <see cref="ConvAiApiException"/> class with a message and a cause.</summary>
    /// <param name="message">The error message.</param>
    /// <param name="innerException">The error that caused this one.</param>
    public ConvAiApiException(string message, Exception? innerException)
        : base(message, innerException)
    {
        ValidationErrors = [];
    }

    /// <summary>Initializes a new instance of the <see cref="ConvAiApiException"/> class with the details of an error answer.</summary>
    /// <param name="message">The error message.</param>
    /// <param name="statusCode">The HTTP status code.</param>
    /// <param name="errorCode">The error code (<c>detail.code</c>, or the legacy <c>detail.status</c>).</param>
    /// <param name="serverMessage">The server's message (<c>detail.message</c>).</param>
    /// <param name="requestId">The request id (<c>detail.request_id</c> or the <c>request-id</c> header).</param>
    /// <param name="validationErrors">The 422 <c>detail[]</c> entries.</param>
    /// <param name="responseBody">The response body, truncated.</param>
    public ConvAiApiException(
        string message,
        HttpStatusCode statusCode,
        string? errorCode,
        string? serverMessage,
        string? requestId,
        IReadOnlyList<ValidationError>? validationErrors,
        string? responseBody)
        : base(message)
    {
        StatusCode = statusCode;
        ErrorCode = errorCode;
        ServerMessage = serverMessage;
        RequestId = requestId;
        ValidationErrors = validationErrors ?? [];
        ResponseBody = responseBody;
    }

    /// <summary>Gets the HTTP status code.</summary>
    public HttpStatusCode StatusCode { get; }

    /// <summary>Gets the error code (<c>detail.code</c>, or the legacy <c>detail.status</c>), when the body had one.</summary>
    public string? ErrorCode { get; }

    /// <summary>Gets the server's message (<c>detail.message</c>), when the body had one.</summary>
    public string? ServerMessage { get; }

    /// <summary>Gets the request id (<c>detail.request_id</c>, else the <c>request-id</c> header), for support requests.</summary>
    public string? RequestId { get; }

    /// <summary>Gets the rejected fields of a 422 answer; empty otherwise.</summary>
    public IReadOnlyList<ValidationError> ValidationErrors { get; }

    /// <summary>Gets the response body, truncated to a few kilobytes.</summary>
    public string? ResponseBody { get; }

    /// <summary>Gets whether the same request may succeed later (408, 429, 500, 502, 503, 504).</summary>
    public bool IsTransient => TransientStatus.Contains(StatusCode);
}
