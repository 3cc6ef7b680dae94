using System.Text.Json;
using System.Text.Json.Nodes;
using ConvAi.Telephony.Tests.TestSupport;

namespace ConvAi.Telephony.Tests.Calls;

/// <summary>Conversation answers built from the recorded <c>Conversations/get.json</c>, changed one field at a time.</summary>
internal static class ConversationFixtures
{
    public const string ConversationId = "conv_1";

    public static JsonObject Json(string status)
    {
        var json = JsonNode.Parse(Resources.ReadStatic("Conversations/get.json"))!.AsObject();
        json["status"] = status;
        return json;
    }

    /// <summary>A failed conversation with <c>metadata.error</c> and <c>termination_reason</c> set (null leaves them out).</summary>
    public static JsonObject Failed(string? errorReason, string? terminationReason)
    {
        var json = Json("failed");
        var metadata = json["metadata"]!.AsObject();
        metadata["call_duration_secs"] = 0;
        metadata["error"] = errorReason is null ? null : new JsonObject { ["code"] = 486, ["reason"] = errorReason };
        metadata["termination_reason"] = terminationReason ?? string.Empty;
        json["analysis"] = null;
        return json;
    }

    /// <summary>
    /// A done conversation whose last turn carries the voicemail-detection system tool result. The shape (a system tool
    /// result whose <c>result.result_type</c> is <c>voicemail_detection_success</c>, with <c>status</c>, <c>voicemail_message</c>,
    /// <c>reason</c>) is pinned to the official Python SDK 2.59.0 (elevenlabs/elevenlabs-python@54e58995,
    /// src/elevenlabs/types/conversation_history_transcript_system_tool_result_common_model_output_result.py,
    /// class ..._VoicemailDetectionSuccess) and api-reference.md §6.2.
    /// </summary>
    public static JsonObject Voicemail()
    {
        var json = Json("done");
        var transcript = json["transcript"]!.AsArray();
        transcript[^1]!["tool_results"] = new JsonArray
        {
            new JsonObject
            {
                ["type"] = "system",
                ["request_id"] = "req_vm",
                ["tool_name"] = "voicemail_detection",
                ["result_value"] = "{}",
                ["is_error"] = false,
                ["tool_has_been_called"] = true,
                ["result"] = new JsonObject
                {
                    ["result_type"] = "voicemail_detection_success",
                    ["status"] = "success",
                    ["voicemail_message"] = "Please call us back.",
                    ["reason"] = "Answering machine greeting.",
                },
            },
        };
        json["analysis"]!["call_successful"] = "failure";
        return json;
    }

    public static Conversation Parse(JsonObject json) =>
        JsonSerializer.Deserialize(json.ToJsonString(), ConvAiJsonContext.Default.Conversation)!;
}
