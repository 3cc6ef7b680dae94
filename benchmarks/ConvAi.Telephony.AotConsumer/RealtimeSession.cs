using ConvAi.Telephony;

/// <summary>
/// --realtime &lt;base address&gt; &lt;agent id&gt; [api key]: one live conversation through <see cref="ConversationSession"/> (a signed URL
/// fetched with the key, or the public agent URL without one), so the native AOT publish covers the session's socket, writer, parser and events.
/// </summary>
internal static class RealtimeSession
{
    public static async Task<int> RunAsync(Uri baseAddress, string agentId, string? apiKey)
    {
        var client = new ConvAiTelephonyClient(new ConvAiTelephonyOptions { ApiKey = apiKey ?? "aot-consumer", BaseAddress = baseAddress });
        var options = new ConversationSessionOptions { IsPublicAgent = apiKey is null, UserId = "aot" };
        options.DynamicVariables["customer_name"] = "Ana";
        await using var session = await client.Conversations.StartSessionAsync(agentId, options);
        await session.SendUserMessageAsync("hello");
        await session.SendAudioAsync(new byte[160]);
        await foreach (var e in session.ReadEventsAsync())
        {
            if (e is AgentResponseEvent response && response.EventId > 1)
            {
                await session.EndAsync();
            }
            else if (e is ConversationClosedEvent closed)
            {
                Console.WriteLine($"{session.ConversationId} {closed.Reason.Code}");
            }
        }

        return 0;
    }
}
