using System.Text.Json.Nodes;

namespace ConvAi.Telephony.Testing;

/// <summary>
/// One emulated conversation. Its status is a function of the clock: <c>initiated</c> at the start, then
/// <c>in-progress</c>, <c>processing</c> and <c>done</c> one step apart (a busy or unanswered call is <c>failed</c> after one step),
/// so a fake clock moves it deterministically. Mutable fields are guarded by the state lock.
/// </summary>
internal sealed class ConversationRecord
{
    public required string ConversationId { get; init; }

    /// <summary>Gets the order of creation, which breaks ties between equal start times in lists.</summary>
    public required long Sequence { get; init; }

    public required string AgentId { get; init; }

    public required string AgentName { get; init; }

    /// <summary>Gets <c>twilio</c> or <c>sip_trunking</c> (the spelling of <c>metadata.phone_call.type</c>).</summary>
    public required string CallType { get; init; }

    public required string Direction { get; init; }

    public required string? PhoneNumberId { get; init; }

    public required string AgentNumber { get; init; }

    public required string ExternalNumber { get; init; }

    public required string CallSid { get; init; }

    public required JsonObject? ClientData { get; init; }

    public required DateTimeOffset StartedAt { get; init; }

    public required TimeSpan Step { get; init; }

    public required EmulatedOutcome Outcome { get; init; }

    public required IReadOnlyList<TranscriptTurn> Script { get; init; }

    public string? BatchCallId { get; init; }

    public string? BatchRecipientId { get; init; }

    public string? Feedback { get; set; }

    /// <summary>Gets or sets the external reference (a Slack message or Zendesk ticket URL) the resolve endpoint finds the conversation by.</summary>
    public string? Reference { get; set; }

    /// <summary>
    /// Gets a value indicating whether this is a live conversation over the agent WebSocket (no phone call): it is
    /// <c>in-progress</c> while the socket is open, <c>processing</c> for one step after it closed, then <c>done</c>, and its
    /// transcript is what was said (<see cref="Script"/> grows during the session, under the state lock).
    /// </summary>
    public bool IsSession { get; init; }

    /// <summary>Gets or sets when the session's socket closed (under the state lock); null while it is open.</summary>
    public DateTimeOffset? SessionEndedAt { get; set; }

    /// <summary>Gets or sets whether the session's text-only mode was on.</summary>
    public bool TextOnly { get; set; }

    public string? UserId => ClientData?["user_id"] is JsonValue v && v.TryGetValue(out string? id) ? id : null;

    public bool IsTwilio => CallType == "twilio";

    /// <summary>Gets a value indicating whether the call never connects (busy or no answer).</summary>
    public bool FailsToConnect => Outcome is EmulatedOutcome.Busy or EmulatedOutcome.NoAnswer or EmulatedOutcome.Failed;

    /// <summary>Gets the <c>failure_reason</c> of a call that never connects: <c>busy</c>, <c>no-answer</c> (hyphen) or <c>unknown</c>.</summary>
    public string FailureReason => Outcome switch
    {
        EmulatedOutcome.Busy => "busy",
        EmulatedOutcome.NoAnswer => "no-answer",
        _ => "unknown",
    };

    /// <summary>Gets the SIP status of a call that never connects: 486 busy, 480 no answer, 500 otherwise.</summary>
    private int SipStatusCode => Outcome switch
    {
        EmulatedOutcome.Busy => 486,
        EmulatedOutcome.NoAnswer => 480,
        _ => 500,
    };

    /// <summary>Gets the moment the call reaches its final status.</summary>
    public DateTimeOffset EndsAt => IsSession
        ? (SessionEndedAt ?? DateTimeOffset.MaxValue - Step) + Step
        : StartedAt + (FailsToConnect ? Step : Step * 3);

    public long StartUnixSecs => StartedAt.ToUnixTimeSeconds();

    /// <summary>
    /// Gets or sets a value indicating whether the end timer has fired. A system timer may fire a little before the
    /// wall clock reaches <see cref="EndsAt"/>; once the webhooks are out, the conversation reads as ended.
    /// </summary>
    public bool Ended { get; set; }

    public string StatusAt(DateTimeOffset now)
    {
        if (IsSession)
        {
            return SessionEndedAt is null ? ConversationStatuses.InProgress
                : Ended || now >= EndsAt ? ConversationStatuses.Done
                : ConversationStatuses.Processing;
        }

        if (Ended || now >= EndsAt)
        {
            return FailsToConnect ? ConversationStatuses.Failed : ConversationStatuses.Done;
        }

        if (FailsToConnect)
        {
            return ConversationStatuses.Initiated;
        }

        var elapsed = now - StartedAt;
        return elapsed < Step ? ConversationStatuses.Initiated
            : elapsed < Step * 2 ? ConversationStatuses.InProgress
            : elapsed < Step * 3 ? ConversationStatuses.Processing
            : ConversationStatuses.Done;
    }

    public static bool IsTerminal(string status) => status is ConversationStatuses.Done or ConversationStatuses.Failed;

    public int DurationAt(string status) => IsSession
        ? (int)Math.Round(((SessionEndedAt ?? StartedAt) - StartedAt).TotalSeconds)
        : status is ConversationStatuses.Processing or ConversationStatuses.Done ? TranscriptScript.CallDurationSecs : 0;

    public string CallSuccessfulAt(string status) => status switch
    {
        ConversationStatuses.Done => Outcome == EmulatedOutcome.Success ? "success" : "failure",
        ConversationStatuses.Failed => "failure",
        _ => "unknown",
    };

    public IReadOnlyList<TranscriptTurn> TranscriptAt(string status) => IsSession ? [.. Script] : status switch
    {
        ConversationStatuses.InProgress => [Script[0]],
        ConversationStatuses.Processing or ConversationStatuses.Done => Script,
        _ => [],
    };

    public string TranscriptSummary => Outcome switch
    {
        EmulatedOutcome.Success => "The agent reached the customer, confirmed their details and ended the call politely.",
        EmulatedOutcome.Voicemail => "The call reached voicemail; the agent left a short message.",
        _ => "The agent reached the customer but the call did not reach its goal.",
    };

    public EmulatedConversation ToSnapshot(DateTimeOffset now)
    {
        var status = StatusAt(now);
        return new EmulatedConversation(
            ConversationId,
            AgentId,
            status,
            PhoneNumberId,
            AgentNumber,
            ExternalNumber,
            Direction,
            CallSid,
            UserId,
            (ClientData?["dynamic_variables"] as JsonObject)?.DeepClone() as JsonObject,
            TranscriptAt(status),
            BatchCallId,
            StartedAt);
    }

    /// <summary>The GET conversation response (§6.2), also the <c>data</c> of <c>post_call_transcription</c>.</summary>
    public JsonObject ToJson(DateTimeOffset now)
    {
        var status = StatusAt(now);
        var done = status == ConversationStatuses.Done;
        var clientData = (JsonObject?)ClientData?.DeepClone() ?? [];
        clientData["dynamic_variables"] ??= new JsonObject();
        clientData["conversation_config_override"] ??= new JsonObject();
        clientData["custom_llm_extra_body"] ??= new JsonObject();

        var transcript = new JsonArray();
        var turns = TranscriptAt(status);
        foreach (var turn in turns)
        {
            // A voicemail call's last agent turn carries the voicemail-detection tool (system tool results, api-reference §6.2).
            var detectsVoicemail = Outcome == EmulatedOutcome.Voicemail && turns.Count == Script.Count && ReferenceEquals(turn, Script[^1]);
            transcript.Add((JsonNode)new JsonObject
            {
                ["role"] = turn.Role,
                ["message"] = turn.Message,
                ["tool_calls"] = detectsVoicemail ? VoicemailToolCall() : new JsonArray(),
                ["tool_results"] = detectsVoicemail ? VoicemailToolResult(turn.Message) : new JsonArray(),
                ["feedback"] = null,
                ["time_in_call_secs"] = turn.TimeInCallSecs,
                ["conversation_turn_metrics"] = null,
                ["interrupted"] = false,
                ["source_medium"] = IsSession && TextOnly ? "text" : "audio",
            });
        }

        return new JsonObject
        {
            ["agent_id"] = AgentId,
            ["agent_name"] = AgentName,
            ["conversation_id"] = ConversationId,
            ["status"] = status,
            ["user_id"] = UserId,
            ["transcript"] = transcript,
            ["metadata"] = Metadata(status),
            ["analysis"] = done
                ? new JsonObject
                {
                    ["evaluation_criteria_results"] = new JsonObject(),
                    ["data_collection_results"] = new JsonObject(),
                    ["call_successful"] = CallSuccessfulAt(status),
                    ["transcript_summary"] = TranscriptSummary,
                    ["call_summary_title"] = "Emulated call",
                }
                : null,
            ["conversation_initiation_client_data"] = clientData,
            ["has_audio"] = done,
            ["has_user_audio"] = done,
            ["has_response_audio"] = done,
            ["has_auxiliary_audio"] = false,
            ["conversation_product"] = "agent",
            ["environment"] = "production",
            ["tag_ids"] = new JsonArray(),
        };
    }

    /// <summary>
    /// The <c>data</c> of one of the webhooks this conversation produces when it ends (§8.3–8.5): the conversation at its
    /// end for <c>post_call_transcription</c>, the recording for <c>post_call_audio</c>, the failure for <c>call_initiation_failure</c>.
    /// </summary>
    public (string EventType, JsonObject Data) WebhookEvent(string eventType) => (eventType, eventType switch
    {
        EmulatedWebhookPayload.PostCallTranscription => ToJson(EndsAt),
        EmulatedWebhookPayload.PostCallAudio => new JsonObject
        {
            ["agent_id"] = AgentId,
            ["conversation_id"] = ConversationId,
            ["full_audio"] = Convert.ToBase64String(EmulatedAudio.Mp3),
        },
        EmulatedWebhookPayload.CallInitiationFailure => new JsonObject
        {
            ["agent_id"] = AgentId,
            ["conversation_id"] = ConversationId,
            ["failure_reason"] = FailureReason,
            ["metadata"] = FailureMetadata(EndsAt),
        },
        _ => throw new ArgumentOutOfRangeException(nameof(eventType), eventType, "Not a webhook type the emulator sends."),
    });

    /// <summary>One element of the conversation list (§6.1 <c>ConversationSummaryResponseModel</c>).</summary>
    public JsonObject ToSummaryJson(DateTimeOffset now, bool includeSummary)
    {
        var status = StatusAt(now);
        return new JsonObject
        {
            ["agent_id"] = AgentId,
            ["agent_name"] = AgentName,
            ["conversation_id"] = ConversationId,
            ["start_time_unix_secs"] = StartUnixSecs,
            ["call_duration_secs"] = DurationAt(status),
            ["message_count"] = TranscriptAt(status).Count,
            ["status"] = status,
            ["call_successful"] = CallSuccessfulAt(status),
            ["transcript_summary"] = includeSummary && status == ConversationStatuses.Done ? TranscriptSummary : null,
            ["call_summary_title"] = status == ConversationStatuses.Done ? "Emulated call" : null,
            ["direction"] = Direction,
            ["termination_reason"] = TerminationReason(status),
            ["main_language"] = "en",
            ["conversation_initiation_source"] = InitiationSource,
            ["rating"] = null,
            ["tag_ids"] = new JsonArray(),
        };
    }

    /// <summary>The <c>call_initiation_failure</c> webhook's <c>data.metadata</c> (§8.5) for a busy or unanswered callee.</summary>
    public JsonObject FailureMetadata(DateTimeOffset now)
    {
        if (IsTwilio)
        {
            return new JsonObject
            {
                ["type"] = "twilio",
                ["body"] = new JsonObject
                {
                    ["AccountSid"] = "AC00000000000000000000000000000000",
                    ["CallSid"] = CallSid,
                    ["CallStatus"] = Outcome == EmulatedOutcome.Failed ? "failed" : FailureReason,
                    ["SipResponseCode"] = Outcome switch { EmulatedOutcome.Busy => "486", EmulatedOutcome.NoAnswer => "487", _ => "500" },
                    ["Direction"] = "outbound-api",
                    ["From"] = AgentNumber,
                    ["To"] = ExternalNumber,
                    ["Timestamp"] = now.ToString("r", System.Globalization.CultureInfo.InvariantCulture),
                },
            };
        }

        return new JsonObject
        {
            ["type"] = "sip",
            ["body"] = new JsonObject
            {
                ["sip_status_code"] = SipStatusCode,
                ["error_reason"] = $"INVITE failed: sip status: {SipStatusCode}: {SipStatus} (SIP {SipStatusCode})",
                ["call_sid"] = CallSid,
                ["sip_status"] = SipStatus,
                ["twirp_code"] = "unavailable",
            },
        };
    }

    private string InitiationSource => IsSession
        ? ClientData?["source_info"]?["source"] is JsonValue source && source.TryGetValue(out string? value) ? value : "unknown"
        : IsTwilio ? "twilio" : "sip_trunk";

    private string SipStatus => Outcome switch
    {
        EmulatedOutcome.Busy => "Busy here",
        EmulatedOutcome.NoAnswer => "Temporarily Unavailable",
        _ => "Server Internal Error",
    };

    private static JsonArray VoicemailToolCall() =>
    [
        new JsonObject
        {
            ["type"] = "system",
            ["request_id"] = "voicemail_detection_1",
            ["tool_name"] = "voicemail_detection",
            ["params_as_json"] = "{}",
            ["tool_has_been_called"] = true,
        },
    ];

    private static JsonArray VoicemailToolResult(string message) =>
    [
        new JsonObject
        {
            ["type"] = "system",
            ["request_id"] = "voicemail_detection_1",
            ["tool_name"] = "voicemail_detection",
            ["result_value"] = "Voicemail detected.",
            ["is_error"] = false,
            ["tool_has_been_called"] = true,
            ["result"] = new JsonObject
            {
                ["result_type"] = "voicemail_detection_success",
                ["status"] = "success",
                ["voicemail_message"] = message,
                ["reason"] = "An answering-machine greeting asked to leave a message.",
            },
        },
    ];

    private string TerminationReason(string status) => status switch
    {
        ConversationStatuses.Done => "Call ended by the agent.",
        ConversationStatuses.Failed => "Call initiation failed: " + FailureReason + ".",
        _ => string.Empty,
    };

    private JsonObject Metadata(string status)
    {
        var phoneCall = new JsonObject
        {
            ["type"] = CallType,
            ["direction"] = Direction,
            ["phone_number_id"] = PhoneNumberId,
            ["agent_number"] = AgentNumber,
            ["external_number"] = ExternalNumber,
            ["call_sid"] = CallSid,
        };
        if (IsTwilio)
        {
            phoneCall["stream_sid"] = "MZ" + CallSid[2..];
        }
        else
        {
            phoneCall["call_id"] = CallSid;
        }

        var duration = DurationAt(status);
        var charging = Charging(duration);
        return new JsonObject
        {
            ["start_time_unix_secs"] = StartUnixSecs,
            ["accepted_time_unix_secs"] = FailsToConnect ? null : StartUnixSecs,
            ["call_duration_secs"] = duration,
            ["cost"] = charging.Credits,
            ["cost_fiat"] = charging.Price,
            ["charging"] = charging.Json,
            ["termination_reason"] = TerminationReason(status),
            ["error"] = status == ConversationStatuses.Failed
                ? new JsonObject { ["code"] = SipStatusCode, ["reason"] = FailureReason }
                : null,
            ["phone_call"] = IsSession ? null : phoneCall,
            ["batch_call"] = BatchCallId is null
                ? null
                : new JsonObject { ["batch_call_id"] = BatchCallId, ["batch_call_recipient_id"] = BatchRecipientId },
            ["feedback"] = new JsonObject
            {
                ["type"] = "thumbs",
                ["overall_score"] = Feedback,
                ["likes"] = Feedback == "like" ? 1 : 0,
                ["dislikes"] = Feedback == "dislike" ? 1 : 0,
            },
            ["authorization_method"] = "authorization_header",
            ["main_language"] = "en",
            ["conversation_initiation_source"] = InitiationSource,
            ["text_only"] = IsSession && TextOnly,
        };
    }

    /// <summary>
    /// The <c>metadata.charging</c> block in the shape of elevenlabs-python 2.59 (<c>ConversationChargingCommonModel</c>), consistent
    /// with <c>cost</c> and <c>cost_fiat</c>: 10 credits a second, 1 for the LLM and 9 for the platform (all <c>voice</c>), at
    /// $0.0001 and $0.0015 a second. A call that never connected is charged nothing.
    /// </summary>
    private static (long Credits, double Price, JsonObject Json) Charging(int durationSecs)
    {
        long llmCredits = durationSecs;
        long platformCredits = durationSecs * 9L;
        var llmPrice = Math.Round(durationSecs * 0.0001, 6);
        var platformPrice = Math.Round(durationSecs * 0.0015, 6);
        var inputTokens = durationSecs * 40L;
        var outputTokens = durationSecs * 5L;
        JsonObject Tokens(long tokens, double price) => new() { ["tokens"] = tokens, ["price"] = price };
        JsonObject ModelUsage() => new()
        {
            ["model_usage"] = new JsonObject
            {
                ["gemini-2.0-flash"] = new JsonObject
                {
                    ["input"] = Tokens(inputTokens, Math.Round(llmPrice * 0.6, 6)),
                    ["input_cache_read"] = Tokens(0, 0),
                    ["input_cache_write"] = Tokens(0, 0),
                    ["output_total"] = Tokens(outputTokens, Math.Round(llmPrice * 0.4, 6)),
                },
            },
        };
        var json = new JsonObject
        {
            ["dev_discount"] = false,
            ["is_burst"] = false,
            ["tier"] = "emulated",
            ["llm_usage"] = new JsonObject
            {
                ["irreversible_generation"] = ModelUsage(),
                ["initiated_generation"] = ModelUsage(),
            },
            ["llm_price"] = llmPrice,
            ["llm_charge"] = llmCredits,
            ["call_charge"] = platformCredits,
            ["platform_charge"] = platformCredits,
            ["platform_usage"] = new JsonObject
            {
                ["category_usage"] = new JsonObject
                {
                    ["voice"] = new JsonObject { ["credits"] = platformCredits, ["price"] = platformPrice, ["quantity"] = durationSecs },
                },
            },
            ["platform_price"] = platformPrice,
            ["free_minutes_consumed"] = 0.0,
            ["free_llm_dollars_consumed"] = 0.0,
            ["tts_usage"] = new JsonObject
            {
                ["primary_tts_model"] = "eleven_flash_v2_5",
                ["total_audio_output_seconds"] = durationSecs / 2.0,
                ["total_characters"] = durationSecs * 8,
                ["per_voice_usage"] = new JsonArray(),
            },
            ["asr_usage"] = new JsonObject
            {
                ["asr_model"] = "scribe_realtime",
                ["total_transcription_calls"] = durationSecs == 0 ? 0 : 3,
                ["total_audio_input_seconds"] = durationSecs / 2.0,
            },
        };
        return (llmCredits + platformCredits, Math.Round(llmPrice + platformPrice, 6), json);
    }
}
