using System.Text.Json.Nodes;
using ConvAi.Telephony;
using ConvAi.Telephony.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace RealtimeConsole;

/// <summary>
/// Starts a live conversation in text-only mode, prints what the agent says, sends each line typed as a user message, answers the
/// agent's <c>get_order_status</c> client tool, and ends on an empty line, end of input or when the agent hangs up.
/// </summary>
internal static class RealtimeConversation
{
    public const string EmulatorAgentId = "agent_order_desk";

    public static async Task<int> RunAsync(IConfiguration configuration, TextReader input, TextWriter output, CancellationToken cancellationToken)
    {
        var useEmulator = string.IsNullOrWhiteSpace(configuration["ELEVENLABS_API_KEY"]) && string.IsNullOrWhiteSpace(configuration["ConvAi:ApiKey"]);
        var agentId = configuration["ELEVENLABS_AGENT_ID"] ?? (useEmulator ? EmulatorAgentId : null);
        if (agentId is null)
        {
            await output.WriteLineAsync("Set ELEVENLABS_AGENT_ID to the agent to talk to (its security settings must allow the text_only override).");
            return 2;
        }

        await output.WriteLineAsync(useEmulator
            ? "No ELEVENLABS_API_KEY set: talking to a scripted agent in the in-process emulator (ConvAi.Telephony.Testing)."
            : $"Talking to agent {agentId} on the ElevenLabs API.");
        await using var emulator = useEmulator ? new ConvAiEmulator(EmulatorOptions()) : null;

        var services = new ServiceCollection().AddSingleton(configuration);
        var telephony = services.AddConvAiTelephony(configuration.GetSection(ConvAiTelephonyOptions.SectionName));
        if (emulator is not null)
        {
            telephony.UseConvAiEmulator(emulator);
        }

        await using var provider = services.BuildServiceProvider();
        try
        {
            var client = provider.GetRequiredService<IConvAiTelephonyClient>();
            var options = new ConversationSessionOptions
            {
                UserId = configuration["USER_ID"] ?? "console-user",
                // Text only: the agent sends agent_response messages and no audio.
                ConversationConfigOverride = new ConversationConfigOverride { Conversation = new ConversationOverride { TextOnly = true } },
            };
            options.DynamicVariables["customer_name"] = configuration["CUSTOMER_NAME"] ?? "Ana";

            await using var session = await client.Conversations.StartSessionAsync(agentId, options, cancellationToken);
            await output.WriteLineAsync($"Conversation {session.ConversationId} started. Type a message and press Enter; an empty line ends it.");
            // The next line is read once the agent has answered the last one.
            using var agentAnswered = new SemaphoreSlim(0);
            using var stopTyping = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var typing = TypeAsync(session, input, agentAnswered, stopTyping.Token);
            await foreach (var e in session.ReadEventsAsync(cancellationToken))
            {
                switch (e)
                {
                    case AgentResponseEvent response:
                        await output.WriteLineAsync($"agent: {response.Text}");
                        agentAnswered.Release();
                        break;
                    case UserTranscriptEvent transcript:
                        await output.WriteLineAsync($"you:   {transcript.Text}");
                        break;
                    case ClientToolCallEvent call:
                        var result = call.ToolName == "get_order_status" ? OrderStatus(call) : $"Unknown tool {call.ToolName}.";
                        await output.WriteLineAsync($"(tool {call.ToolName} -> {result})");
                        await session.SendToolResultAsync(call.ToolCallId, result, isError: call.ToolName != "get_order_status", cancellationToken);
                        break;
                    case ConversationClosedEvent closed:
                        await output.WriteLineAsync($"Conversation ended ({closed.Reason.Code} {closed.Reason.Kind}{(closed.Reason.Description is { Length: > 0 } d ? ": " + d : "")}).");
                        break;
                }
            }

            await stopTyping.CancelAsync();
            await typing;
            return 0;
        }
        catch (OptionsValidationException ex)
        {
            await output.WriteLineAsync($"Configuration: {string.Join(" ", ex.Failures)}");
            return 2;
        }
        catch (ConversationSessionException ex)
        {
            await output.WriteLineAsync($"The conversation failed ({ex.Error}): {ex.Message}");
            return 1;
        }
        catch (ConvAiApiException ex)
        {
            await output.WriteLineAsync($"The API refused the request: {(int)ex.StatusCode} {ex.Message}");
            return 1;
        }
    }

    /// <summary>
    /// Sends each typed line after the agent's answer to the previous one (or its greeting; at most 5 seconds are waited for it);
    /// an empty line or the end of input ends the conversation.
    /// </summary>
    private static async Task TypeAsync(ConversationSession session, TextReader input, SemaphoreSlim agentAnswered, CancellationToken cancellationToken)
    {
        try
        {
            await agentAnswered.WaitAsync(TimeSpan.FromSeconds(5), cancellationToken);
            while (await input.ReadLineAsync(cancellationToken) is { Length: > 0 } line)
            {
                await session.SendUserMessageAsync(line, cancellationToken);
                await agentAnswered.WaitAsync(cancellationToken);
            }

            await session.EndAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is ConversationSessionException or OperationCanceledException)
        {
            // The agent ended the conversation first.
        }
    }

    private static string OrderStatus(ClientToolCallEvent call)
    {
        var orderId = call.Parameters.TryGetProperty("order_id", out var id) ? id.ToString() : "unknown";
        return $"Order {orderId} shipped yesterday and arrives tomorrow.";
    }

    /// <summary>The emulator's agent: greets by name, looks the order up with the client tool, and hangs up on "goodbye".</summary>
    private static ConvAiEmulatorOptions EmulatorOptions()
    {
        var agent = new EmulatedAgent
        {
            FirstMessage = "Hello {{customer_name}}! This is the order desk. How can I help?",
            DefaultReply = "I can help with orders. Say goodbye when you are done.",
            EndMessage = "Thank you, {{customer_name}}. Goodbye!",
        };
        agent.Replies.Add(new EmulatedAgentReply("{{tool_result}} Anything else?")
        {
            ToolName = "get_order_status",
            ToolParameters = new JsonObject { ["order_id"] = "A-1001" },
        });
        var options = new ConvAiEmulatorOptions();
        options.Agents[EmulatorAgentId] = agent;
        return options;
    }
}
