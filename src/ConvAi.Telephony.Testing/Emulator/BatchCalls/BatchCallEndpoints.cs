using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace ConvAi.Telephony.Testing;

/// <summary>The batch-calling endpoints (§7): submit, list, get, cancel, retry, delete and export.</summary>
internal sealed class BatchCallEndpoints(EmulatorState state)
{
    private const string Root = "/v1/convai/batch-calling";
    private const string Item = Root + "/{batch_id}";

    public void Map(IEndpointRouteBuilder app)
    {
        app.MapPost(Root + "/submit", SubmitAsync);
        app.MapGet(Root + "/workspace", ListAsync);
        app.MapGet(Item, GetAsync);
        app.MapDelete(Item, DeleteAsync);
        app.MapPost(Item + "/cancel", CancelAsync);
        app.MapPost(Item + "/retry", RetryAsync);
        app.MapGet(Item + "/export", ExportAsync);
    }

    private Task SubmitAsync(HttpContext context) => RequestValidator.WithBodyAsync(context, (validator, body) =>
    {
        var root = RequestValidator.BodyRoot;
        var callName = validator.RequiredString(body, "call_name", root);
        var agentId = validator.RequiredString(body, "agent_id", root);
        var phoneNumberId = validator.RequiredString(body, "agent_phone_number_id", root);
        var scheduled = validator.OptionalInteger(body, "scheduled_time_unix", root, 0, long.MaxValue);
        var timezone = validator.OptionalString(body, "timezone", root);
        var concurrency = validator.OptionalInteger(body, "target_concurrency_limit", root, 1, int.MaxValue);
        validator.TelephonyCallConfig(body, root);
        var recipientsJson = validator.RequiredArray(body, "recipients", root, 1, 10_000);
        var recipients = new List<BatchRecipient>();
        if (recipientsJson is not null)
        {
            var recipientsLoc = RequestValidator.Append(root, "recipients");
            for (var i = 0; i < recipientsJson.Count; i++)
            {
                var loc = new JsonNode?[recipientsLoc.Length + 1];
                Array.Copy(recipientsLoc, loc, recipientsLoc.Length);
                loc[^1] = i;
                if (recipientsJson[i] is not JsonObject recipient)
                {
                    validator.Add(loc, "Input should be a valid dictionary or object to extract fields from", "model_attributes_type");
                    continue;
                }

                var id = validator.OptionalString(recipient, "id", loc);
                var number = validator.RequiredPhoneNumber(recipient, "phone_number", loc);
                var clientData = validator.ClientData(recipient, loc);
                if (number is not null)
                {
                    recipients.Add(new BatchRecipient { Id = id ?? EmulatorIds.New("rcpt_"), PhoneNumber = number, ClientData = clientData });
                }
            }
        }

        if (validator.HasErrors)
        {
            return ApiResults.ValidationErrorAsync(context, validator.Errors);
        }

        JsonObject json;
        lock (state.Gate)
        {
            if (state.FindPhoneNumber(phoneNumberId!) is not { } number)
            {
                return ApiResults.NotFoundAsync(context, "phone_number", phoneNumberId!);
            }

            var now = state.Now.ToUnixTimeSeconds();
            var config = body["telephony_call_config"] as JsonObject;
            var batch = new BatchCallRecord
            {
                Id = EmulatorIds.New("btcal_"),
                Name = callName!,
                AgentId = agentId!,
                AgentName = state.Options.AgentName,
                PhoneNumber = number,
                CreatedAtUnix = now,
                ScheduledTimeUnix = scheduled ?? now,
                Timezone = timezone,
                TelephonyCallConfig = new JsonObject
                {
                    ["ringing_timeout_secs"] = config?["ringing_timeout_secs"]?.DeepClone() ?? 60,
                    ["twilio_call_recording_enabled"] = config?["twilio_call_recording_enabled"]?.DeepClone() ?? false,
                },
                TargetConcurrencyLimit = concurrency,
                Recipients = recipients,
                LastUpdatedAtUnix = now,
            };
            state.BatchCalls.Add(batch);
            if (batch.ScheduledTimeUnix <= now)
            {
                batch.Dispatch(state, retryFailed: false);
            }
            else
            {
                state.Schedule(TimeSpan.FromSeconds(batch.ScheduledTimeUnix - now), () =>
                {
                    lock (state.Gate)
                    {
                        batch.Dispatch(state, retryFailed: false);
                    }
                });
            }

            json = batch.ToJson(state);
        }

        return ApiResults.JsonAsync(context, json);
    });

    private Task ListAsync(HttpContext context)
    {
        var validator = new RequestValidator();
        var limit = validator.QueryInteger(context, "limit", 1, 100) ?? 100;
        var lastDoc = validator.QueryString(context, "last_doc");
        var agentId = validator.QueryString(context, "agent_id");
        if (validator.HasErrors)
        {
            return ApiResults.ValidationErrorAsync(context, validator.Errors);
        }

        var list = new JsonArray();
        string? nextDoc = null;
        var hasMore = false;
        lock (state.Gate)
        {
            var ordered = state.BatchCalls
                .Where(b => agentId is null || b.AgentId == agentId)
                .Reverse()
                .ToList();
            var start = 0;
            if (lastDoc is not null)
            {
                start = ordered.FindIndex(b => b.Id == lastDoc) + 1;
                if (start == 0)
                {
                    validator.Add(RequestValidator.Loc("query", "last_doc"), "Value error, unknown document", "value_error");
                    return ApiResults.ValidationErrorAsync(context, validator.Errors);
                }
            }

            var page = ordered.Skip(start).Take((int)limit).ToList();
            foreach (var batch in page)
            {
                list.Add((JsonNode)batch.ToJson(state));
            }

            hasMore = start + page.Count < ordered.Count;
            nextDoc = hasMore ? page[^1].Id : null;
        }

        return ApiResults.JsonAsync(context, new JsonObject { ["batch_calls"] = list, ["next_doc"] = nextDoc, ["has_more"] = hasMore });
    }

    private Task GetAsync(HttpContext context) =>
        WithBatchAsync(context, batch => ApiResults.JsonAsync(context, batch.ToDetailedJson(state)));

    private Task CancelAsync(HttpContext context) =>
        WithBatchAsync(context, batch =>
        {
            if (!BatchCallRecord.IsTerminal(batch.Status(state)))
            {
                batch.Cancelled = true;
                batch.LastUpdatedAtUnix = state.Now.ToUnixTimeSeconds();
            }

            return ApiResults.JsonAsync(context, batch.ToJson(state));
        });

    private Task RetryAsync(HttpContext context) =>
        WithBatchAsync(context, batch =>
        {
            if (batch.Dispatched && !batch.Cancelled)
            {
                batch.RetryCount++;
                batch.Dispatch(state, retryFailed: true);
            }

            return ApiResults.JsonAsync(context, batch.ToJson(state));
        });

    private Task DeleteAsync(HttpContext context) =>
        WithBatchAsync(context, batch =>
        {
            batch.Cancelled = true;
            state.BatchCalls.Remove(batch);
            context.Response.StatusCode = StatusCodes.Status204NoContent;
            return Task.CompletedTask;
        });

    private Task ExportAsync(HttpContext context) =>
        WithBatchAsync(context, batch =>
        {
            if (!BatchCallRecord.IsTerminal(batch.Status(state)))
            {
                return ApiResults.ErrorAsync(
                    context,
                    StatusCodes.Status400BadRequest,
                    "batch_call_not_finished",
                    "Only a completed, failed or cancelled batch call can be exported.");
            }

            var csv = new StringBuilder("recipient_id,phone_number,status,conversation_id\n");
            foreach (var recipient in batch.Recipients)
            {
                csv.Append(CultureInfo.InvariantCulture, $"{recipient.Id},{recipient.PhoneNumber},{batch.RecipientStatus(recipient, state)},{recipient.ConversationId}\n");
            }

            context.Response.StatusCode = StatusCodes.Status200OK;
            context.Response.ContentType = "text/csv";
            return context.Response.WriteAsync(csv.ToString(), context.RequestAborted);
        });

    /// <summary>Finds the batch named in the path and runs <paramref name="action"/> under the state lock, or answers 404.</summary>
    private Task WithBatchAsync(HttpContext context, Func<BatchCallRecord, Task> action)
    {
        var id = RouteValue.Get(context, "batch_id");
        lock (state.Gate)
        {
            return state.FindBatchCall(id) is { } batch
                ? action(batch)
                : ApiResults.NotFoundAsync(context, "batch_call", id);
        }
    }
}
