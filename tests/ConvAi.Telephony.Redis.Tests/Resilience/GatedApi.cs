using System.Net;
using System.Text;

namespace ConvAi.Telephony.Redis.Tests.Resilience;

/// <summary>
/// The fake ElevenLabs API that several clients send to: it counts the requests inside it across all clients (the most
/// at once too) and holds each request until the test answers it. Every wait is bounded.
/// </summary>
internal sealed class GatedApi
{
    private static readonly TimeSpan WaitLimit = TimeSpan.FromSeconds(30);

    private readonly object _gate = new();
    private readonly List<HeldRequest> _held = [];
    private readonly Dictionary<string, int> _requests = [];
    private TaskCompletionSource _changed = NewSignal();
    private int _inFlight;
    private int _maxInFlight;

    /// <summary>Gets the most requests that were inside the API at once, across all clients.</summary>
    public int MaxInFlight
    {
        get
        {
            lock (_gate)
            {
                return _maxInFlight;
            }
        }
    }

    /// <summary>Gets how many requests each client sent, by client name.</summary>
    public IReadOnlyDictionary<string, int> Requests
    {
        get
        {
            lock (_gate)
            {
                return new Dictionary<string, int>(_requests);
            }
        }
    }

    /// <summary>Returns the primary handler of one client.</summary>
    public HttpMessageHandler For(string client) => new Door(this, client);

    /// <summary>Waits (bounded) until at least <paramref name="count"/> requests are held, and returns them oldest first.</summary>
    public async Task<IReadOnlyList<HeldRequest>> WaitForHeldAsync(int count)
    {
        var deadline = DateTime.UtcNow + WaitLimit;
        while (true)
        {
            Task changed;
            lock (_gate)
            {
                if (_held.Count >= count)
                {
                    return [.. _held];
                }

                changed = _changed.Task;
            }

            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero || await Task.WhenAny(changed, Task.Delay(left)) != changed)
            {
                lock (_gate)
                {
                    Assert.Fail($"Waited {WaitLimit} for {count} held requests; {_held.Count} held, {_inFlight} in flight.");
                }
            }
        }
    }

    /// <summary>Answers a held request: 200 with a placed call, or the given status.</summary>
    public void Answer(HeldRequest request, HttpStatusCode status = HttpStatusCode.OK)
    {
        lock (_gate)
        {
            _held.Remove(request);
        }

        request.Answer.TrySetResult(status);
    }

    /// <summary>Ends a held request as a connection lost after the request was sent (the call may have been placed).</summary>
    public void Drop(HeldRequest request)
    {
        lock (_gate)
        {
            _held.Remove(request);
        }

        request.Answer.TrySetException(new HttpRequestException(HttpRequestError.ResponseEnded, "The connection was closed."));
    }

    /// <summary>Stops holding a request the test lets its caller cancel (it leaves the API when the caller's token fires).</summary>
    public void Abandon(HeldRequest request)
    {
        lock (_gate)
        {
            _held.Remove(request);
        }
    }

    private async Task<HttpResponseMessage> SendAsync(string client, HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var held = new HeldRequest(client, request.Method.Method + " " + request.RequestUri!.AbsolutePath);
        lock (_gate)
        {
            _inFlight++;
            _maxInFlight = Math.Max(_maxInFlight, _inFlight);
            _requests[client] = _requests.GetValueOrDefault(client) + 1;
            _held.Add(held);
            Signal();
        }

        try
        {
            var status = await held.Answer.Task.WaitAsync(WaitLimit, cancellationToken);
            var body = status == HttpStatusCode.OK
                ? $$"""{"success":true,"message":"ok","conversation_id":"conv_{{held.Id}}","callSid":"CA{{held.Id}}"}"""
                : """{"detail":{"status":"error","message":"failed"}}""";
            return new HttpResponseMessage(status) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        }
        finally
        {
            lock (_gate)
            {
                _inFlight--;
                _held.Remove(held);
                Signal();
            }
        }
    }

    private void Signal()
    {
        var changed = _changed;
        _changed = NewSignal();
        changed.TrySetResult();
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>A request inside the API, waiting for its answer.</summary>
    internal sealed class HeldRequest(string client, string route)
    {
        private static int _next;

        public int Id { get; } = Interlocked.Increment(ref _next);

        public string Client { get; } = client;

        public string Route { get; } = route;

        public TaskCompletionSource<HttpStatusCode> Answer { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    private sealed class Door(GatedApi api, string client) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
            => api.SendAsync(client, request, cancellationToken);
    }
}
