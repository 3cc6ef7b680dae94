using ConvAi.Telephony;
namespace ConvAi.Telephony.AspNetCore;

/// <summary>
/// Chooses the dynamic variables and overrides of an inbound call when ElevenLabs calls the
/// conversation-initiation webhook. Register an implementation in DI and map the endpoint with
/// <c>app.MapConvAiConversationInitiation(pattern)</c>; it is resolved from the request's services.
/// </summary>
public interface IConversationInitiationHandler
{
    /// <summary>Builds the initiation data for one inbound call. It must answer within the configured timeout.</summary>
    /// <param name="request">What ElevenLabs sent: caller, called number, agent and call SID.</param>
    /// <param name="cancellationToken">Cancelled when the timeout elapses or the caller hangs up.</param>
    /// <returns>The data the conversation starts with.</returns>
    ValueTask<ConversationInitiationResponse> HandleAsync(ConversationInitiationRequest request, CancellationToken cancellationToken = default);
}
