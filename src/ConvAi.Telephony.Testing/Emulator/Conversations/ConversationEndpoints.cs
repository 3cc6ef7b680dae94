using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace ConvAi.Telephony.Testing;

/// <summary>The conversation endpoints (§6): list with filters and cursor paging, resolve by reference, get, delete, audio, feedback.</summary>
internal sealed class ConversationEndpoints(EmulatorState state)
{
    private const string Collection = "/v1/convai/conversations";
    private const string Item = Collection + "/{conversation_id}";

    public void Map(IEndpointRouteBuilder app)
    {
        app.MapGet(Collection, ListAsync);

        // A literal segment outranks the {conversation_id} parameter in ASP.NET Core routing, so "resolve" is never read as an id.
        app.MapGet(Collection + "/resolve", ResolveAsync);
        app.MapGet(Item, GetAsync);
        app.MapDelete(Item, DeleteAsync);
        app.MapGet(Item + "/audio", GetAudioAsync);
        app.MapPost(Item + "/feedback", SendFeedbackAsync);
    }

    private Task ListAsync(HttpContext context)
    {
        var validator = new RequestValidator();
        var agentId = validator.QueryString(context, "agent_id");
        var userId = validator.QueryString(context, "user_id");
        var callSuccessful = validator.QueryEnum(context, "call_successful", "success", "failure", "unknown");
        var before = validator.QueryInteger(context, "call_start_before_unix", long.MinValue, long.MaxValue);
        var after = validator.QueryInteger(context, "call_start_after_unix", long.MinValue, long.MaxValue);
        var minDuration = validator.QueryInteger(context, "call_duration_min_secs", long.MinValue, long.MaxValue);
        var maxDuration = validator.QueryInteger(context, "call_duration_max_secs", long.MinValue, long.MaxValue);
        var excluded = validator.QueryEnumList(context, "exclude_statuses", ConversationStatuses.All);
        var search = validator.QueryString(context, "search");
        var pageSize = validator.QueryInteger(context, "page_size", 1, 100) ?? 30;
        var ascending = validator.QueryEnum(context, "sort_direction", "asc", "desc") == "asc";
        var includeSummary = validator.QueryEnum(context, "summary_mode", "exclude", "include") == "include";
        var cursorText = validator.QueryString(context, "cursor");
        (long Ticks, long Sequence)? cursor = null;
        if (cursorText is not null)
        {
            cursor = DecodeCursor(cursorText);
            if (cursor is null)
            {
                validator.Add(RequestValidator.Loc("query", "cursor"), "Value error, invalid cursor", "value_error");
            }
        }

        if (validator.HasErrors)
        {
            return ApiResults.ValidationErrorAsync(context, validator.Errors);
        }

        var page = new JsonArray();
        string? nextCursor = null;
        var hasMore = false;
        lock (state.Gate)
        {
            var now = state.Now;
            var matches = state.Conversations
                .Where(c => agentId is null || c.AgentId == agentId)
                .Where(c => userId is null || c.UserId == userId)
                .Where(c => before is null || c.StartUnixSecs < before)
                .Where(c => after is null || c.StartUnixSecs > after)
                .Where(c =>
                {
                    var status = c.StatusAt(now);
                    var duration = c.DurationAt(status);
                    return !excluded.Contains(status)
                        && (callSuccessful is null || c.CallSuccessfulAt(status) == callSuccessful)
                        && (minDuration is null || duration >= minDuration)
                        && (maxDuration is null || duration <= maxDuration)
                        && (search is null || Matches(c, status, search));
                });
            var ordered = ascending
                ? matches.OrderBy(c => c.StartedAt.UtcTicks).ThenBy(c => c.Sequence)
                : matches.OrderByDescending(c => c.StartedAt.UtcTicks).ThenByDescending(c => c.Sequence);
            var remaining = ordered
                .SkipWhile(c => cursor is { } k && !IsAfter(c, k, ascending))
                .Take((int)pageSize + 1)
                .ToList();
            hasMore = remaining.Count > pageSize;
            foreach (var conversation in remaining.Take((int)pageSize))
            {
                page.Add((JsonNode)conversation.ToSummaryJson(now, includeSummary));
            }

            if (hasMore)
            {
                var last = remaining[(int)pageSize - 1];
                nextCursor = EncodeCursor(last.StartedAt.UtcTicks, last.Sequence);
            }
        }

        return ApiResults.JsonAsync(context, new JsonObject
        {
            ["conversations"] = page,
            ["next_cursor"] = nextCursor,
            ["has_more"] = hasMore,
        });
    }

    private Task GetAsync(HttpContext context)
    {
        var id = RouteValue.Get(context, "conversation_id");
        var validator = new RequestValidator();
        validator.QueryEnum(context, "format", "json", "opentelemetry");
        if (validator.HasErrors)
        {
            return ApiResults.ValidationErrorAsync(context, validator.Errors);
        }

        JsonObject json;
        lock (state.Gate)
        {
            if (state.FindConversation(id) is not { } conversation)
            {
                return ApiResults.NotFoundAsync(context, "conversation", id);
            }

            json = conversation.ToJson(state.Now);
        }

        return ApiResults.JsonAsync(context, json);
    }

    /// <summary>
    /// <c>GET /v1/convai/conversations/resolve?agent_id=&amp;reference=</c> (elevenlabs-python 2.59): the conversation of that agent
    /// whose reference was set with <see cref="ConvAiEmulator.SetConversationReference"/>, or 404. Both parameters are required (422).
    /// </summary>
    private Task ResolveAsync(HttpContext context)
    {
        var validator = new RequestValidator();
        var agentId = validator.RequiredQueryString(context, "agent_id");
        var reference = validator.RequiredQueryString(context, "reference");
        if (validator.HasErrors)
        {
            return ApiResults.ValidationErrorAsync(context, validator.Errors);
        }

        JsonObject json;
        lock (state.Gate)
        {
            if (state.Conversations.Find(c => c.AgentId == agentId && c.Reference == reference) is not { } conversation)
            {
                return ApiResults.NotFoundAsync(context, "conversation", reference!);
            }

            json = conversation.ToJson(state.Now);
        }

        return ApiResults.JsonAsync(context, json);
    }

    private Task DeleteAsync(HttpContext context)
    {
        var id = RouteValue.Get(context, "conversation_id");
        lock (state.Gate)
        {
            if (state.FindConversation(id) is not { } conversation)
            {
                return ApiResults.NotFoundAsync(context, "conversation", id);
            }

            state.Conversations.Remove(conversation);
        }

        return ApiResults.EmptyObjectAsync(context);
    }

    private Task GetAudioAsync(HttpContext context)
    {
        var id = RouteValue.Get(context, "conversation_id");
        lock (state.Gate)
        {
            if (state.FindConversation(id) is not { } conversation)
            {
                return ApiResults.NotFoundAsync(context, "conversation", id);
            }

            if (conversation.StatusAt(state.Now) != ConversationStatuses.Done)
            {
                return ApiResults.NotFoundAsync(context, "conversation_audio", id);
            }
        }

        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = EmulatedAudio.ContentType;
        context.Response.ContentLength = EmulatedAudio.Mp3.Length;
        return context.Response.Body.WriteAsync(EmulatedAudio.Mp3, context.RequestAborted).AsTask();
    }

    private Task SendFeedbackAsync(HttpContext context) => RequestValidator.WithBodyAsync(context, (validator, body) =>
    {
        var id = RouteValue.Get(context, "conversation_id");
        var root = RequestValidator.BodyRoot;
        var feedback = validator.CheckEnum(
            validator.OptionalString(body, "feedback", root),
            RequestValidator.Append(root, "feedback"),
            "like",
            "dislike");
        if (validator.HasErrors)
        {
            return ApiResults.ValidationErrorAsync(context, validator.Errors);
        }

        lock (state.Gate)
        {
            if (state.FindConversation(id) is not { } conversation)
            {
                return ApiResults.NotFoundAsync(context, "conversation", id);
            }

            conversation.Feedback = feedback;
        }

        return ApiResults.EmptyObjectAsync(context);
    });

    private static bool Matches(ConversationRecord conversation, string status, string search) =>
        conversation.ConversationId.Contains(search, StringComparison.OrdinalIgnoreCase)
        || conversation.TranscriptAt(status).Any(t => t.Message.Contains(search, StringComparison.OrdinalIgnoreCase));

    private static bool IsAfter(ConversationRecord conversation, (long Ticks, long Sequence) cursor, bool ascending)
    {
        var order = conversation.StartedAt.UtcTicks != cursor.Ticks
            ? conversation.StartedAt.UtcTicks.CompareTo(cursor.Ticks)
            : conversation.Sequence.CompareTo(cursor.Sequence);
        return ascending ? order > 0 : order < 0;
    }

    private static string EncodeCursor(long ticks, long sequence) =>
        Convert.ToHexString(Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{ticks}.{sequence}")));

    private static (long Ticks, long Sequence)? DecodeCursor(string cursor)
    {
        try
        {
            var parts = Encoding.UTF8.GetString(Convert.FromHexString(cursor)).Split('.');
            return parts.Length == 2
                && long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var ticks)
                && long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var sequence)
                ? (ticks, sequence)
                : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
