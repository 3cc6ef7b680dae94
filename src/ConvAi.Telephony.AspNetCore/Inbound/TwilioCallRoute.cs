
namespace ConvAi.Telephony.AspNetCore;

/// <summary>
/// What the inbound endpoint does with a call: connect it to an agent through register-call, or
/// answer TwiML of the router's own (for example <see cref="TwiML.Reject(bool)"/> or a
/// <see cref="TwiML.Dial(string)"/> to a human).
/// </summary>
public sealed class TwilioCallRoute
{
    private TwilioCallRoute(string? agentId, ConversationInitiationClientData? clientData, string? twiml)
    {
        AgentId = agentId;
        ClientData = clientData;
        TwiML = twiml;
    }

    /// <summary>Gets the agent to connect the call to; null means <see cref="TwilioInboundOptions.AgentId"/> (then the client's default agent).</summary>
    public string? AgentId { get; }

    /// <summary>Gets the dynamic variables, <c>user_id</c> and overrides sent with register-call.</summary>
    public ConversationInitiationClientData? ClientData { get; }

    /// <summary>Gets the TwiML answered instead of connecting an agent, or null to connect one.</summary>
    public string? TwiML { get; }

    /// <summary>Connects the call to an agent.</summary>
    /// <param name="agentId">The agent, or null for <see cref="TwilioInboundOptions.AgentId"/>.</param>
    /// <param name="clientData">Dynamic variables, <c>user_id</c> and overrides for the conversation.</param>
    /// <returns>The route.</returns>
    /// <exception cref="ArgumentException"><paramref name="agentId"/> is empty or white space.</exception>
    public static TwilioCallRoute ToAgent(string? agentId = null, ConversationInitiationClientData? clientData = null)
    {
        if (agentId is not null)
        {
            ArgumentException.ThrowIfNullOrWhiteSpace(agentId);
        }

        return new TwilioCallRoute(agentId, clientData, twiml: null);
    }

    /// <summary>Answers the call with the given TwiML instead of connecting an agent; register-call is not called.</summary>
    /// <param name="twiml">A TwiML document, for example from <see cref="AspNetCore.TwiML.Reject(bool)"/>.</param>
    /// <returns>The route.</returns>
    /// <exception cref="ArgumentException"><paramref name="twiml"/> is null or empty.</exception>
    public static TwilioCallRoute Answer(string twiml)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(twiml);
        return new TwilioCallRoute(agentId: null, clientData: null, twiml);
    }
}
