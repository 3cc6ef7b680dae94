using System.Text.Json.Nodes;

namespace ConvAi.Telephony.Testing;

/// <summary>
/// The script of an agent the emulator plays on its WebSocket (<c>/v1/convai/conversation</c>): what it says first, how it answers each
/// user turn (text templates with <c>{{variable}}</c> placeholders, optionally after a client tool call), and when it ends the conversation.
/// </summary>
/// <remarks>
/// Templates are filled from the dynamic variables of the initiation data, plus <c>{{user_message}}</c> (what the user just said),
/// <c>{{tool_result}}</c> (the result of the turn's tool call), <c>{{system__conversation_id}}</c> and <c>{{system__agent_id}}</c>. A
/// template that names a dynamic variable the client did not send makes the agent close the socket with 1008 as soon as the initiation
/// data arrives, with an <c>error</c> message of type <c>missing_dynamic_variable</c>, as the real agent does.
/// </remarks>
public sealed class EmulatedAgent
{
    /// <summary>
    /// Gets or sets what the agent says when the conversation starts; null or empty makes it wait for the user. A
    /// <c>conversation_config_override.agent.first_message</c> in the initiation data replaces it. The default is <c>Hello! How can I help you today?</c>.
    /// </summary>
    public string? FirstMessage { get; set; } = "Hello! How can I help you today?";

    /// <summary>Gets the answers to the user's turns, in order: the first user turn gets the first reply, and so on.</summary>
    public IList<EmulatedAgentReply> Replies { get; } = [];

    /// <summary>Gets or sets the answer to a user turn once <see cref="Replies"/> are used up. The default is <c>You said: {{user_message}}</c>.</summary>
    public string DefaultReply { get; set; } = "You said: {{user_message}}";

    /// <summary>Gets or sets the number of user turns after which the agent says <see cref="EndMessage"/> and closes the socket with 1000; null never ends.</summary>
    public int? EndAfterTurns { get; set; }

    /// <summary>
    /// Gets or sets a phrase that ends the conversation when a user turn contains it (ignoring case): the agent says
    /// <see cref="EndMessage"/> and closes the socket with 1000. The default is <c>goodbye</c>; null turns it off.
    /// </summary>
    public string? EndPhrase { get; set; } = "goodbye";

    /// <summary>Gets or sets what the agent says before it ends the conversation. The default is <c>Thank you for calling. Goodbye!</c>.</summary>
    public string EndMessage { get; set; } = "Thank you for calling. Goodbye!";

    /// <summary>
    /// Gets or sets a value indicating whether the agent is public: its socket accepts connections without a signed URL or API key.
    /// Otherwise a connection needs a signed URL from <c>get-signed-url</c> (or the <c>xi-api-key</c> header).
    /// </summary>
    public bool IsPublic { get; set; }

    /// <summary>Gets or sets the format of the agent's audio. The default is <see cref="ConversationAudioFormat.Ulaw8000"/>, the telephony format.</summary>
    public ConversationAudioFormat AgentOutputAudioFormat { get; set; } = ConversationAudioFormat.Ulaw8000;

    /// <summary>Gets or sets the format the agent expects for the user's audio. The default is <see cref="ConversationAudioFormat.Ulaw8000"/>.</summary>
    public ConversationAudioFormat UserInputAudioFormat { get; set; } = ConversationAudioFormat.Ulaw8000;
}

/// <summary>One answer of an <see cref="EmulatedAgent"/> to a user turn: optionally a client tool call first, then the text it speaks.</summary>
public sealed class EmulatedAgentReply
{
    /// <summary>Initializes a new instance of the <see cref="EmulatedAgentReply"/> class.</summary>
    /// <param name="text">The text template the agent speaks.</param>
    public EmulatedAgentReply(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        Text = text;
    }

    /// <summary>Gets or sets the text template the agent speaks; <c>{{tool_result}}</c> holds the tool's result when <see cref="ToolName"/> is set.</summary>
    public string Text { get; set; }

    /// <summary>
    /// Gets or sets the client tool the agent calls before it answers (a <c>client_tool_call</c> message); the answer waits for the
    /// client's <c>client_tool_result</c>. Null calls no tool.
    /// </summary>
    public string? ToolName { get; set; }

    /// <summary>Gets or sets the parameters of the tool call; string values are templates too.</summary>
    public JsonObject? ToolParameters { get; set; }
}
