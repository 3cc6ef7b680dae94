using System.Globalization;

namespace ConvAi.Telephony.Testing;

/// <summary>
/// A failure the emulator injects into matching requests, for testing a client's resilience. Create one with a
/// factory method, narrow it with <see cref="For"/> and <see cref="Times"/>, and add it with
/// <see cref="FaultQueue.Enqueue"/>. Instances are immutable.
/// </summary>
/// <example>
/// <code>
/// emulator.Faults.Enqueue(Fault.RateLimited().For(HttpMethod.Post, "/v1/convai/twilio/outbound-call").Times(2));
/// </code>
/// </example>
public sealed class Fault
{
    private Fault(FaultKind kind)
    {
        Kind = kind;
    }

    /// <summary>Gets what the fault does.</summary>
    public FaultKind Kind { get; }

    /// <summary>Gets the HTTP status code answered, or 0 for faults that do not answer themselves.</summary>
    public int StatusCode { get; private init; }

    /// <summary>Gets the error code put in the body's <c>detail.code</c> and <c>detail.status</c>, or <see langword="null"/>.</summary>
    public string? ErrorCode { get; private init; }

    /// <summary>Gets the <c>current-concurrent-requests</c> header value of a rate-limit fault.</summary>
    public int CurrentConcurrentRequests { get; private init; }

    /// <summary>Gets the <c>maximum-concurrent-requests</c> header value of a rate-limit fault.</summary>
    public int MaximumConcurrentRequests { get; private init; }

    /// <summary>Gets the <c>Retry-After</c> sent with a rate-limit fault, or <see langword="null"/> for none.</summary>
    public TimeSpan? RetryAfter { get; private init; }

    /// <summary>Gets the delay of a latency fault.</summary>
    public TimeSpan Delay { get; private init; }

    /// <summary>Gets the HTTP method the fault is limited to, or <see langword="null"/> for every method.</summary>
    public HttpMethod? Method { get; private init; }

    /// <summary>
    /// Gets the request path the fault is limited to (compared without case), or <see langword="null"/> for every path.
    /// A path ending in <c>*</c> matches every path that starts with the text before it.
    /// </summary>
    public string? Path { get; private init; }

    /// <summary>Gets how many matching requests the fault hits before it is used up. The default is 1.</summary>
    public int Count { get; private init; } = 1;

    /// <summary>Creates a fault that answers 429 like the API does when a plan's concurrency is exceeded.</summary>
    /// <param name="code">The error code: <c>concurrent_limit_exceeded</c>, <c>rate_limit_exceeded</c>, <c>too_many_concurrent_requests</c> or <c>system_busy</c>.</param>
    /// <param name="currentConcurrentRequests">The value of the <c>current-concurrent-requests</c> header.</param>
    /// <param name="maximumConcurrentRequests">The value of the <c>maximum-concurrent-requests</c> header.</param>
    /// <param name="retryAfter">A <c>Retry-After</c> in whole seconds, or <see langword="null"/> to send none (the API documents none).</param>
    /// <returns>The fault.</returns>
    public static Fault RateLimited(
        string code = "concurrent_limit_exceeded",
        int currentConcurrentRequests = 5,
        int maximumConcurrentRequests = 5,
        TimeSpan? retryAfter = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(code);
        ArgumentOutOfRangeException.ThrowIfNegative(currentConcurrentRequests);
        ArgumentOutOfRangeException.ThrowIfNegative(maximumConcurrentRequests);
        if (retryAfter is { } delay)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(delay, TimeSpan.Zero, nameof(retryAfter));
        }

        return new Fault(FaultKind.RateLimited)
        {
            StatusCode = 429,
            ErrorCode = code,
            CurrentConcurrentRequests = currentConcurrentRequests,
            MaximumConcurrentRequests = maximumConcurrentRequests,
            RetryAfter = retryAfter,
        };
    }

    /// <summary>Creates a fault that answers a server error.</summary>
    /// <param name="statusCode">The status code, 400–599; the default is 500.</param>
    /// <returns>The fault.</returns>
    public static Fault ServerError(int statusCode = 500)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(statusCode, 400);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(statusCode, 599);
        return new Fault(FaultKind.ServerError)
        {
            StatusCode = statusCode,
            ErrorCode = statusCode switch
            {
                500 => "internal_server_error",
                502 => "bad_gateway",
                503 => "service_unavailable",
                504 => "gateway_timeout",
                _ => "error_" + statusCode.ToString(CultureInfo.InvariantCulture),
            },
        };
    }

    /// <summary>Creates a fault that delays the request by the emulator's clock, then handles it normally.</summary>
    /// <param name="delay">How long to wait. With a fake clock, advance it to release the request.</param>
    /// <returns>The fault.</returns>
    public static Fault Latency(TimeSpan delay)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(delay, TimeSpan.Zero);
        return new Fault(FaultKind.Latency) { Delay = delay };
    }

    /// <summary>
    /// Creates a fault that reads the whole request and then aborts the connection without a response, so an
    /// <see cref="HttpClient"/> sees the response end prematurely (<see cref="HttpRequestError.ResponseEnded"/>).
    /// The request is not acted on.
    /// </summary>
    /// <returns>The fault.</returns>
    public static Fault DropConnectionAfterRequestRead() => new(FaultKind.DropConnectionAfterRequestRead);

    /// <summary>Returns a copy of this fault limited to one method and path.</summary>
    /// <param name="method">The HTTP method to match, or <see langword="null"/> for any.</param>
    /// <param name="path">The path to match, for example <c>/v1/convai/twilio/outbound-call</c>; end it with <c>*</c> to match a prefix.</param>
    /// <returns>The limited fault.</returns>
    public Fault For(HttpMethod? method, string? path)
    {
        if (path is not null && !path.StartsWith('/'))
        {
            throw new ArgumentException("The path must start with '/'.", nameof(path));
        }

        return Copy(method, path, Count);
    }

    /// <summary>Returns a copy of this fault that hits the given number of matching requests.</summary>
    /// <param name="count">How many requests to hit; at least 1.</param>
    /// <returns>The fault with the new count.</returns>
    public Fault Times(int count)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        return Copy(Method, Path, count);
    }

    internal bool Matches(string method, string path)
    {
        if (Method is not null && !string.Equals(Method.Method, method, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        if (Path is null)
        {
            return true;
        }

        return Path.EndsWith('*')
            ? path.StartsWith(Path[..^1], StringComparison.OrdinalIgnoreCase)
            : string.Equals(Path, path, StringComparison.OrdinalIgnoreCase);
    }

    private Fault Copy(HttpMethod? method, string? path, int count) => new(Kind)
    {
        StatusCode = StatusCode,
        ErrorCode = ErrorCode,
        CurrentConcurrentRequests = CurrentConcurrentRequests,
        MaximumConcurrentRequests = MaximumConcurrentRequests,
        RetryAfter = RetryAfter,
        Delay = Delay,
        Method = method,
        Path = path,
        Count = count,
    };
}
