namespace ConvAi.Telephony.AspNetCore;

/// <summary>
/// Settings of the conversation-initiation webhook endpoint, bound from the configuration section
/// <c>ConvAi:ConversationInitiation</c>.
/// </summary>
public sealed class ConversationInitiationOptions
{
    /// <summary>The configuration section these options are bound from.</summary>
    public const string SectionName = "ConvAi:ConversationInitiation";

    /// <summary>The default of <see cref="HeaderName"/>.</summary>
    public const string DefaultHeaderName = "X-ConvAi-Initiation-Secret";

    /// <summary>
    /// Gets or sets the request header that carries the shared secret. Configure the same name in
    /// the agent's <c>conversation_initiation_client_data_webhook.request_headers</c>.
    /// </summary>
    public string HeaderName { get; set; } = DefaultHeaderName;

    /// <summary>
    /// Gets or sets the shared secret the header must carry. Required unless
    /// <see cref="DangerouslyDisableAuthentication"/> is set in the Development environment.
    /// </summary>
    public string? Secret { get; set; }

    /// <summary>
    /// Gets or sets how long the handler may run before the endpoint answers the default response
    /// (<see cref="DefaultDynamicVariables"/>). ElevenLabs calls the webhook while the phone rings, so
    /// keep this short. The default is 3 seconds.
    /// </summary>
    public TimeSpan HandlerTimeout { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>
    /// Gets the dynamic variables of the default response, sent when the handler fails, times out or
    /// returns reserved variable names, so the call still connects. Give a value to every dynamic
    /// variable the agent defines (configuration keys
    /// <c>ConvAi:ConversationInitiation:DefaultDynamicVariables:&lt;name&gt;</c>).
    /// </summary>
    public IDictionary<string, string> DefaultDynamicVariables { get; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>
    /// Gets or sets a value indicating whether requests are accepted without the secret header.
    /// For local development only: refused at startup outside the Development environment, and
    /// every accepted request logs a warning.
    /// </summary>
    public bool DangerouslyDisableAuthentication { get; set; }
}
