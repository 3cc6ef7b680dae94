using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace ConvAi.Telephony.Testing;

/// <summary>
/// The agent WebSocket (api-reference §11) at the real API's path, <c>/v1/convai/conversation?agent_id=…</c>, and
/// <c>GET /v1/convai/conversation/get-signed-url</c> (also spelled <c>get_signed_url</c>), which answers a <c>ws://</c> URL to the
/// emulator itself with a one-time <c>conversation_signature</c>.
/// </summary>
internal sealed class AgentSocketEndpoints(EmulatorState state)
{
    public const string SocketPath = "/v1/convai/conversation";

    private readonly ConcurrentDictionary<string, string> _signatures = new(StringComparer.Ordinal);
    private readonly object _idleGate = new();
    private TaskCompletionSource? _idle;
    private int _open;

    /// <summary>Gets the number of agent sockets open now.</summary>
    public int OpenSockets => Volatile.Read(ref _open);

    /// <summary>Completes when no agent socket is open (at once when none is).</summary>
    public Task WhenNoOpenSocketsAsync()
    {
        lock (_idleGate)
        {
            if (Volatile.Read(ref _open) == 0)
            {
                return Task.CompletedTask;
            }

            _idle ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var task = _idle.Task;
            // A close that raced with the check above has already taken the old source (or will find this one).
            return Volatile.Read(ref _open) == 0 ? Task.CompletedTask : task;
        }
    }

    /// <summary>Returns true for the socket path, which authorizes with a signed URL (or a public agent) instead of the API key.</summary>
    public static bool IsSocketRequest(HttpContext context) => context.Request.Path.Equals(SocketPath, StringComparison.Ordinal);

    public void Map(IEndpointRouteBuilder app)
    {
        app.MapGet(SocketPath + "/get-signed-url", SignedUrlAsync);
        app.MapGet(SocketPath + "/get_signed_url", SignedUrlAsync);
        app.Map(SocketPath, SocketAsync);
    }

    private Task SignedUrlAsync(HttpContext context)
    {
        var validator = new RequestValidator();
        var agentId = validator.QueryString(context, "agent_id");
        if (string.IsNullOrEmpty(agentId))
        {
            validator.Add(RequestValidator.Loc("query", "agent_id"), "Field required", "missing");
        }

        if (validator.HasErrors)
        {
            return ApiResults.ValidationErrorAsync(context, validator.Errors);
        }

        var signature = EmulatorIds.New("sig_", 32);
        _signatures[signature] = agentId!;
        var url = new StringBuilder("ws://").Append(context.Request.Host.Value).Append(SocketPath)
            .Append("?agent_id=").Append(Uri.EscapeDataString(agentId!))
            .Append("&conversation_signature=").Append(signature);
        if (validator.QueryString(context, "include_conversation_id") == "true")
        {
            url.Append("&conversation_id=").Append(EmulatorIds.New("conv_"));
        }

        return ApiResults.JsonAsync(context, new JsonObject { ["signed_url"] = url.ToString() });
    }

    private async Task SocketAsync(HttpContext context)
    {
        var agentId = context.Request.Query["agent_id"].ToString();
        if (!context.WebSockets.IsWebSocketRequest)
        {
            await ApiResults.ErrorAsync(context, StatusCodes.Status400BadRequest, "websocket_required", "This endpoint accepts WebSocket connections only.").ConfigureAwait(false);
            return;
        }

        if (string.IsNullOrEmpty(agentId))
        {
            await ApiResults.ErrorAsync(context, StatusCodes.Status400BadRequest, "missing_agent_id", "The agent_id query parameter is required.").ConfigureAwait(false);
            return;
        }

        var agent = state.Options.Agents.TryGetValue(agentId, out var scripted) ? scripted : state.Options.DefaultAgent;
        if (!IsAuthorized(context, agentId, agent))
        {
            await ApiResults.ErrorAsync(
                context,
                StatusCodes.Status403Forbidden,
                "unauthorized_agent",
                "This agent requires a signed URL (GET /v1/convai/conversation/get-signed-url) or an API key.").ConfigureAwait(false);
            return;
        }

        using var socket = await context.WebSockets.AcceptWebSocketAsync().ConfigureAwait(false);
        Interlocked.Increment(ref _open);
        try
        {
            var session = new AgentSocketSession(socket, agentId, agent, state);
            await session.RunAsync(context.RequestAborted).ConfigureAwait(false);
        }
        finally
        {
            if (Interlocked.Decrement(ref _open) == 0)
            {
                TaskCompletionSource? idle;
                lock (_idleGate)
                {
                    idle = _idle;
                    _idle = null;
                }

                idle?.TrySetResult();
            }
        }
    }

    private bool IsAuthorized(HttpContext context, string agentId, EmulatedAgent agent)
    {
        if (agent.IsPublic)
        {
            return true;
        }

        var signature = context.Request.Query["conversation_signature"].ToString();
        if (signature.Length > 0)
        {
            // One conversation per signed URL.
            return _signatures.TryRemove(signature, out var signedAgent) && signedAgent == agentId;
        }

        var key = context.Request.Headers[ApiKeyAuthentication.HeaderName].ToString();
        return key.Length > 0 && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(key), Encoding.UTF8.GetBytes(state.Options.ApiKey));
    }
}
