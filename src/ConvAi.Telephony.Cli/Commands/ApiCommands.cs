using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ConvAi.Telephony.Cli.Commands;

/// <summary><c>convai calls start</c> and <c>convai conversations list|get|audio</c>: the core client from the command line.</summary>
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

        var start = new Command("start", "Place an outbound call and print its conversation id.") { to, agentId, phoneNumberId, sip, variables, userId };
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

            if (parse.GetValue(connection.Json))
            {
                await WriteJsonAsync(environment, result);
            }
            else
            {
                await environment.Output.WriteLineAsync($"Call started: conversation {conversationId} ({callId})");
            }

            return ExitCodes.Ok;
        });

        return new Command("calls", "Place calls through the API.") { start };
    }

    public static Command CreateConversations(CliEnvironment environment)
    {
        var list = CreateList(environment);
        var get = CreateGet(environment);
        var audio = CreateAudio(environment);
        return new Command("conversations", "List and read conversations through the API.") { list, get, audio };
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
            if (parse.GetValue(connection.Json))
            {
                await WriteJsonAsync(environment, conversation);
                return ExitCodes.Ok;
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

            return ExitCodes.Ok;
        });
        return command;
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
