using System.Text.Json;
using System.Text.Json.Serialization;

namespace ConvAi.Telephony;

/// <summary>Overrides of the agent's configuration for one conversation (<c>conversation_config_override</c>).</summary>
public sealed record ConversationConfigOverride
{
    /// <summary>Gets the agent overrides.</summary>
    [JsonPropertyName("agent")]
    public AgentOverride? Agent { get; init; }

    /// <summary>Gets the text-to-speech overrides.</summary>
    [JsonPropertyName("tts")]
    public TtsOverride? Tts { get; init; }

    /// <summary>Gets the conversation overrides.</summary>
    [JsonPropertyName("conversation")]
    public ConversationOverride? Conversation { get; init; }

    /// <summary>Gets the speech-recognition overrides.</summary>
    [JsonPropertyName("asr")]
    public AsrOverride? Asr { get; init; }

    /// <summary>Gets the turn-taking overrides.</summary>
    [JsonPropertyName("turn")]
    public TurnOverride? Turn { get; init; }

    /// <summary>Gets fields the server sent that this version of the library does not know.</summary>
    [JsonExtensionData]
    public IDictionary<string, JsonElement>? AdditionalProperties { get; set; }
}

/// <summary>Agent overrides (<c>conversation_config_override.agent</c>).</summary>
public sealed record AgentOverride
{
    /// <summary>Gets the first message; an empty string makes the agent wait for the user.</summary>
    [JsonPropertyName("first_message")]
    public string? FirstMessage { get; init; }

    /// <summary>Gets the language used for speech recognition and synthesis.</summary>
    [JsonPropertyName("language")]
    public string? Language { get; init; }

    /// <summary>Gets the message spoken when the maximum conversation duration is reached.</summary>
    [JsonPropertyName("max_conversation_duration_message")]
    public string? MaxConversationDurationMessage { get; init; }

    /// <summary>Gets the prompt overrides.</summary>
    [JsonPropertyName("prompt")]
    public PromptOverride? Prompt { get; init; }

    /// <summary>Gets fields the server sent that this version of the library does not know.</summary>
    [JsonExtensionData]
    public IDictionary<string, JsonElement>? AdditionalProperties { get; set; }
}

/// <summary>Prompt overrides (<c>conversation_config_override.agent.prompt</c>).</summary>
public sealed record PromptOverride
{
    /// <summary>Gets the system prompt.</summary>
    [JsonPropertyName("prompt")]
    public string? Prompt { get; init; }

    /// <summary>Gets the LLM to use (a fast-moving list, so a plain string).</summary>
    [JsonPropertyName("llm")]
    public string? Llm { get; init; }

    /// <summary>Gets the tools the agent may use.</summary>
    [JsonPropertyName("tool_ids")]
    public IReadOnlyList<string>? ToolIds { get; init; }

    /// <summary>Gets the native MCP servers the agent may use.</summary>
    [JsonPropertyName("native_mcp_server_ids")]
    public IReadOnlyList<string>? NativeMcpServerIds { get; init; }

    /// <summary>Gets the knowledge-base documents the agent may use.</summary>
    [JsonPropertyName("knowledge_base")]
    public IReadOnlyList<KnowledgeBaseLocator>? KnowledgeBase { get; init; }

    /// <summary>Gets fields the server sent that this version of the library does not know.</summary>
    [JsonExtensionData]
    public IDictionary<string, JsonElement>? AdditionalProperties { get; set; }
}

/// <summary>A knowledge-base document reference.</summary>
public sealed record KnowledgeBaseLocator
{
    /// <summary>Gets the document type: <c>file</c>, <c>url</c>, <c>text</c> or <c>folder</c>.</summary>
    [JsonPropertyName("type")]
    public string? Type { get; init; }

    /// <summary>Gets the document name.</summary>
    [JsonPropertyName("name")]
    public string? Name { get; init; }

    /// <summary>Gets the document id.</summary>
    [JsonPropertyName("id")]
    public string? Id { get; init; }

    /// <summary>Gets how the document is used: <c>prompt</c> or <c>auto</c> (the default).</summary>
    [JsonPropertyName("usage_mode")]
    public string? UsageMode { get; init; }

    /// <summary>Gets fields the server sent that this version of the library does not know.</summary>
    [JsonExtensionData]
    public IDictionary<string, JsonElement>? AdditionalProperties { get; set; }
}

/// <summary>Text-to-speech overrides (<c>conversation_config_override.tts</c>).</summary>
public sealed record TtsOverride
{
    /// <summary>Gets the voice id.</summary>
    [JsonPropertyName("voice_id")]
    public string? VoiceId { get; init; }

    /// <summary>Gets the TTS model id, such as <c>eleven_flash_v2_5</c>.</summary>
    [JsonPropertyName("model_id")]
    public string? ModelId { get; init; }

    /// <summary>Gets the voice stability.</summary>
    [JsonPropertyName("stability")]
    public double? Stability { get; init; }

    /// <summary>Gets the speaking speed.</summary>
    [JsonPropertyName("speed")]
    public double? Speed { get; init; }

    /// <summary>Gets the similarity boost.</summary>
    [JsonPropertyName("similarity_boost")]
    public double? SimilarityBoost { get; init; }

    /// <summary>Gets the pronunciation dictionaries to apply.</summary>
    [JsonPropertyName("pronunciation_dictionary_locators")]
    public IReadOnlyList<PronunciationDictionaryLocator>? PronunciationDictionaryLocators { get; init; }

    /// <summary>Gets fields the server sent that this version of the library does not know.</summary>
    [JsonExtensionData]
    public IDictionary<string, JsonElement>? AdditionalProperties { get; set; }
}

/// <summary>A pronunciation dictionary reference.</summary>
public sealed record PronunciationDictionaryLocator
{
    /// <summary>Gets the dictionary id.</summary>
    [JsonPropertyName("pronunciation_dictionary_id")]
    public string? PronunciationDictionaryId { get; init; }

    /// <summary>Gets the dictionary version id, or null for the latest.</summary>
    [JsonPropertyName("version_id")]
    public string? VersionId { get; init; }

    /// <summary>Gets fields the server sent that this version of the library does not know.</summary>
    [JsonExtensionData]
    public IDictionary<string, JsonElement>? AdditionalProperties { get; set; }
}

/// <summary>Conversation overrides (<c>conversation_config_override.conversation</c>).</summary>
public sealed record ConversationOverride
{
    /// <summary>Gets whether the conversation is text only.</summary>
    [JsonPropertyName("text_only")]
    public bool? TextOnly { get; init; }

    /// <summary>Gets the maximum conversation duration in seconds.</summary>
    [JsonPropertyName("max_duration_seconds")]
    public int? MaxDurationSeconds { get; init; }

    /// <summary>Gets fields the server sent that this version of the library does not know.</summary>
    [JsonExtensionData]
    public IDictionary<string, JsonElement>? AdditionalProperties { get; set; }
}

/// <summary>Speech-recognition overrides (<c>conversation_config_override.asr</c>).</summary>
public sealed record AsrOverride
{
    /// <summary>Gets keywords that help recognition.</summary>
    [JsonPropertyName("keywords")]
    public IReadOnlyList<string>? Keywords { get; init; }

    /// <summary>Gets fields the server sent that this version of the library does not know.</summary>
    [JsonExtensionData]
    public IDictionary<string, JsonElement>? AdditionalProperties { get; set; }
}

/// <summary>Turn-taking overrides (<c>conversation_config_override.turn</c>).</summary>
public sealed record TurnOverride
{
    /// <summary>Gets the soft-timeout settings.</summary>
    [JsonPropertyName("soft_timeout_config")]
    public SoftTimeoutConfig? SoftTimeoutConfig { get; init; }

    /// <summary>Gets fields the server sent that this version of the library does not know.</summary>
    [JsonExtensionData]
    public IDictionary<string, JsonElement>? AdditionalProperties { get; set; }
}

/// <summary>What the agent says when the user stays silent (<c>soft_timeout_config</c>).</summary>
public sealed record SoftTimeoutConfig
{
    /// <summary>Gets the message spoken on a soft timeout.</summary>
    [JsonPropertyName("message")]
    public string? Message { get; init; }

    /// <summary>Gets further messages for later soft timeouts.</summary>
    [JsonPropertyName("additional_soft_timeout_messages")]
    public IReadOnlyList<string>? AdditionalSoftTimeoutMessages { get; init; }

    /// <summary>Gets fields the server sent that this version of the library does not know.</summary>
    [JsonExtensionData]
    public IDictionary<string, JsonElement>? AdditionalProperties { get; set; }
}
