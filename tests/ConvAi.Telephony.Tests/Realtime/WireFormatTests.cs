using System.Text;
using System.Text.Json.Nodes;

namespace ConvAi.Telephony.Tests.Realtime;

/// <summary>
/// Each client and server message of the agent socket, built from the AsyncAPI schemas
/// (elevenlabs/packages: packages/types/schemas/agent.asyncapi.yaml): client messages compared byte for byte, server messages parsed.
/// </summary>
public class WireFormatTests
{
    private static string Text(OutgoingMessage message)
    {
        try
        {
            return Encoding.UTF8.GetString(message.Memory.Span);
        }
        finally
        {
            message.Release();
        }
    }

    // UserAudioPayload: {user_audio_chunk} with no type.
    [Test]
    public void Audio_Raw_IsBase64EncodedWithoutType()
        => Assert.That(Text(ClientMessages.Audio([0xFF, 0x7F, 0x00, 0x01])), Is.EqualTo("""{"user_audio_chunk":"/38AAQ=="}"""));

    [Test]
    public void Audio_Base64_PassesThroughUnchanged()
        => Assert.That(Text(ClientMessages.AudioBase64("/38AAQ=="u8)), Is.EqualTo("""{"user_audio_chunk":"/38AAQ=="}"""));

    // PongPayload: {type: pong, event_id}.
    [Test]
    public void Pong_EchoesTheEventId() => Assert.That(Text(ClientMessages.Pong(42)), Is.EqualTo("""{"type":"pong","event_id":42}"""));

    // UserMessagePayload: {type: user_message, text}.
    [Test]
    public void UserMessage() => Assert.That(Text(ClientMessages.UserMessage("Where is my order?")), Is.EqualTo("""{"type":"user_message","text":"Where is my order?"}"""));

    // UserActivityPayload: {type: user_activity}.
    [Test]
    public void UserActivity() => Assert.That(Text(ClientMessages.UserActivity()), Is.EqualTo("""{"type":"user_activity"}"""));

    // ContextualUpdatePayload: {type: contextual_update, text, context_id?}.
    [Test]
    public void ContextualUpdate_WithAndWithoutContextId()
    {
        Assert.That(Text(ClientMessages.ContextualUpdate("Order 123 shipped today", null)), Is.EqualTo("""{"type":"contextual_update","text":"Order 123 shipped today"}"""));
        Assert.That(Text(ClientMessages.ContextualUpdate("Order 123 shipped", "order")), Is.EqualTo("""{"type":"contextual_update","text":"Order 123 shipped","context_id":"order"}"""));
    }

    // ClientToolResultPayload: {type: client_tool_result, tool_call_id, result (string), is_error}.
    [Test]
    public void ClientToolResult()
        => Assert.That(Text(ClientMessages.ClientToolResult("call_1", "shipped", true)), Is.EqualTo("""{"type":"client_tool_result","tool_call_id":"call_1","result":"shipped","is_error":true}"""));

    // UserFeedbackPayload: {type: feedback, event_id, score: like | dislike}.
    [Test]
    public void Feedback()
        => Assert.That(Text(ClientMessages.Feedback(7, ConversationFeedbackScore.Dislike)), Is.EqualTo("""{"type":"feedback","event_id":7,"score":"dislike"}"""));

    // MCPToolApprovalResultPayload: {type: mcp_tool_approval_result, tool_call_id, is_approved}.
    [Test]
    public void McpToolApprovalResult()
        => Assert.That(Text(ClientMessages.McpToolApprovalResult("mcp_1", false)), Is.EqualTo("""{"type":"mcp_tool_approval_result","tool_call_id":"mcp_1","is_approved":false}"""));

    // ConversationInitiationPayload: {type, conversation_config_override, custom_llm_extra_body, dynamic_variables, user_id, source_info}.
    [Test]
    public void Initiation_WritesTheSchemaFieldsAfterTheType()
    {
        var data = new ConversationInitiationClientData
        {
            DynamicVariables = new Dictionary<string, JsonNode?> { ["name"] = "Ana", ["vip"] = true, ["visits"] = 3 },
            UserId = "u1",
            ConversationConfigOverride = new ConversationConfigOverride
            {
                Agent = new AgentOverride { FirstMessage = "Hi", Language = "en", Prompt = new PromptOverride { Prompt = "Be brief", Llm = "gpt-4o" } },
                Tts = new TtsOverride { VoiceId = "v1" },
                Conversation = new ConversationOverride { TextOnly = true },
            },
            CustomLlmExtraBody = new JsonObject { ["k"] = "v" },
            SourceInfo = new ConversationSourceInfo { Source = "python_sdk", Version = "1.0" },
        };

        Assert.That(
            Text(ClientMessages.Initiation(data)),
            Is.EqualTo("""{"type":"conversation_initiation_client_data","dynamic_variables":{"name":"Ana","vip":true,"visits":3},"user_id":"u1","conversation_config_override":{"agent":{"first_message":"Hi","language":"en","prompt":{"prompt":"Be brief","llm":"gpt-4o"}},"tts":{"voice_id":"v1"},"conversation":{"text_only":true}},"custom_llm_extra_body":{"k":"v"},"source_info":{"source":"python_sdk","version":"1.0"}}"""));
    }

    [Test]
    public void Initiation_Empty_IsTheTypeOnly()
        => Assert.That(Text(ClientMessages.Initiation(new ConversationInitiationClientData())), Is.EqualTo("""{"type":"conversation_initiation_client_data"}"""));

    private static ConversationEvent Parse(string json)
    {
        var message = ServerMessageParser.Parse(Encoding.UTF8.GetBytes(json));
        Assert.That(message.Kind, Is.EqualTo(ServerMessageKind.Event), json);
        return message.Event!;
    }

    [Test]
    public void Metadata()
    {
        var e = (ConversationStartedEvent)Parse("""{"type":"conversation_initiation_metadata","conversation_initiation_metadata_event":{"conversation_id":"conv_1","agent_output_audio_format":"pcm_16000","user_input_audio_format":"ulaw_8000"}}""");
        Assert.That((e.ConversationId, e.AgentOutputAudioFormat, e.UserInputAudioFormat), Is.EqualTo(("conv_1", (ConversationAudioFormat?)ConversationAudioFormat.Pcm16000, (ConversationAudioFormat?)ConversationAudioFormat.Ulaw8000)));
    }

    [Test]
    public void Audio_KeepsBase64AndDecodesOnDemand()
    {
        var e = (AgentAudioEvent)Parse("""{"type":"audio","audio_event":{"audio_base_64":"/38AAQ==","event_id":3,"alignment":{"chars":["H"],"char_start_times_ms":[0],"char_durations_ms":[50]}}}""");
        Assert.Multiple(() =>
        {
            Assert.That(e.EventId, Is.EqualTo(3));
            Assert.That(Encoding.UTF8.GetString(e.AudioBase64.Span), Is.EqualTo("/38AAQ=="));
            Assert.That(e.DecodedLength, Is.EqualTo(4));
            Assert.That(e.DecodeAudio(), Is.EqualTo(new byte[] { 0xFF, 0x7F, 0x00, 0x01 }));
            Assert.That(e.Alignment!.Value.GetProperty("chars")[0].GetString(), Is.EqualTo("H"));
        });
        Span<byte> small = stackalloc byte[2];
        Assert.That(e.TryDecodeAudio(small, out _), Is.False);
    }

    [Test]
    public void Audio_EscapedSlash_IsUnescaped()
    {
        var e = (AgentAudioEvent)Parse("""{"type":"audio","audio_event":{"audio_base_64":"\/38AAQ==","event_id":3}}""");
        Assert.That(Encoding.UTF8.GetString(e.AudioBase64.Span), Is.EqualTo("/38AAQ=="));
    }

    [Test]
    public void TypeAfterPayload_IsParsedTheSame()
    {
        var e = (AgentResponseEvent)Parse("""{"agent_response_event":{"event_id":2,"agent_response":"Hello"},"type":"agent_response"}""");
        Assert.That((e.EventId, e.Text), Is.EqualTo((2L, "Hello")));
    }

    [Test]
    public void Interruption() => Assert.That(((InterruptionEvent)Parse("""{"type":"interruption","interruption_event":{"event_id":9}}""")).EventId, Is.EqualTo(9));

    [Test]
    public void Transcripts()
    {
        var final = (UserTranscriptEvent)Parse("""{"type":"user_transcript","user_transcription_event":{"user_transcript":"Where is it?","event_id":4}}""");
        var tentative = (TentativeUserTranscriptEvent)Parse("""{"type":"tentative_user_transcript","tentative_user_transcription_event":{"user_transcript":"Where","event_id":4}}""");
        Assert.That((final.Text, final.EventId, tentative.Text), Is.EqualTo(("Where is it?", 4L, "Where")));
    }

    [Test]
    public void AgentResponseCorrection()
    {
        var e = (AgentResponseCorrectionEvent)Parse("""{"type":"agent_response_correction","agent_response_correction_event":{"original_agent_response":"Your order is on","corrected_agent_response":"Your order","event_id":5}}""");
        Assert.That((e.OriginalText, e.CorrectedText, e.EventId), Is.EqualTo(("Your order is on", "Your order", 5L)));
    }

    [Test]
    public void AgentChatResponsePart()
    {
        var e = (AgentChatResponsePartEvent)Parse("""{"type":"agent_chat_response_part","text_response_part":{"text":"Hel","type":"delta","event_id":6}}""");
        Assert.That((e.PartType, e.Text, e.EventId), Is.EqualTo(("delta", "Hel", 6L)));
    }

    [Test]
    public void ClientToolCall()
    {
        var e = (ClientToolCallEvent)Parse("""{"type":"client_tool_call","client_tool_call":{"tool_name":"lookup","tool_call_id":"c1","parameters":{"id":1},"event_id":7}}""");
        Assert.That((e.ToolName, e.ToolCallId, e.EventId, e.Parameters.GetProperty("id").GetInt32()), Is.EqualTo(("lookup", "c1", 7L, 1)));
    }

    [Test]
    public void VadScore() => Assert.That(((VadScoreEvent)Parse("""{"type":"vad_score","vad_score_event":{"vad_score":0.75}}""")).Score, Is.EqualTo(0.75));

    [Test]
    public void Error()
    {
        var e = (ConversationErrorEvent)Parse("""{"type":"error","error_event":{"code":1008,"message":"Missing","error_type":"missing_dynamic_variable","reason":"r","debug_message":null,"details":{}}}""");
        Assert.That((e.Code, e.Message, e.ErrorType, e.Reason), Is.EqualTo(((int?)1008, "Missing", "missing_dynamic_variable", "r")));
    }

    [Test]
    public void Ping_IsNotAnEvent()
    {
        var message = ServerMessageParser.Parse("""{"type":"ping","ping_event":{"event_id":11,"ping_ms":35}}"""u8.ToArray());
        Assert.That((message.Kind, message.PingEventId, message.PingMs), Is.EqualTo((ServerMessageKind.Ping, 11L, (long?)35)));
        var noLatency = ServerMessageParser.Parse("""{"type":"ping","ping_event":{"event_id":12,"ping_ms":null}}"""u8.ToArray());
        Assert.That((noLatency.PingEventId, noLatency.PingMs), Is.EqualTo((12L, (long?)null)));
    }

    [TestCase("""{"type":"agent_tool_response","agent_tool_response":{"tool_name":"t","tool_call_id":"c","tool_type":"client","is_error":false,"is_called":true,"event_id":1}}""", "agent_tool_response")]
    [TestCase("""{"type":"mcp_connection_status","mcp_connection_status":{"integrations":[]}}""", "mcp_connection_status")]
    [TestCase("""{"type":"guardrail_triggered"}""", "guardrail_triggered")]
    [TestCase("""{"type":"agent_response"}""", "agent_response")]
    [TestCase("""{"type":"interruption","interruption_event":{}}""", "interruption")]
    public void Unknown_KeepsRawJson(string json, string type)
    {
        var e = (UnknownConversationEvent)Parse(json);
        Assert.That(e.Type, Is.EqualTo(type));
        Assert.That(JsonNode.DeepEquals(JsonNode.Parse(e.Json.GetRawText()), JsonNode.Parse(json)), Is.True);
    }

    [TestCase("not json")]
    [TestCase("""{"type":"agent_response","agent_response_event":{""")]
    [TestCase("""[1,2]""")]
    [TestCase("""{"type":5}""")]
    [TestCase("""{"no_type":true}""")]
    [TestCase("""{"type":"audio"} trailing""")]
    public void Malformed(string json) => Assert.That(ServerMessageParser.Parse(Encoding.UTF8.GetBytes(json)).Kind, Is.EqualTo(ServerMessageKind.Malformed));
}
