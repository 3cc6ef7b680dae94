namespace ConvAi.Telephony;

/// <summary>The ElevenLabs API environments. Residency environments need an API key from that environment.</summary>
public enum ConvAiEnvironment
{
    /// <summary><c>https://api.elevenlabs.io</c>, routed to the closest region (the default).</summary>
    Production = 0,

    /// <summary><c>https://api.us.elevenlabs.io</c>, US region only.</summary>
    ProductionUs = 1,

    /// <summary><c>https://api.eu.residency.elevenlabs.io</c>, EU data residency.</summary>
    Eu = 2,

    /// <summary><c>https://api.in.residency.elevenlabs.io</c>, India data residency.</summary>
    India = 3,

    /// <summary><c>https://api.sg.residency.elevenlabs.io</c>, Singapore data residency.</summary>
    Singapore = 4,
}

/// <summary>Maps <see cref="ConvAiEnvironment"/> values to their base addresses.</summary>
public static class ConvAiEnvironmentExtensions
{
    /// <summary>Returns the base address of an environment.</summary>
    /// <param name="environment">The environment.</param>
    /// <returns>The absolute base address.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The value is not a known environment.</exception>
    public static Uri GetBaseAddress(this ConvAiEnvironment environment) => environment switch
    {
        ConvAiEnvironment.Production => new Uri("https://api.elevenlabs.io"),
        ConvAiEnvironment.ProductionUs => new Uri("https://api.us.elevenlabs.io"),
        ConvAiEnvironment.Eu => new Uri("https://api.eu.residency.elevenlabs.io"),
        ConvAiEnvironment.India => new Uri("https://api.in.residency.elevenlabs.io"),
        ConvAiEnvironment.Singapore => new Uri("https://api.sg.residency.elevenlabs.io"),
        _ => throw new ArgumentOutOfRangeException(nameof(environment), environment, "Unknown ElevenLabs environment."),
    };
}
