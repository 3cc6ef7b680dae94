using System.Net;

namespace ConvAi.Telephony;

/// <summary>The API answered 429: too many requests in flight, or the platform is busy.</summary>
public sealed class ConvAiRateLimitException : ConvAiApiException
{
    /// <summary>Initializes a new instance of the <see cref="ConvAiRateLimitException"/> class.</summary>
    public ConvAiRateLimitException()
    {
    }

    /// <summary>Initializes a new instance of the <see cref="ConvAiRateLimitException"/> class with a message.</summary>
    /// <param name="message">The error message.</param>
    public ConvAiRateLimitException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="ConvAiRateLimitException"/> class with a message and a cause.</summary>
    /// <param name="message">The error message.</param>
    /// <param name="innerException">The error that caused this one.</param>
    public ConvAiRateLimitException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="ConvAiRateLimitException"/> class with the details of a 429 answer.</summary>
    /// <param name="message">The error message.</param>
    /// <param name="errorCode">The error code.</param>
    /// <param name="serverMessage">The server's message.</param>
    /// <param name="requestId">The request id.</param>
    /// <param name="responseBody">The response body, truncated.</param>
    /// <param name="currentConcurrentRequests">The <c>current-concurrent-requests</c> header.</param>
    /// <param name="maximumConcurrentRequests">The <c>maximum-concurrent-requests</c> header.</param>
    /// <param name="retryAfter">The <c>Retry-After</c> header as a delay.</param>
    public ConvAiRateLimitException(
        string message,
        string? errorCode,
        string? serverMessage,
        string? requestId,
        string? responseBody,
        int? currentConcurrentRequests,
        int? maximumConcurrentRequests,
        TimeSpan? retryAfter)
        : base(message, HttpStatusCode.TooManyRequests, errorCode, serverMessage, requestId, null, responseBody)
    {
        CurrentConcurrentRequests = currentConcurrentRequests;
        MaximumConcurrentRequests = maximumConcurrentRequests;
        RetryAfter = retryAfter;
    }

    /// <summary>Gets the error code as a <see cref="RateLimitErrorCode"/>, when the body had one.</summary>
    public RateLimitErrorCode? RateLimitCode => ErrorCode is { } code ? RateLimitErrorCode.FromString(code) : null;

    /// <summary>Gets the requests in flight when the request was refused (<c>current-concurrent-requests</c>).</summary>
    public int? CurrentConcurrentRequests { get; }

    /// <summary>Gets the plan's concurrency limit (<c>maximum-concurrent-requests</c>).</summary>
    public int? MaximumConcurrentRequests { get; }

    /// <summary>Gets how long to wait before retrying (<c>Retry-After</c>), when the server said.</summary>
    public TimeSpan? RetryAfter { get; }
}
