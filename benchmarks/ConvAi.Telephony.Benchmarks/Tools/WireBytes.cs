using System.Globalization;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.ResponseCompression;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ConvAi.Telephony.Benchmarks.Tools;

/// <summary>
/// <c>--wire-bytes</c>: bytes the client receives on the socket for a 100-turn conversation and a 100-item conversation
/// list from a local Kestrel that gzips JSON when asked (ASP.NET Core response compression, gzip only), through the
/// container. "Before" is a socket handler without decompression (what the client did until it asked for
/// <c>Accept-Encoding</c>); "after" is the same handler with the decompression the library turns on on its primary
/// handler. Both count every byte read from the connection: status line, headers and body.
/// </summary>
public static class WireBytes
{
    /// <summary>Prints one line per payload: bytes before, bytes after and their ratio.</summary>
    public static async Task<int> RunAsync()
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = ["--urls", "http://127.0.0.1:0"] });
        builder.Logging.ClearProviders();
        builder.Services.AddResponseCompression(o => o.Providers.Add<GzipCompressionProvider>());
        await using var app = builder.Build();
        app.UseResponseCompression();
        var conversation = Conversation(turns: 100);
        var list = Payloads.ConversationPage(0, 1, 100);
        app.MapGet("/v1/convai/conversations", (RequestDelegate)(context => WriteJsonAsync(context, list)));
        app.MapGet("/v1/convai/conversations/{id}", (RequestDelegate)(context => WriteJsonAsync(context, conversation)));
        await app.StartAsync();
        var baseAddress = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single());

        var cases = new (string Name, int Uncompressed, Func<IConvAiTelephonyClient, Task<int>> Read)[]
        {
            ($"conversation, {100} turns", conversation.Length, async c => (await c.Conversations.GetAsync(Payloads.FixtureConversationId)).Transcript!.Count),
            ($"conversation list, {100} items", list.Length, async c => (await c.Conversations.ListAsync()).Conversations.Count),
        };
        foreach (var (name, uncompressed, read) in cases)
        {
            var before = await MeasureAsync(baseAddress, libraryDefault: false, read);
            var after = await MeasureAsync(baseAddress, libraryDefault: true, read);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"wire bytes received, {name} (JSON {uncompressed:N0} B, gzip-serving server): {before:N0} B before (no Accept-Encoding), {after:N0} B after (Accept-Encoding: gzip, deflate, br): {(double)after / before:0.00}x"));
        }

        await app.StopAsync();
        return 0;
    }

    private static async Task<long> MeasureAsync(Uri baseAddress, bool libraryDefault, Func<IConvAiTelephonyClient, Task<int>> read)
    {
        long received = 0;
        SocketsHttpHandler CreateHandler() => new()
        {
            ConnectCallback = async (context, cancellationToken) =>
            {
                var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                await socket.ConnectAsync(context.DnsEndPoint, cancellationToken);
                return new CountingStream(new NetworkStream(socket, ownsSocket: true), n => Interlocked.Add(ref received, n));
            },
        };

        var handler = CreateHandler();
        if (libraryDefault)
        {
            // What the library does to the container's default primary handler.
            ConvAiTransport.EnableDecompression(handler);
        }

        var services = new ServiceCollection();
        services.AddConvAiTelephony(o =>
        {
            o.ApiKey = Payloads.ApiKey;
            o.BaseAddress = baseAddress;
        }).HttpClientBuilder.ConfigurePrimaryHttpMessageHandler(() => handler);
        await using var provider = services.BuildServiceProvider();
        var client = provider.GetRequiredService<IConvAiTelephonyClient>();
        if (await read(client) != 100)
        {
            throw new InvalidOperationException("The client did not read 100 items.");
        }

        return Interlocked.Read(ref received);
    }

    /// <summary>The benchmark conversation with its 13 turns repeated to <paramref name="turns"/> turns.</summary>
    private static byte[] Conversation(int turns)
    {
        var conversation = JsonNode.Parse(Payloads.ConversationResponse)!.AsObject();
        var fixture = conversation["transcript"]!.AsArray();
        var transcript = new JsonArray();
        for (var i = 0; i < turns; i++)
        {
            var turn = fixture[i % fixture.Count]!.DeepClone();
            turn["time_in_call_secs"] = i * 4;
            transcript.Add(turn);
        }

        conversation["transcript"] = transcript;
        return Encoding.UTF8.GetBytes(conversation.ToJsonString());
    }

    private static Task WriteJsonAsync(HttpContext context, byte[] body)
    {
        context.Response.ContentType = "application/json";
        return context.Response.Body.WriteAsync(body).AsTask();
    }

    /// <summary>A connection stream that reports how many bytes were read from it.</summary>
    private sealed class CountingStream(Stream inner, Action<int> onRead) : Stream
    {
        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => Counted(inner.Read(buffer, offset, count));

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
            => Counted(await inner.ReadAsync(buffer, cancellationToken));

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
            => ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override void Write(byte[] buffer, int offset, int count) => inner.Write(buffer, offset, count);

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
            => inner.WriteAsync(buffer, cancellationToken);

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
            => inner.WriteAsync(buffer, offset, count, cancellationToken);

        public override void Flush() => inner.Flush();

        public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Dispose();
            }

            base.Dispose(disposing);
        }

        private int Counted(int read)
        {
            onRead(read);
            return read;
        }
    }
}
