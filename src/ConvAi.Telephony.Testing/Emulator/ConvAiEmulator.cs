using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace ConvAi.Telephony.Testing;

/// <summary>
/// An in-process fake of the ElevenLabs telephony API for tests and local development. It serves the phone-number,
/// outbound-call, register-call, conversation, batch-calling, WhatsApp and workspace-webhook endpoints, and the agent WebSocket of live conversations
/// (scripted by <see cref="ConvAiEmulatorOptions.Agents"/>), on Kestrel at <c>127.0.0.1</c> (random port unless
/// <see cref="ConvAiEmulatorOptions.Port"/> is set),
/// validates requests like the real API (401, 422 <c>detail[]</c>, 404), moves each call's conversation through
/// <c>initiated → in-progress → processing → done</c> by its <see cref="TimeProvider"/>, delivers signed post-call
/// webhooks, and injects faults on demand.
/// </summary>
/// <example>
/// <code>
/// await using var emulator = new ConvAiEmulator();
/// await emulator.StartAsync();
/// // point a client at emulator.BaseAddress with emulator.ApiKey, or plug emulator.CreateHandler() in as its primary handler
/// </code>
/// </example>
public sealed class ConvAiEmulator : IAsyncDisposable
{
    private readonly ConvAiEmulatorOptions _options;
    private readonly EmulatorState _state;
    private readonly RequestRecorder _recorder = new();
    private readonly object _startGate = new();
    private Task? _startTask;
    private WebApplication? _app;
    private Uri? _baseAddress;
    private AgentSocketEndpoints? _agentSockets;
    private bool _disposed;

    /// <summary>Initializes a new instance of the <see cref="ConvAiEmulator"/> class. Call <see cref="StartAsync"/> to start serving.</summary>
    /// <param name="options">The settings, or <see langword="null"/> for the defaults.</param>
    public ConvAiEmulator(ConvAiEmulatorOptions? options = null)
    {
        _options = options ?? new ConvAiEmulatorOptions();
        ArgumentException.ThrowIfNullOrEmpty(_options.ApiKey, "options.ApiKey");
        ArgumentException.ThrowIfNullOrEmpty(_options.WebhookSecret, "options.WebhookSecret");
        ArgumentNullException.ThrowIfNull(_options.TimeProvider, "options.TimeProvider");
        ArgumentOutOfRangeException.ThrowIfLessThan(_options.StepDelay, TimeSpan.Zero, "options.StepDelay");
        ArgumentOutOfRangeException.ThrowIfLessThan(_options.Port, IPEndPoint.MinPort, "options.Port");
        ArgumentOutOfRangeException.ThrowIfGreaterThan(_options.Port, IPEndPoint.MaxPort, "options.Port");
        ArgumentNullException.ThrowIfNull(_options.ListenAddress, "options.ListenAddress");
        _state = new EmulatorState(_options);
        Faults = new FaultQueue(_options.TimeProvider);
    }

    /// <summary>Gets the address the emulator serves on, for example <c>http://127.0.0.1:53121/</c>.</summary>
    /// <exception cref="InvalidOperationException">The emulator has not been started.</exception>
    public Uri BaseAddress => _baseAddress ?? throw new InvalidOperationException("The emulator is not started: await StartAsync() first.");

    /// <summary>Gets the API key the emulator accepts in the <c>xi-api-key</c> header.</summary>
    public string ApiKey => _options.ApiKey;

    /// <summary>Gets the secret that signs the webhooks the emulator sends.</summary>
    public string WebhookSecret => _options.WebhookSecret;

    /// <summary>Gets the faults waiting to hit requests.</summary>
    public FaultQueue Faults { get; }

    /// <summary>Gets every request received so far, in arrival order.</summary>
    public IReadOnlyList<ReceivedRequest> ReceivedRequests => _recorder.Snapshot();

    /// <summary>Gets the phone numbers currently imported.</summary>
    public IReadOnlyList<EmulatedPhoneNumber> PhoneNumbers
    {
        get
        {
            lock (_state.Gate)
            {
                return _state.PhoneNumbers.Select(p => p.ToSnapshot()).ToArray();
            }
        }
    }

    /// <summary>Gets the conversations, oldest first, with their status at the current time.</summary>
    public IReadOnlyList<EmulatedConversation> Conversations
    {
        get
        {
            lock (_state.Gate)
            {
                var now = _state.Now;
                return _state.Conversations.Select(c => c.ToSnapshot(now)).ToArray();
            }
        }
    }

    /// <summary>Gets the connected WhatsApp accounts as they are now: the configured ones, with the API's updates applied and its deletes removed.</summary>
    public IReadOnlyList<EmulatedWhatsAppAccount> WhatsAppAccounts
    {
        get
        {
            lock (_state.Gate)
            {
                return _state.WhatsAppAccounts.ToArray();
            }
        }
    }

    /// <summary>Gets the batch calls, oldest first, with their status at the current time.</summary>
    public IReadOnlyList<EmulatedBatchCall> BatchCalls
    {
        get
        {
            lock (_state.Gate)
            {
                return _state.BatchCalls.Select(b => b.ToSnapshot(_state)).ToArray();
            }
        }
    }

    /// <summary>
    /// Records a failed delivery of a workspace webhook, as ElevenLabs reports it in <c>GET /v1/workspace/webhooks</c>
    /// (<c>most_recent_failure_error_code</c>, <c>most_recent_failure_timestamp</c> at the emulator's clock), and optionally
    /// disables it the way ElevenLabs does after repeated failures (<c>is_auto_disabled</c>). Use it to test health checks.
    /// </summary>
    /// <param name="webhookId">The id returned when the webhook was created.</param>
    /// <param name="statusCode">The status the receiver answered, e.g. 500.</param>
    /// <param name="autoDisable">True to mark the webhook auto-disabled.</param>
    /// <exception cref="KeyNotFoundException">No workspace webhook has that id.</exception>
    public void ReportWorkspaceWebhookFailure(string webhookId, int statusCode, bool autoDisable = false)
    {
        lock (_state.Gate)
        {
            var webhook = _state.WorkspaceWebhooks.Find(w => w.WebhookId == webhookId)
                ?? throw new KeyNotFoundException($"No workspace webhook '{webhookId}'.");
            webhook.MostRecentFailureErrorCode = statusCode;
            webhook.MostRecentFailureAt = _state.Now;
            webhook.IsAutoDisabled |= autoDisable;
        }
    }

    /// <summary>
    /// Gets the number of agent WebSockets (<c>/v1/convai/conversation</c>) open now, for tests that check nothing is left behind.
    /// </summary>
    public int OpenAgentSockets => _agentSockets?.OpenSockets ?? 0;

    /// <summary>Completes when no agent socket is open, for tests that wait for the server side to finish.</summary>
    internal Task WhenNoOpenAgentSocketsAsync() => _agentSockets?.WhenNoOpenSocketsAsync() ?? Task.CompletedTask;

    /// <summary>Gets every webhook built so far (delivered or not), in completion order.</summary>
    public IReadOnlyList<EmulatedWebhookDelivery> WebhookDeliveries => _state.Webhooks.Snapshot();

    /// <summary>Creates an emulator with the given options and starts it.</summary>
    /// <param name="options">The settings, or <see langword="null"/> for the defaults.</param>
    /// <param name="cancellationToken">Stops waiting for the start.</param>
    /// <returns>The started emulator; dispose it when done.</returns>
    public static async Task<ConvAiEmulator> StartNewAsync(ConvAiEmulatorOptions? options = null, CancellationToken cancellationToken = default)
    {
        var emulator = new ConvAiEmulator(options);
        try
        {
            await emulator.StartAsync(cancellationToken).ConfigureAwait(false);
            return emulator;
        }
        catch
        {
            await emulator.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Starts serving on <see cref="ConvAiEmulatorOptions.Port"/> (by default a random loopback port). Calling it again returns the same start.</summary>
    /// <param name="cancellationToken">Stops waiting for the start; the start itself goes on for other callers.</param>
    /// <returns>A task that completes when <see cref="BaseAddress"/> is available.</returns>
    public Task StartAsync(CancellationToken cancellationToken = default)
    {
        lock (_startGate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            _startTask ??= StartCoreAsync();
            return _startTask.WaitAsync(cancellationToken);
        }
    }

    /// <summary>
    /// Creates a handler that sends every request to this emulator whatever the request's host, so it can be a
    /// client's primary handler (for example with <c>ConfigurePrimaryHttpMessageHandler</c>) while the client keeps
    /// its production base address. It starts the emulator on first use. Requests go over loopback HTTP, so
    /// faults such as a dropped connection surface exactly as they would from a real server.
    /// </summary>
    /// <returns>A new handler; dispose it (or let the HttpClient do so) when done.</returns>
    public HttpMessageHandler CreateHandler() => new EmulatorHttpHandler(this);

    /// <summary>Waits until a webhook of the given type (and conversation, if given) has been delivered or built.</summary>
    /// <param name="eventType">The payload type, for example <c>post_call_transcription</c>.</param>
    /// <param name="conversationId">The conversation to wait for, or <see langword="null"/> for any.</param>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <returns>
    /// The first matching delivery. It fails with <see cref="ObjectDisposedException"/> if the emulator is disposed first;
    /// in tests, pass a token with a timeout so a webhook that never comes fails the test instead of hanging it.
    /// </returns>
    public Task<EmulatedWebhookDelivery> WaitForWebhookAsync(string eventType, string? conversationId = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(eventType);
        return _state.Webhooks.WaitAsync(
            d => d.EventType == eventType && (conversationId is null || d.ConversationId == conversationId),
            cancellationToken);
    }

    /// <summary>Waits for the webhook deliveries currently in flight to finish.</summary>
    /// <param name="cancellationToken">Stops waiting; the deliveries themselves go on.</param>
    /// <returns>
    /// A task that completes when they have, or is cancelled when <paramref name="cancellationToken"/> fires first.
    /// </returns>
    public Task WhenWebhooksDeliveredAsync(CancellationToken cancellationToken = default) =>
        _state.Webhooks.WhenIdleAsync().WaitAsync(cancellationToken);

    /// <summary>
    /// Links a conversation to an external reference, such as the URL of the Slack message or Zendesk ticket it runs in, so that
    /// <c>GET /v1/convai/conversations/resolve?agent_id=…&amp;reference=…</c> finds it (for the conversation's own agent only).
    /// A later call for the same conversation replaces its reference.
    /// </summary>
    /// <param name="conversationId">The conversation id, e.g. from <see cref="Conversations"/> or the answer of a call.</param>
    /// <param name="reference">The reference, compared exactly (ordinal).</param>
    /// <exception cref="ArgumentException">The reference is empty.</exception>
    /// <exception cref="KeyNotFoundException">No conversation has that id.</exception>
    public void SetConversationReference(string conversationId, string reference)
    {
        ArgumentException.ThrowIfNullOrEmpty(reference);
        lock (_state.Gate)
        {
            var conversation = _state.FindConversation(conversationId)
                ?? throw new KeyNotFoundException($"No conversation '{conversationId}'.");
            conversation.Reference = reference;
        }
    }

    /// <summary>Returns the JSON the API would answer for <c>GET /v1/convai/conversations/{id}</c> right now.</summary>
    /// <param name="conversationId">The conversation id.</param>
    /// <returns>The JSON, or <see langword="null"/> when there is no such conversation.</returns>
    public JsonObject? GetConversationJson(string conversationId)
    {
        lock (_state.Gate)
        {
            return _state.FindConversation(conversationId)?.ToJson(_state.Now);
        }
    }

    /// <summary>Stops serving, stops pending state transitions and webhook deliveries, and frees the port.</summary>
    /// <returns>A task that completes when the emulator has stopped.</returns>
    public async ValueTask DisposeAsync()
    {
        lock (_startGate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
        }

        _state.Dispose();
        if (_startTask is not null)
        {
            try
            {
                await _startTask.ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is IOException or OperationCanceledException or InvalidOperationException)
            {
                // A failed start has nothing more to stop than what is disposed below.
            }
        }

        if (_app is not null)
        {
            await _app.DisposeAsync().ConfigureAwait(false);
        }
    }

    private async Task StartCoreAsync()
    {
        // The empty builder reads no appsettings.json, environment variables or command line, so nothing in the
        // host test project (such as Kestrel endpoints) leaks into the emulator; it also registers no loggers.
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions { ApplicationName = typeof(ConvAiEmulator).Assembly.GetName().Name });
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel => kestrel.Listen(_options.ListenAddress, _options.Port));
        builder.Services.AddRoutingCore();
        var app = builder.Build();

        // The agent WebSocket authorizes with a signed URL or a public agent, not the API key, and faults never hit it.
        app.UseWebSockets();
        app.Use(next => async context =>
        {
            if (AgentSocketEndpoints.IsSocketRequest(context))
            {
                await _recorder.RecordAsync(context, readBody: false).ConfigureAwait(false);
                await next(context).ConfigureAwait(false);
                return;
            }

            await _recorder.RecordAsync(context).ConfigureAwait(false);
            if (!await Faults.ApplyAsync(context).ConfigureAwait(false)
                || !await ApiKeyAuthentication.AuthorizeAsync(context, _options.ApiKey).ConfigureAwait(false))
            {
                return;
            }

            await next(context).ConfigureAwait(false);
            if (!context.Response.HasStarted && context.Response.StatusCode is StatusCodes.Status404NotFound or StatusCodes.Status405MethodNotAllowed)
            {
                // Unmatched paths and methods answer like FastAPI: {"detail":"Not Found"} / {"detail":"Method Not Allowed"}.
                var detail = context.Response.StatusCode == StatusCodes.Status404NotFound ? "Not Found" : "Method Not Allowed";
                await ApiResults.JsonAsync(context, new JsonObject { ["detail"] = detail }, context.Response.StatusCode).ConfigureAwait(false);
            }
        });
        new PhoneNumberEndpoints(_state).Map(app);
        new CallEndpoints(_state).Map(app);
        new ConversationEndpoints(_state).Map(app);
        new BatchCallEndpoints(_state).Map(app);
        new WhatsAppEndpoints(_state).Map(app);
        new DiagnosticsEndpoints(_state).Map(app);
        new WorkspaceWebhookEndpoints(_state).Map(app);
        _agentSockets = new AgentSocketEndpoints(_state);
        _agentSockets.Map(app);

        _app = app;
        await app.StartAsync().ConfigureAwait(false);
        var address = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        var host = _options.ListenAddress.Equals(IPAddress.Any) ? IPAddress.Loopback.ToString()
            : _options.ListenAddress.Equals(IPAddress.IPv6Any) ? "[::1]"
            : address.Host;
        _baseAddress = new UriBuilder(address.Scheme, host, address.Port, "/").Uri;
    }
}
