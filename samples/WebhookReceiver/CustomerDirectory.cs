using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using ConvAi.Telephony;
using ConvAi.Telephony.AspNetCore;
using Microsoft.Extensions.Options;

namespace WebhookReceiver;

/// <summary>A customer the agent should greet by name. A real app would read its CRM.</summary>
/// <remarks>Public only so tests can name this assembly in <c>WebApplicationFactory&lt;Customer&gt;</c>.</remarks>
public sealed class Customer
{
    public string Name { get; set; } = "";
    public string Tier { get; set; } = "standard";
}

/// <summary>Customers by phone number (E.164), bound from the <c>Customers</c> configuration section.</summary>
internal sealed class CustomerDirectoryOptions
{
    public Dictionary<string, Customer> Customers { get; } = new(StringComparer.Ordinal);
}

/// <summary>One answered conversation-initiation request, for <c>GET /initiations</c>.</summary>
internal sealed record InitiationRecord(string? CallSid, string? AgentId, bool KnownCaller, string? UserId, DateTimeOffset AnsweredAt);

/// <summary>
/// Answers ElevenLabs' conversation-initiation webhook (<c>MapConvAiConversationInitiation</c> has checked the shared
/// secret header): known callers get their name, tier and a personal first message.
/// </summary>
internal sealed class CustomerInitiationHandler(
    IOptionsMonitor<CustomerDirectoryOptions> directory,
    InitiationLog initiations,
    TimeProvider timeProvider) : ConvAiConversationInitiationHandler
{
    public override ValueTask<ConversationInitiationResponse> HandleAsync(ConversationInitiationRequest request, CancellationToken cancellationToken = default)
    {
        Customer? customer = null;
        string? callerE164 = null;
        if (PhoneNumberFormat.TryNormalizeE164(request.CallerId, out var e164))
        {
            callerE164 = e164;
            directory.CurrentValue.Customers.TryGetValue(e164, out customer);
        }

        var response = new ConversationInitiationResponse
        {
            UserId = callerE164,
            DynamicVariables = new Dictionary<string, JsonNode?>
            {
                ["customer_name"] = customer?.Name ?? "there",
                ["customer_tier"] = customer?.Tier ?? "unknown",
            },
            ConversationConfigOverride = customer is null ? null : new ConversationConfigOverride
            {
                Agent = new AgentOverride { FirstMessage = $"Hi {customer.Name}, thanks for calling again. How can I help?" },
            },
        };
        initiations.Add(new InitiationRecord(request.CallSid, request.AgentId, customer is not null, callerE164, timeProvider.GetUtcNow()));
        return ValueTask.FromResult(response);
    }
}

/// <summary>The initiation requests answered so far, newest first.</summary>
internal sealed class InitiationLog
{
    private readonly ConcurrentQueue<InitiationRecord> _records = new();

    public void Add(InitiationRecord record) => _records.Enqueue(record);

    public IReadOnlyList<InitiationRecord> List() => [.. _records.Reverse()];
}
