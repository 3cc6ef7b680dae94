using System.Text.Json.Nodes;
using ConvAi.Telephony;
using ConvAi.Telephony.AspNetCore;
using Microsoft.Extensions.Options;

namespace MyInboundCalls;

/// <summary>
/// Decides what happens to each inbound call while it rings: blocked callers are rejected; everyone else goes to the
/// default agent (<c>ConvAi:Twilio:AgentId</c>) with their number and name as dynamic variables. The signature is
/// already verified; registering the call and answering Twilio is done for you.
/// </summary>
internal sealed class CallRouter(IOptionsMonitor<RoutingOptions> options) : ConvAiTwilioCallRouter
{
    public override ValueTask<TwilioCallRoute> RouteAsync(TwilioInboundCall call, CancellationToken cancellationToken = default)
    {
        var rules = options.CurrentValue;
        var caller = PhoneNumberFormat.TryNormalizeE164(call.From, out var e164) ? e164 : call.From;
        if (rules.BlockedNumbers.Contains(caller, StringComparer.OrdinalIgnoreCase))
        {
            return ValueTask.FromResult(TwilioCallRoute.Answer(TwiML.Reject()));
        }

        return ValueTask.FromResult(TwilioCallRoute.ToAgent(null, new ConversationInitiationClientData
        {
            UserId = caller == e164 ? e164 : null,
            DynamicVariables = new Dictionary<string, JsonNode?>
            {
                ["caller_number"] = caller,
                ["customer_name"] = rules.CustomerNames.GetValueOrDefault(caller, "there"),
            },
        }));
    }
}
