using System.Text.Json.Nodes;
using ConvAi.Telephony;
using ConvAi.Telephony.AspNetCore;
using Microsoft.Extensions.Options;

namespace MyInboundCalls;

/// <summary>Answers ElevenLabs' conversation-initiation webhook: the caller's name as a dynamic variable, and a personal greeting for known callers.</summary>
internal sealed class CallerDetails(IOptionsMonitor<RoutingOptions> options) : ConvAiConversationInitiationHandler
{
    public override ValueTask<ConversationInitiationResponse> HandleAsync(ConversationInitiationRequest request, CancellationToken cancellationToken = default)
    {
        string? name = null;
        var known = PhoneNumberFormat.TryNormalizeE164(request.CallerId, out var caller)
            && options.CurrentValue.CustomerNames.TryGetValue(caller, out name);
        return ValueTask.FromResult(new ConversationInitiationResponse
        {
            UserId = known ? caller : null,
            DynamicVariables = new Dictionary<string, JsonNode?> { ["customer_name"] = known ? name : "there" },
            ConversationConfigOverride = known
                ? new ConversationConfigOverride { Agent = new AgentOverride { FirstMessage = $"Hi {name}, thanks for calling. How can I help?" } }
                : null,
        });
    }
}
