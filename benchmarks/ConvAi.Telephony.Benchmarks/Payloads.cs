using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace ConvAi.Telephony.Benchmarks;

/// <summary>The request and response bodies every case and tool shares, built once from <c>Resources/</c>.</summary>
public static class Payloads
{
    /// <summary>The webhook secret the benchmarks, the load bodies and the load receiver use.</summary>
    public const string WebhookSecret = "whsec_benchmark_secret";

    /// <summary>The API key the client cases send.</summary>
    public const string ApiKey = "xi_benchmark_key";

    /// <summary>The conversation id inside <see cref="TranscriptWebhook"/>.</summary>
    public const string FixtureConversationId = "conv_1";

    private static readonly Lazy<byte[]> Transcript = new(() => File.ReadAllBytes(ResourcePath("post_call_transcription.json")));

    /// <summary>A realistic 7.5 KB <c>post_call_transcription</c> body (13 turns, tool calls, analysis, metadata).</summary>
    public static byte[] TranscriptWebhook => Transcript.Value;

    /// <summary>The <c>data</c> of <see cref="TranscriptWebhook"/>: a GET conversation response.</summary>
    public static byte[] ConversationResponse { get; } = Encoding.UTF8.GetBytes(
        JsonNode.Parse(Transcript.Value)!["data"]!.ToJsonString());

    /// <summary>The answer of <c>POST /v1/convai/twilio/outbound-call</c>.</summary>
    public static byte[] OutboundCallResponse { get; } = Encoding.UTF8.GetBytes(
        """{"success":true,"message":"Success","conversation_id":"conv_01jz","callSid":"CA1234567890abcdef1234567890abcdef"}""");

    /// <summary>The transcript webhook for another conversation id (so each body has its own signature).</summary>
    public static byte[] TranscriptWebhookFor(string conversationId) => Encoding.UTF8.GetBytes(
        Encoding.UTF8.GetString(TranscriptWebhook).Replace($"\"{FixtureConversationId}\"", $"\"{conversationId}\"", StringComparison.Ordinal));

    /// <summary>A <c>post_call_audio</c> body carrying <paramref name="audioBytes"/> random bytes of "MP3".</summary>
    public static byte[] AudioWebhook(int audioBytes)
    {
        var audio = new byte[audioBytes];
        new Random(1).NextBytes(audio);
        return Encoding.UTF8.GetBytes(
            $$$"""{"type":"post_call_audio","event_timestamp":1764000100,"data":{"agent_id":"agent_1","conversation_id":"conv_1","full_audio":"{{{Convert.ToBase64String(audio)}}}"}}""");
    }

    /// <summary>
    /// Page <paramref name="index"/> of a conversation list of <paramref name="pageCount"/> pages: <paramref name="pageSize"/>
    /// summaries (the shape of the API's list answer), and <c>next_cursor</c> <c>page_{index+1}</c> unless last.
    /// </summary>
    public static byte[] ConversationPage(int index, int pageCount, int pageSize)
    {
        var conversations = new JsonArray();
        for (var i = 0; i < pageSize; i++)
        {
            var n = (index * pageSize) + i;
            conversations.Add(JsonNode.Parse($$$"""
                {"agent_id":"agent_1","conversation_id":"conv_{{{n.ToString(CultureInfo.InvariantCulture)}}}","start_time_unix_secs":{{{(1764000000 + n).ToString(CultureInfo.InvariantCulture)}}},
                 "call_duration_secs":95,"message_count":12,"status":"done","call_successful":"success","agent_name":"Support agent",
                 "branch_id":null,"version_id":"v3","termination_reason":"end_call tool","call_success_score":0.92,
                 "transcript_summary":"The customer asked about a refund.","call_summary_title":"Refund question","main_language":"en",
                 "conversation_initiation_source":"twilio","tool_names":["lookup_order"],"direction":"outbound","rating":4.5,
                 "evaluation_criteria_results":{"solved":{"result":"success","score":1,"max_score":1}},"tag_ids":["tag_vip"]}
                """));
        }

        var last = index == pageCount - 1;
        var page = new JsonObject
        {
            ["conversations"] = conversations,
            ["next_cursor"] = last ? null : $"page_{(index + 1).ToString(CultureInfo.InvariantCulture)}",
            ["has_more"] = !last,
        };
        return Encoding.UTF8.GetBytes(page.ToJsonString());
    }

    private static string ResourcePath(string name) => Path.Combine(AppContext.BaseDirectory, "Resources", name);
}
