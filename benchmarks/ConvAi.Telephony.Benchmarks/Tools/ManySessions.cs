using System.Diagnostics;
using ConvAi.Telephony.Testing;

namespace ConvAi.Telephony.Benchmarks.Tools;

/// <summary>
/// <c>--sessions N [sequential]</c> (issue 25): N live conversations at once (or one after another) against the emulator's agent socket (pacing off), each
/// a greeting, one user turn and the agent's goodbye; then checks that nothing is left behind: no socket open on the
/// emulator's side, no session open, every pooled buffer returned, N conversations recorded. Prints the figures and
/// exits 1 when anything is left.
/// </summary>
internal static class ManySessions
{
    public static async Task<int> RunAsync(int count, bool sequential)
    {
        var buffersBefore = RealtimeBuffers.Outstanding;
        var sessionsBefore = ConversationSession.OpenCount;
        await using var emulator = await ConvAiEmulator.StartNewAsync(new ConvAiEmulatorOptions
        {
            PaceAgentAudio = false,
            StepDelay = TimeSpan.FromMilliseconds(1),
            DefaultAgent = new EmulatedAgent { FirstMessage = "Hello {{n}}", EndAfterTurns = 1 },
        });
        var client = new ConvAiTelephonyClient(new ConvAiTelephonyOptions { ApiKey = emulator.ApiKey, BaseAddress = emulator.BaseAddress });
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        var stopwatch = Stopwatch.StartNew();
        var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;

        async Task<bool> RunOneAsync(int n)
        {
            var options = new ConversationSessionOptions();
            options.DynamicVariables["n"] = n;
            await using var session = await client.Conversations.StartSessionAsync("agent_load", options, timeout.Token);
            await session.SendUserMessageAsync("hi " + n, timeout.Token);
            var responses = 0;
            await foreach (var e in session.ReadEventsAsync(timeout.Token))
            {
                responses += e is AgentResponseEvent ? 1 : 0;
            }

            return responses == 3 && session.CloseReason?.Code == 1000;
        }

        bool[] closedNormally;
        if (sequential)
        {
            closedNormally = new bool[count];
            for (var n = 0; n < count; n++)
            {
                closedNormally[n] = await RunOneAsync(n);
            }
        }
        else
        {
            closedNormally = await Task.WhenAll(Enumerable.Range(0, count).Select(RunOneAsync));
        }

        var elapsed = stopwatch.Elapsed;
        var cpu = Process.GetCurrentProcess().TotalProcessorTime - cpuBefore;
        for (var poll = 0; poll < 300 && emulator.OpenAgentSockets > 0; poll++)
        {
            await Task.Delay(100); // the emulator's side closes after the client's; bounded at 30 s
        }

        var leftSockets = emulator.OpenAgentSockets;
        var leftSessions = ConversationSession.OpenCount - sessionsBefore;
        var leftBuffers = RealtimeBuffers.Outstanding - buffersBefore;
        var ok = closedNormally.All(x => x) && leftSockets == 0 && leftSessions == 0 && leftBuffers == 0 && emulator.Conversations.Count == count;
        Console.WriteLine(
            $"sessions: {count} {(sequential ? "in sequence" : "concurrent")}, {closedNormally.Count(x => x)} closed normally (1000) after 3 agent responses; {elapsed.TotalSeconds:F1} s wall, " +
            $"{cpu.TotalMilliseconds / count:F1} ms CPU per session (client and emulator in one process); left behind: {leftSockets} emulator sockets, " +
            $"{leftSessions} sessions, {leftBuffers} pooled buffers; {emulator.Conversations.Count} conversations recorded: {(ok ? "ok" : "LEFT SOMETHING BEHIND")}");
        return ok ? 0 : 1;
    }
}
