namespace ConvAi.Telephony;

/// <summary>The base class of every error raised by the ConvAi.Telephony client.</summary>
public class ConvAiException : Exception
{
    /// <summary>Initializes a new instance of the <see cref="ConvAiException"/> class.</summary>
    public ConvAiException()
    {
    }

    /// <summary>Initializes a new instance of the <see cref="ConvAiException"/> class with a message.</summary>
    /// <param name="message">The error message.</param>
    public ConvAiException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="ConvAiException"/> class with a message and a cause.</summary>
    /// <param name="message">The error message.</param>
    /// <param name="innerException">The error that caused this one.</param>
    public ConvAiException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
