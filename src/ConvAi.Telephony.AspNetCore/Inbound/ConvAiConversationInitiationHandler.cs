namespace ConvAi.Telephony.AspNetCore;

/// <summary>
/// Chooses the dynamic variables and overrides of an inbound call when ElevenLabs calls the
/// conversation-initiation webhook. Subclass it and register the subclass in DI and map the endpoint with
/// <c>app.MapConvAiConversationInitiation(pattern)</c>; it is resolved from the request's services.
/// </summary>
public abstract class ConvAiConversationInitiationHandler
{
    /// <summary>Builds the initiation data for one inbound call. It must answer within the configured timeout.</summary>
    /// <param name="request">What ElevenLabs sent: caller, called number, agent and call SID.</param>
    /// <param name="cancellationToken">Cancelled when the timeout elapses or the caller hangs up.</param>
    /// <returns>The data the conversation starts with.</returns>
    public abstract ValueTask<ConversationInitiationResponse> HandleAsync(ConversationInitiationRequest request, CancellationToken cancellationToken = default);
}
