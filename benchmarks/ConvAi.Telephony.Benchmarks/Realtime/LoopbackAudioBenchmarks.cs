using System.Buffers;
using System.Net.WebSockets;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ConvAi.Telephony.Benchmarks.Realtime;

/// <summary>
/// Sending caller audio over a real loopback WebSocket (Kestrel in the same process reads and counts each message): 1,000 chunks of
/// 20 ms μ-law per operation through a <see cref="ConversationSession"/>, against a <see cref="ClientWebSocket"/> with the same
/// hand-written <see cref="Utf8JsonWriter"/> message. The server's work is the same for both; the time includes it.
/// </summary>
[MemoryDiagnoser]
public class LoopbackAudioSendBenchmarks
{
    public const int Messages = 1000;
    private readonly byte[] _audio = HandWrittenAudioMessage.Chunk;
    private readonly HandWrittenAudioMessage _message = new();
    private WebApplication _server = null!;
    private Uri _address = null!;
    private ClientWebSocket _raw = null!;
    private ConversationSession _session = null!;
    private long _received;
    private long _target = long.MaxValue;
    private TaskCompletionSource _reached = new();

    [GlobalSetup]
    public async Task SetupAsync()
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = ["--urls", "http://127.0.0.1:0"] });
        builder.Logging.ClearProviders();
        _server = builder.Build();
        _server.UseWebSockets();
        _server.Run(async context =>
        {
            using var socket = await context.WebSockets.AcceptWebSocketAsync();
            var buffer = new byte[16 * 1024];
            while (true)
            {
                var result = await socket.ReceiveAsync(buffer.AsMemory(), CancellationToken.None);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
                    return;
                }

                if (result.EndOfMessage && Interlocked.Increment(ref _received) == Volatile.Read(ref _target))
                {
                    _reached.TrySetResult();
                }
            }
        });
        await _server.StartAsync();
        _address = new Uri(_server.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single());

        _raw = new ClientWebSocket();
        await _raw.ConnectAsync(new Uri($"ws://{_address.Authority}/v1/convai/conversation?agent_id=raw"), CancellationToken.None);
        var client = new ConvAiTelephonyClient(new ConvAiTelephonyOptions { ApiKey = "bench", BaseAddress = _address });
        _session = await client.Conversations.ConnectSessionAsync("agent_bench", new ConversationSessionOptions { IsPublicAgent = true });
    }

    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        await _session.DisposeAsync();
        await _raw.CloseAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
        _raw.Dispose();
        await _server.StopAsync();
        await _server.DisposeAsync();
    }

    private Task Expect(long messages)
    {
        _reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Volatile.Write(ref _target, Interlocked.Read(ref _received) + messages);
        return _reached.Task;
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Messages, Description = "loopback: ClientWebSocket + Utf8JsonWriter base64")]
    public async Task HandWritten()
    {
        var received = Expect(Messages);
        for (var i = 0; i < Messages; i++)
        {
            await _raw.SendAsync(_message.Write(_audio), WebSocketMessageType.Text, true, CancellationToken.None);
        }

        await received;
    }

    [Benchmark(OperationsPerInvoke = Messages, Description = "loopback: ConversationSession.SendAudioAsync")]
    public async Task Session()
    {
        var received = Expect(Messages);
        for (var i = 0; i < Messages; i++)
        {
            await _session.SendAudioAsync(_audio);
        }

        await received;
    }
}
