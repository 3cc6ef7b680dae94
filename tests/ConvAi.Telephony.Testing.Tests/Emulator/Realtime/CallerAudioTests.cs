using Microsoft.Extensions.Time.Testing;

namespace ConvAi.Telephony.Testing.Tests;

/// <summary>The emulated agent's ear: the caller's audio energy makes user turns and interruptions.</summary>
[NonParallelizable]
public class CallerAudioTests
{
    private static CancellationToken Guard => new CancellationTokenSource(TimeSpan.FromSeconds(60)).Token;

    private static byte[] Silence(int milliseconds) => Enumerable.Repeat((byte)0xFF, milliseconds * 8).ToArray();

    [Test]
    public void Ulaw_RoundTrips_AndToneIsSpeechWhileSilenceIsNot()
    {
        foreach (short sample in new short[] { 0, 100, -100, 8000, -8000, 32000, -32000 })
        {
            Assert.That((int)AgentAudio.UlawToLinear(AgentAudio.LinearToUlaw(sample)), Is.EqualTo((int)sample).Within((Math.Abs((int)sample) / 16) + 8));
        }

        var tone = AgentAudio.Speak("hello", ConversationAudioFormat.Ulaw8000)[0];
        Assert.That(AgentAudio.Energy(tone, ConversationAudioFormat.Ulaw8000), Is.GreaterThan(AgentAudio.SpeechThreshold));
        Assert.That(AgentAudio.Energy(Silence(100), ConversationAudioFormat.Ulaw8000), Is.LessThan(AgentAudio.SpeechThreshold));
        var pcm = AgentAudio.Speak("hello", ConversationAudioFormat.Pcm16000)[0];
        Assert.That(pcm, Has.Length.EqualTo(3200), "100 ms of 16-bit PCM at 16 kHz");
        Assert.That(AgentAudio.Energy(pcm, ConversationAudioFormat.Pcm16000), Is.GreaterThan(AgentAudio.SpeechThreshold));
    }

    [Test]
    public async Task SpeechThenSilence_IsAUserTurn()
    {
        await using var emulator = await ConvAiEmulator.StartNewAsync(new ConvAiEmulatorOptions
        {
            PaceAgentAudio = false,
            DefaultAgent = new EmulatedAgent { FirstMessage = null, EndAfterTurns = 1, EndMessage = "Bye." },
        });
        var client = new ConvAiTelephonyClient(new ConvAiTelephonyOptions { ApiKey = emulator.ApiKey, BaseAddress = emulator.BaseAddress });
        await using var session = await client.Conversations.StartSessionAsync("agent_1", null, Guard);

        foreach (var chunk in AgentAudio.Speak(new string('x', 10), ConversationAudioFormat.Ulaw8000))
        {
            await session.SendAudioAsync(chunk, Guard);
        }

        for (var i = 0; i < 6; i++)
        {
            await session.SendAudioAsync(Silence(100), Guard);
        }

        var texts = new List<string>();
        await foreach (var e in session.ReadEventsAsync(Guard))
        {
            switch (e)
            {
                case UserTranscriptEvent u: texts.Add("user: " + u.Text); break;
                case AgentResponseEvent r: texts.Add("agent: " + r.Text); break;
            }
        }

        Assert.That(texts, Is.EqualTo(new[] { "user: (the caller spoke for 0.4 s)", "agent: You said: (the caller spoke for 0.4 s)", "agent: Bye." }));
    }

    [Test]
    public async Task CallerSpeakingOverTheAgent_Interrupts()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var emulator = await ConvAiEmulator.StartNewAsync(new ConvAiEmulatorOptions
        {
            TimeProvider = time,
            PaceAgentAudio = true,
            DefaultAgent = new EmulatedAgent { FirstMessage = new string('a', 100) },
        });
        var client = new ConvAiTelephonyClient(new ConvAiTelephonyOptions { ApiKey = emulator.ApiKey, BaseAddress = emulator.BaseAddress });
        await using var session = await client.Conversations.StartSessionAsync("agent_1", null, Guard);
        long? firstTurn = null;

        await foreach (var e in session.ReadEventsAsync(Guard))
        {
            if (e is AgentAudioEvent audio && firstTurn is null)
            {
                // The agent waits on the fake clock after its first chunk: talk over it for 300 ms.
                firstTurn = audio.EventId;
                foreach (var chunk in AgentAudio.Speak(new string('x', 5), ConversationAudioFormat.Ulaw8000).Take(3))
                {
                    await session.SendAudioAsync(chunk);
                }
            }
            else if (e is InterruptionEvent interruption)
            {
                Assert.That(interruption.EventId, Is.EqualTo(firstTurn));
                break;
            }
        }

        await session.EndAsync(Guard);
    }
}
