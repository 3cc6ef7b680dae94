namespace ConvAi.Telephony;

/// <summary>How often a long wait reads the API: at once, then after <see cref="PollInterval"/>, growing by <see cref="PollBackoffFactor"/> up to <see cref="MaxPollInterval"/>.</summary>
public abstract record PollingOptions
{
    /// <summary>Gets the delay before the second poll (the first is at once). The default is 5 seconds.</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Gets the factor each delay between polls grows by. The default is 1.5; 1 polls at a fixed interval.</summary>
    public double PollBackoffFactor { get; init; } = 1.5;

    /// <summary>Gets the longest delay between polls (a 429's <c>Retry-After</c> may ask for longer). The default is 1 minute.</summary>
    public TimeSpan MaxPollInterval { get; init; } = TimeSpan.FromMinutes(1);

    internal PollBackoff CreateBackoff(string paramName)
    {
        if (PollInterval <= TimeSpan.Zero || MaxPollInterval < PollInterval || !(PollBackoffFactor >= 1))
        {
            throw new ArgumentException(
                $"{nameof(PollInterval)} must be positive, {nameof(MaxPollInterval)} at least {nameof(PollInterval)}, and {nameof(PollBackoffFactor)} at least 1.",
                paramName);
        }

        return new PollBackoff(PollInterval, PollBackoffFactor, MaxPollInterval);
    }
}
