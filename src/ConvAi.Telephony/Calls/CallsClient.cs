using System.Diagnostics.CodeAnalysis;

namespace ConvAi.Telephony;

/// <summary>
/// Places outbound calls through Twilio, a SIP trunk or Exotel, and registers inbound Twilio calls.
/// Methods are virtual so you can mock them.
/// </summary>
/// <remarks>
/// A call-placing request is never retried once it may have reached the server: an ambiguous failure
/// raises <see cref="ConvAiOutcomeUnknownException"/>, and a 200 answer with <c>success: false</c>
/// raises <see cref="ConvAiCallRejectedException"/>.
/// </remarks>
public class CallsClient
{
    private readonly ICallsApi _api = null!;
    private readonly ClientContext _context = null!;
    private readonly ConversationsClient _conversations = null!;
    private readonly CallOutcomeTracker _tracker = null!;

    /// <summary>Initializes a new instance of the <see cref="CallsClient"/> class for mocking.</summary>
    protected CallsClient()
    {
    }

    internal CallsClient(ICallsApi api, ClientContext context, ConversationsClient conversations, CallOutcomeTracker tracker)
    {
        _api = api;
        _context = context;
        _conversations = conversations;
        _tracker = tracker;
    }

    /// <summary>Calls a number from an imported Twilio number (<c>POST /v1/convai/twilio/outbound-call</c>).</summary>
    /// <param name="request">The agent, the number that calls, the number to call and per-call data.</param>
    /// <param name="cancellationToken">A token to cancel the request.</param>
    /// <returns>The conversation id and Twilio call SID.</returns>
    /// <exception cref="ArgumentException">A number is not E.164, an id is missing, or a dynamic variable uses a reserved name. Nothing was sent.</exception>
    /// <exception cref="ConvAiCallRejectedException">The server answered <c>success: false</c>.</exception>
    /// <exception cref="ConvAiOutcomeUnknownException">The call may or may not have been placed.</exception>
    /// <exception cref="ConvAiApiException">The API refused the request (the call was not placed).</exception>
    public virtual Task<TwilioCallResult> StartTwilioCallAsync(StartTwilioCallRequest request, CancellationToken cancellationToken = default)
        => StartOutboundCallAsync("StartTwilioCall", request, _api.StartTwilioCallAsync, cancellationToken);

    /// <summary>Calls a number through an imported SIP-trunk number (<c>POST /v1/convai/sip-trunk/outbound-call</c>).</summary>
    /// <param name="request">The agent, the number that calls, the number to call and per-call data.</param>
    /// <param name="cancellationToken">A token to cancel the request.</param>
    /// <returns>The conversation id and SIP call id.</returns>
    /// <exception cref="ArgumentException">A number is not E.164, an id is missing, or a dynamic variable uses a reserved name. Nothing was sent.</exception>
    /// <exception cref="ConvAiCallRejectedException">The server answered <c>success: false</c>.</exception>
    /// <exception cref="ConvAiOutcomeUnknownException">The call may or may not have been placed.</exception>
    /// <exception cref="ConvAiApiException">The API refused the request (the call was not placed).</exception>
    public virtual Task<SipTrunkCallResult> StartSipTrunkCallAsync(StartSipTrunkCallRequest request, CancellationToken cancellationToken = default)
        => StartOutboundCallAsync("StartSipTrunkCall", request, _api.StartSipTrunkCallAsync, cancellationToken);

    /// <summary>Calls a number from an imported Exotel number (<c>POST /v1/convai/exotel/outbound-call</c>).</summary>
    /// <param name="request">The agent, the number that calls, the number to call and per-call data.</param>
    /// <param name="cancellationToken">A token to cancel the request.</param>
    /// <returns>The conversation id and Exotel call SID.</returns>
    /// <exception cref="ArgumentException">A number is not E.164, an id is missing, or a dynamic variable uses a reserved name. Nothing was sent.</exception>
    /// <exception cref="ConvAiCallRejectedException">The server answered <c>success: false</c>.</exception>
    /// <exception cref="ConvAiOutcomeUnknownException">The call may or may not have been placed.</exception>
    /// <exception cref="ConvAiApiException">The API refused the request (the call was not placed).</exception>
    public virtual Task<ExotelCallResult> StartExotelCallAsync(StartExotelCallRequest request, CancellationToken cancellationToken = default)
        => StartOutboundCallAsync("StartExotelCall", request, _api.StartExotelCallAsync, cancellationToken);

    /// <summary>
    /// Registers an inbound (or outbound) Twilio call with an agent and returns the TwiML to answer Twilio with
    /// (<c>POST /v1/convai/twilio/register-call</c>). Hand the string to Twilio unchanged with <c>Content-Type: text/xml</c>.
    /// </summary>
    /// <param name="request">The agent, the caller and called numbers, and per-call data.</param>
    /// <param name="cancellationToken">A token to cancel the request.</param>
    /// <returns>The TwiML document as text.</returns>
    /// <remarks>
    /// The Twilio number (<see cref="RegisterTwilioCallRequest.ToNumber"/> for inbound calls, <see cref="RegisterTwilioCallRequest.FromNumber"/>
    /// for outbound ones) must be E.164. The other party's number is normalized when it is a phone number and sent unchanged otherwise,
    /// because Twilio reports a withheld caller ID as <c>anonymous</c>, <c>Restricted</c> or a SIP URI.
    /// </remarks>
    /// <exception cref="ArgumentException">The Twilio number is not E.164, the other party's number is empty, the agent id is missing, or a dynamic variable uses a reserved name. Nothing was sent.</exception>
    /// <exception cref="ConvAiOutcomeUnknownException">The call may or may not have been registered.</exception>
    /// <exception cref="ConvAiApiException">The API refused the request.</exception>
    public virtual Task<string> RegisterTwilioCallAsync(RegisterTwilioCallRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);

        // Our side of the call (the Twilio number) must be E.164. The other party's caller ID may be withheld:
        // Twilio then sends "anonymous", "Restricted" or a SIP URI, and the call must still reach the agent.
        var outbound = request.Direction == TelephonyDirection.Outbound;
        var fromParam = $"{nameof(request)}.{nameof(request.FromNumber)}";
        var toParam = $"{nameof(request)}.{nameof(request.ToNumber)}";
        var body = request with
        {
            AgentId = _context.ResolveAgentId(request.AgentId, $"{nameof(request)}.{nameof(request.AgentId)}"),
            FromNumber = outbound ? E164.Normalize(request.FromNumber, fromParam) : E164.NormalizeExternal(request.FromNumber, fromParam),
            ToNumber = outbound ? E164.NormalizeExternal(request.ToNumber, toParam) : E164.Normalize(request.ToNumber, toParam),
        };
        Guard.CheckClientData(body.ConversationInitiationClientData, $"{nameof(request)}.{nameof(request.ConversationInitiationClientData)}");
        var placement = new CallPlacement("RegisterTwilioCall", body.AgentId, null, body.ToNumber, body.ConversationInitiationClientData?.UserId);
        return _context.PlaceCallAsync(placement, ct => _api.RegisterTwilioCallAsync(body, RequestKind.CallPlacing, ct), cancellationToken);
    }

    /// <summary>
    /// Waits until a call has ended and tells how: completed (with the conversation), voicemail, no answer, busy, failed,
    /// or <see cref="CallOutcomeKind.TimedOut"/> when <see cref="CallOutcomeWaitOptions.Timeout"/> passes first.
    /// </summary>
    /// <param name="conversationId">The conversation id of the call.</param>
    /// <param name="options">The timeout, polling interval and backoff, and whether to wait for the analysis; null uses the defaults.</param>
    /// <param name="cancellationToken">A token to stop waiting.</param>
    /// <returns>The outcome; a timeout is an outcome, not an exception.</returns>
    /// <remarks>
    /// Two sources answer, whichever is first, and both give the same outcome. When the ASP.NET Core add-on receives
    /// post-call webhooks in the same app, its <c>post_call_transcription</c> and <c>call_initiation_failure</c> events
    /// complete the wait through <see cref="CallOutcomeTracker"/>, also when they arrive before the wait starts (held for
    /// <see cref="CallOutcomeTracker.Retention"/>). Unless <see cref="CallOutcomeWaitOptions.Poll"/> is false, the conversation
    /// is also read (<c>GET /v1/convai/conversations/{conversation_id}</c>) at once and then with growing delays; a 429's
    /// <c>Retry-After</c> stretches the next delay, and transient failures are polled again later. Polling tells
    /// <see cref="CallOutcomeKind.Busy"/> and <see cref="CallOutcomeKind.NoAnswer"/> apart from <see cref="CallOutcomeKind.Failed"/>
    /// only when the failed conversation's <c>metadata.error.reason</c> carries the webhook's reason (<c>busy</c>, <c>no-answer</c>).
    /// </remarks>
    /// <exception cref="ArgumentException">The id is empty or the options are out of range.</exception>
    /// <exception cref="ConvAiApiException">A poll was refused for good, e.g. 404 for an unknown conversation.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    [SuppressMessage("ApiDesign", "RS0026:Do not add multiple public overloads with optional parameters", Justification = "The overloads differ in their required first parameter (an id or a call result), so no call is ambiguous; all ship together.")]
    public virtual Task<CallOutcome> WaitForOutcomeAsync(string conversationId, CallOutcomeWaitOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(conversationId);
        return WaitAsync(conversationId, null, options, cancellationToken);
    }

    /// <summary>Waits until a Twilio call placed with <see cref="StartTwilioCallAsync"/> has ended and tells how.</summary>
    /// <param name="call">The answer of <see cref="StartTwilioCallAsync"/>; its call SID fills <see cref="CallOutcome.CallId"/> when the events do not.</param>
    /// <param name="options">The timeout, polling interval and backoff, and whether to wait for the analysis; null uses the defaults.</param>
    /// <param name="cancellationToken">A token to stop waiting.</param>
    /// <returns>The outcome; a timeout is an outcome, not an exception.</returns>
    /// <remarks>See <see cref="WaitForOutcomeAsync(string, CallOutcomeWaitOptions?, CancellationToken)"/>.</remarks>
    /// <exception cref="ArgumentException">The result has no conversation id or the options are out of range.</exception>
    /// <exception cref="ConvAiApiException">A poll was refused for good.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    [SuppressMessage("ApiDesign", "RS0026:Do not add multiple public overloads with optional parameters", Justification = "The overloads differ in their required first parameter (an id or a call result), so no call is ambiguous; all ship together.")]
    public virtual Task<CallOutcome> WaitForOutcomeAsync(TwilioCallResult call, CallOutcomeWaitOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(call);
        return WaitAsync(RequireConversationId(call.ConversationId), call.CallSid, options, cancellationToken);
    }

    /// <summary>Waits until a SIP-trunk call placed with <see cref="StartSipTrunkCallAsync"/> has ended and tells how.</summary>
    /// <param name="call">The answer of <see cref="StartSipTrunkCallAsync"/>; its SIP call id fills <see cref="CallOutcome.CallId"/> when the events do not.</param>
    /// <param name="options">The timeout, polling interval and backoff, and whether to wait for the analysis; null uses the defaults.</param>
    /// <param name="cancellationToken">A token to stop waiting.</param>
    /// <returns>The outcome; a timeout is an outcome, not an exception.</returns>
    /// <remarks>See <see cref="WaitForOutcomeAsync(string, CallOutcomeWaitOptions?, CancellationToken)"/>.</remarks>
    /// <exception cref="ArgumentException">The result has no conversation id or the options are out of range.</exception>
    /// <exception cref="ConvAiApiException">A poll was refused for good.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    [SuppressMessage("ApiDesign", "RS0026:Do not add multiple public overloads with optional parameters", Justification = "The overloads differ in their required first parameter (an id or a call result), so no call is ambiguous; all ship together.")]
    public virtual Task<CallOutcome> WaitForOutcomeAsync(SipTrunkCallResult call, CallOutcomeWaitOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(call);
        return WaitAsync(RequireConversationId(call.ConversationId), call.SipCallId, options, cancellationToken);
    }

    private static string RequireConversationId(string? conversationId) =>
        string.IsNullOrWhiteSpace(conversationId)
            ? throw new ArgumentException("The call result has no conversation id to wait for.", "call")
            : conversationId;

    private Task<CallOutcome> WaitAsync(string conversationId, string? callId, CallOutcomeWaitOptions? options, CancellationToken cancellationToken)
    {
        options ??= new CallOutcomeWaitOptions();
        var backoff = options.Validate(nameof(options));
        return CallOutcomeWaiter.WaitAsync(_conversations, _tracker, _context.TimeProvider, conversationId, callId, options, backoff, cancellationToken);
    }

    /// <summary>
    /// Resolves the default ids, normalizes the number and checks the variables of an outbound call (nothing is sent when one
    /// is wrong), then places the call once.
    /// </summary>
    private async Task<TResult> StartOutboundCallAsync<TRequest, TResult>(
        string operation, TRequest request, Func<TRequest, RequestKind, CancellationToken, Task<TResult>> send, CancellationToken cancellationToken)
        where TRequest : OutboundCallRequest
        where TResult : OutboundCallResult
    {
        ArgumentNullException.ThrowIfNull(request);
        var body = (TRequest)(request with
        {
            AgentId = _context.ResolveAgentId(request.AgentId, $"{nameof(request)}.{nameof(request.AgentId)}"),
            AgentPhoneNumberId = _context.ResolvePhoneNumberId(request.AgentPhoneNumberId, $"{nameof(request)}.{nameof(request.AgentPhoneNumberId)}"),
            ToNumber = E164.Normalize(request.ToNumber, $"{nameof(request)}.{nameof(request.ToNumber)}"),
        });
        var data = body.ConversationInitiationClientData;
        Guard.CheckClientData(data, $"{nameof(request)}.{nameof(request.ConversationInitiationClientData)}");
        var placement = new CallPlacement(operation, body.AgentId, body.AgentPhoneNumberId, body.ToNumber, data?.UserId);
        return await _context.StartCallAsync(placement, ct => send(body, RequestKind.CallPlacing, ct), cancellationToken).ConfigureAwait(false);
    }
}
