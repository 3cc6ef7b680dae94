using System.Diagnostics;
using System.Net;
using Microsoft.Extensions.Logging;
using Polly.Timeout;

namespace ConvAi.Telephony;

/// <summary>What every sub-client shares: options (defaults), the clock and the logger.</summary>
internal sealed class ClientContext
{
    public ClientContext(ConvAiTelephonyOptions options, TimeProvider timeProvider, ILogger logger, ConvAiTelemetry telemetry)
    {
        Options = options;
        TimeProvider = timeProvider;
        Logger = logger;
        Telemetry = telemetry;
    }

    public ConvAiTelephonyOptions Options { get; }

    public TimeProvider TimeProvider { get; }

    public ILogger Logger { get; }

    public ConvAiTelemetry Telemetry { get; }

    /// <summary>Returns the given agent id, else the configured default; throws when neither is set.</summary>
    public string ResolveAgentId(string? agentId, string paramName)
    {
        var resolved = string.IsNullOrWhiteSpace(agentId) ? Options.DefaultAgentId : agentId;
        if (string.IsNullOrWhiteSpace(resolved))
        {
            throw new ArgumentException("An agent id is required: set it on the request or configure ConvAi:DefaultAgentId.", paramName);
        }

        return resolved;
    }

    /// <summary>Returns the given phone number id, else the configured default; throws when neither is set.</summary>
    public string ResolvePhoneNumberId(string? phoneNumberId, string paramName)
    {
        var resolved = string.IsNullOrWhiteSpace(phoneNumberId) ? Options.DefaultPhoneNumberId : phoneNumberId;
        if (string.IsNullOrWhiteSpace(resolved))
        {
            throw new ArgumentException("A phone number id is required: set it on the request or configure ConvAi:DefaultPhoneNumberId.", paramName);
        }

        return resolved;
    }

    /// <summary>
    /// Sends a call-placing request. An ambiguous failure (5xx, 408, timeout, or a transport error other than
    /// a refused connection or failed name resolution) becomes a <see cref="ConvAiOutcomeUnknownException"/>.
    /// The resilience pipeline has already declined to retry these (see <see cref="ConvAiResiliencePipeline"/>).
    /// </summary>
    public async Task<T> PlaceCallAsync<T>(CallPlacement placement, Func<CancellationToken, Task<T>> send, CancellationToken cancellationToken)
    {
        var startedAt = TimeProvider.GetUtcNow();
        try
        {
            return await send(cancellationToken).ConfigureAwait(false);
        }
        catch (ConvAiApiException ex) when ((int)ex.StatusCode >= 500 || ex.StatusCode == HttpStatusCode.RequestTimeout)
        {
            throw OutcomeUnknown(placement, startedAt, ex.StatusCode, ex);
        }
        catch (HttpRequestException ex) when (!RequestKinds.ProvesNotSent(ex))
        {
            throw OutcomeUnknown(placement, startedAt, null, ex);
        }
        catch (TimeoutRejectedException ex)
        {
            // An attempt or total timeout of the resilience pipeline: the request may have been sent.
            throw OutcomeUnknown(placement, startedAt, null, ex);
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw OutcomeUnknown(placement, startedAt, null, ex);
        }
    }

    /// <summary>
    /// Places an outbound call like <see cref="PlaceCallAsync{T}"/> and turns an answer with <c>success: false</c> into a logged
    /// <see cref="ConvAiCallRejectedException"/>.
    /// </summary>
    public async Task<T> StartCallAsync<T>(CallPlacement placement, Func<CancellationToken, Task<T>> send, CancellationToken cancellationToken)
        where T : OutboundCallResult
    {
        // One activity per placed call, tagged with the conversation id the API answered: ElevenLabs does not carry
        // traceparent into its webhooks, so this tag is what links the call to the webhook that reports it.
        using var activity = ConvAiTelemetry.ActivitySource.StartActivity("ConvAi.Telephony start call", ActivityKind.Client);
        T result;
        try
        {
            result = await PlaceCallAsync(placement, send, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            // The type only, like the request activity: messages of transport errors may carry host names.
            activity?.SetStatus(ActivityStatusCode.Error, ex.GetType().Name);
            throw;
        }

        activity?.SetTag(ConvAiTelephonyDiagnostics.ConversationIdTag, result.ConversationId);
        if (result.Success)
        {
            return result;
        }

        activity?.SetStatus(ActivityStatusCode.Error, nameof(ConvAiCallRejectedException));

        Log.CallRejected(Logger, placement.AgentId, result.ConversationId);
        throw new ConvAiCallRejectedException(result.Message, result.ConversationId);
    }

    private ConvAiOutcomeUnknownException OutcomeUnknown(CallPlacement placement, DateTimeOffset startedAt, HttpStatusCode? status, Exception inner)
    {
        Log.OutcomeUnknown(Logger, placement.Operation, placement.AgentId, inner);
        Telemetry.OutcomeUnknown.Add(1, ConvAiTelemetry.Tags(RequestKinds.CallPlacingTag, status is null ? null : (int)status));
        return new ConvAiOutcomeUnknownException(
            placement.Operation, placement.AgentId, placement.PhoneNumberId, placement.ToNumber, placement.UserId, startedAt, status, inner);
    }
}

/// <summary>What a call-placing request was about, for <see cref="ConvAiOutcomeUnknownException"/>.</summary>
internal readonly record struct CallPlacement(string Operation, string? AgentId, string? PhoneNumberId, string? ToNumber, string? UserId);
