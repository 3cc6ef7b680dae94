using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ConvAi.Telephony.Cli.Commands;

/// <summary><c>convai calls start</c> and <c>convai conversations list|get|resolve|audio</c>: the core client from the command line.</summary>
internal static class ApiCommands
{
    private const string EmulatorAgentId = "agent_emulated";
    private const string EmulatorNumber = "+14155550100";

    private static readonly JsonSerializerOptions JsonOutput = new(ConvAiJson.Options) { WriteIndented = true };

    public static Command CreateCalls(CliEnvironment environment)
    {
        var connection = new ApiConnection.Options();
        var to = new Option<string>("--to") { Description = "The number to call, in E.164 (+14155550123).", Required = true };
        var agentId = new Option<string?>("--agent-id") { Description = "The agent that talks (required unless --emulator)." };
        var phoneNumberId = new Option<string?>("--phone-number-id") { Description = "The imported number to call from (required unless --emulator, which imports one)." };
        var sip = new Option<bool>("--sip") { Description = "Call through a SIP trunk number instead of Twilio." };
        var variables = new Option<string[]>("--var") { Description = "A dynamic variable, name=value (repeatable); numbers and true/false stay typed.", Arity = ArgumentArity.ZeroOrMore };
        var userId = new Option<string?>("--user-id") { Description = "The end-user id recorded with the conversation." };
        var waitOptions = new WaitOptions();

        var start = new Command("start", "Place an outbound call and print its conversation id.") { to, agentId, phoneNumberId, sip, variables, userId, waitOptions.Wait };
        waitOptions.AddTo(start);
        connection.AddTo(start);
        start.SetAction(async (parse, cancellationToken) =>
        {
            var clientData = ClientData(parse.GetValue(variables) ?? [], parse.GetValue(userId));
            await using var api = await ApiConnection.OpenAsync(parse, connection, environment, cancellationToken);
            var agent = parse.GetValue(agentId) ?? (api.Emulator is null ? throw new UsageException("--agent-id is required.") : EmulatorAgentId);
            var from = parse.GetValue(phoneNumberId);
            if (from is null)
            {
                if (api.Emulator is null)
                {
                    throw new UsageException("--phone-number-id is required.");
                }

                from = parse.GetValue(sip)
                    ? (await api.Client.PhoneNumbers.ImportSipTrunkAsync(new ImportSipTrunkPhoneNumberRequest { PhoneNumber = EmulatorNumber, Label = "convai" }, cancellationToken)).PhoneNumberId
                    : (await api.Client.PhoneNumbers.ImportTwilioAsync(
                        new ImportTwilioPhoneNumberRequest { PhoneNumber = EmulatorNumber, Label = "convai", Sid = "AC00000000000000000000000000000000", Token = "emulator" },
                        cancellationToken)).PhoneNumberId;
            }

            object result;
            string? conversationId;
            string callId;
            if (parse.GetValue(sip))
            {
                var sipResult = await api.Client.Calls.StartSipTrunkCallAsync(
                    new StartSipTrunkCallRequest { AgentId = agent, AgentPhoneNumberId = from, ToNumber = parse.GetValue(to)!, ConversationInitiationClientData = clientData },
                    cancellationToken);
                (result, conversationId, callId) = (sipResult, sipResult.ConversationId, "SIP call id " + sipResult.SipCallId);
            }
            else
            {
                var twilioResult = await api.Client.Calls.StartTwilioCallAsync(
                    new StartTwilioCallRequest { AgentId = agent, AgentPhoneNumberId = from, ToNumber = parse.GetValue(to)!, ConversationInitiationClientData = clientData },
                    cancellationToken);
                (result, conversationId, callId) = (twilioResult, twilioResult.ConversationId, "Twilio call SID " + twilioResult.CallSid);
            }

            if (parse.GetValue(connection.Json) && !parse.GetValue(waitOptions.Wait))
            {
                await WriteJsonAsync(environment, result);
            }
            else if (!parse.GetValue(connection.Json))
            {
                await environment.Output.WriteLineAsync($"Call started: conversation {conversationId} ({callId})");
            }

            return parse.GetValue(waitOptions.Wait) && conversationId is not null
                ? await WaitAndPrintAsync(api, conversationId, parse, waitOptions, connection, environment, cancellationToken)
                : ExitCodes.Ok;
        });

        return new Command("calls", "Place calls through the API and wait for how they ended.") { start, CreateWait(environment) };
    }

    private static Command CreateWait(CliEnvironment environment)
    {
        var connection = new ApiConnection.Options();
        var waitOptions = new WaitOptions();
        var id = new Argument<string>("conversation-id") { Description = "The conversation id a call started (conv_...)." };
        var command = new Command("wait", "Wait for how a call ended: completed, voicemail, busy, no answer, failed, or timed out.") { id };
        waitOptions.AddTo(command);
        connection.AddTo(command);
        command.SetAction(async (parse, cancellationToken) =>
        {
            await using var api = await ApiConnection.OpenAsync(parse, connection, environment, cancellationToken);
            return await WaitAndPrintAsync(api, parse.GetValue(id)!, parse, waitOptions, connection, environment, cancellationToken);
        });
        return command;
    }

    /// <summary>
    /// Waits with <see cref="CallsClient.WaitForOutcomeAsync(string, CallOutcomeWaitOptions?, CancellationToken)"/> (polling the
    /// conversation), shows progress on stderr, and prints the outcome. Exit 0 when the call connected (completed or voicemail),
    /// 1 when it did not (busy, no answer, failed) or the wait timed out.
    /// </summary>
    private static async Task<int> WaitAndPrintAsync(
        ApiConnection api,
        string conversationId,
        System.CommandLine.ParseResult parse,
        WaitOptions waitOptions,
        ApiConnection.Options connection,
        CliEnvironment environment,
        CancellationToken cancellationToken)
    {
        var json = parse.GetValue(connection.Json);
        var options = new CallOutcomeWaitOptions
        {
            Timeout = TimeSpan.FromSeconds(parse.GetValue(waitOptions.TimeoutSeconds)),
            PollInterval = TimeSpan.FromSeconds(parse.GetValue(waitOptions.PollIntervalSeconds)),
            WaitForAnalysis = !parse.GetValue(waitOptions.AtCallEnd),
        };
        using var stopProgress = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var started = environment.Time.GetTimestamp();
        var progress = json ? Task.CompletedTask : ShowProgressAsync(environment, conversationId, started, stopProgress.Token);
        CallOutcome outcome;
        try
        {
            outcome = await api.Client.Calls.WaitForOutcomeAsync(conversationId, options, cancellationToken);
        }
        finally
        {
            await stopProgress.CancelAsync();
            await progress;
        }

        if (json)
        {
            await WriteJsonAsync(environment, new JsonObject
            {
                ["conversation_id"] = outcome.ConversationId,
                ["outcome"] = OutcomeName(outcome.Kind),
                ["status"] = outcome.Status?.Value,
                ["call_id"] = outcome.CallId,
                ["duration_secs"] = outcome.Duration is { } d ? (int)d.TotalSeconds : null,
                ["call_successful"] = outcome.CallSuccessful?.Value,
                ["failure_reason"] = outcome.FailureReason,
            });
        }
        else
        {
            var details = new List<string>();
            if (outcome.Duration is { } duration)
            {
                details.Add(string.Create(CultureInfo.InvariantCulture, $"{(int)duration.TotalSeconds} s"));
            }

            if (outcome.CallSuccessful is { } successful)
            {
                details.Add("call successful: " + successful);
            }

            if (outcome.FailureReason is { Length: > 0 } reason)
            {
                details.Add("reason: " + reason);
            }

            await environment.Output.WriteLineAsync(
                $"Outcome: {OutcomeName(outcome.Kind)}" + (details.Count > 0 ? " (" + string.Join(", ", details) + ")" : string.Empty));
        }

        return outcome.Kind is CallOutcomeKind.Completed or CallOutcomeKind.Voicemail ? ExitCodes.Ok : ExitCodes.CheckFailed;
    }

    private static async Task ShowProgressAsync(CliEnvironment environment, string conversationId, long started, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(5), environment.Time);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                var elapsed = environment.Time.GetElapsedTime(started);
                await environment.Error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"waiting for {conversationId}: {(int)elapsed.TotalSeconds} s"));
            }
        }
        catch (OperationCanceledException)
        {
            // The wait ended.
        }
    }

    private static string OutcomeName(CallOutcomeKind kind) => kind switch
    {
        CallOutcomeKind.Completed => "completed",
        CallOutcomeKind.Voicemail => "voicemail",
        CallOutcomeKind.Busy => "busy",
        CallOutcomeKind.NoAnswer => "no-answer",
        CallOutcomeKind.Failed => "failed",
        CallOutcomeKind.TimedOut => "timed-out",
        _ => kind.ToString(),
    };

    /// <summary>The options of <c>calls wait</c> and <c>calls start --wait</c>.</summary>
    private sealed class WaitOptions
    {
        public Option<bool> Wait { get; } = new("--wait") { Description = "After placing the call, wait for how it ended (as 'calls wait' does)." };

        public Option<double> TimeoutSeconds { get; } = new("--timeout") { Description = "How long to wait, in seconds, before the outcome is 'timed-out'.", DefaultValueFactory = _ => 900 };

        public Option<double> PollIntervalSeconds { get; } = new("--poll-interval") { Description = "Seconds before the second read of the conversation; later reads back off up to a minute.", DefaultValueFactory = _ => 5 };

        public Option<bool> AtCallEnd { get; } = new("--at-call-end") { Description = "Stop when the call ends ('processing'), without waiting for the analysis ('done')." };

        public void AddTo(Command command)
        {
            TimeoutSeconds.Validators.Add(r => { if (r.GetValueOrDefault<double>() <= 0) { r.AddError("--timeout must be positive."); } });
            PollIntervalSeconds.Validators.Add(r => { if (r.GetValueOrDefault<double>() <= 0) { r.AddError("--poll-interval must be positive."); } });
            command.Options.Add(TimeoutSeconds);
            command.Options.Add(PollIntervalSeconds);
            command.Options.Add(AtCallEnd);
        }
    }

    public static Command CreateConversations(CliEnvironment environment)
    {
        var list = CreateList(environment);
        var get = CreateGet(environment);
        var resolve = CreateResolve(environment);
        var audio = CreateAudio(environment);
        return new Command("conversations", "List and read conversations through the API.") { list, get, resolve, audio };
    }

    private static Command CreateList(CliEnvironment environment)
    {
        var connection = new ApiConnection.Options();
        var agentId = new Option<string?>("--agent-id") { Description = "Only this agent's conversations." };
        var pageSize = new Option<int>("--page-size") { Description = "How many to list (1-100).", DefaultValueFactory = _ => 30 };
        pageSize.Validators.Add(r => { if (r.GetValueOrDefault<int>() is < 1 or > 100) { r.AddError("--page-size must be between 1 and 100."); } });
        var command = new Command("list", "List the most recent conversations.") { agentId, pageSize };
        connection.AddTo(command);
        command.SetAction(async (parse, cancellationToken) =>
        {
            await using var api = await ApiConnection.OpenAsync(parse, connection, environment, cancellationToken);
            var page = await api.Client.Conversations.ListAsync(
                new ConversationListOptions { AgentId = parse.GetValue(agentId), PageSize = parse.GetValue(pageSize) }, cancellationToken);
            if (parse.GetValue(connection.Json))
            {
                await WriteJsonAsync(environment, page);
                return ExitCodes.Ok;
            }

            var output = environment.Output;
            await output.WriteLineAsync($"{"CONVERSATION",-32} {"STATUS",-12} {"STARTED (UTC)",-20} {"SECS",5} {"RESULT",-8}");
            foreach (var c in page.Conversations)
            {
                var started = DateTimeOffset.FromUnixTimeSeconds(c.StartTimeUnixSecs).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
                await output.WriteLineAsync($"{c.ConversationId,-32} {c.Status,-12} {started,-20} {c.CallDurationSecs,5} {c.CallSuccessful?.ToString() ?? "-",-8}");
            }

            await output.WriteLineAsync($"{page.Conversations.Count} conversation(s)" + (page.HasMore ? "; more with --page-size or the API's cursor" : string.Empty));
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command CreateGet(CliEnvironment environment)
    {
        var connection = new ApiConnection.Options();
        var id = new Argument<string>("conversation-id") { Description = "The conversation id (conv_...)." };
        var command = new Command("get", "Show one conversation: status, outcome and transcript.") { id };
        connection.AddTo(command);
        command.SetAction(async (parse, cancellationToken) =>
        {
            await using var api = await ApiConnection.OpenAsync(parse, connection, environment, cancellationToken);
            var conversation = await api.Client.Conversations.GetAsync(parse.GetValue(id)!, cancellationToken: cancellationToken);
            await WriteConversationAsync(environment, conversation, parse.GetValue(connection.Json));
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command CreateResolve(CliEnvironment environment)
    {
        var connection = new ApiConnection.Options();
        var reference = new Argument<string>("reference") { Description = "The reference, e.g. the URL of a Slack message or a Zendesk ticket." };
        var agentId = new Option<string>("--agent-id") { Description = "The agent whose conversation it is.", Required = true };
        var command = new Command("resolve", "Find an agent's conversation by a reference (a Slack message or Zendesk ticket URL) and show it.") { reference, agentId };
        connection.AddTo(command);
        command.SetAction(async (parse, cancellationToken) =>
        {
            await using var api = await ApiConnection.OpenAsync(parse, connection, environment, cancellationToken);
            var conversation = await api.Client.Conversations.ResolveAsync(parse.GetValue(agentId), parse.GetValue(reference)!, cancellationToken);
            await WriteConversationAsync(environment, conversation, parse.GetValue(connection.Json));
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>Prints a conversation as <c>get</c> and <c>resolve</c> show it: status, outcome and transcript, or the JSON.</summary>
    private static async Task WriteConversationAsync(CliEnvironment environment, Conversation conversation, bool json)
    {
        if (json)
        {
            await WriteJsonAsync(environment, conversation);
            return;
        }

        var output = environment.Output;
        await output.WriteLineAsync($"Conversation {conversation.ConversationId}");
        await output.WriteLineAsync($"  agent     {conversation.AgentId}{(conversation.AgentName is null ? string.Empty : " (" + conversation.AgentName + ")")}");
        await output.WriteLineAsync($"  status    {conversation.Status}");
        if (conversation.Metadata is { } metadata)
        {
            var started = DateTimeOffset.FromUnixTimeSeconds(metadata.StartTimeUnixSecs).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
            await output.WriteLineAsync($"  started   {started} UTC, {metadata.CallDurationSecs} s");
        }

        if (conversation.Analysis is { } analysis)
        {
            await output.WriteLineAsync($"  result    {analysis.CallSuccessful}");
            if (analysis.TranscriptSummary is { Length: > 0 } summary)
            {
                await output.WriteLineAsync($"  summary   {summary}");
            }
        }

        foreach (var entry in conversation.Transcript ?? [])
        {
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"  [{entry.TimeInCallSecs / 60}:{entry.TimeInCallSecs % 60:00}] {entry.Role}: {entry.Message}"));
        }
    }

    private static Command CreateAudio(CliEnvironment environment)
    {
        var connection = new ApiConnection.Options();
        var id = new Argument<string>("conversation-id") { Description = "The conversation id (conv_...)." };
        var outputFile = new Option<FileInfo>("--output", "-o") { Description = "Where to write the MP3.", Required = true };
        var command = new Command("audio", "Download a conversation's recording (MP3).") { id, outputFile };
        connection.AddTo(command);
        command.SetAction(async (parse, cancellationToken) =>
        {
            await using var api = await ApiConnection.OpenAsync(parse, connection, environment, cancellationToken);
            var file = parse.GetValue(outputFile)!;
            long bytes;
            await using (var audio = await api.Client.Conversations.GetAudioAsync(parse.GetValue(id)!, cancellationToken))
            await using (var target = file.Create())
            {
                await audio.CopyToAsync(target, cancellationToken);
                bytes = target.Length;
            }

            if (parse.GetValue(connection.Json))
            {
                await WriteJsonAsync(environment, new JsonObject { ["conversation_id"] = parse.GetValue(id), ["file"] = file.FullName, ["bytes"] = bytes });
            }
            else
            {
                await environment.Output.WriteLineAsync($"Wrote {bytes} bytes of audio to {file.FullName}");
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>Builds the client data from <c>--var name=value</c> and <c>--user-id</c>, or null when neither is given.</summary>
    private static ConversationInitiationClientData? ClientData(IReadOnlyList<string> variables, string? userId)
    {
        if (variables.Count == 0 && userId is null)
        {
            return null;
        }

        var dynamicVariables = new Dictionary<string, JsonNode?>(StringComparer.Ordinal);
        foreach (var variable in variables)
        {
            var equals = variable.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                throw new UsageException($"--var '{variable}' is not name=value.");
            }

            var name = variable[..equals];
            if (name.StartsWith(DynamicVariables.SystemPrefix, StringComparison.Ordinal))
            {
                throw new UsageException($"--var {name}: names starting with {DynamicVariables.SystemPrefix} are reserved.");
            }

            var value = variable[(equals + 1)..];
            dynamicVariables[name] = value is "true" or "false" ? JsonValue.Create(value == "true")
                : long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var whole) ? JsonValue.Create(whole)
                : double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && double.IsFinite(number) ? JsonValue.Create(number)
                : JsonValue.Create(value);
        }

        return new ConversationInitiationClientData { DynamicVariables = dynamicVariables.Count == 0 ? null : dynamicVariables, UserId = userId };
    }

    private static async Task WriteJsonAsync<T>(CliEnvironment environment, T value) =>
        await environment.Output.WriteLineAsync(value is JsonNode node ? node.ToJsonString(JsonOutput) : JsonSerializer.Serialize(value, JsonOutput));
}
