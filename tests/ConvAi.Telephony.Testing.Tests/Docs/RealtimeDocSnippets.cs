// The C# blocks of docs/realtime.md, compiled here so the documentation keeps compiling. Not run.
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;

namespace ConvAi.Telephony.Testing.Tests.Docs;

#pragma warning disable CS8321, IDE0059, CA1303, CA2000

internal static class RealtimeDocSnippets
{
    public static async Task Start(IConvAiTelephonyClient client)
    {
        await using ConversationSession session = await client.Conversations.StartSessionAsync("agent_...",
            new ConversationSessionOptions { DynamicVariables = { ["customer_name"] = "Ana" }, UserId = "customer-42" });
        Console.WriteLine($"{session.ConversationId}: agent speaks {session.AgentOutputAudioFormat}, expects {session.UserInputAudioFormat}");

        await session.SendUserMessageAsync("Where is my order?");
        await foreach (ConversationEvent e in session.ReadEventsAsync())
        {
            switch (e)
            {
                case AgentResponseEvent r: Console.WriteLine($"agent: {r.Text}"); break;
                case UserTranscriptEvent u: Console.WriteLine($"user: {u.Text}"); break;
                case AgentAudioEvent a: /* a.AudioBase64: base64 UTF-8 bytes; a.DecodeAudio() for the samples */ break;
                case InterruptionEvent: /* stop playing the agent's audio now */ break;
                case ClientToolCallEvent t: await session.SendToolResultAsync(t.ToolCallId, "{\"status\":\"shipped\"}"); break;
                case ConversationClosedEvent c: Console.WriteLine($"ended: {c.Reason.Code} {c.Reason.Kind} {c.Reason.Description}"); break;
            }
        }
    }

    public static async Task ConnectThenStart(IConvAiTelephonyClient client)
    {
        ConversationSession session = await client.Conversations.ConnectSessionAsync("agent_...");
        // ... later, when the call's details are known:
        await session.StartAsync(new ConversationInitiationClientData
        {
            DynamicVariables = new Dictionary<string, JsonNode?> { ["caller"] = "+14155550100" },
        });
    }

    public static async Task Emulator(IServiceCollection services)
    {
        var agent = new EmulatedAgent
        {
            FirstMessage = "Hi {{customer_name}}, this is the order desk.",
            EndAfterTurns = 3,          // or EndPhrase = "goodbye" (the default)
        };
        agent.Replies.Add(new EmulatedAgentReply("Order {{order_id}} is {{tool_result}}.")
        {
            ToolName = "lookup_order",                       // a client_tool_call first; the reply waits for your result
            ToolParameters = new JsonObject { ["order_id"] = "{{order_id}}" },
        });
        agent.Replies.Add(new EmulatedAgentReply("You said: {{user_message}}"));

        var options = new ConvAiEmulatorOptions { PaceAgentAudio = false };   // tests: send audio at once
        options.Agents["agent_orders"] = agent;                                // other ids play options.DefaultAgent
        await using var emulator = await ConvAiEmulator.StartNewAsync(options);
        services.AddConvAiTelephony(o => o.ApiKey = "unused").UseConvAiEmulator(emulator);
    }
}
