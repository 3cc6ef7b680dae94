using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Nodes;
using ConvAi.Telephony.Shared;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ConvAi.Telephony.Tests.Realtime;

/// <summary>
/// A tiny Kestrel WebSocket server on 127.0.0.1 that plays the agent: each test scripts the exact frames it sends and reads what the
/// client sent. It also answers <c>get-signed-url</c> with a URL to itself, and records every request's target and headers.
/// </summary>
internal sealed class ScriptedAgentServer : IAsyncDisposable
{
    public const string Signature = "sig_0123456789";

    private readonly WebApplication _app;
    private readonly ConcurrentQueue<Task> _scripts = new();

    private ScriptedAgentServer(WebApplication app, Uri address)
    {
        _app = app;
        HttpAddress = address;
    }

    public Uri HttpAddress { get; }

    /// <summary>Gets or sets what the agent does on each connection.</summary>
    public Func<AgentConnection, Task> Script { get; set; } = static c => c.DrainUntilCloseAsync();

    /// <summary>Gets each request as <c>PATH?QUERY</c> with the <c>xi-api-key</c> header value (or null).</summary>
    public ConcurrentQueue<(string Target, string? ApiKey, bool IsWebSocket)> Requests { get; } = new();

    public static async Task<ScriptedAgentServer> StartAsync(Func<AgentConnection, Task>? script = null)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = ["--urls", "http://127.0.0.1:0"] });
        builder.Logging.ClearProviders();
        var app = builder.Build();
        ScriptedAgentServer? server = null;
        app.UseWebSockets();
        app.Run(async context =>
        {
            var request = context.Request;
            server!.Requests.Enqueue((request.Path + request.QueryString, request.Headers["xi-api-key"].FirstOrDefault(), context.WebSockets.IsWebSocketRequest));
            if (request.Path.Value!.EndsWith("/get-signed-url", StringComparison.Ordinal))
            {
                var agentId = request.Query["agent_id"].ToString();
                var url = new UriBuilder(server.HttpAddress) { Scheme = "ws", Path = "/v1/convai/conversation", Query = $"agent_id={agentId}&conversation_signature={Signature}" }.Uri;
                await context.Response.WriteAsJsonAsync(new JsonObject { ["signed_url"] = url.ToString() });
                return;
            }

            if (!context.WebSockets.IsWebSocketRequest || request.Path.Value != "/v1/convai/conversation")
            {
                context.Response.StatusCode = StatusCodes.Status404NotFound;
                return;
            }

            using var socket = await context.WebSockets.AcceptWebSocketAsync();
            var connection = new AgentConnection(socket, context);
            // Registered before the script runs: a script may answer the start (and let the test go on) before it first yields.
            var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            server._scripts.Enqueue(done.Task);
            try
            {
                await server.Script(connection);
                done.SetResult();
            }
            catch (Exception exception)
            {
                done.SetException(exception);
                throw;
            }
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        server = new ScriptedAgentServer(app, new Uri(address));
        if (script is not null)
        {
            server.Script = script;
        }

        return server;
    }

    /// <summary>A standalone client pointed at this server (public agent URL) with the given API key.</summary>
    public ConvAiTelephonyClient CreateClient(string apiKey = "sk_test_realtime") => new(new ConvAiTelephonyOptions { ApiKey = apiKey, BaseAddress = HttpAddress });

    /// <summary>Waits for every script run so far, so a failed assertion inside one fails the test.</summary>
    public async Task WhenScriptsDoneAsync()
    {
        foreach (var script in _scripts)
        {
            await script.WaitAsync(TimeSpan.FromSeconds(30));
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

/// <summary>One accepted agent socket, seen from the server.</summary>
internal sealed class AgentConnection(WebSocket socket, HttpContext context)
{
    public WebSocket Socket { get; } = socket;

    public HttpContext Context { get; } = context;

    /// <summary>Gets the close status the client sent, once <see cref="ReceiveAsync"/> returned null.</summary>
    public WebSocketCloseStatus? ClientCloseStatus => Socket.CloseStatus;

    public Task SendAsync(string json) => Socket.SendAsync(Encoding.UTF8.GetBytes(json), WebSocketMessageType.Text, true, CancellationToken.None);

    public Task SendAsync(JsonNode json) => SendAsync(json.ToJsonString());

    /// <summary>Reads one whole text message; null when the client closed.</summary>
    public Task<string?> ReceiveAsync() => WebSocketText.ReceiveAsync(Socket);

    public async Task<JsonNode> ReceiveJsonAsync()
    {
        var text = await ReceiveAsync();
        Assert.That(text, Is.Not.Null, "the client closed instead of sending a message");
        return JsonNode.Parse(text!)!;
    }

    /// <summary>Reads the initiation message and answers with <c>conversation_initiation_metadata</c>.</summary>
    public async Task<JsonNode> AcceptStartAsync(string conversationId = "conv_scripted", string output = "ulaw_8000", string input = "pcm_16000")
    {
        var initiation = await ReceiveJsonAsync();
        Assert.That(initiation["type"]!.GetValue<string>(), Is.EqualTo("conversation_initiation_client_data"));
        await SendAsync($$$"""{"type":"conversation_initiation_metadata","conversation_initiation_metadata_event":{"conversation_id":"{{{conversationId}}}","agent_output_audio_format":"{{{output}}}","user_input_audio_format":"{{{input}}}"}}""");
        return initiation;
    }

    /// <summary>Sends a ping and reads messages until its pong, returning what came before it: every message the client sent up to then.</summary>
    public async Task<List<JsonNode>> PingAndWaitForPongAsync(long eventId)
    {
        await SendAsync($$$"""{"type":"ping","ping_event":{"event_id":{{{eventId}}},"ping_ms":12}}""");
        var before = new List<JsonNode>();
        while (true)
        {
            var message = await ReceiveJsonAsync();
            if (message["type"]?.GetValue<string>() == "pong" && message["event_id"]!.GetValue<long>() == eventId)
            {
                return before;
            }

            before.Add(message);
        }
    }

    /// <summary>Closes with a code and text, then reads until the client's close.</summary>
    public async Task CloseAsync(WebSocketCloseStatus status, string? description)
    {
        await Socket.CloseOutputAsync(status, description, CancellationToken.None);
        while (await ReceiveAsync() is not null)
        {
        }
    }

    /// <summary>Reads until the client closes, then answers its close.</summary>
    public async Task<List<string>> DrainUntilCloseAsync()
    {
        var received = new List<string>();
        while (await ReceiveAsync() is { } message)
        {
            received.Add(message);
        }

        if (Socket.State == WebSocketState.CloseReceived)
        {
            await Socket.CloseOutputAsync(Socket.CloseStatus ?? WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
        }

        return received;
    }
}
