namespace ConvAi.Telephony.AspNetCore;

/// <summary>
/// Decides what happens to an inbound Twilio call before an agent answers. Subclass it and register
/// the subclass in DI; <c>app.MapConvAiTwilioInboundCalls(pattern)</c> resolves it per request.
/// Without one, every call goes to <see cref="TwilioInboundOptions.AgentId"/>.
/// </summary>
public abstract class ConvAiTwilioCallRouter
{
    /// <summary>Routes one call. It runs while the phone rings, so keep it fast.</summary>
    /// <param name="call">The call Twilio posted.</param>
    /// <param name="cancellationToken">Cancelled when Twilio gives up on the request.</param>
    /// <returns>The route: an agent with optional client data, or TwiML of its own.</returns>
    public abstract ValueTask<TwilioCallRoute> RouteAsync(TwilioInboundCall call, CancellationToken cancellationToken = default);
}
