namespace ConvAi.Telephony;

/// <summary>How <see cref="CallsClient.WaitForOutcomeAsync(string, CallOutcomeWaitOptions?, CancellationToken)"/> waits.</summary>
public sealed record CallOutcomeWaitOptions : PollingOptions
{
    /// <summary>Gets how long to wait before answering <see cref="CallOutcomeKind.TimedOut"/>. The default is 15 minutes.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromMinutes(15);

    /// <summary>
    /// Gets a value indicating whether to poll <c>GET /v1/convai/conversations/{id}</c>. The default is true. Set it to false
    /// to rely only on post-call webhooks received in the same app (the ASP.NET Core add-on publishes them to <see cref="CallOutcomeTracker"/>).
    /// </summary>
    public bool Poll { get; init; } = true;

    /// <summary>
    /// Gets a value indicating whether polling waits for the analysis (status <c>done</c>, the default) or answers as soon
    /// as the call has ended (status <c>processing</c>; <see cref="CallOutcome.CallSuccessful"/> is then usually null).
    /// A <c>post_call_transcription</c> webhook is sent after the analysis, so it answers either way.
    /// </summary>
    public bool WaitForAnalysis { get; init; } = true;

    internal PollBackoff Validate(string paramName) =>
        Timeout > TimeSpan.Zero ? CreateBackoff(paramName) : throw new ArgumentException($"{nameof(Timeout)} must be positive.", paramName);
}
