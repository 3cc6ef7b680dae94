using System.Text.Json.Nodes;
using ConvAi.Telephony;
using ConvAi.Telephony.AspNetCore;
using Microsoft.Extensions.Options;

namespace MediaStreamBridge;

/// <summary>
/// The bridge's hooks for the order desk: the caller's customer id goes into the stream as a parameter (verified when the stream
/// starts), the agent starts with the customer's name, the order lookup and the transfer to a human run here, in this process.
/// Logs call SIDs only: never numbers or what was said.
/// </summary>
public sealed class OrderDeskBridgeHandler(OrderDesk desk, IOptions<OrderDeskOptions> options, ILogger<OrderDeskBridgeHandler> logger) : ConvAiTwilioBridgeHandler
{
    public override ValueTask<IReadOnlyDictionary<string, string>?> OnIncomingCallAsync(TwilioInboundCall call, CancellationToken cancellationToken = default)
    {
        var (customerId, _) = desk.FindCustomer(call.From);
        return ValueTask.FromResult<IReadOnlyDictionary<string, string>?>(new Dictionary<string, string> { ["customer_id"] = customerId, ["caller"] = call.From });
    }

    public override ValueTask<ConversationInitiationClientData?> OnCallStartingAsync(LiveCall call, CancellationToken cancellationToken = default)
    {
        var (customerId, name) = desk.FindCustomer(call.CustomParameters.GetValueOrDefault("caller", string.Empty));
        return ValueTask.FromResult<ConversationInitiationClientData?>(new ConversationInitiationClientData
        {
            UserId = customerId,
            DynamicVariables = new Dictionary<string, JsonNode?> { ["customer_name"] = name, ["customer_id"] = customerId },
        });
    }

    public override ValueTask<ClientToolResult> OnClientToolCallAsync(LiveCall call, ClientToolCallEvent toolCall, CancellationToken cancellationToken = default)
    {
        switch (toolCall.ToolName)
        {
            case "lookup_order":
                var orderId = toolCall.Parameters.TryGetProperty("order_id", out var id) ? id.ToString() : string.Empty;
                logger.LogInformation("Call {CallSid}: order lookup.", call.CallSid);
                return ValueTask.FromResult(desk.LookUp(orderId) is { } status
                    ? ClientToolResult.Success(status)
                    : ClientToolResult.Error($"There is no order {orderId}."));
            case "transfer_to_human":
                // When the agent ends the call, the voice webhook's /after endpoint dials this number instead of hanging up.
                call.HandOffTo(options.Value.HumanNumber);
                logger.LogInformation("Call {CallSid}: hand-off to a human chosen.", call.CallSid);
                return ValueTask.FromResult(ClientToolResult.Success("""{"transferring":true}"""));
            default:
                return base.OnClientToolCallAsync(call, toolCall, cancellationToken);
        }
    }

    public override ValueTask OnCallEndedAsync(LiveCall call, LiveCallEnd end, CancellationToken cancellationToken = default)
    {
        logger.LogInformation("Call {CallSid} (conversation {ConversationId}) ended by the {EndedBy}{Error}; hand-off: {HandOff}.",
            call.CallSid, end.ConversationId, end.EndedBy, end.Error == LiveCallError.None ? string.Empty : $" ({end.Error})", call.HandOffTarget is null ? "none" : "dial");
        return ValueTask.CompletedTask;
    }
}
