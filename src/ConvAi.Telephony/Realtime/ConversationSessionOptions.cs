using System.Text.Json.Nodes;

namespace ConvAi.Telephony;

/// <summary>What happens when the agent's events arrive faster than they are read (see <see cref="ConversationSessionOptions.EventBufferOverflow"/>).</summary>
public enum ConversationEventOverflow
{
    /// <summary>
    /// The session closes the socket (1011) and, once the events already buffered are read,
    /// <see cref="ConversationSession.ReadEventsAsync"/> throws a <see cref="ConversationSessionException"/> with
    /// <see cref="ConversationSessionError.EventBufferOverflow"/>. Nothing is lost silently. The default.
    /// </summary>
    EndSession = 0,

    /// <summary>The oldest buffered event is dropped to make room and counted in <see cref="ConversationSession.DroppedEventCount"/>; the session goes on.</summary>
    DropOldest = 1,
}

/// <summary>
/// Settings of one live conversation with an agent (<see cref="ConversationsClient.StartSessionAsync"/>): the initiation data
/// sent when it starts (dynamic variables, user id, overrides, custom LLM body) and how the socket is opened and buffered.
/// </summary>
public sealed class ConversationSessionOptions
{
    /// <summary>The default of <see cref="EventBufferCapacity"/>: 1,024 events.</summary>
    public const int DefaultEventBufferCapacity = 1024;

    /// <summary>The default of <see cref="MaxMessageBytes"/>: 4 MiB.</summary>
    public const int DefaultMaxMessageBytes = 4 * 1024 * 1024;

    /// <summary>
    /// Gets the dynamic variables, typed like those of outbound calls: any JSON value, written with <see cref="JsonNode"/>'s
    /// implicit conversions (<c>["customer_name"] = "Ana"</c>, <c>["balance"] = 12.5</c>). A variable the agent's prompt or first message
    /// uses but that is missing makes the agent close the socket with 1008.
    /// </summary>
    public IDictionary<string, JsonNode?> DynamicVariables { get; } = new Dictionary<string, JsonNode?>(StringComparer.Ordinal);

    /// <summary>Gets or sets your id for the end user; the conversation list can be filtered by it.</summary>
    public string? UserId { get; set; }

    /// <summary>Gets or sets overrides of the agent's configuration (each must be allowed in the agent's security settings).</summary>
    public ConversationConfigOverride? ConversationConfigOverride { get; set; }

    /// <summary>Gets or sets extra fields passed to a custom LLM's request body (<c>custom_llm_extra_body</c>).</summary>
    public JsonObject? CustomLlmExtraBody { get; set; }

    /// <summary>Gets or sets information about the client that starts the conversation (<c>source_info</c>); null sends none.</summary>
    public ConversationSourceInfo? SourceInfo { get; set; }

    /// <summary>
    /// Gets or sets a value indicating whether the agent is public (authentication off in its settings). Then the socket goes to
    /// the plain agent URL (<c>/v1/convai/conversation?agent_id=…</c>) without asking for a signed URL, and no API key is needed.
    /// Otherwise a signed URL is fetched with the API key first (the key never goes into a socket URL).
    /// </summary>
    public bool IsPublicAgent { get; set; }

    /// <summary>Gets or sets the agent branch to talk to (<c>branch_id</c> of the signed-URL request), or null for the default.</summary>
    public string? BranchId { get; set; }

    /// <summary>Gets or sets the agent environment to talk to (<c>environment</c> of the signed-URL request), or null for the default.</summary>
    public string? Environment { get; set; }

    /// <summary>
    /// Gets or sets how many events may wait between the socket and your <see cref="ConversationSession.ReadEventsAsync"/> loop
    /// (default <see cref="DefaultEventBufferCapacity"/>). Pings are answered whatever the buffer holds.
    /// </summary>
    public int EventBufferCapacity { get; set; } = DefaultEventBufferCapacity;

    /// <summary>Gets or sets what happens when the event buffer is full (default <see cref="ConversationEventOverflow.EndSession"/>).</summary>
    public ConversationEventOverflow EventBufferOverflow { get; set; } = ConversationEventOverflow.EndSession;

    /// <summary>
    /// Gets or sets the largest message the agent may send, in bytes (default <see cref="DefaultMaxMessageBytes"/>). A larger one closes the
    /// session with 1009 and <see cref="ConversationSessionError.MessageTooLarge"/>.
    /// </summary>
    public int MaxMessageBytes { get; set; } = DefaultMaxMessageBytes;

    /// <summary>
    /// Gets or sets how long <see cref="ConversationSession.EndAsync"/> and disposal wait for the agent to answer the close
    /// before the socket is aborted (default 5 seconds).
    /// </summary>
    public TimeSpan CloseTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Gets or sets a receiver of the agent's audio as base64 text, straight from the receive loop, for a bridge that forwards it
    /// unchanged; null (the default) publishes each chunk as an <see cref="AgentAudioEvent"/> instead. See <see cref="ConversationAudioSink"/>.
    /// </summary>
    public ConversationAudioSink? AudioSink { get; set; }

    /// <summary>Builds the <c>conversation_initiation_client_data</c> these options describe.</summary>
    /// <returns>The initiation data.</returns>
    public ConversationInitiationClientData ToInitiationData() => new()
    {
        DynamicVariables = DynamicVariables.Count == 0 ? null : new Dictionary<string, JsonNode?>(DynamicVariables, StringComparer.Ordinal),
        UserId = UserId,
        ConversationConfigOverride = ConversationConfigOverride,
        CustomLlmExtraBody = CustomLlmExtraBody,
        SourceInfo = SourceInfo,
    };

    internal void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(EventBufferCapacity, 1, nameof(EventBufferCapacity));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxMessageBytes, 1024, nameof(MaxMessageBytes));
        ArgumentOutOfRangeException.ThrowIfLessThan(CloseTimeout, TimeSpan.Zero, nameof(CloseTimeout));
        Telephony.DynamicVariables.Validate(DynamicVariables.Keys, nameof(DynamicVariables));
    }
}
