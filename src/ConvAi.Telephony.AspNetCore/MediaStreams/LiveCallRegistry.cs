using System.Collections.Concurrent;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ConvAi.Telephony.AspNetCore;

/// <summary>
/// The calls bridged on this instance (by call SID and conversation id), the hand-offs chosen during calls (read by the
/// <c>/after</c> endpoint), and the graceful stop: refuse new streams, let live ones finish up to the configured time, then end them.
/// </summary>
internal sealed class LiveCallRegistry(IOptionsMonitor<ConvAiTwilioBridgeOptions> options, ILoggerFactory loggers, TimeProvider time) : ILiveCalls, IHostedLifecycleService
{
    private static readonly TimeSpan HandOffLifetime = TimeSpan.FromMinutes(10);

    private readonly ConcurrentDictionary<string, LiveCall> _byCallSid = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, LiveCall> _byConversationId = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<MediaStreamBridge, byte> _bridges = new();
    private readonly ConcurrentDictionary<string, (string Target, DateTimeOffset Expires)> _handOffs = new(StringComparer.Ordinal);
    private readonly ILogger _logger = loggers.CreateLogger(MediaStreamLog.CategoryName);
    private volatile bool _stopping;

    public int Count => _byCallSid.Count;

    /// <summary>Gets the number of streams being bridged (started or not), for tests that count what is left.</summary>
    public int StreamCount => _bridges.Count;

    public bool IsStopping => _stopping;

    /// <summary>Gets the streams being bridged now, for tests.</summary>
    public IReadOnlyCollection<MediaStreamBridge> Bridges => [.. _bridges.Keys];

    public LiveCallLookup FindByCallSid(string callSid)
    {
        ArgumentNullException.ThrowIfNull(callSid);
        return _byCallSid.TryGetValue(callSid, out var call) ? LiveCallLookup.Found(call) : LiveCallLookup.NotHere;
    }

    public LiveCallLookup FindByConversationId(string conversationId)
    {
        ArgumentNullException.ThrowIfNull(conversationId);
        return _byConversationId.TryGetValue(conversationId, out var call) ? LiveCallLookup.Found(call) : LiveCallLookup.NotHere;
    }

    public bool TryEnter(MediaStreamBridge bridge) => !_stopping && _bridges.TryAdd(bridge, 0);

    public void Leave(MediaStreamBridge bridge) => _bridges.TryRemove(bridge, out _);

    public bool TryAdd(LiveCall call) => _byCallSid.TryAdd(call.CallSid, call);

    public void IndexConversation(LiveCall call, string conversationId) => _byConversationId[conversationId] = call;

    public void Remove(LiveCall call)
    {
        _byCallSid.TryRemove(new KeyValuePair<string, LiveCall>(call.CallSid, call));
        if (call.ConversationId is { } conversationId)
        {
            _byConversationId.TryRemove(new KeyValuePair<string, LiveCall>(conversationId, call));
        }
    }

    public void RecordHandOff(string callSid, string target)
    {
        var now = time.GetUtcNow();
        foreach (var (sid, entry) in _handOffs)
        {
            if (entry.Expires < now)
            {
                _handOffs.TryRemove(sid, out _);
            }
        }

        _handOffs[callSid] = (target, now + HandOffLifetime);
    }

    public string? TakeHandOff(string callSid) =>
        _handOffs.TryRemove(callSid, out var entry) && entry.Expires >= time.GetUtcNow() ? entry.Target : null;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>
    /// Runs before any hosted service stops (the web server included, which would otherwise wait for the open WebSocket requests):
    /// refuses new streams, waits for live calls up to the shutdown timeout, then ends the rest.
    /// </summary>
    public async Task StoppingAsync(CancellationToken cancellationToken)
    {
        _stopping = true;
        var live = _bridges.Keys.ToArray();
        if (live.Length == 0)
        {
            return;
        }

        var limit = options.CurrentValue.ShutdownTimeout;
        MediaStreamLog.Draining(_logger, live.Length, limit);
        var all = Task.WhenAll(live.Select(b => b.Completion));
        try
        {
            await all.WaitAsync(limit, time, cancellationToken).ConfigureAwait(false);
            return;
        }
        catch (Exception ex) when (ex is TimeoutException or OperationCanceledException)
        {
            // Past the drain time: end what is left.
        }

        var left = _bridges.Keys.ToArray();
        MediaStreamLog.EndingOnShutdown(_logger, left.Length);
        foreach (var bridge in left)
        {
            bridge.EndOnShutdown();
        }

        try
        {
            await Task.WhenAll(left.Select(b => b.Completion)).WaitAsync(TimeSpan.FromSeconds(5), time, CancellationToken.None).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // The host stops anyway; the sockets are aborted with it.
        }
    }
}
