using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using ConvAi.Telephony.AspNetCore;

namespace ConvAi.Telephony.Cli.Commands;

/// <summary><c>convai initiation test</c>: calls a conversation-initiation endpoint as ElevenLabs does and checks its answer.</summary>
internal static class InitiationCommand
{
    /// <summary>ElevenLabs calls the webhook while the phone rings; an answer slower than this risks the call starting without it.</summary>
    private static readonly TimeSpan SlowAnswer = TimeSpan.FromSeconds(2);

    public static Command Create(CliEnvironment environment)
    {
        var url = CliOptions.Url("--url", "The conversation-initiation webhook URL.", required: true);
        var secret = new Option<string?>("--secret") { Description = "The shared secret ElevenLabs sends in the request header (never printed)." };
        var headerName = new Option<string>("--header-name") { Description = "The header that carries the secret.", DefaultValueFactory = _ => ConversationInitiationOptions.DefaultHeaderName };
        var caller = new Option<string>("--caller") { Description = "The caller's number (caller_id).", DefaultValueFactory = _ => "+14155550123" };
        var called = new Option<string>("--called-number") { Description = "The number that was called (called_number).", DefaultValueFactory = _ => "+14155550100" };
        var agentId = new Option<string>("--agent-id") { Description = "The agent receiving the call (agent_id).", DefaultValueFactory = _ => "agent_cli_test" };
        var form = new Option<bool>("--form") { Description = "Send the fields form-encoded instead of as JSON." };
        var json = new Option<bool>("--json") { Description = "Print the answer body as received." };

        var test = new Command("test", "Call a conversation-initiation endpoint like ElevenLabs does and print each problem with its answer.")
        {
            url, secret, headerName, caller, called, agentId, form, json,
        };
        test.SetAction(async (parse, cancellationToken) =>
        {
            var target = parse.GetValue(url)!;
            var fields = new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["caller_id"] = parse.GetValue(caller)!,
                ["agent_id"] = parse.GetValue(agentId)!,
                ["called_number"] = parse.GetValue(called)!,
                ["call_sid"] = "CA" + RandomNumberGenerator.GetHexString(32, lowercase: true),
            };
            using var request = new HttpRequestMessage(HttpMethod.Post, target)
            {
                Content = parse.GetValue(form) ? new FormUrlEncodedContent(fields) : JsonContent.Create(fields),
            };
            var key = parse.GetValue(secret);
            if (!string.IsNullOrEmpty(key))
            {
                request.Headers.TryAddWithoutValidation(parse.GetValue(headerName)!, key);
            }

            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
            var started = Stopwatch.GetTimestamp();
            using var response = await http.SendAsync(request, cancellationToken);
            var text = await response.Content.ReadAsStringAsync(cancellationToken);
            var elapsed = Stopwatch.GetElapsedTime(started);
            var output = environment.Output;
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"POST {target} (caller {fields["caller_id"]}) -> HTTP {(int)response.StatusCode} {response.ReasonPhrase} in {elapsed.TotalMilliseconds:0} ms"));
            if (parse.GetValue(json))
            {
                await output.WriteLineAsync(text);
            }

            var problems = new List<string>();
            if (elapsed > SlowAnswer)
            {
                problems.Add(string.Create(CultureInfo.InvariantCulture, $"the answer took {elapsed.TotalSeconds:0.0} s; ElevenLabs waits while the phone rings, so answer within {SlowAnswer.TotalSeconds:0} s."));
            }

            if ((int)response.StatusCode != 200)
            {
                problems.Add((int)response.StatusCode is 401 or 403
                    ? $"HTTP {(int)response.StatusCode}: the endpoint refused the secret (header {parse.GetValue(headerName)}); the call would start without personalization."
                    : $"HTTP {(int)response.StatusCode}: ElevenLabs needs 200 with the JSON answer.");
            }
            else
            {
                if (response.Content.Headers.ContentType?.MediaType is not { } mediaType || !mediaType.Contains("json", StringComparison.OrdinalIgnoreCase))
                {
                    problems.Add($"the Content-Type is '{response.Content.Headers.ContentType}', not application/json.");
                }

                JsonNode? body = null;
                try
                {
                    body = JsonNode.Parse(text);
                }
                catch (JsonException ex)
                {
                    problems.Add("the answer is not JSON: " + ex.Message);
                }

                if (body is not null || problems.Count == 0)
                {
                    problems.AddRange(InitiationResponseChecker.Check(body));
                }

                if ((body as JsonObject)?["dynamic_variables"] is JsonObject variables && variables.Count > 0)
                {
                    await output.WriteLineAsync("dynamic variables: " + string.Join(", ", variables.Select(v => v.Key + "=" + (v.Value?.ToJsonString() ?? "null"))));
                }

                if ((body as JsonObject)?["conversation_config_override"] is JsonObject overrides && overrides.Count > 0)
                {
                    await output.WriteLineAsync("overrides: " + string.Join(", ", overrides.Select(o => o.Key)) + " (each must be enabled in the agent's security settings)");
                }
            }

            foreach (var problem in problems)
            {
                await output.WriteLineAsync("problem: " + problem);
            }

            await output.WriteLineAsync(problems.Count == 0 ? "ok: ElevenLabs would accept this answer." : $"{problems.Count} problem(s).");
            return problems.Count == 0 ? ExitCodes.Ok : ExitCodes.CheckFailed;
        });

        return new Command("initiation", "Test a conversation-initiation (personalization) webhook.") { test };
    }
}
