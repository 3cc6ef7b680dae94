using System.IO.Compression;
using System.Text;
using ConvAi.Telephony.Tests.TestSupport;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace ConvAi.Telephony.Tests.Http;

/// <summary>
/// Compressed answers through the real primary handler (the container's and <c>new ConvAiTelephonyClient(options)</c>'s)
/// against Kestrel on 127.0.0.1: what the request asks for, that encoded bodies are decoded, that the audio still streams,
/// and that a primary handler the app configures itself is used as it is.
/// </summary>
[NonParallelizable]
public class CompressionTests
{
    private const string ExpectedAcceptEncoding = "gzip, deflate, br";
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);
    private LoopbackServer _server = null!;
    private readonly List<string?> _acceptEncodings = [];

    public enum ClientKind
    {
        Container,
        Standalone,
    }

    [OneTimeSetUp]
    public async Task StartServer() => _server = await LoopbackServer.StartAsync();

    [OneTimeTearDown]
    public async Task StopServer() => await _server.DisposeAsync();

    [SetUp]
    public void Reset()
    {
        lock (_acceptEncodings)
        {
            _acceptEncodings.Clear();
        }
    }

    [TestCase(ClientKind.Container)]
    [TestCase(ClientKind.Standalone)]
    public async Task Request_DefaultPrimaryHandler_AsksForGzipDeflateAndBrotli(ClientKind kind)
    {
        Serve(encoding: null);
        using var client = CreateClient(kind);

        await client.Client.Conversations.GetAsync("conv_1");

        Assert.That(AcceptEncodings(), Is.EqualTo(new[] { ExpectedAcceptEncoding }));
    }

    [TestCase(ClientKind.Container, "gzip")]
    [TestCase(ClientKind.Container, "deflate")]
    [TestCase(ClientKind.Container, "br")]
    [TestCase(ClientKind.Standalone, "gzip")]
    [TestCase(ClientKind.Standalone, "deflate")]
    [TestCase(ClientKind.Standalone, "br")]
    public async Task GetAsync_EncodedConversation_IsDecoded(ClientKind kind, string encoding)
    {
        Serve(encoding);
        using var client = CreateClient(kind);

        var conversation = await client.Client.Conversations.GetAsync("conv_1");

        Assert.That(conversation.ConversationId, Is.EqualTo("conv_1"));
        Assert.That(conversation.Transcript, Has.Count.EqualTo(3));
        Assert.That(AcceptEncodings(), Is.EqualTo(new[] { ExpectedAcceptEncoding }));
    }

    [TestCase(ClientKind.Container)]
    [TestCase(ClientKind.Standalone)]
    public async Task ListAsync_GzipPage_IsDecoded(ClientKind kind)
    {
        Serve("gzip");
        using var client = CreateClient(kind);

        var page = await client.Client.Conversations.ListAsync();

        Assert.That(page.Conversations.Select(c => c.ConversationId), Is.EqualTo(new[] { "conv_1", "conv_2" }));
    }

    [TestCase(ClientKind.Container, null)]
    [TestCase(ClientKind.Container, "gzip")]
    [TestCase(ClientKind.Standalone, null)]
    [TestCase(ClientKind.Standalone, "gzip")]
    public async Task GetAudioAsync_BodyStillArriving_StreamsThroughTheDecodingHandler(ClientKind kind, string? encoding)
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _server.Handler = async context =>
        {
            Record(context);
            context.Response.ContentType = "audio/mpeg";
            Stream body = context.Response.Body;
            if (encoding is not null)
            {
                context.Response.Headers.ContentEncoding = encoding;
                body = new GZipStream(body, CompressionLevel.Fastest, leaveOpen: true);
            }

            await body.WriteAsync(new byte[] { 0x49, 0x44, 0x33 });
            await body.FlushAsync();
            await context.Response.Body.FlushAsync();
            await release.Task.WaitAsync(Bound);
            await body.WriteAsync(new byte[] { 0x04, 0x00 });
            await body.DisposeAsync();
        };
        using var client = CreateClient(kind);

        // The body is not complete until the test has read the first bytes: a buffering client would time out here.
        await using var audio = await client.Client.Conversations.GetAudioAsync("conv_1").WaitAsync(Bound);
        var first = new byte[3];
        await audio.ReadExactlyAsync(first).AsTask().WaitAsync(Bound);
        release.SetResult();
        using var rest = new MemoryStream();
        await audio.CopyToAsync(rest).WaitAsync(Bound);

        Assert.That(first, Is.EqualTo(new byte[] { 0x49, 0x44, 0x33 }));
        Assert.That(rest.ToArray(), Is.EqualTo(new byte[] { 0x04, 0x00 }));
        Assert.That(AcceptEncodings(), Is.EqualTo(new[] { ExpectedAcceptEncoding }));
    }

    [TestCase(ClientKind.Container)]
    [TestCase(ClientKind.Standalone)]
    public async Task Request_AppsOwnPrimaryHandler_IsUsedAsItIs(ClientKind kind)
    {
        Serve(encoding: null);
        var own = new SocketsHttpHandler();
        using var client = CreateClient(kind, own);

        var conversation = await client.Client.Conversations.GetAsync("conv_1");

        Assert.That(conversation.ConversationId, Is.EqualTo("conv_1"));
        Assert.That(own.AutomaticDecompression, Is.EqualTo(System.Net.DecompressionMethods.None));
        Assert.That(AcceptEncodings(), Is.EqualTo(new string?[] { null }));
    }

    /// <summary>Answers the conversation and list fixtures, encoded with <paramref name="encoding"/> when it is set.</summary>
    private void Serve(string? encoding) => _server.Handler = async context =>
    {
        Record(context);
        var resource = context.Request.Path.Value == "/v1/convai/conversations" ? "Conversations/list-page1.json" : "Conversations/get.json";
        var json = Encoding.UTF8.GetBytes(Resources.Read(resource));
        context.Response.ContentType = "application/json";
        if (encoding is not null)
        {
            context.Response.Headers.ContentEncoding = encoding;
            json = Encode(json, encoding);
        }

        await context.Response.Body.WriteAsync(json);
    };

    private static byte[] Encode(byte[] body, string encoding)
    {
        using var encoded = new MemoryStream();
        using (Stream compressor = encoding switch
        {
            "gzip" => new GZipStream(encoded, CompressionLevel.Optimal, leaveOpen: true),
            "deflate" => new ZLibStream(encoded, CompressionLevel.Optimal, leaveOpen: true),
            "br" => new BrotliStream(encoded, CompressionLevel.Optimal, leaveOpen: true),
            _ => throw new ArgumentOutOfRangeException(nameof(encoding), encoding, null),
        })
        {
            compressor.Write(body);
        }

        Assert.That(encoded.Length, Is.LessThan(body.Length), "the fixture should compress");
        return encoded.ToArray();
    }

    private void Record(HttpContext context)
    {
        lock (_acceptEncodings)
        {
            _acceptEncodings.Add(context.Request.Headers.AcceptEncoding.Count == 0 ? null : context.Request.Headers.AcceptEncoding.ToString());
        }
    }

    private string?[] AcceptEncodings()
    {
        lock (_acceptEncodings)
        {
            return [.. _acceptEncodings];
        }
    }

    private static void Configure(ConvAiTelephonyOptions options, Uri baseAddress)
    {
        options.ApiKey = ClientFixture.ApiKey;
        options.BaseAddress = baseAddress;
        options.Resilience.MaxRetryAttempts = 0;
    }

    private TestClient CreateClient(ClientKind kind, SocketsHttpHandler? primary = null)
    {
        if (kind == ClientKind.Standalone)
        {
            var options = new ConvAiTelephonyOptions();
            Configure(options, _server.BaseAddress);
            return new TestClient(new ConvAiTelephonyClient(options, primary), primary);
        }

        var services = new ServiceCollection();
        var builder = services.AddConvAiTelephony(o => Configure(o, _server.BaseAddress));
        if (primary is not null)
        {
            builder.HttpClientBuilder.ConfigurePrimaryHttpMessageHandler(() => primary);
        }

        var provider = services.BuildServiceProvider();
        return new TestClient(provider.GetRequiredService<IConvAiTelephonyClient>(), provider);
    }

    private sealed record TestClient(IConvAiTelephonyClient Client, IDisposable? Owner) : IDisposable
    {
        public void Dispose() => Owner?.Dispose();
    }
}
