namespace ConvAi.Telephony.AspNetCore;

/// <summary>
/// Settings of the Twilio inbound-call endpoint, bound from the configuration section <c>ConvAi:Twilio</c>.
/// A top-level <c>TWILIO_AUTH_TOKEN</c> key is used when no auth token is set there.
/// </summary>
public sealed class TwilioInboundOptions
{
    /// <summary>The configuration section these options are bound from.</summary>
    public const string SectionName = "ConvAi:Twilio";

    /// <summary>The top-level configuration key (or environment variable) read when no auth token is configured in the section.</summary>
    public const string AuthTokenFallbackKey = "TWILIO_AUTH_TOKEN";

    /// <summary>The default of <see cref="FallbackMessage"/>.</summary>
    public const string DefaultFallbackMessage = "Sorry, we cannot take your call right now. Please try again later.";

    /// <summary>
    /// Gets or sets the Twilio account's auth token, used to verify <c>X-Twilio-Signature</c>.
    /// Required unless <see cref="DangerouslyDisableSignatureValidation"/> is set in the Development environment;
    /// when empty, the top-level <see cref="AuthTokenFallbackKey"/> (<c>TWILIO_AUTH_TOKEN</c>) is used.
    /// </summary>
    public string? AuthToken { get; set; }

    /// <summary>
    /// Gets or sets the public address of the application's root as Twilio calls it (for example
    /// <c>https://voice.example.com</c>), used instead of the request's scheme, host and path base to
    /// rebuild the signed URL behind a reverse proxy. When null, the URL is rebuilt from the request,
    /// which the ForwardedHeaders middleware rewrites when the application enables it.
    /// </summary>
    public Uri? PublicBaseUrl { get; set; }

    /// <summary>
    /// Gets or sets the agent that answers calls the router does not assign to another agent.
    /// </summary>
    public string? AgentId { get; set; }

    /// <summary>
    /// Gets or sets how long register-call may take before the caller hears the fallback.
    /// Twilio waits 15 seconds for a webhook answer; the default is 10 seconds.
    /// </summary>
    public TimeSpan RegisterCallTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Gets or sets what the caller hears before the call ends when the agent cannot be reached.</summary>
    public string FallbackMessage { get; set; } = DefaultFallbackMessage;

    /// <summary>
    /// Gets or sets a number (for example a human team, in E.164 form) the call is connected to when
    /// the agent cannot be reached, instead of <see cref="FallbackMessage"/>.
    /// </summary>
    public string? FallbackDialNumber { get; set; }

    /// <summary>
    /// Gets or sets a complete TwiML document answered when the agent cannot be reached. It takes
    /// precedence over <see cref="FallbackDialNumber"/> and <see cref="FallbackMessage"/>.
    /// </summary>
    public string? FallbackTwiML { get; set; }

    /// <summary>
    /// Gets or sets a value indicating whether requests are accepted without verifying Twilio's
    /// signature. For local development only: refused at startup outside the Development
    /// environment, and every accepted request logs a warning.
    /// </summary>
    public bool DangerouslyDisableSignatureValidation { get; set; }
}
