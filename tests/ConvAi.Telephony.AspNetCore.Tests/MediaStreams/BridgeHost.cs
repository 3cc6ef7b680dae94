using System.Collections.Concurrent;
using ConvAi.Telephony.Testing;
using ConvAi.Telephony.Tests.Realtime;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ConvAi.Telephony.AspNetCore.Tests.MediaStreams;

/// <summary>
/// An app with the bridge on Kestrel (127.0.0.1, random port): the voice webhook at <c>/twilio/voice</c>, the stream at
/// <c>/twilio/media</c>, the agent either a <see cref="ScriptedAgentServer"/> (public agent URL) or the emulator.
/// </summary>
internal sealed class BridgeHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private BridgeHost(WebApplication app, Uri address, BridgeProbe probe)
    {
        _app = app;
        Address = address;
        Probe = probe;
    }

    public Uri Address { get; }

    public BridgeProbe Probe { get; }

    public IServiceProvider Services => _app.Services;

    public LiveCallRegistry Registry => _app.Services.GetRequiredService<LiveCallRegistry>();

    public ILiveCalls LiveCalls => _app.Services.GetRequiredService<ILiveCalls>();

    public static Task<BridgeHost> StartAsync(ScriptedAgentServer agent, Action<ConvAiTwilioBridgeOptions>? configure = null, BridgeProbe? probe = null) =>
        StartAsync(
            services => services.AddConvAiTelephony(o =>
            {
                o.ApiKey = "sk_test_bridge";
                o.BaseAddress = agent.HttpAddress;
                o.DefaultAgentId = "agent_bridge";
            }),
            options =>
            {
                options.IsPublicAgent = true;
                configure?.Invoke(options);
            },
            probe);

    public static Task<BridgeHost> StartAsync(ConvAiEmulator emulator, Action<ConvAiTwilioBridgeOptions>? configure = null, BridgeProbe? probe = null) =>
        StartAsync(
            services => services.AddConvAiTelephony(o => o.DefaultAgentId = "agent_emulated").UseConvAiEmulator(emulator),
            configure,
            probe);

    private static async Task<BridgeHost> StartAsync(Action<IServiceCollection> client, Action<ConvAiTwilioBridgeOptions>? configure, BridgeProbe? probe)
    {
        probe ??= new BridgeProbe();
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { EnvironmentName = "Production" });
        builder.Logging.ClearProviders();
        builder.Logging.AddProvider(probe.Logs);
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        client(builder.Services);
        builder.Services.AddSingleton(probe);
        builder.Services.AddConvAiTwilioBridge<ProbeHandler>()
            .ConfigureTwilio(o => o.AuthToken = TwilioPeer.AuthToken)
            .Configure(o =>
            {
                o.StartTimeout = TimeSpan.FromSeconds(20);
                configure?.Invoke(o);
            });
        var app = builder.Build();
        app.UseWebSockets();
        app.MapConvAiTwilioVoice("/twilio/voice");
        app.MapConvAiTwilioMediaStream("/twilio/media");
        await app.StartAsync();
        var address = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single());
        return new BridgeHost(app, address, probe);
    }

    public Task StopAsync() => _app.StopAsync();

    /// <summary>An agent <c>audio</c> message.</summary>
    public static string AgentAudio(string base64, long eventId) => $$$"""{"type":"audio","audio_event":{"audio_base_64":"{{{base64}}}","event_id":{{{eventId}}}}}""";

    /// <summary>Waits for a condition the bridge reaches on its own threads (checked every 10 ms, at most 60 seconds).</summary>
    public static async Task WaitUntilAsync(Func<bool> condition)
    {
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (!condition())
        {
            await Task.Delay(10, limit.Token);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

/// <summary>What the test handler does and saw: every hook call recorded, behaviour set per test.</summary>
internal sealed class BridgeProbe
{
    public ConcurrentQueue<string> Calls { get; } = new();

    public TaskCompletionSource<LiveCallEnd> Ended { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Func<TwilioInboundCall, IReadOnlyDictionary<string, string>?> Parameters { get; set; } = _ => new Dictionary<string, string> { ["customer_id"] = "42" };

    public Func<LiveCall, Task<ConversationInitiationClientData?>>? Starting { get; set; }

    public Func<LiveCall, UserTranscriptEvent, Task>? Transcript { get; set; }

    public Func<LiveCall, ClientToolCallEvent, CancellationToken, Task<ClientToolResult>>? Tool { get; set; }

    public TaskCompletionSource<LiveCall> Started { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public RecordingLoggerProvider Logs { get; } = new();
}

internal sealed class ProbeHandler(BridgeProbe probe) : ConvAiTwilioBridgeHandler
{
    public override ValueTask<IReadOnlyDictionary<string, string>?> OnIncomingCallAsync(TwilioInboundCall call, CancellationToken cancellationToken = default)
    {
        probe.Calls.Enqueue($"incoming {call.CallSid}");
        return ValueTask.FromResult(probe.Parameters(call));
    }

    public override async ValueTask<ConversationInitiationClientData?> OnCallStartingAsync(LiveCall call, CancellationToken cancellationToken = default)
    {
        probe.Calls.Enqueue($"starting {call.CallSid}");
        probe.Started.TrySetResult(call);
        return probe.Starting is null ? await base.OnCallStartingAsync(call, cancellationToken) : await probe.Starting(call);
    }

    public override async ValueTask OnTranscriptAsync(LiveCall call, UserTranscriptEvent transcript, CancellationToken cancellationToken = default)
    {
        probe.Calls.Enqueue($"transcript {transcript.Text}");
        if (probe.Transcript is not null)
        {
            await probe.Transcript(call, transcript);
        }
    }

    public override ValueTask OnAgentResponseAsync(LiveCall call, AgentResponseEvent response, CancellationToken cancellationToken = default)
    {
        probe.Calls.Enqueue($"response {response.Text}");
        return ValueTask.CompletedTask;
    }

    public override async ValueTask<ClientToolResult> OnClientToolCallAsync(LiveCall call, ClientToolCallEvent toolCall, CancellationToken cancellationToken = default)
    {
        probe.Calls.Enqueue($"tool {toolCall.ToolName}");
        return probe.Tool is null ? await base.OnClientToolCallAsync(call, toolCall, cancellationToken) : await probe.Tool(call, toolCall, cancellationToken);
    }

    public override ValueTask OnDtmfAsync(LiveCall call, string digit, CancellationToken cancellationToken = default)
    {
        probe.Calls.Enqueue($"dtmf {digit}");
        return ValueTask.CompletedTask;
    }

    public override ValueTask OnCallEndedAsync(LiveCall call, LiveCallEnd end, CancellationToken cancellationToken = default)
    {
        probe.Calls.Enqueue($"ended {end.EndedBy} {end.Error}");
        probe.Ended.TrySetResult(end);
        return ValueTask.CompletedTask;
    }
}

/// <summary>Collects log lines (level, event id, message) to assert on; never prints them.</summary>
internal sealed class RecordingLoggerProvider : ILoggerProvider
{
    public ConcurrentQueue<(LogLevel Level, int EventId, string Message, Exception? Exception)> Entries { get; } = new();

    public ILogger CreateLogger(string categoryName) => new Logger(this);

    public void Dispose()
    {
    }

    private sealed class Logger(RecordingLoggerProvider provider) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            provider.Entries.Enqueue((logLevel, eventId.Id, formatter(state, exception), exception));
    }
}
