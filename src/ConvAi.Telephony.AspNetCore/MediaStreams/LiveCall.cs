namespace ConvAi.Telephony.AspNetCore;

/// <summary>
/// A call bridged on this instance between a Twilio media stream and the agent. Hooks get it, and <see cref="ILiveCalls"/> finds it by
/// call SID or conversation id while it is live. Its methods never throw because the call ended meanwhile: they answer
/// <see cref="LiveCallSendResult.Ended"/>.
/// </summary>
public sealed class LiveCall
{
    private readonly MediaStreamBridge _bridge;
    private string? _handOffTarget;

    internal LiveCall(MediaStreamBridge bridge, string callSid, string streamSid, string? accountSid, IReadOnlyDictionary<string, string> customParameters)
    {
        _bridge = bridge;
        CallSid = callSid;
        StreamSid = streamSid;
        AccountSid = accountSid;
        CustomParameters = customParameters;
    }

    /// <summary>Gets Twilio's call SID (<c>CA…</c>).</summary>
    public string CallSid { get; }

    /// <summary>Gets Twilio's stream SID (<c>MZ…</c>).</summary>
    public string StreamSid { get; }

    /// <summary>Gets Twilio's account SID (<c>AC…</c>), or null when <c>start</c> did not carry it.</summary>
    public string? AccountSid { get; }

    /// <summary>Gets the <c>&lt;Parameter&gt;</c>s the voice webhook chose for this call (Twilio's <c>customParameters</c>), verified.</summary>
    public IReadOnlyDictionary<string, string> CustomParameters { get; }

    /// <summary>Gets the agent's conversation id, once the agent has started the conversation; null before.</summary>
    public string? ConversationId => _bridge.ConversationId;

    /// <summary>Gets the number the call is handed off to when the agent ends (see <see cref="HandOffTo"/>), or null.</summary>
    public string? HandOffTarget => Volatile.Read(ref _handOffTarget);

    /// <summary>
    /// Chooses where the call goes when the stream ends: the voice webhook's <c>/after</c> endpoint then answers
    /// <c>&lt;Dial&gt;target&lt;/Dial&gt;</c> instead of <c>&lt;Hangup/&gt;</c>. Call <see cref="EndAsync"/> (or let the agent end) to
    /// hand off now. The last call wins.
    /// </summary>
    /// <param name="target">The number (E.164, for example <c>+14155550100</c>) or SIP address to dial.</param>
    /// <exception cref="ArgumentException"><paramref name="target"/> is null, empty or white space.</exception>
    public void HandOffTo(string target)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(target);
        Volatile.Write(ref _handOffTarget, target.Trim());
        _bridge.RecordHandOff(CallSid, target.Trim());
    }

    /// <summary>Tells the agent something that happened, without interrupting it (<c>contextual_update</c>).</summary>
    /// <param name="text">The information, for example "Order 123 shipped today".</param>
    /// <param name="cancellationToken">Stops waiting for room in the queue.</param>
    /// <returns><see cref="LiveCallSendResult.Sent"/> when queued, <see cref="LiveCallSendResult.Ended"/> when the conversation is over or not started.</returns>
    public ValueTask<LiveCallSendResult> SendContextualUpdateAsync(string text, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(text);
        return _bridge.SendAsync(static (session, t, ct) => session.SendContextualUpdateAsync(t, null, ct), text, cancellationToken);
    }

    /// <summary>Sends a text message as if the caller said it (<c>user_message</c>); the agent answers it.</summary>
    /// <param name="text">The message.</param>
    /// <param name="cancellationToken">Stops waiting for room in the queue.</param>
    /// <returns><see cref="LiveCallSendResult.Sent"/> when queued, <see cref="LiveCallSendResult.Ended"/> when the conversation is over or not started.</returns>
    public ValueTask<LiveCallSendResult> SendUserMessageAsync(string text, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(text);
        return _bridge.SendAsync(static (session, t, ct) => session.SendUserMessageAsync(t, ct), text, cancellationToken);
    }

    /// <summary>
    /// Ends the conversation from your side: the agent socket closes (1000), the agent's last audio plays out (marks awaited, bounded),
    /// then the stream closes and the TwiML after <c>&lt;/Connect&gt;</c> runs (a hand-off, or a hang-up).
    /// </summary>
    /// <param name="cancellationToken">Stops waiting for the agent socket to close.</param>
    /// <returns><see cref="LiveCallSendResult.Sent"/> when this ended it, <see cref="LiveCallSendResult.Ended"/> when it was already over.</returns>
    public Task<LiveCallSendResult> EndAsync(CancellationToken cancellationToken = default) => _bridge.EndByApplicationAsync(cancellationToken);
}

/// <summary>What a send to a <see cref="LiveCall"/> did.</summary>
public enum LiveCallSendResult
{
    /// <summary>The message was queued to the agent (or the end was started).</summary>
    Sent = 0,

    /// <summary>Nothing was sent: the conversation has ended, or has not started yet.</summary>
    Ended = 1,
}

/// <summary>Finds calls bridged on this instance. Register with <c>AddConvAiTwilioBridge</c>; inject it anywhere in the app.</summary>
public interface ILiveCalls
{
    /// <summary>Gets the number of calls bridged on this instance now.</summary>
    int Count { get; }

    /// <summary>Finds a live call by Twilio's call SID.</summary>
    /// <param name="callSid">The call SID (<c>CA…</c>).</param>
    /// <returns>The call, or <see cref="LiveCallLookupStatus.NotHere"/> when no live call with that SID is on this instance.</returns>
    LiveCallLookup FindByCallSid(string callSid);

    /// <summary>Finds a live call by the agent's conversation id.</summary>
    /// <param name="conversationId">The conversation id.</param>
    /// <returns>The call, or <see cref="LiveCallLookupStatus.NotHere"/> when no live call with that id is on this instance.</returns>
    LiveCallLookup FindByConversationId(string conversationId);
}

/// <summary>Whether a live call was found on this instance.</summary>
public enum LiveCallLookupStatus
{
    /// <summary>The call is live on this instance: use <see cref="LiveCallLookup.Call"/>.</summary>
    Found = 1,

    /// <summary>
    /// No live call with that id is on this instance: it is held by another instance, has ended, or never existed. With several
    /// instances, route the request to the instance that holds the call (for example by call SID), or broadcast it.
    /// </summary>
    NotHere = 0,
}

/// <summary>The answer of <see cref="ILiveCalls"/>: a call on this instance, or an explicit "not here".</summary>
public readonly struct LiveCallLookup
{
    private LiveCallLookup(LiveCallLookupStatus status, LiveCall? call)
    {
        Status = status;
        Call = call;
    }

    /// <summary>Gets the answer meaning no such live call is on this instance (also the <see langword="default"/> value).</summary>
    public static LiveCallLookup NotHere => new(LiveCallLookupStatus.NotHere, null);

    /// <summary>Gets whether the call was found.</summary>
    public LiveCallLookupStatus Status { get; }

    /// <summary>Gets the call when <see cref="Status"/> is <see cref="LiveCallLookupStatus.Found"/>; otherwise null.</summary>
    public LiveCall? Call { get; }

    /// <summary>Gets the call when it was found.</summary>
    /// <param name="call">The call, or null when it is not here.</param>
    /// <returns>True when the call is live on this instance.</returns>
    public bool TryGetCall([System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out LiveCall? call)
    {
        call = Call;
        return Status == LiveCallLookupStatus.Found;
    }

    internal static LiveCallLookup Found(LiveCall call) => new(LiveCallLookupStatus.Found, call);
}

/// <summary>Who ended a bridged call.</summary>
public enum LiveCallEndedBy
{
    /// <summary>The agent closed its socket (it said goodbye, reached its maximum duration, or refused the start).</summary>
    Agent = 0,

    /// <summary>Twilio ended the stream: the caller hung up (<c>stop</c>), or the stream's socket closed or dropped.</summary>
    Caller = 1,

    /// <summary>Your code ended it with <see cref="LiveCall.EndAsync"/>.</summary>
    Application = 2,

    /// <summary>The bridge ended it because of an error (<see cref="LiveCallEnd.Error"/> says which).</summary>
    Bridge = 3,

    /// <summary>The app was stopping and the call outlived <see cref="ConvAiTwilioBridgeOptions.ShutdownTimeout"/>.</summary>
    Shutdown = 4,
}

/// <summary>The error that made the bridge end a call.</summary>
public enum LiveCallError
{
    /// <summary>No error.</summary>
    None = 0,

    /// <summary>The stream's per-call token was missing, expired, used before, or did not match the call and its parameters (close 1008).</summary>
    InvalidStream = 1,

    /// <summary>Twilio's <c>start</c> did not arrive within <see cref="ConvAiTwilioBridgeOptions.StartTimeout"/> (close 1008).</summary>
    NoStart = 2,

    /// <summary>Twilio's <c>start</c> announced audio other than μ-law 8 kHz mono (close 1008).</summary>
    UnsupportedStreamFormat = 3,

    /// <summary>
    /// The agent's audio formats are not both <c>ulaw_8000</c>: set its TTS output format and its user input audio format to μ-law 8000 Hz
    /// (close 1011).
    /// </summary>
    UnsupportedAgentAudioFormat = 4,

    /// <summary>The agent socket could not be opened, or the agent refused the start (for example a missing dynamic variable; close 1011).</summary>
    AgentUnavailable = 5,

    /// <summary><see cref="ConvAiTwilioBridgeHandler.OnCallStartingAsync"/> threw (close 1011).</summary>
    HandlerFailed = 6,

    /// <summary>Twilio sent a frame that is not a JSON object with a string <c>event</c>, or a media payload that is not base64 (close 1007).</summary>
    MalformedFrame = 7,

    /// <summary>Twilio sent a frame larger than <see cref="ConvAiTwilioBridgeOptions.MaxFrameBytes"/> (close 1009).</summary>
    FrameTooLarge = 8,

    /// <summary>The agent socket dropped without a close (close 1011).</summary>
    AgentConnectionLost = 9,
}

/// <summary>How a bridged call ended, given to <see cref="ConvAiTwilioBridgeHandler.OnCallEndedAsync"/>.</summary>
public sealed record LiveCallEnd
{
    /// <summary>Gets who ended the call.</summary>
    public LiveCallEndedBy EndedBy { get; init; }

    /// <summary>Gets the error when <see cref="EndedBy"/> is <see cref="LiveCallEndedBy.Bridge"/> (or the agent refused the start); otherwise <see cref="LiveCallError.None"/>.</summary>
    public LiveCallError Error { get; init; }

    /// <summary>Gets a sentence saying what happened, without caller data.</summary>
    public string Message { get; init; } = string.Empty;

    /// <summary>Gets Twilio's call SID.</summary>
    public string CallSid { get; init; } = string.Empty;

    /// <summary>Gets the agent's conversation id, or null when the conversation never started.</summary>
    public string? ConversationId { get; init; }

    /// <summary>Gets how the agent socket closed (code, text, the agent's last error), or null when it never opened or dropped.</summary>
    public ConversationCloseReason? AgentCloseReason { get; init; }
}
