using System.Net.WebSockets;
using System.Text;
using ConvAi.Telephony.AspNetCore;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace ConvAi.Telephony.Benchmarks.Bridge;

/// <summary>
/// One call through the real <see cref="MediaStreamBridge"/> and <see cref="ConversationSession"/>, both sockets in memory
/// (<see cref="FrameSocket"/>): the rig plays Twilio (<c>connected</c>, <c>start</c> with a valid call token, then <c>media</c> frames, marks
/// echoed when told to) and the agent (answers the initiation with <c>ulaw_8000</c> both ways, then <c>audio</c> messages). What the bridge
/// sends to each side is counted, so a driver can push one frame and await its way out.
/// </summary>
internal sealed class BridgeRig
{
    public const string AuthToken = "bench_twilio_token";

    /// <summary>20 ms of μ-law (160 bytes) as base64, the size of a Twilio media frame's payload.</summary>
    public static readonly string Payload = Convert.ToBase64String(Enumerable.Range(0, 160).Select(i => (byte)(i * 7)).ToArray());

    public static readonly byte[] AgentAudio = Encoding.UTF8.GetBytes(
        $$$"""{"type":"audio","audio_event":{"audio_base_64":"{{{Payload}}}","event_id":7}}""");

    private static readonly byte[] Initiated = Encoding.UTF8.GetBytes(
        """{"type":"conversation_initiation_metadata","conversation_initiation_metadata_event":{"conversation_id":"conv_bench","agent_output_audio_format":"ulaw_8000","user_input_audio_format":"ulaw_8000"}}""");

    private readonly Task _run;
    private int _agentSends;

    private BridgeRig(Shared shared, int index)
    {
        var callSid = "CA" + index.ToString("D32", System.Globalization.CultureInfo.InvariantCulture);
        StreamSid = "MZ" + index.ToString("D32", System.Globalization.CultureInfo.InvariantCulture);
        MediaFrame = Encoding.UTF8.GetBytes(
            $$$"""{"event":"media","sequenceNumber":"3","media":{"track":"inbound","chunk":"1","timestamp":"20","payload":"{{{Payload}}}"},"streamSid":"{{{StreamSid}}}"}""");
        MarkEcho = Encoding.UTF8.GetBytes($$$"""{"event":"mark","sequenceNumber":"4","streamSid":"{{{StreamSid}}}","mark":{"name":"1"}}""");
        Twilio.Sent = static (socket, _) => ((BridgeRig)socket.Tag!).TwilioReceived.Increment();
        Twilio.Tag = this;
        Twilio.ClosedByPeer = static socket => socket.PushClose();
        Agent.Tag = this;
        Agent.Sent = static (socket, _) =>
        {
            var rig = (BridgeRig)socket.Tag!;
            if (Interlocked.Increment(ref rig._agentSends) == 1)
            {
                // The first message is the initiation data: the agent answers with its metadata.
                socket.Push(Initiated);
            }

            rig.AgentReceived.Increment();
        };
        Agent.ClosedByPeer = static socket => socket.PushClose();
        var client = new InMemoryAgentClient(Agent);
        Bridge = new MediaStreamBridge(Twilio, new BenchHandler(), client, shared.Options, "agent_bench", shared.Registry, shared.Tokens, NullLogger.Instance, TimeProvider.System);
        _run = Bridge.RunAsync();
        var token = shared.Tokens.Issue(callSid, [], TimeSpan.FromMinutes(5));
        Twilio.Push(Encoding.UTF8.GetBytes("""{"event":"connected","protocol":"Call","version":"1.0.0"}"""));
        Twilio.Push(Encoding.UTF8.GetBytes(
            $$$"""{"event":"start","sequenceNumber":"1","start":{"accountSid":"AC0","streamSid":"{{{StreamSid}}}","callSid":"{{{callSid}}}","tracks":["inbound"],"mediaFormat":{"encoding":"audio/x-mulaw","sampleRate":8000,"channels":1},"customParameters":{"{{{MediaStreamTokens.ParameterName}}}":"{{{token}}}"}},"streamSid":"{{{StreamSid}}}"}"""));
    }

    public string StreamSid { get; }

    public FrameSocket Twilio { get; } = new();

    public FrameSocket Agent { get; } = new();

    public MediaStreamBridge Bridge { get; }

    /// <summary>Gets the count of messages the bridge sent to Twilio (media, mark, clear).</summary>
    public CountSignal TwilioReceived { get; } = new();

    /// <summary>Gets the count of messages the session sent to the agent (initiation, audio, pongs).</summary>
    public CountSignal AgentReceived { get; } = new();

    /// <summary>A Twilio media frame of this call (inbound, 160 bytes of audio).</summary>
    public byte[] MediaFrame { get; }

    /// <summary>Twilio's answer to a mark the bridge sent.</summary>
    public byte[] MarkEcho { get; }

    /// <summary>Starts a call and waits until the agent has started and caller audio flows straight through.</summary>
    public static async Task<BridgeRig> StartAsync(Shared shared, int index)
    {
        var rig = new BridgeRig(shared, index);
        // One caller frame must reach the agent: then the held audio is flushed and the bridge relays directly.
        rig.Twilio.Push(rig.MediaFrame);
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (rig.AgentReceived.Count < 2 || rig.Bridge.ConversationId is null)
        {
            await Task.Delay(1, limit.Token);
        }

        return rig;
    }

    /// <summary>Ends the call as Twilio does when the caller hangs up (<c>stop</c>) and waits until the bridge has released everything.</summary>
    public async Task StopAsync()
    {
        Twilio.Push(Encoding.UTF8.GetBytes("""{"event":"stop","sequenceNumber":"9","stop":{"accountSid":"AC0","callSid":"CA0"}}"""));
        await _run.WaitAsync(TimeSpan.FromSeconds(30));
    }

    /// <summary>What every call of a run shares (as one app does): options, registry, call tokens.</summary>
    internal sealed class Shared
    {
        public ConvAiTwilioBridgeOptions Options { get; } = new() { IsPublicAgent = true };

        public MediaStreamTokens Tokens { get; } = new(AuthToken, TimeProvider.System);

        public LiveCallRegistry Registry { get; }

        public Shared() => Registry = new LiveCallRegistry(new FixedOptions(Options), NullLoggerFactory.Instance, TimeProvider.System);
    }

    private sealed class FixedOptions(ConvAiTwilioBridgeOptions value) : IOptionsMonitor<ConvAiTwilioBridgeOptions>
    {
        public ConvAiTwilioBridgeOptions CurrentValue => value;

        public ConvAiTwilioBridgeOptions Get(string? name) => value;

        public IDisposable? OnChange(Action<ConvAiTwilioBridgeOptions, string?> listener) => null;
    }

    private sealed class BenchHandler : ConvAiTwilioBridgeHandler;

    /// <summary>A client whose agent socket is the rig's in-memory one (everything else is not used by the bridge).</summary>
    private sealed class InMemoryAgentClient(WebSocket agent) : IConvAiTelephonyClient
    {
        public ConversationsClient Conversations { get; } = new InMemoryConversations(agent);

        public PhoneNumbersClient PhoneNumbers => throw new NotSupportedException();

        public CallsClient Calls => throw new NotSupportedException();

        public BatchCallsClient BatchCalls => throw new NotSupportedException();

        public WhatsAppClient WhatsApp => throw new NotSupportedException();

        public WorkspaceWebhooksClient WorkspaceWebhooks => throw new NotSupportedException();
    }

    private sealed class InMemoryConversations(WebSocket agent) : ConversationsClient
    {
        // One per process, as one client has (a meter per session would count its instruments as a cost of the call).
        private static readonly ConvAiTelemetry Telemetry = new(null);

        public override Task<ConversationSession> ConnectSessionAsync(string? agentId, ConversationSessionOptions? options = null, CancellationToken cancellationToken = default)
            => Task.FromResult(new ConversationSession(
                agent, agentId ?? "agent_bench", options ?? new ConversationSessionOptions(), Telemetry, NullLogger.Instance, TimeProvider.System, null, null));
    }
}
