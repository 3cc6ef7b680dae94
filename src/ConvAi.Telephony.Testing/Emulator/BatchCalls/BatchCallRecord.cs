using System.Text.Json.Nodes;

namespace ConvAi.Telephony.Testing;

/// <summary>
/// One emulated batch call. Recipients are dispatched through the same call machinery as single calls; their
/// statuses, the batch status and the counters are derived from their conversations when read. Guarded by the state lock.
/// </summary>
internal sealed class BatchCallRecord
{
    public required string Id { get; init; }

    public required string Name { get; init; }

    public required string AgentId { get; init; }

    public required string AgentName { get; init; }

    public required PhoneNumberRecord PhoneNumber { get; init; }

    public required long CreatedAtUnix { get; init; }

    public required long ScheduledTimeUnix { get; init; }

    public string? Timezone { get; init; }

    public required JsonObject TelephonyCallConfig { get; init; }

    public long? TargetConcurrencyLimit { get; init; }

    public required List<BatchRecipient> Recipients { get; init; }

    public bool Dispatched { get; set; }

    public bool Cancelled { get; set; }

    public int RetryCount { get; set; }

    public long LastUpdatedAtUnix { get; set; }

    public static bool IsTerminal(string status) => status is "completed" or "failed" or "cancelled" or "voicemail";

    public string RecipientStatus(BatchRecipient recipient, EmulatorState state)
    {
        if (recipient.ConversationId is null || state.FindConversation(recipient.ConversationId) is not { } conversation)
        {
            return Cancelled ? "cancelled" : "pending";
        }

        return conversation.StatusAt(state.Now) switch
        {
            ConversationStatuses.Initiated => "initiated",
            ConversationStatuses.InProgress => "in_progress",
            ConversationStatuses.Failed => "failed",
            ConversationStatuses.Done when conversation.Outcome == EmulatedOutcome.Voicemail => "voicemail",
            _ => "completed",
        };
    }

    public string Status(EmulatorState state)
    {
        if (Cancelled)
        {
            return "cancelled";
        }

        if (!Dispatched)
        {
            return "pending";
        }

        var statuses = Recipients.Select(r => RecipientStatus(r, state)).ToList();
        if (statuses.All(IsTerminal))
        {
            return statuses.All(s => s == "failed") ? "failed" : "completed";
        }

        return "in_progress";
    }

    public EmulatedBatchCall ToSnapshot(EmulatorState state) => new(
        Id,
        Name,
        AgentId,
        Status(state),
        Recipients.Select(r => new EmulatedBatchRecipient(r.Id, r.PhoneNumber, RecipientStatus(r, state), r.ConversationId)).ToArray());

    /// <summary>The <c>BatchCallResponse</c> (§7).</summary>
    public JsonObject ToJson(EmulatorState state)
    {
        var statuses = Recipients.Select(r => RecipientStatus(r, state)).ToList();
        return new JsonObject
        {
            ["id"] = Id,
            ["phone_number_id"] = PhoneNumber.PhoneNumberId,
            ["phone_provider"] = PhoneNumber.Provider,
            ["name"] = Name,
            ["agent_id"] = AgentId,
            ["agent_name"] = AgentName,
            ["branch_id"] = null,
            ["branch_name"] = null,
            ["environment"] = null,
            ["whatsapp_params"] = null,
            ["created_at_unix"] = CreatedAtUnix,
            ["scheduled_time_unix"] = ScheduledTimeUnix,
            ["timezone"] = Timezone,
            ["total_calls_dispatched"] = Recipients.Count(r => r.ConversationId is not null),
            ["total_calls_scheduled"] = Recipients.Count,
            ["total_calls_finished"] = statuses.Count(s => s is "completed" or "failed" or "voicemail"),
            ["last_updated_at_unix"] = LastUpdatedAtUnix,
            ["status"] = Status(state),
            ["retry_count"] = RetryCount,
            ["telephony_call_config"] = TelephonyCallConfig.DeepClone(),
            ["target_concurrency_limit"] = TargetConcurrencyLimit,
        };
    }

    /// <summary>The <c>BatchCallDetailedResponse</c>: the batch plus its recipients.</summary>
    public JsonObject ToDetailedJson(EmulatorState state)
    {
        var json = ToJson(state);
        var recipients = new JsonArray();
        foreach (var recipient in Recipients)
        {
            recipients.Add((JsonNode)new JsonObject
            {
                ["id"] = recipient.Id,
                ["phone_number"] = recipient.PhoneNumber,
                ["status"] = RecipientStatus(recipient, state),
                ["created_at_unix"] = CreatedAtUnix,
                ["updated_at_unix"] = recipient.UpdatedAtUnix,
                ["conversation_id"] = recipient.ConversationId,
                ["conversation_initiation_client_data"] = recipient.ClientData?.DeepClone(),
            });
        }

        json["recipients"] = recipients;
        return json;
    }

    /// <summary>Places the calls of every recipient that has none yet, or whose call failed when <paramref name="retryFailed"/>.</summary>
    public void Dispatch(EmulatorState state, bool retryFailed)
    {
        if (Cancelled)
        {
            return;
        }

        var now = state.Now.ToUnixTimeSeconds();
        foreach (var recipient in Recipients)
        {
            var place = recipient.ConversationId is null || (retryFailed && RecipientStatus(recipient, state) == "failed");
            if (!place)
            {
                continue;
            }

            var conversation = state.PlaceCall(
                AgentId,
                PhoneNumber.Provider == PhoneNumberRecord.Twilio ? "twilio" : "sip_trunking",
                "outbound",
                PhoneNumber.PhoneNumberId,
                PhoneNumber.Number,
                recipient.PhoneNumber,
                recipient.ClientData?.DeepClone() as JsonObject,
                Id,
                recipient.Id);
            recipient.ConversationId = conversation.ConversationId;
            recipient.UpdatedAtUnix = now;
        }

        Dispatched = true;
        LastUpdatedAtUnix = now;
    }
}

/// <summary>One recipient of a <see cref="BatchCallRecord"/>.</summary>
internal sealed class BatchRecipient
{
    public required string Id { get; init; }

    public required string PhoneNumber { get; init; }

    public JsonObject? ClientData { get; init; }

    public string? ConversationId { get; set; }

    public long UpdatedAtUnix { get; set; }
}
