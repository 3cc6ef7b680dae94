namespace ConvAi.Telephony;

/// <summary>An outbound call answered 200 with <c>success: false</c>: the call was not placed.</summary>
public sealed class ConvAiCallRejectedException : ConvAiException
{
    /// <summary>Initializes a new instance of the <see cref="ConvAiCallRejectedException"/> class.</summary>
    public ConvAiCallRejectedException()
    {
    }

    /// <summary>Initializes a new instance of the <see cref="ConvAiCallRejectedException"/> class with a message.</summary>
    /// <param name="message">The error message.</param>
    public ConvAiCallRejectedException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="ConvAiCallRejectedException"/> class with a message and a cause.</summary>
    /// <param name="message">The error message.</param>
    /// <param name="innerException">The error that caused this one.</param>
    public ConvAiCallRejectedException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="ConvAiCallRejectedException"/> class with the server's answer.</summary>
    /// <param name="serverMessage">The server's <c>message</c>.</param>
    /// <param name="conversationId">The server's <c>conversation_id</c>, if any.</param>
    public ConvAiCallRejectedException(string? serverMessage, string? conversationId)
        : base($"The outbound call was not placed: {(string.IsNullOrEmpty(serverMessage) ? "the server gave no reason" : serverMessage)}.")
    {
        ServerMessage = serverMessage;
        ConversationId = conversationId;
    }

    /// <summary>Gets the server's message.</summary>
    public string? ServerMessage { get; }

    /// <summary>Gets the conversation id the server returned, if any.</summary>
    public string? ConversationId { get; }
}
