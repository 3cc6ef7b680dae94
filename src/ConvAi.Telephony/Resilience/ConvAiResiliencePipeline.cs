using System.Globalization;
using System.Net;
using System.Threading.RateLimiting;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.CircuitBreaker;
using Polly.RateLimiting;
using Polly.Retry;
using Polly.Telemetry;
using Polly.Timeout;

namespace ConvAi.Telephony;

/// <summary>
/// Builds the client's resilience pipeline (outermost first): start stamp, total timeout, retry, optional concurrency
/// limiter, circuit breaker, attempt timeout. The same code serves the container and the <c>new ConvAiTelephonyClient(options)</c> path.
/// </summary>
/// <remarks>
/// What is retried depends on the request kind, declared where the request is made (<see cref="RequestKind"/>; an unmarked POST
/// counts as call-placing): requests that are safe to repeat are retried on
/// 408, 429, 500, 502, 503, 504, transport errors and attempt timeouts; call-placing requests, the phone-number import and other resource creations only
/// on 429 and on transport errors that prove the request never left (<see cref="HttpRequestError.ConnectionError"/>,
/// <see cref="HttpRequestError.NameResolutionError"/>).
/// </remarks>
internal static class ConvAiResiliencePipeline
{
    /// <summary>
    /// The container's pipeline key in Polly's <c>ResiliencePipelineRegistry&lt;string&gt;</c>, and the pipeline name in Polly's
    /// telemetry (the name Microsoft.Extensions.Http.Resilience gave it: client name, dash, handler name).
    /// </summary>
    public const string PipelineKey = "ConvAi.Telephony-pipeline";

    /// <summary>The name of Polly's per-attempt telemetry event.</summary>
    private const string ExecutionAttemptEvent = "ExecutionAttempt";

    private static readonly ResiliencePropertyKey<long> StartedAtKey = new("ConvAi.Telephony.StartedAt");

    /// <summary>Adds the strategies to a builder.</summary>
    /// <param name="builder">The builder; its <c>TimeProvider</c> is used for every wait.</param>
    /// <param name="options">The validated settings.</param>
    /// <param name="telemetry">The instruments.</param>
    /// <param name="logger">The logger.</param>
    /// <param name="limiter">A limiter supplied with <c>UseConcurrencyLimiter</c>; it replaces the one <see cref="ConvAiResilienceOptions.MaxConcurrentRequests"/> builds.</param>
    public static void Configure(
        ResiliencePipelineBuilder<HttpResponseMessage> builder, ConvAiResilienceOptions options, ConvAiTelemetry telemetry, ILogger logger, RateLimiter? limiter = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(options);
        var timeProvider = builder.TimeProvider ?? TimeProvider.System;
        var totalTimeout = options.TotalTimeout;

        // Remember when the request started, so a Retry-After wait can be checked against the time left.
        builder.AddStrategy(_ => new StartStampStrategy(timeProvider));
        builder.AddTimeout(new TimeoutStrategyOptions { Name = "TotalTimeout", Timeout = totalTimeout });

        if (options.MaxRetryAttempts > 0)
        {
            builder.AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                Name = "Retry",
                MaxRetryAttempts = options.MaxRetryAttempts,
                BackoffType = DelayBackoffType.Exponential,
                Delay = options.BaseDelay,
                MaxDelay = options.MaxDelay,
                UseJitter = options.UseJitter,
                ShouldHandle = args => new ValueTask<bool>(ShouldRetry(args.Outcome, args.Context, timeProvider, totalTimeout, logger)),
                DelayGenerator = args => new ValueTask<TimeSpan?>(GetRetryAfterDelay(args.Outcome, args.Context, timeProvider, totalTimeout)),
                OnRetry = args =>
                {
                    var request = args.Context.GetRequestMessage();
                    var kind = RequestKinds.Tag(KindOf(request));
                    var status = args.Outcome.Result is { } response ? (int)response.StatusCode : default(int?);
                    telemetry.Retries.Add(1, ConvAiTelemetry.Tags(kind, status));
                    Log.RetryScheduled(
                        logger, kind, request?.Method.Method ?? "?", request?.RequestUri?.AbsolutePath, Describe(args.Outcome), args.AttemptNumber + 1, args.RetryDelay.TotalMilliseconds);
                    return default;
                },
            });
        }

        // Inside the retry: each attempt holds a slot only while it is in flight, not while it waits to retry,
        // so the limit matches what the API counts (requests in flight).
        if (limiter is not null || options.MaxConcurrentRequests is not null)
        {
            builder.AddRateLimiter(new RateLimiterStrategyOptions
            {
                Name = "ConcurrencyLimiter",
                RateLimiter = limiter is null ? null : args => limiter.AcquireAsync(1, args.Context.CancellationToken),
                DefaultRateLimiterOptions = new ConcurrencyLimiterOptions
                {
                    PermitLimit = options.MaxConcurrentRequests ?? 1,
                    QueueLimit = options.MaxQueuedRequests,
                    QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
                },
                OnRejected = _ =>
                {
                    Log.ConcurrencyQueueFull(logger);
                    return default;
                },
            });
        }

        builder.AddCircuitBreaker(new CircuitBreakerStrategyOptions<HttpResponseMessage>
        {
            Name = "CircuitBreaker",
            FailureRatio = options.CircuitBreakerFailureRatio,
            MinimumThroughput = options.CircuitBreakerMinimumThroughput,
            SamplingDuration = options.CircuitBreakerSamplingDuration,
            BreakDuration = options.CircuitBreakerBreakDuration,
            ShouldHandle = args => new ValueTask<bool>(IsServerFailure(args.Outcome)),
            OnOpened = args =>
            {
                Log.CircuitOpened(logger, args.BreakDuration.TotalMilliseconds, Describe(args.Outcome));
                return default;
            },
            OnHalfOpened = _ =>
            {
                Log.CircuitHalfOpened(logger);
                return default;
            },
            OnClosed = _ =>
            {
                Log.CircuitClosed(logger);
                return default;
            },
        });

        builder.AddTimeout(new TimeoutStrategyOptions { Name = "AttemptTimeout", Timeout = options.AttemptTimeout });
    }

    /// <summary>
    /// Sets Polly's telemetry on the client's pipeline from the container's shared options (listeners, enrichers, logger
    /// factory), keeping Polly quiet by default: attempts that succeeded or were not handled log at Debug instead of
    /// Information, while retries, breaker changes, timeouts and rejections keep Polly's Warning and Error. An app that
    /// set its own <see cref="TelemetryOptions.SeverityProvider"/> keeps it.
    /// </summary>
    /// <param name="builder">The pipeline builder.</param>
    /// <param name="shared">The container's <see cref="TelemetryOptions"/>; copied, not changed.</param>
    public static void ConfigureTelemetry(ResiliencePipelineBuilderBase builder, TelemetryOptions shared)
    {
        ArgumentNullException.ThrowIfNull(shared);
        builder.ConfigureTelemetry(new TelemetryOptions(shared) { SeverityProvider = shared.SeverityProvider ?? Severity });
    }

    /// <summary>Polly reports every attempt at Information (Warning when handled): an unhandled attempt is routine, so Debug.</summary>
    internal static ResilienceEventSeverity Severity(SeverityProviderArguments args)
        => args.Event is { EventName: ExecutionAttemptEvent, Severity: ResilienceEventSeverity.Information } ? ResilienceEventSeverity.Debug : args.Event.Severity;

    /// <summary>The retry decision for one attempt's outcome.</summary>
    internal static bool ShouldRetry(Outcome<HttpResponseMessage> outcome, HttpRequestMessage? request) => ShouldRetry(outcome, KindOf(request));

    /// <summary>The retry decision for one attempt's outcome of a request of the given kind.</summary>
    internal static bool ShouldRetry(Outcome<HttpResponseMessage> outcome, RequestKind kind)
    {
        var retrySafe = kind == RequestKind.RetrySafe;
        if (outcome.Result is { } response)
        {
            return response.StatusCode == HttpStatusCode.TooManyRequests || (retrySafe && TransientStatus.Contains(response.StatusCode));
        }

        return outcome.Exception switch
        {
            _ when RequestKinds.ProvesNotSent(outcome.Exception) => true,
            HttpRequestException => retrySafe,
            TimeoutRejectedException => retrySafe,
            _ => false,
        };
    }

    private static bool ShouldRetry(Outcome<HttpResponseMessage> outcome, ResilienceContext context, TimeProvider timeProvider, TimeSpan totalTimeout, ILogger logger)
    {
        var request = context.GetRequestMessage();
        var kind = KindOf(request);
        if (!ShouldRetry(outcome, kind))
        {
            return false;
        }

        // A Retry-After longer than the time left would end in a timeout: surface the answer (and its Retry-After) now instead.
        if (outcome.Result is { } response && RetryAfter.Get(response, timeProvider) is { } wait)
        {
            var remaining = Remaining(context, timeProvider, totalTimeout);
            if (wait >= remaining)
            {
                Log.RetryAfterBeyondBudget(
                    logger,
                    RequestKinds.Tag(kind),
                    request?.Method.Method ?? "?",
                    request?.RequestUri?.AbsolutePath,
                    wait.TotalMilliseconds,
                    remaining.TotalMilliseconds);
                return false;
            }
        }

        return true;
    }

    private static TimeSpan? GetRetryAfterDelay(Outcome<HttpResponseMessage> outcome, ResilienceContext context, TimeProvider timeProvider, TimeSpan totalTimeout)
    {
        if (outcome.Result is not { } response || RetryAfter.Get(response, timeProvider) is not { } wait)
        {
            return null; // the exponential backoff
        }

        // The server's wait, but never past the end of TotalTimeout.
        return TimeSpan.FromTicks(Math.Min(wait.Ticks, Remaining(context, timeProvider, totalTimeout).Ticks));
    }

    private static TimeSpan Remaining(ResilienceContext context, TimeProvider timeProvider, TimeSpan totalTimeout)
    {
        if (!context.Properties.TryGetValue(StartedAtKey, out var startedAt))
        {
            return totalTimeout;
        }

        // An attempt that overran the budget leaves no time, not a negative time.
        return TimeSpan.FromTicks(Math.Max(0L, (totalTimeout - timeProvider.GetElapsedTime(startedAt)).Ticks));
    }

    /// <summary>Without the request we cannot tell what it was: treat it as call-placing.</summary>
    private static RequestKind KindOf(HttpRequestMessage? request) => request is null ? RequestKind.CallPlacing : RequestKinds.Get(request);

    /// <summary>Failures the circuit breaker counts: 5xx, 408, transport errors and timeouts. A 429 is the plan's limit, not an outage.</summary>
    private static bool IsServerFailure(Outcome<HttpResponseMessage> outcome) => outcome.Result is { } response
        ? (int)response.StatusCode >= 500 || response.StatusCode == HttpStatusCode.RequestTimeout
        : outcome.Exception is HttpRequestException or TimeoutRejectedException;

    /// <summary>Describes an outcome for logs: the status code or the exception type and transport error, never a message or body.</summary>
    private static string Describe(Outcome<HttpResponseMessage> outcome) => outcome.Result is { } response
        ? ((int)response.StatusCode).ToString(CultureInfo.InvariantCulture)
        : outcome.Exception switch
        {
            HttpRequestException http => $"{nameof(HttpRequestException)} ({http.HttpRequestError})",
            { } other => other.GetType().Name,
            null => "no result",
        };

    /// <summary>Stamps the start of the whole request (before any retry) on the resilience context.</summary>
    private sealed class StartStampStrategy(TimeProvider timeProvider) : ResilienceStrategy<HttpResponseMessage>
    {
        protected override ValueTask<Outcome<HttpResponseMessage>> ExecuteCore<TState>(
            Func<ResilienceContext, TState, ValueTask<Outcome<HttpResponseMessage>>> callback, ResilienceContext context, TState state)
        {
            context.Properties.Set(StartedAtKey, timeProvider.GetTimestamp());
            return callback(context, state);
        }
    }
}
