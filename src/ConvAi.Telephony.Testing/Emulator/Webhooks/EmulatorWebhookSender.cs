using System.Diagnostics;
using System.Text;
using System.Text.Json.Nodes;

namespace ConvAi.Telephony.Testing;

/// <summary>
/// Signs and delivers webhook payloads (§8.3–8.5), records every delivery, and lets tests wait for one.
/// Deliveries run in the background; <see cref="WhenIdleAsync"/> waits for those in flight.
/// </summary>
internal sealed class EmulatorWebhookSender : IDisposable
{
    private readonly object _gate = new();
    private readonly List<EmulatedWebhookDelivery> _deliveries = [];
    private readonly List<(Func<EmulatedWebhookDelivery, bool> Match, TaskCompletionSource<EmulatedWebhookDelivery> Waiter)> _waiters = [];
    private readonly HashSet<Task> _inFlight = [];
    private readonly CancellationTokenSource _stopping = new();
    private readonly Uri? _url;
    private readonly string _secret;
    private readonly TimeProvider _timeProvider;
    private readonly HttpClient? _client;

    public EmulatorWebhookSender(ConvAiEmulatorOptions options)
    {
        _url = options.WebhookUrl;
        _secret = options.WebhookSecret;
        _timeProvider = options.TimeProvider;
        if (_url is not null)
        {
            // ElevenLabs sends no traceparent with its webhooks, so neither does the emulator: a test that links a
            // call to its webhook must do it the way production can (the conversation id), not through a trace header.
            _client = options.WebhookHandler is { } handler
                ? new HttpClient(handler, disposeHandler: false)
                : new HttpClient(new SocketsHttpHandler { ActivityHeadersPropagator = DistributedContextPropagator.CreateNoOutputPropagator() });
        }
    }

    public IReadOnlyList<EmulatedWebhookDelivery> Snapshot()
    {
        lock (_gate)
        {
            return _deliveries.ToArray();
        }
    }

    /// <summary>Builds, signs and delivers the events of one conversation in order, in the background.</summary>
    public void Send(string conversationId, params (string EventType, JsonObject Data)[] events)
    {
        // Without the caller's execution context: the delivery belongs to no trace of the request that placed the call.
        Task task;
        using (ExecutionContext.SuppressFlow())
        {
            task = Task.Run(async () =>
            {
                foreach (var (eventType, data) in events)
                {
                    await DeliverAsync(eventType, conversationId, data).ConfigureAwait(false);
                }
            });
        }

        lock (_gate)
        {
            _inFlight.Add(task);
        }

        _ = task.ContinueWith(Forget, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    public Task<EmulatedWebhookDelivery> WaitAsync(Func<EmulatedWebhookDelivery, bool> match, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            foreach (var delivery in _deliveries)
            {
                if (match(delivery))
                {
                    return Task.FromResult(delivery);
                }
            }

            var waiter = new TaskCompletionSource<EmulatedWebhookDelivery>(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((match, waiter));
            return waiter.Task.WaitAsync(cancellationToken);
        }
    }

    public Task WhenIdleAsync()
    {
        lock (_gate)
        {
            return Task.WhenAll(_inFlight.ToArray());
        }
    }

    public void Dispose()
    {
        List<TaskCompletionSource<EmulatedWebhookDelivery>> waiters;
        lock (_gate)
        {
            waiters = _waiters.Select(w => w.Waiter).ToList();
            _waiters.Clear();
        }

        // Nothing will be delivered any more: release whoever still waits.
        foreach (var waiter in waiters)
        {
            waiter.TrySetException(new ObjectDisposedException(nameof(ConvAiEmulator), "The emulator was disposed before the webhook was sent."));
        }

        _stopping.Cancel();
        _client?.Dispose();
        _stopping.Dispose();
    }

    private async Task DeliverAsync(string eventType, string conversationId, JsonObject data)
    {
        var now = _timeProvider.GetUtcNow();
        var body = EmulatedWebhookPayload.Envelope(eventType, data, now);
        var signature = ConvAiWebhookSignature.CreateHeader(_secret, body, now);
        int? statusCode = null;
        string? error = null;
        if (_client is not null && _url is not null)
        {
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, _url);
                request.Content = new ByteArrayContent(body);
                request.Content.Headers.ContentType = new("application/json");
                request.Headers.TryAddWithoutValidation(ConvAiWebhookSignature.HeaderName, signature);
                using var response = await _client.SendAsync(request, _stopping.Token).ConfigureAwait(false);
                statusCode = (int)response.StatusCode;
            }
            catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException or InvalidOperationException)
            {
                error = ex.GetType().Name + ": " + ex.Message;
            }
        }

        Record(new EmulatedWebhookDelivery(eventType, conversationId, Encoding.UTF8.GetString(body), signature, _url, statusCode, error));
    }

    private void Record(EmulatedWebhookDelivery delivery)
    {
        var matched = new List<TaskCompletionSource<EmulatedWebhookDelivery>>();
        lock (_gate)
        {
            _deliveries.Add(delivery);
            for (var i = _waiters.Count - 1; i >= 0; i--)
            {
                if (_waiters[i].Match(delivery))
                {
                    matched.Add(_waiters[i].Waiter);
                    _waiters.RemoveAt(i);
                }
            }
        }

        foreach (var waiter in matched)
        {
            waiter.TrySetResult(delivery);
        }
    }

    private void Forget(Task task)
    {
        lock (_gate)
        {
            _inFlight.Remove(task);
        }
    }
}
