namespace ConvAi.Telephony;

/// <summary>What went wrong with a live conversation's socket, for <see cref="ConversationSessionException.Error"/>.</summary>
public enum ConversationSessionError
{
    /// <summary>The socket could not be opened: the handshake was refused (see <see cref="ConversationSessionException.StatusCode"/>) or the host was not reachable.</summary>
    ConnectFailed = 0,

    /// <summary>The connection dropped without a WebSocket close: the network failed or the server went away.</summary>
    ConnectionLost = 1,

    /// <summary>The agent sent a message larger than <see cref="ConversationSessionOptions.MaxMessageBytes"/>; the session was closed with 1009.</summary>
    MessageTooLarge = 2,

    /// <summary>
    /// The events were not read fast enough: the buffer of <see cref="ConversationSessionOptions.EventBufferCapacity"/> events was full
    /// and <see cref="ConversationSessionOptions.EventBufferOverflow"/> is <see cref="ConversationEventOverflow.EndSession"/>.
    /// </summary>
    EventBufferOverflow = 3,

    /// <summary>The session is closed (by the agent or by your code), so nothing more can be sent; see <see cref="ConversationSessionException.CloseReason"/>.</summary>
    Closed = 4,

    /// <summary>The agent closed the socket before the conversation started (for example 1008 for a missing dynamic variable).</summary>
    StartRejected = 5,
}

/// <summary>
/// A live conversation failed: the socket did not open, dropped, or closed before what was asked could happen.
/// <see cref="Error"/> says which; <see cref="CloseReason"/> carries the agent's close code and text when there was a close.
/// </summary>
public sealed class ConversationSessionException : ConvAiException
{
    /// <summary>Initializes a new instance of the <see cref="ConversationSessionException"/> class.</summary>
    public ConversationSessionException()
    {
    }

    /// <summary>Initializes a new instance of the <see cref="ConversationSessionException"/> class with a message.</summary>
    /// <param name="message">The error message.</param>
    public ConversationSessionException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="ConversationSessionException"/> class with a message and a cause.</summary>
    /// <param name="message">The error message.</param>
    /// <param name="innerException">The error that caused this one.</param>
    public ConversationSessionException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="ConversationSessionException"/> class with what went wrong.</summary>
    /// <param name="error">What went wrong.</param>
    /// <param name="message">The error message.</param>
    /// <param name="closeReason">The close, when the socket closed.</param>
    /// <param name="innerException">The error that caused this one.</param>
    public ConversationSessionException(ConversationSessionError error, string message, ConversationCloseReason? closeReason = null, Exception? innerException = null)
        : base(message, innerException)
    {
        Error = error;
        CloseReason = closeReason;
    }

    /// <summary>Gets what went wrong.</summary>
    public ConversationSessionError Error { get; init; }

    /// <summary>Gets the close code and text, when the socket was closed with a WebSocket close.</summary>
    public ConversationCloseReason? CloseReason { get; init; }

    /// <summary>Gets the HTTP status of a refused handshake (<see cref="ConversationSessionError.ConnectFailed"/>), when the server answered one.</summary>
    public int? StatusCode { get; init; }

    /// <summary>Gets the conversation id, when the conversation had started.</summary>
    public string? ConversationId { get; init; }
}
