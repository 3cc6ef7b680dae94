namespace Aspire.Hosting.ApplicationModel;

/// <summary>
/// The ElevenLabs telephony API for an AppHost: in run mode the ConvAi.Telephony emulator, started as an executable
/// (<c>dotnet convai.dll emulator</c>, no container runtime); in publish mode the real API, whose API key, webhook
/// secret and Twilio auth token are secret parameters. Apps get its connection through
/// <c>WithReference(convai)</c> (<c>ConnectionStrings:{name}</c> = <c>Endpoint=…;ApiKey=…</c>).
/// </summary>
public sealed class ConvAiEmulatorResource : ExecutableResource, IResourceWithConnectionString
{
    /// <summary>The name of the emulator's HTTP endpoint.</summary>
    public const string HttpEndpointName = "http";

    /// <summary>The address of the real API, used in publish mode.</summary>
    public static readonly Uri ProductionEndpoint = new("https://api.elevenlabs.io");

    internal ConvAiEmulatorResource(string name, string command, string workingDirectory, bool isEmulator, ConvAiSecrets secrets)
        : base(name, command, workingDirectory)
    {
        IsEmulator = isEmulator;
        Secrets = secrets;
        PrimaryEndpoint = new EndpointReference(this, HttpEndpointName);
    }

    /// <summary>Gets a value indicating whether this resource runs the emulator (run mode) rather than naming the real API (publish mode).</summary>
    public bool IsEmulator { get; }

    /// <summary>Gets the emulator's HTTP endpoint (run mode).</summary>
    public EndpointReference PrimaryEndpoint { get; }

    /// <summary>Gets the API key apps send in <c>xi-api-key</c>: generated for the emulator, a secret parameter for the real API.</summary>
    public ReferenceExpression ApiKey => Secrets.ApiKey;

    /// <summary>Gets the secret that signs the post-call webhooks: generated for the emulator, a secret parameter for the real API.</summary>
    public ReferenceExpression WebhookSecret => Secrets.WebhookSecret;

    /// <summary>Gets the Twilio auth token apps verify <c>X-Twilio-Signature</c> with: generated for the emulator, a secret parameter for the real API.</summary>
    public ReferenceExpression TwilioAuthToken => Secrets.TwilioAuthToken;

    /// <summary>Gets the connection string apps receive: <c>Endpoint={url};ApiKey={key}</c>.</summary>
    public ReferenceExpression ConnectionStringExpression => IsEmulator
        ? ReferenceExpression.Create($"Endpoint={PrimaryEndpoint.Property(EndpointProperty.Url)};ApiKey={Secrets.ApiKey}")
        : ReferenceExpression.Create($"Endpoint={ProductionEndpoint.ToString().TrimEnd('/')};ApiKey={Secrets.ApiKey}");

    internal ConvAiSecrets Secrets { get; }

    /// <summary>Where the emulator sends webhooks (set by <c>WithWebhookTarget</c>); null keeps them unsent.</summary>
    internal ReferenceExpression? WebhookUrl { get; set; }

    /// <summary>How long an emulated call stays in each status.</summary>
    internal TimeSpan StepDelay { get; set; } = TimeSpan.FromSeconds(2);
}

/// <summary>The three secrets an app needs from the API: the key, the webhook secret, the Twilio auth token.</summary>
internal sealed record ConvAiSecrets(ReferenceExpression ApiKey, ReferenceExpression WebhookSecret, ReferenceExpression TwilioAuthToken);
