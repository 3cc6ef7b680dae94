using System.Text.Json.Nodes;
using ConvAi.Telephony;
using ConvAi.Telephony.AspNetCore;
using Microsoft.Extensions.Options;

namespace InboundRouting;

/// <summary>
/// Decides, while the phone rings, what happens to each inbound Twilio call: blocked callers are rejected, calls
/// outside the opening hours go to a person, VIP callers get their own agent, other calls get the agent of the number
/// they dialled, with the caller's details as dynamic variables. <c>MapConvAiTwilioInboundCalls</c> has already verified the
/// Twilio signature; it registers the call with ElevenLabs and answers Twilio with the TwiML.
/// </summary>
internal sealed class CallRouter(IOptionsMonitor<RoutingOptions> options, TimeProvider timeProvider, ILogger<CallRouter> logger) : ConvAiTwilioCallRouter
{
    public override ValueTask<TwilioCallRoute> RouteAsync(TwilioInboundCall call, CancellationToken cancellationToken = default)
    {
        var rules = options.CurrentValue;
        var caller = PhoneNumberFormat.TryNormalizeE164(call.From, out var e164) ? e164 : call.From; // "anonymous" stays as is

        if (rules.BlockedNumbers.Contains(caller, StringComparer.OrdinalIgnoreCase))
        {
            Log.Routed(logger, call.CallSid, "rejected: blocked caller");
            return ValueTask.FromResult(TwilioCallRoute.Answer(TwiML.Reject()));
        }

        var now = timeProvider.GetUtcNow();
        if (rules.AfterHoursDialNumber is { } onCall && !rules.OpeningHours.IsOpen(now))
        {
            Log.Routed(logger, call.CallSid, "after hours: dialling the on-call person");
            return ValueTask.FromResult(TwilioCallRoute.Answer(TwiML.Dial(onCall)));
        }

        var isVip = rules.VipNumbers.Contains(caller, StringComparer.Ordinal);
        var agentId = isVip && rules.VipAgentId is { } vipAgent
            ? vipAgent
            : rules.AgentsByCalledNumber.GetValueOrDefault(call.To); // null: ConvAi:Twilio:AgentId
        Log.Routed(logger, call.CallSid, isVip ? "to the VIP agent" : agentId is null ? "to the default agent" : "to the agent of the called number");

        return ValueTask.FromResult(TwilioCallRoute.ToAgent(agentId, new ConversationInitiationClientData
        {
            UserId = caller == e164 ? e164 : null,
            DynamicVariables = new Dictionary<string, JsonNode?>
            {
                ["caller_number"] = caller,
                ["caller_tier"] = isVip ? "vip" : "standard",
                ["called_number"] = call.To,
            },
        }));
    }
}

/// <summary>Call SIDs only: never phone numbers or tokens.</summary>
internal static partial class Log
{
    [LoggerMessage(1, LogLevel.Information, "Call {CallSid} routed {Route}")]
    public static partial void Routed(ILogger logger, string callSid, string route);
}
