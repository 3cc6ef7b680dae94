using System.Diagnostics;
using System.Net.WebSockets;
using Microsoft.Extensions.Logging;

namespace ConvAi.Telephony;

/// <summary>
/// Opens agent sockets: picks the URL (a signed URL fetched with the API key, or the public agent URL on the configured host),
/// does the HTTP upgrade through the realtime handler (the emulator's under <c>UseConvAiEmulator</c>), and hands the socket to a
/// <see cref="ConversationSession"/>.
/// </summary>
internal sealed class ConversationSessionConnector
{
    private readonly Func<ConvAiTelephonyOptions> _options;
    private readonly Func<HttpMessageHandler?> _handler;
    private readonly ConvAiTelemetry _telemetry;
    private readonly ILogger _logger;
    private readonly TimeProvider _timeProvider;

    /// <param name="options">The current client options.</param>
    /// <param name="handler">
    /// The handler that performs the upgrade, or a function returning null to let <see cref="ClientWebSocket"/> connect by itself.
    /// The session never disposes it.
    /// </param>
    /// <param name="telemetry">The client's telemetry.</param>
    /// <param name="logger">The client's logger.</param>
    /// <param name="timeProvider">The clock of the close timeout.</param>
    public ConversationSessionConnector(Func<ConvAiTelephonyOptions> options, Func<HttpMessageHandler?> handler, ConvAiTelemetry telemetry, ILogger logger, TimeProvider timeProvider)
    {
        _timeProvider = timeProvider;
        _options = options;
        _handler = handler;
        _telemetry = telemetry;
        _logger = logger;
    }

    public string ResolveAgentId(string? agentId)
    {
        var resolved = string.IsNullOrWhiteSpace(agentId) ? _options().DefaultAgentId : agentId;
        if (string.IsNullOrWhiteSpace(resolved))
        {
            throw new ArgumentException("An agent id is required: pass one or configure ConvAi:DefaultAgentId.", nameof(agentId));
        }

        return resolved;
    }

    /// <summary>
    /// The socket URL of a public agent on the configured host: the base address (or the environment's) with <c>http</c> mapped to
    /// <c>ws</c> and <c>https</c> to <c>wss</c>, any path prefix kept, then <c>/v1/convai/conversation?agent_id=…</c>.
    /// </summary>
    public static Uri PublicAgentUri(Uri baseAddress, string agentId)
    {
        var scheme = baseAddress.Scheme switch
        {
            "https" or "wss" => "wss",
            "http" or "ws" => "ws",
            _ => throw new ArgumentException($"The base address must be http or https, not '{baseAddress.Scheme}'.", nameof(baseAddress)),
        };
        var builder = new UriBuilder(baseAddress)
        {
            Scheme = scheme,
            Path = baseAddress.AbsolutePath.TrimEnd('/') + "/v1/convai/conversation",
            Query = "agent_id=" + Uri.EscapeDataString(agentId),
            Fragment = string.Empty,
        };
        if (builder.Uri.IsDefaultPort)
        {
            builder.Port = -1;
        }

        return builder.Uri;
    }

    /// <summary>Picks the socket URL: the public agent URL when the options say the agent is public, else a signed URL.</summary>
    public async Task<(Uri Uri, string Kind)> ResolveUriAsync(
        string agentId,
        ConversationSessionOptions options,
        Func<CancellationToken, Task<Uri>> signedUrl,
        CancellationToken cancellationToken)
    {
        if (options.IsPublicAgent)
        {
            return (PublicAgentUri(_options().GetEffectiveBaseAddress(), agentId), "public");
        }

        var uri = await signedUrl(cancellationToken).ConfigureAwait(false);
        if (uri.Scheme is not ("ws" or "wss"))
        {
            throw new ConvAiException($"The signed URL the API returned is not a WebSocket URL (scheme '{uri.Scheme}').");
        }

        return (uri, "signed");
    }

    public async Task<ConversationSession> ConnectAsync(
        string agentId,
        ConversationSessionOptions options,
        Func<CancellationToken, Task<Uri>> signedUrl,
        CancellationToken cancellationToken)
    {
        options.Validate();
        var activity = ConvAiTelemetry.ActivitySource.StartActivity("ConvAi.Telephony conversation", ActivityKind.Client);
        activity?.SetTag(ConvAiTelephonyDiagnostics.OperationKindTag, "conversation");
        ClientWebSocket? socket = null;
        HttpMessageInvoker? invoker = null;
        try
        {
            var (uri, kind) = await ResolveUriAsync(agentId, options, signedUrl, cancellationToken).ConfigureAwait(false);
            socket = new ClientWebSocket();
            socket.Options.CollectHttpResponseDetails = true;
            socket.Options.SetRequestHeader("User-Agent", ApiKeyHandler.UserAgent);
            var handler = _handler();
            invoker = handler is null ? null : new HttpMessageInvoker(handler, disposeHandler: false);
            try
            {
                await socket.ConnectAsync(uri, invoker, cancellationToken).ConfigureAwait(false);
            }
            catch (WebSocketException ex)
            {
                var status = (int)socket.HttpStatusCode;
                // The host only: the query of a signed URL is a credential.
                throw new ConversationSessionException(
                    ConversationSessionError.ConnectFailed,
                    status == 0
                        ? $"Could not open the agent socket at {uri.Host}: {ex.Message}"
                        : $"The agent socket at {uri.Host} refused the connection with HTTP {status}.",
                    null,
                    ex)
                { StatusCode = status == 0 ? null : status };
            }

            socket.HttpResponseHeaders = null;
            Log.SessionConnected(_logger, agentId, uri.Host, kind);
            var session = new ConversationSession(socket, agentId, options, _telemetry, _logger, _timeProvider, invoker, activity);
            socket = null;
            invoker = null;
            activity = null;
            return session;
        }
        catch (Exception ex)
        {
            activity?.SetStatus(ActivityStatusCode.Error, ex.GetType().Name);
            throw;
        }
        finally
        {
            socket?.Dispose();
            invoker?.Dispose();
            activity?.Stop();
        }
    }
}
