using System.Text.Json;
using System.Text.Json.Serialization;

namespace ConvAi.Telephony;

/// <summary>The body of <c>POST /v1/convai/batch-calling/submit</c>.</summary>
public sealed record SubmitBatchCallRequest
{
    /// <summary>Gets the name of the batch.</summary>
    [JsonPropertyName("call_name")]
    public string CallName { get; init; } = string.Empty;

    /// <summary>Gets the agent that talks on every call; defaults to <see cref="ConvAiTelephonyOptions.DefaultAgentId"/>.</summary>
    [JsonPropertyName("agent_id")]
    public string? AgentId { get; init; }

    /// <summary>Gets the recipients (at most 10,000).</summary>
    [JsonPropertyName("recipients")]
    public IReadOnlyList<BatchCallRecipient> Recipients { get; init; } = [];

    /// <summary>Gets when the batch starts, in Unix seconds; null starts it now.</summary>
    [JsonPropertyName("scheduled_time_unix")]
    public long? ScheduledTimeUnix { get; init; }

    /// <summary>Gets the number that places the calls; defaults to <see cref="ConvAiTelephonyOptions.DefaultPhoneNumberId"/>.</summary>
    [JsonPropertyName("agent_phone_number_id")]
    public string? AgentPhoneNumberId { get; init; }

    /// <summary>Gets the WhatsApp settings, for WhatsApp batches.</summary>
    [JsonPropertyName("whatsapp_params")]
    public BatchCallWhatsAppParams? WhatsAppParams { get; init; }

    /// <summary>Gets the time zone of the schedule.</summary>
    [JsonPropertyName("timezone")]
    public string? Timezone { get; init; }

    /// <summary>Gets the agent branch.</summary>
    [JsonPropertyName("branch_id")]
    public string? BranchId { get; init; }

    /// <summary>Gets the agent environment.</summary>
    [JsonPropertyName("environment")]
    public string? Environment { get; init; }

    /// <summary>Gets the ringing timeout and recording settings.</summary>
    [JsonPropertyName("telephony_call_config")]
    public TelephonyCallConfig? TelephonyCallConfig { get; init; }

    /// <summary>Gets the most calls in flight at once (at least 1).</summary>
    [JsonPropertyName("target_concurrency_limit")]
    public int? TargetConcurrencyLimit { get; init; }
}

/// <summary>One recipient of a batch call.</summary>
public sealed record BatchCallRecipient
{
    /// <summary>Gets your id for the recipient.</summary>
    [JsonPropertyName("id")]
    public string? Id { get; init; }

    /// <summary>Gets the number to call (normalized to E.164 before sending).</summary>
    [JsonPropertyName("phone_number")]
    public string? PhoneNumber { get; init; }

    /// <summary>Gets the WhatsApp user id, for WhatsApp batches.</summary>
    [JsonPropertyName("whatsapp_user_id")]
    public string? WhatsAppUserId { get; init; }

    /// <summary>Gets the dynamic variables, user id and overrides for this recipient's conversation.</summary>
    [JsonPropertyName("conversation_initiation_client_data")]
    public ConversationInitiationClientData? ConversationInitiationClientData { get; init; }
}

/// <summary>The WhatsApp settings of a batch.</summary>
public sealed record BatchCallWhatsAppParams
{
    /// <summary>Gets the WhatsApp phone number id.</summary>
    [JsonPropertyName("whatsapp_phone_number_id")]
    public string? WhatsAppPhoneNumberId { get; init; }

    /// <summary>Gets the name of the call-permission request template.</summary>
    [JsonPropertyName("whatsapp_call_permission_request_template_name")]
    public string? WhatsAppCallPermissionRequestTemplateName { get; init; }

    /// <summary>Gets the language code of the call-permission request template.</summary>
    [JsonPropertyName("whatsapp_call_permission_request_template_language_code")]
    public string? WhatsAppCallPermissionRequestTemplateLanguageCode { get; init; }

    /// <summary>Gets fields the server sent that this version of the library does not know.</summary>
    [JsonExtensionData]
    public IDictionary<string, JsonElement>? AdditionalProperties { get; set; }
}

/// <summary>
/// A batch call. Submit, cancel, retry and list answer it without <see cref="Recipients"/>;
/// <see cref="BatchCallsClient.GetAsync"/> fills them in.
/// </summary>
public sealed record BatchCall
{
    /// <summary>Gets the batch id.</summary>
    [JsonPropertyName("id")]
    public string Id { get; init; } = string.Empty;

    /// <summary>Gets the batch name.</summary>
    [JsonPropertyName("name")]
    public string? Name { get; init; }

    /// <summary>Gets the agent id.</summary>
    [JsonPropertyName("agent_id")]
    public string? AgentId { get; init; }

    /// <summary>Gets the agent name.</summary>
    [JsonPropertyName("agent_name")]
    public string? AgentName { get; init; }

    /// <summary>Gets the id of the number that places the calls.</summary>
    [JsonPropertyName("phone_number_id")]
    public string? PhoneNumberId { get; init; }

    /// <summary>Gets the provider of that number.</summary>
    [JsonPropertyName("phone_provider")]
    public PhoneNumberProvider? PhoneProvider { get; init; }

    /// <summary>Gets the WhatsApp settings.</summary>
    [JsonPropertyName("whatsapp_params")]
    public BatchCallWhatsAppParams? WhatsAppParams { get; init; }

    /// <summary>Gets the agent branch id.</summary>
    [JsonPropertyName("branch_id")]
    public string? BranchId { get; init; }

    /// <summary>Gets the agent branch name.</summary>
    [JsonPropertyName("branch_name")]
    public string? BranchName { get; init; }

    /// <summary>Gets the agent environment.</summary>
    [JsonPropertyName("environment")]
    public string? Environment { get; init; }

    /// <summary>Gets the time zone of the schedule.</summary>
    [JsonPropertyName("timezone")]
    public string? Timezone { get; init; }

    /// <summary>Gets when the batch was created, in Unix seconds.</summary>
    [JsonPropertyName("created_at_unix")]
    public long CreatedAtUnix { get; init; }

    /// <summary>Gets when the batch starts, in Unix seconds.</summary>
    [JsonPropertyName("scheduled_time_unix")]
    public long ScheduledTimeUnix { get; init; }

    /// <summary>Gets when the batch last changed, in Unix seconds.</summary>
    [JsonPropertyName("last_updated_at_unix")]
    public long LastUpdatedAtUnix { get; init; }

    /// <summary>Gets the number of calls dispatched.</summary>
    [JsonPropertyName("total_calls_dispatched")]
    public int TotalCallsDispatched { get; init; }

    /// <summary>Gets the number of calls scheduled.</summary>
    [JsonPropertyName("total_calls_scheduled")]
    public int TotalCallsScheduled { get; init; }

    /// <summary>Gets the number of calls finished.</summary>
    [JsonPropertyName("total_calls_finished")]
    public int TotalCallsFinished { get; init; }

    /// <summary>Gets how many times the batch was retried.</summary>
    [JsonPropertyName("retry_count")]
    public int RetryCount { get; init; }

    /// <summary>Gets the batch status.</summary>
    [JsonPropertyName("status")]
    public BatchCallStatus Status { get; init => field = value ?? BatchCallStatus.Empty; } = BatchCallStatus.Empty;

    /// <summary>Gets the ringing timeout and recording settings.</summary>
    [JsonPropertyName("telephony_call_config")]
    public TelephonyCallConfig? TelephonyCallConfig { get; init; }

    /// <summary>Gets the most calls in flight at once.</summary>
    [JsonPropertyName("target_concurrency_limit")]
    public int? TargetConcurrencyLimit { get; init; }

    /// <summary>Gets the recipients and their state (only from <see cref="BatchCallsClient.GetAsync"/>).</summary>
    [JsonPropertyName("recipients")]
    public IReadOnlyList<BatchCallRecipientResult>? Recipients { get; init; }

    /// <summary>Gets fields the server sent that this version of the library does not know.</summary>
    [JsonExtensionData]
    public IDictionary<string, JsonElement>? AdditionalProperties { get; set; }
}

/// <summary>One recipient of a batch call with its state.</summary>
public sealed record BatchCallRecipientResult
{
    /// <summary>Gets the recipient id.</summary>
    [JsonPropertyName("id")]
    public string Id { get; init; } = string.Empty;

    /// <summary>Gets the recipient status.</summary>
    [JsonPropertyName("status")]
    public BatchCallRecipientStatus Status { get; init => field = value ?? BatchCallRecipientStatus.Empty; } = BatchCallRecipientStatus.Empty;

    /// <summary>Gets when the recipient was created, in Unix seconds.</summary>
    [JsonPropertyName("created_at_unix")]
    public long CreatedAtUnix { get; init; }

    /// <summary>Gets when the recipient last changed, in Unix seconds.</summary>
    [JsonPropertyName("updated_at_unix")]
    public long UpdatedAtUnix { get; init; }

    /// <summary>Gets the conversation of the call, once there is one.</summary>
    [JsonPropertyName("conversation_id")]
    public string? ConversationId { get; init; }

    /// <summary>Gets the number called.</summary>
    [JsonPropertyName("phone_number")]
    public string? PhoneNumber { get; init; }

    /// <summary>Gets the WhatsApp user id.</summary>
    [JsonPropertyName("whatsapp_user_id")]
    public string? WhatsAppUserId { get; init; }

    /// <summary>Gets the data the conversation started with.</summary>
    [JsonPropertyName("conversation_initiation_client_data")]
    public ConversationInitiationClientData? ConversationInitiationClientData { get; init; }

    /// <summary>Gets fields the server sent that this version of the library does not know.</summary>
    [JsonExtensionData]
    public IDictionary<string, JsonElement>? AdditionalProperties { get; set; }
}

/// <summary>One page of <c>GET /v1/convai/batch-calling/workspace</c>.</summary>
public sealed record BatchCallPage
{
    /// <summary>Gets the batches on this page.</summary>
    [JsonPropertyName("batch_calls")]
    public IReadOnlyList<BatchCall> BatchCalls { get; init; } = [];

    /// <summary>Gets the cursor of the next page (pass it as <see cref="BatchCallListOptions.LastDoc"/>).</summary>
    [JsonPropertyName("next_doc")]
    public string? NextDoc { get; init; }

    /// <summary>Gets whether more pages follow.</summary>
    [JsonPropertyName("has_more")]
    public bool HasMore { get; init; }

    /// <summary>Gets fields the server sent that this version of the library does not know.</summary>
    [JsonExtensionData]
    public IDictionary<string, JsonElement>? AdditionalProperties { get; set; }
}

/// <summary>Filters and paging of <c>GET /v1/convai/batch-calling/workspace</c>.</summary>
public sealed record BatchCallListOptions
{
    /// <summary>Gets the page size (server default 100).</summary>
    public int? Limit { get; init; }

    /// <summary>Gets the cursor: the previous page's <see cref="BatchCallPage.NextDoc"/>.</summary>
    public string? LastDoc { get; init; }

    /// <summary>Gets the agent whose batches to list.</summary>
    public string? AgentId { get; init; }
}
