using System.Text.Json;
using System.Text.Json.Serialization;

namespace ConvAi.Telephony;

/// <summary>
/// What a conversation was charged (<c>metadata.charging</c>): the LLM part and the platform part (voice, silence, ASR and so on),
/// each in credits and in US dollars, with the usage behind them. Every field is optional; the server adds new ones often,
/// and those are kept in <see cref="AdditionalProperties"/>.
/// </summary>
/// <remarks>
/// The platform fields (<see cref="PlatformCharge"/>, <see cref="PlatformUsage"/>, <see cref="PlatformPrice"/>) and the
/// TTS and ASR usage come from elevenlabs-python 2.59 and are not in elevenlabs-js 2.56. <see cref="ConversationMetadata.CostFiat"/>
/// is the sum of <see cref="LlmPrice"/> and <see cref="PlatformPrice"/>.
/// </remarks>
public sealed record ConversationCharging
{
    /// <summary>Gets whether the development discount applied.</summary>
    [JsonPropertyName("dev_discount")]
    public bool? DevDiscount { get; init; }

    /// <summary>Gets whether the conversation was billed as burst usage (calls above the plan's concurrency limit).</summary>
    [JsonPropertyName("is_burst")]
    public bool? IsBurst { get; init; }

    /// <summary>Gets the subscription tier the conversation was billed under.</summary>
    [JsonPropertyName("tier")]
    public string? Tier { get; init; }

    /// <summary>Gets the LLM tokens used, per generation kind and model.</summary>
    [JsonPropertyName("llm_usage")]
    public LlmCategoryUsage? LlmUsage { get; init; }

    /// <summary>Gets the price of the LLM usage in US dollars.</summary>
    [JsonPropertyName("llm_price")]
    public double? LlmPrice { get; init; }

    /// <summary>Gets the credits charged for the LLM usage.</summary>
    [JsonPropertyName("llm_charge")]
    public long? LlmCharge { get; init; }

    /// <summary>Gets the credits charged for the call itself.</summary>
    [JsonPropertyName("call_charge")]
    public long? CallCharge { get; init; }

    /// <summary>Gets the credits charged for everything but the LLM (the platform part); <see cref="PlatformUsage"/> breaks it down.</summary>
    [JsonPropertyName("platform_charge")]
    public long? PlatformCharge { get; init; }

    /// <summary>Gets the platform charge broken down by category, the platform counterpart of <see cref="LlmUsage"/>.</summary>
    [JsonPropertyName("platform_usage")]
    public PlatformUsage? PlatformUsage { get; init; }

    /// <summary>Gets the price of the platform part in US dollars.</summary>
    [JsonPropertyName("platform_price")]
    public double? PlatformPrice { get; init; }

    /// <summary>Gets the free plan minutes the conversation used.</summary>
    [JsonPropertyName("free_minutes_consumed")]
    public double? FreeMinutesConsumed { get; init; }

    /// <summary>Gets the free LLM allowance, in US dollars, the conversation used.</summary>
    [JsonPropertyName("free_llm_dollars_consumed")]
    public double? FreeLlmDollarsConsumed { get; init; }

    /// <summary>Gets the text-to-speech usage. The server reports it for analytics; it is not what is billed.</summary>
    [JsonPropertyName("tts_usage")]
    public TtsUsage? TtsUsage { get; init; }

    /// <summary>Gets the speech-recognition usage. The server reports it for analytics; it is not what is billed.</summary>
    [JsonPropertyName("asr_usage")]
    public AsrUsage? AsrUsage { get; init; }

    /// <summary>Gets fields the server sent that this version of the library does not know.</summary>
    [JsonExtensionData]
    public IDictionary<string, JsonElement>? AdditionalProperties { get; set; }
}

/// <summary>The LLM usage of a conversation in the two buckets the server reports: irreversible and initiated generations.</summary>
public sealed record LlmCategoryUsage
{
    /// <summary>Gets the usage of irreversible generations (the server's <c>irreversible_generation</c> bucket).</summary>
    [JsonPropertyName("irreversible_generation")]
    public LlmUsage? IrreversibleGeneration { get; init; }

    /// <summary>Gets the usage of initiated generations (the server's <c>initiated_generation</c> bucket).</summary>
    [JsonPropertyName("initiated_generation")]
    public LlmUsage? InitiatedGeneration { get; init; }

    /// <summary>Gets fields the server sent that this version of the library does not know.</summary>
    [JsonExtensionData]
    public IDictionary<string, JsonElement>? AdditionalProperties { get; set; }
}

/// <summary>LLM token usage per model.</summary>
public sealed record LlmUsage
{
    /// <summary>Gets the usage keyed by model name, for example <c>gpt-4o-mini</c>.</summary>
    [JsonPropertyName("model_usage")]
    public IReadOnlyDictionary<string, LlmModelUsage>? ModelUsage { get; init; }

    /// <summary>Gets fields the server sent that this version of the library does not know.</summary>
    [JsonExtensionData]
    public IDictionary<string, JsonElement>? AdditionalProperties { get; set; }
}

/// <summary>The tokens one model read and wrote, with their price.</summary>
public sealed record LlmModelUsage
{
    /// <summary>Gets the input tokens that were not read from the cache.</summary>
    [JsonPropertyName("input")]
    public LlmTokenUsage? Input { get; init; }

    /// <summary>Gets the input tokens read from the prompt cache.</summary>
    [JsonPropertyName("input_cache_read")]
    public LlmTokenUsage? InputCacheRead { get; init; }

    /// <summary>Gets the input tokens written to the prompt cache.</summary>
    [JsonPropertyName("input_cache_write")]
    public LlmTokenUsage? InputCacheWrite { get; init; }

    /// <summary>Gets all output tokens.</summary>
    [JsonPropertyName("output_total")]
    public LlmTokenUsage? OutputTotal { get; init; }

    /// <summary>Gets fields the server sent that this version of the library does not know.</summary>
    [JsonExtensionData]
    public IDictionary<string, JsonElement>? AdditionalProperties { get; set; }
}

/// <summary>A number of tokens and what they cost.</summary>
public sealed record LlmTokenUsage
{
    /// <summary>Gets the number of tokens.</summary>
    [JsonPropertyName("tokens")]
    public long? Tokens { get; init; }

    /// <summary>Gets their price in US dollars.</summary>
    [JsonPropertyName("price")]
    public double? Price { get; init; }

    /// <summary>Gets fields the server sent that this version of the library does not know.</summary>
    [JsonExtensionData]
    public IDictionary<string, JsonElement>? AdditionalProperties { get; set; }
}

/// <summary>The platform (non-LLM) charge of a conversation, broken down by category.</summary>
public sealed record PlatformUsage
{
    /// <summary>
    /// Gets the charge per category. The official SDK knows <c>voice</c>, <c>silence</c>, <c>burst</c>, <c>asr</c>,
    /// <c>text_message</c>, <c>reception</c> and <c>other</c>; other keys are kept as they come.
    /// </summary>
    [JsonPropertyName("category_usage")]
    public IReadOnlyDictionary<string, PlatformCategoryUsage>? CategoryUsage { get; init; }

    /// <summary>Gets fields the server sent that this version of the library does not know.</summary>
    [JsonExtensionData]
    public IDictionary<string, JsonElement>? AdditionalProperties { get; set; }
}

/// <summary>What one platform category accumulated during a conversation.</summary>
public sealed record PlatformCategoryUsage
{
    /// <summary>Gets the credits charged for the category.</summary>
    [JsonPropertyName("credits")]
    public long? Credits { get; init; }

    /// <summary>Gets the price of the category in US dollars.</summary>
    [JsonPropertyName("price")]
    public double? Price { get; init; }

    /// <summary>Gets the amount used, in the category's own unit (the API does not state it).</summary>
    [JsonPropertyName("quantity")]
    public double? Quantity { get; init; }

    /// <summary>Gets fields the server sent that this version of the library does not know.</summary>
    [JsonExtensionData]
    public IDictionary<string, JsonElement>? AdditionalProperties { get; set; }
}

/// <summary>The text-to-speech usage of a conversation, summed over its turns.</summary>
public sealed record TtsUsage
{
    /// <summary>Gets the TTS model that produced most of the audio.</summary>
    [JsonPropertyName("primary_tts_model")]
    public string? PrimaryTtsModel { get; init; }

    /// <summary>Gets the seconds of audio produced.</summary>
    [JsonPropertyName("total_audio_output_seconds")]
    public double? TotalAudioOutputSeconds { get; init; }

    /// <summary>Gets the characters spoken.</summary>
    [JsonPropertyName("total_characters")]
    public long? TotalCharacters { get; init; }

    /// <summary>Gets the audio produced per voice.</summary>
    [JsonPropertyName("per_voice_usage")]
    public IReadOnlyList<TtsVoiceUsage>? PerVoiceUsage { get; init; }

    /// <summary>Gets fields the server sent that this version of the library does not know.</summary>
    [JsonExtensionData]
    public IDictionary<string, JsonElement>? AdditionalProperties { get; set; }
}

/// <summary>The audio one voice produced in a conversation.</summary>
public sealed record TtsVoiceUsage
{
    /// <summary>Gets the voice id.</summary>
    [JsonPropertyName("voice_id")]
    public string VoiceId { get; init; } = string.Empty;

    /// <summary>Gets the seconds of audio the voice produced.</summary>
    [JsonPropertyName("audio_output_seconds")]
    public double? AudioOutputSeconds { get; init; }

    /// <summary>Gets fields the server sent that this version of the library does not know.</summary>
    [JsonExtensionData]
    public IDictionary<string, JsonElement>? AdditionalProperties { get; set; }
}

/// <summary>The speech-recognition usage of a conversation, summed over its turns.</summary>
public sealed record AsrUsage
{
    /// <summary>Gets the ASR model.</summary>
    [JsonPropertyName("asr_model")]
    public string? AsrModel { get; init; }

    /// <summary>Gets how many times audio was sent for transcription.</summary>
    [JsonPropertyName("total_transcription_calls")]
    public long? TotalTranscriptionCalls { get; init; }

    /// <summary>Gets the seconds of caller audio transcribed.</summary>
    [JsonPropertyName("total_audio_input_seconds")]
    public double? TotalAudioInputSeconds { get; init; }

    /// <summary>Gets fields the server sent that this version of the library does not know.</summary>
    [JsonExtensionData]
    public IDictionary<string, JsonElement>? AdditionalProperties { get; set; }
}
