namespace ConvAi.Telephony.Testing;

/// <summary>What a <see cref="Fault"/> does to the request it hits.</summary>
public enum FaultKind
{
    /// <summary>Answers 429 with the concurrency headers and an error code in the body.</summary>
    RateLimited,

    /// <summary>Answers a 5xx (or any given status) with an error body.</summary>
    ServerError,

    /// <summary>Waits, by the emulator's clock, and then handles the request normally.</summary>
    Latency,

    /// <summary>Reads the whole request, then closes the connection without answering.</summary>
    DropConnectionAfterRequestRead,
}
