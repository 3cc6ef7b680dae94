using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace ConvAi.Telephony.Testing;

/// <summary>
/// The diagnostics endpoints: SIP messages of a SIP-trunk call or number (cursor-paged) and the live conversation count.
/// SIP messages are derived from each call's outcome (INVITE, 100 Trying, then 486 Busy Here, 480 Temporarily Unavailable,
/// or 180 Ringing, 200 OK and a BYE), showing only what has happened by the emulator's clock, and only for numbers that
/// store SIP messages.
/// </summary>
internal sealed class DiagnosticsEndpoints(EmulatorState state)
{
    public void Map(IEndpointRouteBuilder app)
    {
        app.MapGet("/v1/convai/conversations/{conversation_id}/sip-messages", ConversationMessagesAsync);
        app.MapGet("/v1/convai/phone-numbers/{phone_number_id}/sip-messages", PhoneNumberMessagesAsync);
        app.MapGet("/v1/convai/analytics/live-count", LiveCountAsync);
    }

    private Task ConversationMessagesAsync(HttpContext context)
    {
        var id = RouteValue.Get(context, "conversation_id");
        List<JsonObject> messages;
        lock (state.Gate)
        {
            if (state.FindConversation(id) is not { } conversation)
            {
                return ApiResults.NotFoundAsync(context, "conversation", id);
            }

            messages = Messages(conversation);
        }

        return PageAsync(context, messages);
    }

    private Task PhoneNumberMessagesAsync(HttpContext context)
    {
        var id = RouteValue.Get(context, "phone_number_id");
        List<JsonObject> messages;
        lock (state.Gate)
        {
            if (state.FindPhoneNumber(id) is null)
            {
                return ApiResults.NotFoundAsync(context, "phone_number", id);
            }

            messages = state.Conversations.Where(c => c.PhoneNumberId == id).SelectMany(Messages).ToList();
        }

        return PageAsync(context, messages);
    }

    private Task LiveCountAsync(HttpContext context)
    {
        var agentId = new RequestValidator().QueryString(context, "agent_id");
        int count;
        lock (state.Gate)
        {
            count = state.Conversations.Count(c => !c.Ended && (agentId is null || c.AgentId == agentId));
        }

        return ApiResults.JsonAsync(context, new JsonObject { ["count"] = count });
    }

    /// <summary>Answers one page; the cursor is the index of the page's first message.</summary>
    private static Task PageAsync(HttpContext context, List<JsonObject> messages)
    {
        var validator = new RequestValidator();
        var pageSize = (int)(validator.QueryInteger(context, "page_size", 1, 100) ?? 20);
        var cursorText = validator.QueryString(context, "cursor");
        var start = 0;
        if (cursorText is not null && (!int.TryParse(cursorText, NumberStyles.None, CultureInfo.InvariantCulture, out start) || start > messages.Count))
        {
            validator.Add(RequestValidator.Loc("query", "cursor"), "Value error, invalid cursor", "value_error");
        }

        if (validator.HasErrors)
        {
            return ApiResults.ValidationErrorAsync(context, validator.Errors);
        }

        var page = new JsonArray(messages.Skip(start).Take(pageSize).Select(m => (JsonNode)m).ToArray());
        var next = start + pageSize;
        var hasMore = next < messages.Count;
        return ApiResults.JsonAsync(context, new JsonObject
        {
            ["sip_messages"] = page,
            ["next_cursor"] = hasMore ? next.ToString(CultureInfo.InvariantCulture) : null,
            ["has_more"] = hasMore,
        });
    }

    /// <summary>The SIP messages of a call so far; none for calls that are not SIP-trunk calls or whose number does not store them.</summary>
    private List<JsonObject> Messages(ConversationRecord conversation)
    {
        var result = new List<JsonObject>();
        if (conversation.CallType != "sip_trunking"
            || conversation.PhoneNumberId is null
            || state.FindPhoneNumber(conversation.PhoneNumberId) is not { StoreSipMessages: true })
        {
            return result;
        }

        var start = conversation.StartedAt;
        var answered = start + conversation.Step;
        var steps = new List<(DateTimeOffset At, string Direction, string StartLine)>
        {
            (start, "out", $"INVITE sip:{conversation.ExternalNumber}@trunk.invalid SIP/2.0"),
            (start + TimeSpan.FromMilliseconds(1), "in", "SIP/2.0 100 Trying"),
        };
        switch (conversation.Outcome)
        {
            case EmulatedOutcome.Busy:
                steps.Add((answered, "in", "SIP/2.0 486 Busy Here"));
                break;
            case EmulatedOutcome.NoAnswer:
                steps.Add((start + TimeSpan.FromMilliseconds(2), "in", "SIP/2.0 180 Ringing"));
                steps.Add((answered, "in", "SIP/2.0 480 Temporarily Unavailable"));
                break;
            default:
                steps.Add((start + TimeSpan.FromMilliseconds(2), "in", "SIP/2.0 180 Ringing"));
                steps.Add((answered, "in", "SIP/2.0 200 OK"));
                steps.Add((conversation.EndsAt, "out", $"BYE sip:{conversation.ExternalNumber}@trunk.invalid SIP/2.0"));
                break;
        }

        var now = state.Now;
        foreach (var (at, direction, startLine) in steps.Where(s => s.At <= now))
        {
            result.Add(new JsonObject
            {
                ["call_id"] = conversation.CallSid,
                ["phone_numbers"] = new JsonArray(conversation.AgentNumber, conversation.ExternalNumber),
                ["local_address"] = "127.0.0.1:5060",
                ["remote_address"] = "192.0.2.1:5060",
                ["transport"] = "udp",
                ["raw_message"] = $"{startLine}\r\nCall-ID: {conversation.CallSid}\r\nContent-Length: 0\r\n\r\n",
                ["error_message"] = string.Empty,
                ["direction"] = direction,
                ["created_at_unix_micro"] = (at - DateTimeOffset.UnixEpoch).Ticks / 10,
            });
        }

        return result;
    }
}
