using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace ConvAi.Telephony.Testing.Tests;

/// <summary>The emulator's agent WebSocket played from scripts, driven by the real client's <see cref="ConversationSession"/>.</summary>
[NonParallelizable]
public class AgentSocketTests
{
    private static CancellationToken Guard => new CancellationTokenSource(TimeSpan.FromSeconds(60)).Token;

    private static async Task<ConvAiEmulator> StartEmulatorAsync(Action<ConvAiEmulatorOptions>? configure = null)
    {
        var options = new ConvAiEmulatorOptions { PaceAgentAudio = false, StepDelay = TimeSpan.FromMilliseconds(1) };
        configure?.Invoke(options);
        return await ConvAiEmulator.StartNewAsync(options);
    }

    private static ConvAiTelephonyClient Client(ConvAiEmulator emulator)
        => new(new ConvAiTelephonyOptions { ApiKey = emulator.ApiKey, BaseAddress = emulator.BaseAddress });

    private static async Task<List<ConversationEvent>> ReadUntilClosedAsync(ConversationSession session, Func<ConversationEvent, Task>? onEvent = null)
    {
        var events = new List<ConversationEvent>();
        await foreach (var e in session.ReadEventsAsync(Guard))
        {
            events.Add(e);
            if (onEvent is not null)
            {
                await onEvent(e);
            }
        }

        return events;
    }

    [Test]
    public async Task UseConvAiEmulator_SignedUrlAndSocket_ReachTheEmulatorNeverTheRealApi()
    {
        await using var emulator = await StartEmulatorAsync();
        var services = new ServiceCollection();
        // The production base address stays: only the emulator's handlers make the requests land on it.
        services.AddConvAiTelephony(o => o.ApiKey = "sk_real_key_never_used").UseConvAiEmulator(emulator);
        await using var provider = services.BuildServiceProvider();
        var client = provider.GetRequiredService<IConvAiTelephonyClient>();

        await using (var session = await client.Conversations.StartSessionAsync("agent_private", null, Guard))
        {
            Assert.That(session.ConversationId, Does.StartWith("conv_"));
            Assert.That(session.AgentOutputAudioFormat, Is.EqualTo(ConversationAudioFormat.Ulaw8000));
            await session.EndAsync(Guard);
        }

        var paths = emulator.ReceivedRequests.Select(r => r.Path + r.QueryString).ToList();
        Assert.That(paths[0], Is.EqualTo("/v1/convai/conversation/get-signed-url?agent_id=agent_private"));
        Assert.That(paths[1], Does.StartWith("/v1/convai/conversation?agent_id=agent_private&conversation_signature=sig_"));
        Assert.That(emulator.ReceivedRequests[1].HasApiKey, Is.False, "the socket carries the signed URL, not the key");
    }

    [Test]
    public async Task UseConvAiEmulator_PublicAgent_ReachesTheEmulator()
    {
        await using var emulator = await StartEmulatorAsync(o => o.Agents["agent_public"] = new EmulatedAgent { IsPublic = true });
        var services = new ServiceCollection();
        services.AddConvAiTelephony(o => o.ApiKey = "sk_real_key_never_used").UseConvAiEmulator(emulator);
        await using var provider = services.BuildServiceProvider();
        var client = provider.GetRequiredService<IConvAiTelephonyClient>();

        await using (var session = await client.Conversations.StartSessionAsync("agent_public", new ConversationSessionOptions { IsPublicAgent = true }, Guard))
        {
            await session.EndAsync(Guard);
        }

        Assert.That(emulator.ReceivedRequests.Select(r => r.Path + r.QueryString), Is.EqualTo(new[] { "/v1/convai/conversation?agent_id=agent_public" }));
    }

    [Test]
    public async Task PrivateAgent_WithoutSignatureOrKey_IsRefused()
    {
        await using var emulator = await StartEmulatorAsync();
        var client = Client(emulator);

        var ex = Assert.ThrowsAsync<ConversationSessionException>(() => client.Conversations.StartSessionAsync("agent_private", new ConversationSessionOptions { IsPublicAgent = true }, Guard));

        Assert.That((ex!.Error, ex.StatusCode), Is.EqualTo((ConversationSessionError.ConnectFailed, (int?)403)));
    }

    [Test]
    public async Task ScriptedAgent_RepliesWithVariablesCallsAToolAndEndsAfterTwoTurns()
    {
        var agent = new EmulatedAgent
        {
            FirstMessage = "Hi {{customer_name}}, this is the order desk.",
            EndAfterTurns = 2,
            EndMessage = "Bye {{customer_name}}.",
        };
        agent.Replies.Add(new EmulatedAgentReply("Order {{order_id}} is {{tool_result}}.") { ToolName = "lookup_order", ToolParameters = new JsonObject { ["order_id"] = "{{order_id}}" } });
        agent.Replies.Add(new EmulatedAgentReply("Anything else about {{user_message}}?"));
        await using var emulator = await StartEmulatorAsync(o => o.Agents["agent_orders"] = agent);
        var client = Client(emulator);
        var options = new ConversationSessionOptions { UserId = "cust-1" };
        options.DynamicVariables["customer_name"] = "Ana";
        options.DynamicVariables["order_id"] = 123;
        await using var session = await client.Conversations.StartSessionAsync("agent_orders", options, Guard);
        await session.SendUserMessageAsync("Where is my order?", Guard);

        var events = await ReadUntilClosedAsync(session, async e =>
        {
            if (e is ClientToolCallEvent call)
            {
                Assert.That((call.ToolName, call.Parameters.GetProperty("order_id").GetString()), Is.EqualTo(("lookup_order", "123")));
                await session.SendToolResultAsync(call.ToolCallId, "shipped");
            }
            else if (e is AgentResponseEvent { Text: "Order 123 is shipped." })
            {
                await session.SendUserMessageAsync("the delivery date");
            }
        });

        var texts = events.Select(e => e switch
        {
            AgentResponseEvent r => "agent: " + r.Text,
            UserTranscriptEvent u => "user: " + u.Text,
            ClientToolCallEvent t => "tool: " + t.ToolName,
            ConversationClosedEvent c => $"closed {c.Reason.Code} {c.Reason.Kind}",
            _ => null,
        }).Where(t => t is not null).ToList();
        Assert.That(texts, Is.EqualTo(new[]
        {
            "agent: Hi Ana, this is the order desk.",
            "user: Where is my order?",
            "tool: lookup_order",
            "agent: Order 123 is shipped.",
            "user: the delivery date",
            "agent: Anything else about the delivery date?",
            "agent: Bye Ana.",
            "closed 1000 Normal",
        }));
        var audio = events.OfType<AgentAudioEvent>().ToList();
        Assert.That(audio, Is.Not.Empty);
        Assert.That(audio[0].DecodeAudio(), Has.Length.EqualTo(800), "100 ms of μ-law at 8 kHz");
    }

    [Test]
    public async Task MissingDynamicVariable_ClosesWith1008BeforeTheStart()
    {
        await using var emulator = await StartEmulatorAsync(o => o.DefaultAgent = new EmulatedAgent { FirstMessage = "Hello {{customer_name}}" });
        var client = Client(emulator);

        var ex = Assert.ThrowsAsync<ConversationSessionException>(() => client.Conversations.StartSessionAsync("agent_1", null, Guard));

        Assert.That(ex!.Error, Is.EqualTo(ConversationSessionError.StartRejected));
        Assert.That(ex.CloseReason!.Code, Is.EqualTo(1008));
        Assert.That(ex.CloseReason.ErrorType, Is.EqualTo("missing_dynamic_variable"));
        Assert.That(ex.CloseReason.Description, Does.Contain("customer_name"));
        await emulator.WhenNoOpenAgentSocketsAsync().WaitAsync(Guard);
    }

    [Test]
    public async Task EndPhrase_EndsTheConversation_WhichBecomesAConversationWithTranscriptAndWebhook()
    {
        await using var emulator = await StartEmulatorAsync(o => o.DefaultAgent = new EmulatedAgent { FirstMessage = "Hello!", EndPhrase = "bye now" });
        var client = Client(emulator);
        var options = new ConversationSessionOptions { UserId = "cust-9" };
        options.DynamicVariables["plan"] = "gold";
        await using var session = await client.Conversations.StartSessionAsync("agent_1", options, Guard);
        var conversationId = session.ConversationId!;
        Assert.That(emulator.Conversations.Single().Status, Is.EqualTo("in-progress"));
        await session.SendUserMessageAsync("Thanks, bye now", Guard);

        var events = await ReadUntilClosedAsync(session);

        Assert.That(((ConversationClosedEvent)events[^1]).Reason.Kind, Is.EqualTo(ConversationCloseKind.Normal));
        var webhook = await emulator.WaitForWebhookAsync("post_call_transcription", conversationId, Guard);
        Assert.That(webhook.ConversationId, Is.EqualTo(conversationId));
        var conversation = await client.Conversations.GetAsync(conversationId, null, Guard);
        Assert.That(conversation.Status, Is.EqualTo(ConversationStatus.Done));
        Assert.That(conversation.Transcript!.Select(t => $"{t.Role}: {t.Message}"), Is.EqualTo(new[]
        {
            "agent: Hello!", "user: Thanks, bye now", "agent: Thank you for calling. Goodbye!",
        }));
        Assert.That(conversation.UserId, Is.EqualTo("cust-9"));
        var listed = await client.Conversations.ListAsync(new ConversationListOptions { UserId = "cust-9" }, Guard);
        Assert.That(listed.Conversations.Select(c => c.ConversationId), Is.EqualTo(new[] { conversationId }));
    }

    [Test]
    public async Task CallerSpeakingWhileTheAgentPlays_Interrupts_AndTheInterruptedAudioNeverArrives()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var emulator = await StartEmulatorAsync(o =>
        {
            o.TimeProvider = time;
            o.PaceAgentAudio = true;
            o.DefaultAgent = new EmulatedAgent { FirstMessage = new string('a', 100) };
        });
        var client = Client(emulator);
        await using var session = await client.Conversations.StartSessionAsync("agent_1", null, Guard);
        var afterInterruption = new List<ConversationEvent>();
        var interrupted = false;

        await foreach (var e in session.ReadEventsAsync(Guard))
        {
            if (e is AgentAudioEvent && !interrupted && afterInterruption.Count == 0)
            {
                // The first chunk is out and the agent waits (on the fake clock) before the next: speak now.
                await session.SendUserMessageAsync("Sorry to interrupt");
                afterInterruption.Add(e);
                continue;
            }

            if (e is InterruptionEvent)
            {
                interrupted = true;
            }

            if (interrupted)
            {
                afterInterruption.Add(e);
                if (e is AgentResponseEvent { Text: "You said: Sorry to interrupt" })
                {
                    break;
                }
            }
        }

        var interruption = afterInterruption.OfType<InterruptionEvent>().Single();
        var firstTurn = ((AgentAudioEvent)afterInterruption[0]).EventId;
        Assert.That(interruption.EventId, Is.EqualTo(firstTurn));
        Assert.That(afterInterruption.OfType<AgentAudioEvent>().Skip(1).Where(a => a.EventId <= firstTurn), Is.Empty);
        await session.EndAsync(Guard);
    }

    [Test]
    public async Task PongsStop_TheAgentClosesWith1002()
    {
        await using var emulator = await StartEmulatorAsync(o =>
        {
            o.AgentPingInterval = TimeSpan.FromMilliseconds(20);
            o.AgentPongTimeout = TimeSpan.FromMilliseconds(100);
            o.DefaultAgent = new EmulatedAgent { IsPublic = true, FirstMessage = null };
        });
        using var socket = new ClientWebSocket();
        await socket.ConnectAsync(new Uri($"ws://{emulator.BaseAddress.Authority}/v1/convai/conversation?agent_id=agent_1"), Guard);
        await socket.SendAsync("""{"type":"conversation_initiation_client_data"}"""u8.ToArray(), WebSocketMessageType.Text, true, Guard);
        var buffer = new byte[8192];
        var types = new List<string>();

        while (true)
        {
            // Reads every message and never answers a ping.
            var result = await socket.ReceiveAsync(buffer, Guard);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                break;
            }

            types.Add(JsonNode.Parse(Encoding.UTF8.GetString(buffer, 0, result.Count))!["type"]!.GetValue<string>());
        }

        Assert.That(socket.CloseStatus, Is.EqualTo(WebSocketCloseStatus.ProtocolError));
        Assert.That(types, Does.Contain("ping"));
        Assert.That(types[^1], Is.EqualTo("error"));
    }

    [Test]
    public async Task Pings_AreAnsweredByTheSession_SoTheAgentKeepsTalking()
    {
        await using var emulator = await StartEmulatorAsync(o =>
        {
            o.AgentPingInterval = TimeSpan.FromMilliseconds(10);
            o.AgentPongTimeout = TimeSpan.FromSeconds(30);
            o.DefaultAgent = new EmulatedAgent { FirstMessage = null };
        });
        var client = Client(emulator);
        await using var session = await client.Conversations.StartSessionAsync("agent_1", null, Guard);

        // Several pings go by while nothing is read; the session answers them.
        await session.SendUserMessageAsync("one", Guard);
        var events = new List<string>();
        await foreach (var e in session.ReadEventsAsync(Guard))
        {
            if (e is AgentResponseEvent r)
            {
                events.Add(r.Text);
                if (events.Count == 1)
                {
                    await session.SendUserMessageAsync("two goodbye");
                }
            }
        }

        Assert.That(events, Is.EqualTo(new[] { "You said: one", "Thank you for calling. Goodbye!" }));
        Assert.That(session.CloseReason!.Code, Is.EqualTo(1000));
    }

    [Test]
    public async Task HundredConcurrentSessions_LeaveNothingBehind()
    {
        var buffersBefore = RealtimeBuffers.Outstanding;
        var sessionsBefore = ConversationSession.OpenCount;
        await using var emulator = await StartEmulatorAsync(o => o.DefaultAgent = new EmulatedAgent { FirstMessage = "Hello {{n}}", EndAfterTurns = 1 });
        var client = Client(emulator);

        var results = await Task.WhenAll(Enumerable.Range(0, 100).Select(async n =>
        {
            var options = new ConversationSessionOptions();
            options.DynamicVariables["n"] = n;
            await using var session = await client.Conversations.StartSessionAsync("agent_1", options, Guard);
            await session.SendAudioAsync(new byte[160], Guard);
            await session.SendUserMessageAsync("hi " + n, Guard);
            var events = await ReadUntilClosedAsync(session);
            return (n, events.OfType<AgentResponseEvent>().Select(r => r.Text).ToList(), session.CloseReason!.Code);
        }));

        foreach (var (n, texts, code) in results)
        {
            Assert.That(texts, Is.EqualTo(new[] { $"Hello {n}", $"You said: hi {n}", "Thank you for calling. Goodbye!" }));
            Assert.That(code, Is.EqualTo(1000));
        }

        await emulator.WhenNoOpenAgentSocketsAsync().WaitAsync(Guard);
        Assert.That(emulator.OpenAgentSockets, Is.Zero);
        Assert.That(ConversationSession.OpenCount, Is.EqualTo(sessionsBefore));
        Assert.That(RealtimeBuffers.Outstanding, Is.EqualTo(buffersBefore));
        Assert.That(emulator.Conversations, Has.Count.EqualTo(100));
    }
}
