using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Nodes;

namespace ConvAi.Telephony.Tests.Realtime;

/// <summary>The session against a scripted local agent: start, ping/pong, the interruption rule, close codes, faults, sends.</summary>
[NonParallelizable]
public class ConversationSessionTests
{
    private static CancellationToken Guard => new CancellationTokenSource(TimeSpan.FromSeconds(30)).Token;

    private static ConversationSessionOptions Public(Action<ConversationSessionOptions>? configure = null)
    {
        var options = new ConversationSessionOptions { IsPublicAgent = true };
        configure?.Invoke(options);
        return options;
    }

    private static async Task<List<ConversationEvent>> ReadAllAsync(ConversationSession session)
    {
        var events = new List<ConversationEvent>();
        await foreach (var e in session.ReadEventsAsync(Guard))
        {
            events.Add(e);
        }

        return events;
    }

    [Test]
    public async Task StartSessionAsync_SendsInitiationAndReadsMetadata()
    {
        JsonNode? initiation = null;
        await using var server = await ScriptedAgentServer.StartAsync(async c =>
        {
            initiation = await c.AcceptStartAsync("conv_1", "ulaw_8000", "pcm_16000");
            await c.DrainUntilCloseAsync();
        });
        var client = server.CreateClient();
        var options = Public(o =>
        {
            o.DynamicVariables["customer_name"] = "Ana";
            o.DynamicVariables["balance"] = 12.5;
            o.UserId = "customer-42";
            o.ConversationConfigOverride = new ConversationConfigOverride { Agent = new AgentOverride { FirstMessage = "Hi {{customer_name}}" } };
            o.CustomLlmExtraBody = new JsonObject { ["temperature"] = 0.2 };
        });

        await using (var session = await client.Conversations.StartSessionAsync("agent_1", options, Guard))
        {
            Assert.Multiple(() =>
            {
                Assert.That(session.ConversationId, Is.EqualTo("conv_1"));
                Assert.That(session.AgentOutputAudioFormat, Is.EqualTo(ConversationAudioFormat.Ulaw8000));
                Assert.That(session.UserInputAudioFormat, Is.EqualTo(ConversationAudioFormat.Pcm16000));
            });
            await session.EndAsync(Guard);
            var events = await ReadAllAsync(session);
            Assert.That(events[0], Is.TypeOf<ConversationStartedEvent>());
            Assert.That(events[^1], Is.TypeOf<ConversationClosedEvent>());
            var closed = (ConversationClosedEvent)events[^1];
            Assert.That(closed.Reason.Kind, Is.EqualTo(ConversationCloseKind.Normal));
            Assert.That(closed.Reason.ClosedByClient, Is.True);
        }

        await server.WhenScriptsDoneAsync();
        Assert.That(
            initiation!.ToJsonString(),
            Is.EqualTo("""{"type":"conversation_initiation_client_data","dynamic_variables":{"customer_name":"Ana","balance":12.5},"user_id":"customer-42","conversation_config_override":{"agent":{"first_message":"Hi {{customer_name}}"}},"custom_llm_extra_body":{"temperature":0.2}}"""));
    }

    [Test]
    public async Task ConnectThenStart_PingsAreAnsweredBeforeStart()
    {
        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = await ScriptedAgentServer.StartAsync(async c =>
        {
            var before = await c.PingAndWaitForPongAsync(7);
            Assert.That(before, Is.Empty);
            ready.SetResult();
            await c.AcceptStartAsync("conv_2");
            await c.DrainUntilCloseAsync();
        });
        var client = server.CreateClient();
        await using var session = await client.Conversations.ConnectSessionAsync("agent_1", Public(), Guard);
        await ready.Task.WaitAsync(Guard);
        Assert.That(session.ConversationId, Is.Null);

        await session.StartAsync(null, Guard);

        Assert.That(session.ConversationId, Is.EqualTo("conv_2"));
        await session.EndAsync(Guard);
        await server.WhenScriptsDoneAsync();
    }

    [Test]
    public async Task Pings_AreAnsweredWhileTheConsumerDoesNotRead()
    {
        var pongs = new List<long>();
        await using var server = await ScriptedAgentServer.StartAsync(async c =>
        {
            await c.AcceptStartAsync();
            for (var i = 1; i <= 50; i++)
            {
                // Agent output the consumer never reads, then a ping: its pong must still come.
                await c.SendAsync($$$"""{"type":"agent_response","agent_response_event":{"agent_response":"part {{{i}}}","event_id":{{{i}}}}}""");
                await c.SendAsync($$$"""{"type":"ping","ping_event":{"event_id":{{{i}}},"ping_ms":null}}""");
                var pong = await c.ReceiveJsonAsync();
                Assert.That(pong.ToJsonString(), Is.EqualTo($$$"""{"type":"pong","event_id":{{{i}}}}"""));
                pongs.Add(i);
            }

            await c.CloseAsync(WebSocketCloseStatus.NormalClosure, "done");
        });
        var client = server.CreateClient();
        await using var session = await client.Conversations.StartSessionAsync("agent_1", Public(), Guard);

        await server.WhenScriptsDoneAsync();

        Assert.That(pongs, Has.Count.EqualTo(50));
        var events = await ReadAllAsync(session);
        Assert.That(events.OfType<AgentResponseEvent>().Count(), Is.EqualTo(50));
        Assert.That(events.OfType<UnknownConversationEvent>(), Is.Empty, "pings are not surfaced");
    }

    [Test]
    public async Task Interruption_DropsAudioOfTheInterruptedTurn_OnArrivalAndInTheBuffer()
    {
        var barrier = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = await ScriptedAgentServer.StartAsync(async c =>
        {
            await c.AcceptStartAsync();
            await c.SendAsync(Audio(4, "AAAA"));
            await c.SendAsync(Audio(5, "BBBB"));
            await c.SendAsync("""{"type":"interruption","interruption_event":{"event_id":5}}""");
            await c.SendAsync(Audio(5, "CCCC"));
            await c.SendAsync(Audio(3, "DDDD"));
            await c.SendAsync(Audio(6, "EEEE"));
            // Once the pong is back, the client's receive loop has handled every message above.
            await c.PingAndWaitForPongAsync(99);
            barrier.SetResult();
            await c.CloseAsync(WebSocketCloseStatus.NormalClosure, null);
        });
        var client = server.CreateClient();
        await using var session = await client.Conversations.StartSessionAsync("agent_1", Public(), Guard);
        await barrier.Task.WaitAsync(Guard);

        var events = await ReadAllAsync(session);

        Assert.That(events.Select(Describe), Is.EqualTo(new[] { "conversation_initiation_metadata", "interruption 5", "audio 6 EEEE", "closed 1000" }));
        Assert.That(session.DroppedInterruptedAudioCount, Is.EqualTo(4));
    }

    [TestCase(WebSocketCloseStatus.NormalClosure, "Max duration exceeded", null, ConversationCloseKind.Normal)]
    [TestCase(WebSocketCloseStatus.ProtocolError, "No user input", "transport_receive_timeout", ConversationCloseKind.Timeout)]
    [TestCase(WebSocketCloseStatus.PolicyViolation, "Missing required dynamic variables in first message: {'name'}", "missing_dynamic_variable", ConversationCloseKind.PolicyViolation)]
    [TestCase(WebSocketCloseStatus.InternalServerError, "Internal error", "unknown_websocket_crash", ConversationCloseKind.InternalError)]
    [TestCase((WebSocketCloseStatus)4001, "custom", null, ConversationCloseKind.Other)]
    public async Task ServerClose_EndsWithTypedReason(WebSocketCloseStatus status, string text, string? errorType, ConversationCloseKind kind)
    {
        await using var server = await ScriptedAgentServer.StartAsync(async c =>
        {
            await c.AcceptStartAsync();
            if (errorType is not null)
            {
                await c.SendAsync($$$"""{"type":"error","error_event":{"code":{{{(int)status}}},"message":"{{{text}}}","error_type":"{{{errorType}}}","reason":"generic"}}""");
            }

            await c.CloseAsync(status, text);
        });
        var client = server.CreateClient();
        await using var session = await client.Conversations.StartSessionAsync("agent_1", Public(), Guard);

        var events = await ReadAllAsync(session);

        var closed = (ConversationClosedEvent)events[^1];
        Assert.Multiple(() =>
        {
            Assert.That(closed.Reason.Code, Is.EqualTo((int)status));
            Assert.That(closed.Reason.Kind, Is.EqualTo(kind));
            Assert.That(closed.Reason.Description, Is.EqualTo(text));
            Assert.That(closed.Reason.ErrorType, Is.EqualTo(errorType));
            Assert.That(closed.Reason.ClosedByClient, Is.False);
            Assert.That(session.CloseReason, Is.EqualTo(closed.Reason));
        });
        if (errorType is not null)
        {
            var error = events.OfType<ConversationErrorEvent>().Single();
            Assert.That((error.Code, error.ErrorType, error.Reason), Is.EqualTo(((int?)(int)status, errorType, "generic")));
        }

        var ex = Assert.ThrowsAsync<ConversationSessionException>(async () => await session.SendUserMessageAsync("too late"));
        Assert.That(ex!.Error, Is.EqualTo(ConversationSessionError.Closed));
    }

    [Test]
    public async Task CloseBeforeStart_StartThrowsWithThePolicyReason()
    {
        await using var server = await ScriptedAgentServer.StartAsync(async c =>
        {
            await c.ReceiveJsonAsync();
            await c.SendAsync("""{"type":"error","error_event":{"code":1008,"message":"Missing required dynamic variables in first message: {'name'}","error_type":"missing_dynamic_variable"}}""");
            await c.CloseAsync(WebSocketCloseStatus.PolicyViolation, "Missing required dynamic variables in first message: {'name'}");
        });
        var client = server.CreateClient();

        var ex = Assert.ThrowsAsync<ConversationSessionException>(() => client.Conversations.StartSessionAsync("agent_1", Public(), Guard));

        Assert.That(ex!.Error, Is.EqualTo(ConversationSessionError.StartRejected));
        Assert.That(ex.CloseReason!.Kind, Is.EqualTo(ConversationCloseKind.PolicyViolation));
        Assert.That(ex.CloseReason.ErrorType, Is.EqualTo("missing_dynamic_variable"));
        Assert.That(ex.Message, Does.Contain("1008").And.Contain("'name'"));
    }

    [Test]
    public async Task DroppedConnection_ThrowsConnectionLostAfterTheBufferedEvents()
    {
        await using var server = await ScriptedAgentServer.StartAsync(async c =>
        {
            await c.AcceptStartAsync();
            await c.SendAsync("""{"type":"agent_response","agent_response_event":{"agent_response":"Hello","event_id":1}}""");
            await c.PingAndWaitForPongAsync(1);
            c.Context.Abort();
        });
        var client = server.CreateClient();
        await using var session = await client.Conversations.StartSessionAsync("agent_1", Public(), Guard);
        var events = new List<ConversationEvent>();

        var ex = Assert.ThrowsAsync<ConversationSessionException>(async () =>
        {
            await foreach (var e in session.ReadEventsAsync(Guard))
            {
                events.Add(e);
            }
        });

        Assert.That(ex!.Error, Is.EqualTo(ConversationSessionError.ConnectionLost));
        Assert.That(ex.Message, Does.Contain("dropped without a WebSocket close"));
        Assert.That(ex.ConversationId, Is.EqualTo("conv_scripted"));
        Assert.That(events.Select(Describe), Is.EqualTo(new[] { "conversation_initiation_metadata", "agent_response Hello" }));
    }

    [Test]
    public async Task OversizedMessage_FailsWithMessageTooLargeAndCloses1009()
    {
        WebSocketCloseStatus? clientClose = null;
        await using var server = await ScriptedAgentServer.StartAsync(async c =>
        {
            await c.AcceptStartAsync();
            await c.SendAsync("""{"type":"agent_response","agent_response_event":{"agent_response":"fits","event_id":1}}""");
            await c.SendAsync($$$"""{"type":"agent_response","agent_response_event":{"agent_response":"{{{new string('x', 5000)}}}","event_id":2}}""");
            await c.DrainUntilCloseAsync();
            clientClose = c.ClientCloseStatus;
        });
        var client = server.CreateClient();
        await using var session = await client.Conversations.StartSessionAsync("agent_1", Public(o => o.MaxMessageBytes = 2048), Guard);
        var events = new List<ConversationEvent>();

        var ex = Assert.ThrowsAsync<ConversationSessionException>(async () =>
        {
            await foreach (var e in session.ReadEventsAsync(Guard))
            {
                events.Add(e);
            }
        });

        Assert.That(ex!.Error, Is.EqualTo(ConversationSessionError.MessageTooLarge));
        Assert.That(ex.Message, Does.Contain("2048"));
        Assert.That(events.Select(Describe), Is.EqualTo(new[] { "conversation_initiation_metadata", "agent_response fits" }));
        await server.WhenScriptsDoneAsync();
        Assert.That(clientClose, Is.EqualTo(WebSocketCloseStatus.MessageTooBig));
    }

    [Test]
    public async Task LargeMessageUnderTheLimit_IsReadAcrossFrames()
    {
        var text = new string('y', 100_000);
        await using var server = await ScriptedAgentServer.StartAsync(async c =>
        {
            await c.AcceptStartAsync();
            await c.SendAsync($$$"""{"type":"agent_response","agent_response_event":{"agent_response":"{{{text}}}","event_id":1}}""");
            await c.CloseAsync(WebSocketCloseStatus.NormalClosure, null);
        });
        var client = server.CreateClient();
        await using var session = await client.Conversations.StartSessionAsync("agent_1", Public(), Guard);

        var events = await ReadAllAsync(session);

        Assert.That(events.OfType<AgentResponseEvent>().Single().Text, Is.EqualTo(text));
    }

    [Test]
    public async Task MalformedAndUnknownFrames_AreNeverFatal()
    {
        await using var server = await ScriptedAgentServer.StartAsync(async c =>
        {
            await c.AcceptStartAsync();
            await c.SendAsync("this is not json");
            await c.SendAsync("""{"type":"agent_response","agent_response_event":{"agent_res""");
            await c.SendAsync("""["an","array"]""");
            await c.SendAsync("""{"no_type":true}""");
            await c.SendAsync("""{"type":"context_usage","context_usage_event":{"event_id":3,"model":"m","context_tokens":10,"context_limit_tokens":100}}""");
            await c.SendAsync("""{"type":"audio","audio_event":{"event_id":"not-a-number","audio_base_64":"AAAA"}}""");
            await c.SendAsync("""{"type":"agent_response","agent_response_event":{"agent_response":"still here","event_id":4}}""");
            await c.CloseAsync(WebSocketCloseStatus.NormalClosure, null);
        });
        var client = server.CreateClient();
        await using var session = await client.Conversations.StartSessionAsync("agent_1", Public(), Guard);

        var events = await ReadAllAsync(session);

        Assert.That(events.Select(Describe), Is.EqualTo(new[]
        {
            "conversation_initiation_metadata", "unknown context_usage", "unknown audio", "agent_response still here", "closed 1000",
        }));
        var usage = (UnknownConversationEvent)events[1];
        Assert.That(usage.Json.GetProperty("context_usage_event").GetProperty("context_tokens").GetInt32(), Is.EqualTo(10));
    }

    [Test]
    public async Task EventBufferOverflow_EndSession_ThrowsAfterTheBufferedEventsAndCloses1011()
    {
        WebSocketCloseStatus? clientClose = null;
        await using var server = await ScriptedAgentServer.StartAsync(async c =>
        {
            await c.AcceptStartAsync();
            for (var i = 1; i <= 10; i++)
            {
                await c.SendAsync($$$"""{"type":"agent_response","agent_response_event":{"agent_response":"r{{{i}}}","event_id":{{{i}}}}}""");
            }

            await c.DrainUntilCloseAsync();
            clientClose = c.ClientCloseStatus;
        });
        var client = server.CreateClient();
        await using var session = await client.Conversations.StartSessionAsync("agent_1", Public(o => o.EventBufferCapacity = 4), Guard);
        await server.WhenScriptsDoneAsync();
        var events = new List<ConversationEvent>();

        var ex = Assert.ThrowsAsync<ConversationSessionException>(async () =>
        {
            await foreach (var e in session.ReadEventsAsync(Guard))
            {
                events.Add(e);
            }
        });

        Assert.That(ex!.Error, Is.EqualTo(ConversationSessionError.EventBufferOverflow));
        Assert.That(events.Select(Describe), Is.EqualTo(new[] { "conversation_initiation_metadata", "agent_response r1", "agent_response r2", "agent_response r3" }));
        Assert.That(clientClose, Is.EqualTo(WebSocketCloseStatus.InternalServerError));
    }

    [Test]
    public async Task EventBufferOverflow_DropOldest_KeepsTheNewestAndCounts()
    {
        var barrier = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = await ScriptedAgentServer.StartAsync(async c =>
        {
            await c.AcceptStartAsync();
            for (var i = 1; i <= 10; i++)
            {
                await c.SendAsync($$$"""{"type":"agent_response","agent_response_event":{"agent_response":"r{{{i}}}","event_id":{{{i}}}}}""");
            }

            await c.PingAndWaitForPongAsync(1);
            barrier.SetResult();
            await c.DrainUntilCloseAsync();
        });
        var client = server.CreateClient();
        await using var session = await client.Conversations.StartSessionAsync(
            "agent_1", Public(o => (o.EventBufferCapacity, o.EventBufferOverflow) = (4, ConversationEventOverflow.DropOldest)), Guard);
        await barrier.Task.WaitAsync(Guard);
        await session.EndAsync(Guard);

        var events = await ReadAllAsync(session);

        Assert.That(events.Select(Describe), Is.EqualTo(new[] { "agent_response r7", "agent_response r8", "agent_response r9", "agent_response r10", "closed 1000" }));
        Assert.That(session.DroppedEventCount, Is.EqualTo(7));
    }

    [Test]
    public async Task Sends_FromManyThreads_ArriveWholeAndInOrderPerThread()
    {
        var received = new ConcurrentBag<string>();
        await using var server = await ScriptedAgentServer.StartAsync(async c =>
        {
            await c.AcceptStartAsync();
            foreach (var message in await c.DrainUntilCloseAsync())
            {
                received.Add(message);
            }
        });
        var client = server.CreateClient();
        await using var session = await client.Conversations.StartSessionAsync("agent_1", Public(), Guard);
        var audio = new byte[160];

        await Task.WhenAll(Enumerable.Range(0, 8).Select(t => Task.Run(async () =>
        {
            for (var i = 0; i < 50; i++)
            {
                await session.SendUserMessageAsync($"t{t} m{i}");
                await session.SendAudioAsync(audio);
            }
        })));
        await session.EndAsync(Guard);
        await server.WhenScriptsDoneAsync();

        var parsed = received.Select(m => JsonNode.Parse(m)!).ToList();
        Assert.That(parsed.Count(m => m["user_audio_chunk"] is not null), Is.EqualTo(400));
        var texts = parsed.Where(m => m["type"]?.GetValue<string>() == "user_message").Select(m => m["text"]!.GetValue<string>()).ToList();
        Assert.That(texts, Has.Count.EqualTo(400));
        Assert.That(texts.ToHashSet(), Has.Count.EqualTo(400));
    }

    [Test]
    public async Task ClientToolCall_IsAnsweredWithToolResult()
    {
        JsonNode? result = null;
        await using var server = await ScriptedAgentServer.StartAsync(async c =>
        {
            await c.AcceptStartAsync();
            await c.SendAsync("""{"type":"client_tool_call","client_tool_call":{"tool_name":"lookup_order","tool_call_id":"call_1","parameters":{"order_id":"123"},"event_id":3}}""");
            result = await c.ReceiveJsonAsync();
            await c.CloseAsync(WebSocketCloseStatus.NormalClosure, null);
        });
        var client = server.CreateClient();
        await using var session = await client.Conversations.StartSessionAsync("agent_1", Public(), Guard);

        await foreach (var e in session.ReadEventsAsync(Guard))
        {
            if (e is ClientToolCallEvent call)
            {
                Assert.That(call.Parameters.GetProperty("order_id").GetString(), Is.EqualTo("123"));
                await session.SendToolResultAsync(call.ToolCallId, """{"status":"shipped"}""");
            }
        }

        Assert.That(result!.ToJsonString(), Is.EqualTo("""{"type":"client_tool_result","tool_call_id":"call_1","result":"{\u0022status\u0022:\u0022shipped\u0022}","is_error":false}"""));
    }

    [Test]
    public async Task Dispose_ReturnsEveryPooledBuffer()
    {
        var rentedBefore = RealtimeBuffers.Outstanding;
        var openBefore = ConversationSession.OpenCount;
        await using var server = await ScriptedAgentServer.StartAsync(async c =>
        {
            await c.AcceptStartAsync();
            await c.SendAsync(Audio(1, "AAAA"));
            await c.DrainUntilCloseAsync();
        });
        var client = server.CreateClient();
        var session = await client.Conversations.StartSessionAsync("agent_1", Public(), Guard);
        for (var i = 0; i < 100; i++)
        {
            await session.SendAudioAsync(new byte[320]);
        }

        await session.DisposeAsync();

        Assert.That(RealtimeBuffers.Outstanding, Is.EqualTo(rentedBefore));
        Assert.That(ConversationSession.OpenCount, Is.EqualTo(openBefore));
    }

    [Test]
    public async Task ReceiveLoop_BetweenMessages_HoldsNoBuffer_AndLargeMessagesArriveWhole()
    {
        var rentedBefore = RealtimeBuffers.Outstanding;
        // 30,000 bytes of audio: 40,000 base64 characters, more than the first receive buffer (grown while the message is read).
        var large = Convert.ToBase64String(Enumerable.Range(0, 30000).Select(i => (byte)(i * 5)).ToArray());
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = await ScriptedAgentServer.StartAsync(async c =>
        {
            await c.AcceptStartAsync();
            await c.SendAsync(Audio(1, large));
            await c.SendAsync(Audio(2, "AAAA"));
            await release.Task;
            await c.CloseAsync(WebSocketCloseStatus.NormalClosure, null);
        });
        var client = server.CreateClient();
        await using var session = await client.Conversations.StartSessionAsync("agent_1", Public(), Guard);
        var audio = new List<AgentAudioEvent>();
        await using var events = session.ReadEventsAsync(Guard).GetAsyncEnumerator();
        while (audio.Count < 2 && await events.MoveNextAsync())
        {
            if (events.Current is AgentAudioEvent a)
            {
                audio.Add(a);
            }
        }

        // The session waits for the agent's next message with a zero-byte read: it holds no pooled receive buffer meanwhile.
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (RealtimeBuffers.Outstanding != rentedBefore && DateTime.UtcNow < deadline)
        {
            await Task.Delay(10);
        }

        var heldWhileWaiting = RealtimeBuffers.Outstanding - rentedBefore;
        release.SetResult();
        Assert.Multiple(() =>
        {
            Assert.That(heldWhileWaiting, Is.Zero, "pooled arrays held by the session while it waits for the next message");
            Assert.That(audio.Select(a => a.EventId), Is.EqualTo(new long[] { 1, 2 }));
            Assert.That(Encoding.UTF8.GetString(audio[0].AudioBase64.Span), Is.EqualTo(large));
            Assert.That(Encoding.UTF8.GetString(audio[1].AudioBase64.Span), Is.EqualTo("AAAA"));
        });
    }

    private static string Audio(long eventId, string base64)
        => $$$"""{"type":"audio","audio_event":{"audio_base_64":"{{{base64}}}","event_id":{{{eventId}}}}}""";

    internal static string Describe(ConversationEvent e) => e switch
    {
        AgentAudioEvent a => $"audio {a.EventId} {Encoding.UTF8.GetString(a.AudioBase64.Span)}",
        InterruptionEvent i => $"interruption {i.EventId}",
        AgentResponseEvent r => $"agent_response {r.Text}",
        UnknownConversationEvent u => $"unknown {u.Type}",
        ConversationClosedEvent c => $"closed {c.Reason.Code}",
        _ => e.Type,
    };
}
