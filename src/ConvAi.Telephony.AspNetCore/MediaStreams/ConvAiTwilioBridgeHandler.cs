namespace ConvAi.Telephony.AspNetCore;

/// <summary>
/// Your code in a Twilio Media Streams bridge: which <c>&lt;Parameter&gt;</c>s a call's stream carries, the initiation data the agent
/// starts with, what happens on transcripts, agent replies, client tool calls, DTMF and the end. Subclass it and register it with
/// <c>services.AddConvAiTwilioBridge&lt;THandler&gt;()</c>; it is resolved from the request's services (scoped): one instance per voice
/// webhook request and one per stream, shared by every hook of that call.
/// </summary>
/// <remarks>
/// No hook runs on the audio path. Transcripts, replies and DTMF are handed to the hooks one at a time in arrival order, on a queue of
/// their own; each client tool call runs on its own task, so several may run at once (use thread-safe services). A hook that throws is
/// logged and the call goes on; only <see cref="OnCallStartingAsync"/> failing ends the call (the agent cannot start without it). Every
/// hook's <see cref="CancellationToken"/> is cancelled when the call ends.
/// </remarks>
public abstract class ConvAiTwilioBridgeHandler
{
    /// <summary>
    /// Chooses the <c>&lt;Parameter&gt;</c>s of the call's <c>&lt;Stream&gt;</c> when Twilio's voice webhook arrives (they come back in
    /// Twilio's <c>start</c> as <see cref="LiveCall.CustomParameters"/>, bound to the call by a one-time token, so they can be trusted).
    /// Names must not be empty or start with <c>convai_</c> (reserved); a name and its value together stay under 500 characters. The
    /// default passes none.
    /// </summary>
    /// <param name="call">The call Twilio posted (<c>CallSid</c>, <c>From</c>, <c>To</c>, the whole form).</param>
    /// <param name="cancellationToken">Cancelled when Twilio gives up on the request.</param>
    /// <returns>The parameters, or null for none.</returns>
    public virtual ValueTask<IReadOnlyDictionary<string, string>?> OnIncomingCallAsync(TwilioInboundCall call, CancellationToken cancellationToken = default)
        => ValueTask.FromResult<IReadOnlyDictionary<string, string>?>(null);

    /// <summary>
    /// Builds the initiation data the agent starts with, once Twilio's <c>start</c> has arrived (the agent socket is already open). The
    /// default sends the custom parameters as dynamic variables. Throwing ends the call (the stream closes, so the TwiML after
    /// <c>&lt;/Connect&gt;</c> runs).
    /// </summary>
    /// <param name="call">The call: call SID, stream SID, custom parameters.</param>
    /// <param name="cancellationToken">Cancelled when the call ends.</param>
    /// <returns>The initiation data, or null to send none.</returns>
    public virtual ValueTask<ConversationInitiationClientData?> OnCallStartingAsync(LiveCall call, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(call);
        return ValueTask.FromResult<ConversationInitiationClientData?>(call.CustomParameters.Count == 0
            ? null
            : new ConversationInitiationClientData
            {
                DynamicVariables = call.CustomParameters.ToDictionary(p => p.Key, p => (System.Text.Json.Nodes.JsonNode?)p.Value, StringComparer.Ordinal),
            });
    }

    /// <summary>Called for each final transcript of what the caller said (<c>user_transcript</c>).</summary>
    /// <param name="call">The call.</param>
    /// <param name="transcript">The transcript.</param>
    /// <param name="cancellationToken">Cancelled when the call ends.</param>
    /// <returns>A task that completes when the hook is done.</returns>
    public virtual ValueTask OnTranscriptAsync(LiveCall call, UserTranscriptEvent transcript, CancellationToken cancellationToken = default) => ValueTask.CompletedTask;

    /// <summary>Called for each reply of the agent (<c>agent_response</c>).</summary>
    /// <param name="call">The call.</param>
    /// <param name="response">The reply.</param>
    /// <param name="cancellationToken">Cancelled when the call ends.</param>
    /// <returns>A task that completes when the hook is done.</returns>
    public virtual ValueTask OnAgentResponseAsync(LiveCall call, AgentResponseEvent response, CancellationToken cancellationToken = default) => ValueTask.CompletedTask;

    /// <summary>
    /// Runs a client tool the agent called; the returned value is sent as the tool's result (<c>client_tool_result</c>). Runs on its own
    /// task, off the audio path. Throwing sends an error result (<c>is_error: true</c>, without the exception's text) and logs the
    /// exception. The default answers every tool with an error result naming the tool as not handled.
    /// </summary>
    /// <param name="call">The call.</param>
    /// <param name="toolCall">The tool's name, call id and parameters.</param>
    /// <param name="cancellationToken">Cancelled when the call ends.</param>
    /// <returns>The result.</returns>
    public virtual ValueTask<ClientToolResult> OnClientToolCallAsync(LiveCall call, ClientToolCallEvent toolCall, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(toolCall);
        return ValueTask.FromResult(ClientToolResult.Error($"The tool '{toolCall.ToolName}' is not handled by this application."));
    }

    /// <summary>Called for each key the caller pressed (Twilio's <c>dtmf</c> message).</summary>
    /// <param name="call">The call.</param>
    /// <param name="digit">The key: <c>0</c>–<c>9</c>, <c>*</c> or <c>#</c>.</param>
    /// <param name="cancellationToken">Cancelled when the call ends.</param>
    /// <returns>A task that completes when the hook is done.</returns>
    public virtual ValueTask OnDtmfAsync(LiveCall call, string digit, CancellationToken cancellationToken = default) => ValueTask.CompletedTask;

    /// <summary>
    /// Called once when the call's stream has ended and everything is released: who ended it and why, the conversation id and the
    /// call SID. Runs with a token that is cancelled after 10 seconds.
    /// </summary>
    /// <param name="call">The call.</param>
    /// <param name="end">Who ended the call and why.</param>
    /// <param name="cancellationToken">Cancelled after 10 seconds.</param>
    /// <returns>A task that completes when the hook is done.</returns>
    public virtual ValueTask OnCallEndedAsync(LiveCall call, LiveCallEnd end, CancellationToken cancellationToken = default) => ValueTask.CompletedTask;
}

/// <summary>The result of a client tool, sent to the agent as <c>client_tool_result</c>.</summary>
/// <param name="Result">What the agent reads, often JSON text.</param>
/// <param name="IsError">True when the tool failed and <paramref name="Result"/> describes the error.</param>
public sealed record ClientToolResult(string Result, bool IsError = false)
{
    /// <summary>Creates a successful result.</summary>
    /// <param name="result">What the agent reads, often JSON text.</param>
    /// <returns>The result.</returns>
    public static ClientToolResult Success(string result) => new(result);

    /// <summary>Creates an error result.</summary>
    /// <param name="message">What went wrong, for the agent to read.</param>
    /// <returns>The result, with <see cref="IsError"/> set.</returns>
    public static ClientToolResult Error(string message) => new(message, IsError: true);
}
