namespace ConvAi.Telephony;

/// <summary>What a WebSocket close code of the agent means (api-reference §11; AsyncAPI <c>WebSocketCloseCode</c>).</summary>
public enum ConversationCloseKind
{
    /// <summary>1000: the conversation ended normally: the agent or your code ended it, or the maximum duration was reached.</summary>
    Normal = 0,

    /// <summary>
    /// 1002: a timeout or another operational failure: no user input for 60 seconds, the LLM took too long, a safety
    /// violation, a speech-recognition or speech-synthesis failure. <see cref="ConversationCloseReason.ErrorType"/> says which.
    /// </summary>
    Timeout = 1,

    /// <summary>
    /// 1008: the agent refused what the client sent: an invalid message, a rejected override, or a missing dynamic variable
    /// (<see cref="ConversationCloseReason.Description"/> names it).
    /// </summary>
    PolicyViolation = 2,

    /// <summary>1011: an unexpected error inside the agent platform.</summary>
    InternalError = 3,

    /// <summary>Any other close code; read <see cref="ConversationCloseReason.Code"/>.</summary>
    Other = 4,
}

/// <summary>Why a live conversation ended: the close code and text of the WebSocket close, and the agent's last error message if it sent one.</summary>
public sealed record ConversationCloseReason
{
    /// <summary>Gets the WebSocket close code, for example 1000 or 1008.</summary>
    public int Code { get; init; }

    /// <summary>Gets the meaning of <see cref="Code"/>.</summary>
    public ConversationCloseKind Kind => KindOf(Code);

    /// <summary>Gets the close text the agent sent, for example the name of a missing dynamic variable, or null when it sent none.</summary>
    public string? Description { get; init; }

    /// <summary>Gets the <c>error_type</c> of the agent's last <c>error</c> message (for example <c>missing_dynamic_variable</c>), or null.</summary>
    public string? ErrorType { get; init; }

    /// <summary>Gets the <c>message</c> of the agent's last <c>error</c> message, or null.</summary>
    public string? ErrorMessage { get; init; }

    /// <summary>Gets a value indicating whether your code closed the session (<see cref="ConversationSession.EndAsync"/>) rather than the agent.</summary>
    public bool ClosedByClient { get; init; }

    /// <summary>Maps a WebSocket close code to its meaning for the agent socket.</summary>
    /// <param name="code">The close code.</param>
    /// <returns>The kind of close.</returns>
    public static ConversationCloseKind KindOf(int code) => code switch
    {
        1000 => ConversationCloseKind.Normal,
        1002 => ConversationCloseKind.Timeout,
        1008 => ConversationCloseKind.PolicyViolation,
        1011 => ConversationCloseKind.InternalError,
        _ => ConversationCloseKind.Other,
    };
}
