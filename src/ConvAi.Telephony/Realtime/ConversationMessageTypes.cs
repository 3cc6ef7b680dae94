namespace ConvAi.Telephony;

/// <summary>The <c>type</c> values of the agent WebSocket's messages (api-reference §11, the AsyncAPI <c>agent.asyncapi.yaml</c>).</summary>
internal static class ConversationMessageTypes
{
    // Server to client.
    public const string ConversationInitiationMetadata = "conversation_initiation_metadata";
    public const string Audio = "audio";
    public const string Interruption = "interruption";
    public const string Ping = "ping";
    public const string UserTranscript = "user_transcript";
    public const string TentativeUserTranscript = "tentative_user_transcript";
    public const string AgentResponse = "agent_response";
    public const string AgentResponseCorrection = "agent_response_correction";
    public const string AgentChatResponsePart = "agent_chat_response_part";
    public const string ClientToolCall = "client_tool_call";
    public const string VadScore = "vad_score";
    public const string Error = "error";

    // Client to server.
    public const string ConversationInitiationClientData = "conversation_initiation_client_data";
    public const string Pong = "pong";
    public const string UserMessage = "user_message";
    public const string UserActivity = "user_activity";
    public const string ContextualUpdate = "contextual_update";
    public const string ClientToolResult = "client_tool_result";
    public const string Feedback = "feedback";
    public const string McpToolApprovalResult = "mcp_tool_approval_result";
}
