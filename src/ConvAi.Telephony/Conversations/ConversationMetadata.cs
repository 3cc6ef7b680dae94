using System.Text.Json;
using System.Text.Json.Serialization;

namespace ConvAi.Telephony;

/// <summary>The metadata of a conversation: times, cost, the phone call and errors.</summary>
public sealed record ConversationMetadata
{
    /// <summary>Gets the start time in Unix seconds.</summary>
    [JsonPropertyName("start_time_unix_secs")]
    public long StartTimeUnixSecs { get; init; }

    /// <summary>Gets when the call was accepted, in Unix seconds.</summary>
    [JsonPropertyName("accepted_time_unix_secs")]
    public long? AcceptedTimeUnixSecs { get; init; }

    /// <summary>Gets the call duration in seconds.</summary>
    [JsonPropertyName("call_duration_secs")]
    public int CallDurationSecs { get; init; }

    /// <summary>Gets the cost in credits.</summary>
    [JsonPropertyName("cost")]
    public long? Cost { get; init; }

    /// <summary>Gets the cost in US dollars: the LLM price plus the platform price (see <see cref="Charging"/>); null for conversations older than fiat cost tracking.</summary>
    [JsonPropertyName("cost_fiat")]
    public double? CostFiat { get; init; }

    /// <summary>Gets why the conversation ended (free text; empty when not known).</summary>
    [JsonPropertyName("termination_reason")]
    public string? TerminationReason { get; init; }

    /// <summary>Gets the error that ended the conversation, if any.</summary>
    [JsonPropertyName("error")]
    public ConversationError? Error { get; init; }

    /// <summary>Gets the phone call details, when the conversation was a call.</summary>
    [JsonPropertyName("phone_call")]
    public PhoneCallInfo? PhoneCall { get; init; }

    /// <summary>Gets the batch the call belonged to, if any.</summary>
    [JsonPropertyName("batch_call")]
    public BatchCallInfo? BatchCall { get; init; }

    /// <summary>Gets the data-retention settings.</summary>
    [JsonPropertyName("deletion_settings")]
    public DeletionSettings? DeletionSettings { get; init; }

    /// <summary>Gets the feedback on the conversation.</summary>
    [JsonPropertyName("feedback")]
    public ConversationFeedbackSummary? Feedback { get; init; }

    /// <summary>Gets how the conversation was authorized, such as <c>public</c> or <c>signed_url</c>.</summary>
    [JsonPropertyName("authorization_method")]
    public string? AuthorizationMethod { get; init; }

    /// <summary>Gets what the conversation was charged: the LLM and platform parts in credits and US dollars, with the usage behind them.</summary>
    [JsonPropertyName("charging")]
    public ConversationCharging? Charging { get; init; }

    /// <summary>Gets the main language.</summary>
    [JsonPropertyName("main_language")]
    public string? MainLanguage { get; init; }

    /// <summary>Gets the time zone.</summary>
    [JsonPropertyName("timezone")]
    public string? Timezone { get; init; }

    /// <summary>Gets the id of who started the conversation.</summary>
    [JsonPropertyName("initiator_id")]
    public string? InitiatorId { get; init; }

    /// <summary>Gets what started the conversation.</summary>
    [JsonPropertyName("conversation_initiation_source")]
    public ConversationInitiationSource? ConversationInitiationSource { get; init; }

    /// <summary>Gets the version of what started the conversation.</summary>
    [JsonPropertyName("conversation_initiation_source_version")]
    public string? ConversationInitiationSourceVersion { get; init; }

    /// <summary>Gets whether the conversation was text only.</summary>
    [JsonPropertyName("text_only")]
    public bool? TextOnly { get; init; }

    /// <summary>Gets warnings raised during the conversation.</summary>
    [JsonPropertyName("warnings")]
    public IReadOnlyList<string>? Warnings { get; init; }

    /// <summary>Gets the knowledge-base usage (informational).</summary>
    [JsonPropertyName("rag_usage")]
    public JsonElement? RagUsage { get; init; }

    /// <summary>Gets the features used (informational).</summary>
    [JsonPropertyName("features_usage")]
    public JsonElement? FeaturesUsage { get; init; }

    /// <summary>Gets the assistant details (informational).</summary>
    [JsonPropertyName("eleven_assistant")]
    public JsonElement? ElevenAssistant { get; init; }

    /// <summary>Gets the asynchronous-conversation details (informational).</summary>
    [JsonPropertyName("async_metadata")]
    public JsonElement? AsyncMetadata { get; init; }

    /// <summary>Gets the WhatsApp details (informational).</summary>
    [JsonPropertyName("whatsapp")]
    public JsonElement? WhatsApp { get; init; }

    /// <summary>Gets the SMS details (informational).</summary>
    [JsonPropertyName("sms")]
    public JsonElement? Sms { get; init; }

    /// <summary>Gets where the agent was created from (informational).</summary>
    [JsonPropertyName("agent_created_from")]
    public JsonElement? AgentCreatedFrom { get; init; }

    /// <summary>Gets where the agent was last updated from (informational).</summary>
    [JsonPropertyName("agent_last_updated_from")]
    public JsonElement? AgentLastUpdatedFrom { get; init; }

    /// <summary>Gets the voice rewards (informational).</summary>
    [JsonPropertyName("voice_rewards")]
    public JsonElement? VoiceRewards { get; init; }

    /// <summary>Gets fields the server sent that this version of the library does not know.</summary>
    [JsonExtensionData]
    public IDictionary<string, JsonElement>? AdditionalProperties { get; set; }
}

/// <summary>An error that ended a conversation.</summary>
public sealed record ConversationError
{
    /// <summary>Gets the error code.</summary>
    [JsonPropertyName("code")]
    public int Code { get; init; }

    /// <summary>Gets the reason.</summary>
    [JsonPropertyName("reason")]
    public string? Reason { get; init; }

    /// <summary>Gets fields the server sent that this version of the library does not know.</summary>
    [JsonExtensionData]
    public IDictionary<string, JsonElement>? AdditionalProperties { get; set; }
}

/// <summary>
/// The phone call behind a conversation (<c>metadata.phone_call</c>). One record covers every
/// <see cref="Type"/> (<c>twilio</c>, <c>sip_trunking</c>, <c>exotel</c>); fields that do not apply are null.
/// </summary>
public sealed record PhoneCallInfo
{
    /// <summary>Gets the integration type (note <c>sip_trunking</c> for SIP trunks).</summary>
    [JsonPropertyName("type")]
    public PhoneCallType? Type { get; init; }

    /// <summary>Gets the call direction.</summary>
    [JsonPropertyName("direction")]
    public TelephonyDirection? Direction { get; init; }

    /// <summary>Gets the id of the imported phone number.</summary>
    [JsonPropertyName("phone_number_id")]
    public string? PhoneNumberId { get; init; }

    /// <summary>Gets the agent's number.</summary>
    [JsonPropertyName("agent_number")]
    public string? AgentNumber { get; init; }

    /// <summary>Gets the other party's number.</summary>
    [JsonPropertyName("external_number")]
    public string? ExternalNumber { get; init; }

    /// <summary>Gets the media stream SID (Twilio and Exotel).</summary>
    [JsonPropertyName("stream_sid")]
    public string? StreamSid { get; init; }

    /// <summary>Gets the call SID.</summary>
    [JsonPropertyName("call_sid")]
    public string? CallSid { get; init; }

    /// <summary>Gets the SIP call id (SIP trunk).</summary>
    [JsonPropertyName("call_id")]
    public string? CallId { get; init; }

    /// <summary>Gets the dynamic variables read from SIP headers (SIP trunk).</summary>
    [JsonPropertyName("sip_header_dynamic_variables")]
    public IReadOnlyDictionary<string, string>? SipHeaderDynamicVariables { get; init; }

    /// <summary>Gets fields the server sent that this version of the library does not know.</summary>
    [JsonExtensionData]
    public IDictionary<string, JsonElement>? AdditionalProperties { get; set; }
}

/// <summary>The batch a call belonged to.</summary>
public sealed record BatchCallInfo
{
    /// <summary>Gets the batch id.</summary>
    [JsonPropertyName("batch_call_id")]
    public string BatchCallId { get; init; } = string.Empty;

    /// <summary>Gets the recipient id within the batch.</summary>
    [JsonPropertyName("batch_call_recipient_id")]
    public string BatchCallRecipientId { get; init; } = string.Empty;

    /// <summary>Gets fields the server sent that this version of the library does not know.</summary>
    [JsonExtensionData]
    public IDictionary<string, JsonElement>? AdditionalProperties { get; set; }
}

/// <summary>The data-retention settings of a conversation.</summary>
public sealed record DeletionSettings
{
    /// <summary>Gets when the conversation is deleted, in Unix seconds.</summary>
    [JsonPropertyName("deletion_time_unix_secs")]
    public long? DeletionTimeUnixSecs { get; init; }

    /// <summary>Gets when the logs were deleted, in Unix seconds.</summary>
    [JsonPropertyName("deleted_logs_at_time_unix_secs")]
    public long? DeletedLogsAtTimeUnixSecs { get; init; }

    /// <summary>Gets when the audio was deleted, in Unix seconds.</summary>
    [JsonPropertyName("deleted_audio_at_time_unix_secs")]
    public long? DeletedAudioAtTimeUnixSecs { get; init; }

    /// <summary>Gets when the transcript was deleted, in Unix seconds.</summary>
    [JsonPropertyName("deleted_transcript_at_time_unix_secs")]
    public long? DeletedTranscriptAtTimeUnixSecs { get; init; }

    /// <summary>Gets whether the transcript and personal data are deleted.</summary>
    [JsonPropertyName("delete_transcript_and_pii")]
    public bool? DeleteTranscriptAndPii { get; init; }

    /// <summary>Gets whether the audio is deleted.</summary>
    [JsonPropertyName("delete_audio")]
    public bool? DeleteAudio { get; init; }

    /// <summary>Gets fields the server sent that this version of the library does not know.</summary>
    [JsonExtensionData]
    public IDictionary<string, JsonElement>? AdditionalProperties { get; set; }
}

/// <summary>The feedback given on a conversation.</summary>
public sealed record ConversationFeedbackSummary
{
    /// <summary>Gets the feedback type: <c>thumbs</c> or <c>rating</c>.</summary>
    [JsonPropertyName("type")]
    public string? Type { get; init; }

    /// <summary>Gets the overall score.</summary>
    [JsonPropertyName("overall_score")]
    public ConversationFeedbackScore? OverallScore { get; init; }

    /// <summary>Gets the number of likes.</summary>
    [JsonPropertyName("likes")]
    public int Likes { get; init; }

    /// <summary>Gets the number of dislikes.</summary>
    [JsonPropertyName("dislikes")]
    public int Dislikes { get; init; }

    /// <summary>Gets the rating.</summary>
    [JsonPropertyName("rating")]
    public int? Rating { get; init; }

    /// <summary>Gets the comment.</summary>
    [JsonPropertyName("comment")]
    public string? Comment { get; init; }

    /// <summary>Gets fields the server sent that this version of the library does not know.</summary>
    [JsonExtensionData]
    public IDictionary<string, JsonElement>? AdditionalProperties { get; set; }
}
