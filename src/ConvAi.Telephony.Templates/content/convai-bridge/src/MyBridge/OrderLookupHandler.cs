using System.Text.Json;
using ConvAi.Telephony;
using ConvAi.Telephony.AspNetCore;

namespace MyBridge;

/// <summary>
/// The bridge's hooks: the agent's client tool <c>lookup_order</c> (parameter <c>order_id</c>) runs here, in this process,
/// while the caller waits, and its answer is the tool's result. The other hooks keep their defaults (see
/// <see cref="ConvAiTwilioBridgeHandler"/>). Logs call SIDs only: never numbers or what was said.
/// </summary>
internal sealed partial class OrderLookupHandler(OrderBook orders, ILogger<OrderLookupHandler> logger) : ConvAiTwilioBridgeHandler
{
    /// <summary>The tool's name, as configured on the agent.</summary>
    public const string ToolName = "lookup_order";

    public override ValueTask<ClientToolResult> OnClientToolCallAsync(LiveCall call, ClientToolCallEvent toolCall, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(call);
        ArgumentNullException.ThrowIfNull(toolCall);
        if (toolCall.ToolName != ToolName)
        {
            return base.OnClientToolCallAsync(call, toolCall, cancellationToken);
        }

        // The agent may send the id as a string or a number.
        var orderId = toolCall.Parameters.ValueKind == JsonValueKind.Object && toolCall.Parameters.TryGetProperty("order_id", out var id)
            ? id.ToString()
            : string.Empty;
        var status = orders.Find(orderId);
        LogLookup(logger, call.CallSid, status is not null);
        return ValueTask.FromResult(status is null
            ? ClientToolResult.Error($"There is no order {orderId}.")
            : ClientToolResult.Success(status.ToJsonString()));
    }

    public override ValueTask OnCallEndedAsync(LiveCall call, LiveCallEnd end, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(end);
        LogCallEnded(logger, end.CallSid, end.ConversationId, end.EndedBy, end.Error);
        return ValueTask.CompletedTask;
    }

    [LoggerMessage(1, LogLevel.Information, "Call {CallSid}: order lookup, found: {Found}.")]
    private static partial void LogLookup(ILogger logger, string callSid, bool found);

    [LoggerMessage(2, LogLevel.Information, "Call {CallSid} (conversation {ConversationId}) ended by the {EndedBy} ({Error}).")]
    private static partial void LogCallEnded(ILogger logger, string? callSid, string? conversationId, LiveCallEndedBy endedBy, LiveCallError error);
}
