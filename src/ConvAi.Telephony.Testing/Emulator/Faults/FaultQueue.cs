using System.Globalization;
using System.Net.Sockets;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Http;

namespace ConvAi.Telephony.Testing;

/// <summary>
/// The faults waiting to hit requests, in order. Each request takes the first queued fault that matches it and
/// uses up one of that fault's hits. Thread-safe.
/// </summary>
public sealed class FaultQueue
{
    private readonly object _gate = new();
    private readonly List<(Fault Fault, int Remaining)> _queue = [];
    private readonly TimeProvider _timeProvider;

    internal FaultQueue(TimeProvider timeProvider)
    {
        _timeProvider = timeProvider;
    }

    /// <summary>Gets the number of faults still queued.</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _queue.Count;
            }
        }
    }

    /// <summary>Adds a fault behind those already queued.</summary>
    /// <param name="fault">The fault to add.</param>
    public void Enqueue(Fault fault)
    {
        ArgumentNullException.ThrowIfNull(fault);
        lock (_gate)
        {
            _queue.Add((fault, fault.Count));
        }
    }

    /// <summary>Removes every queued fault.</summary>
    public void Clear()
    {
        lock (_gate)
        {
            _queue.Clear();
        }
    }

    internal Fault? Take(string method, string path)
    {
        lock (_gate)
        {
            for (var i = 0; i < _queue.Count; i++)
            {
                var (fault, remaining) = _queue[i];
                if (!fault.Matches(method, path))
                {
                    continue;
                }

                if (remaining <= 1)
                {
                    _queue.RemoveAt(i);
                }
                else
                {
                    _queue[i] = (fault, remaining - 1);
                }

                return fault;
            }

            return null;
        }
    }

    /// <summary>Applies the fault that matches the request, if any. Returns whether the request goes on.</summary>
    internal async Task<bool> ApplyAsync(HttpContext context)
    {
        var fault = Take(context.Request.Method, context.Request.Path.Value ?? string.Empty);
        switch (fault?.Kind)
        {
            case null:
                return true;
            case FaultKind.Latency:
                await Task.Delay(fault.Delay, _timeProvider, context.RequestAborted).ConfigureAwait(false);
                return true;
            case FaultKind.DropConnectionAfterRequestRead:
                DropConnection(context);
                return false;
            case FaultKind.RateLimited:
                context.Response.Headers["current-concurrent-requests"] = fault.CurrentConcurrentRequests.ToString(CultureInfo.InvariantCulture);
                context.Response.Headers["maximum-concurrent-requests"] = fault.MaximumConcurrentRequests.ToString(CultureInfo.InvariantCulture);
                if (fault.RetryAfter is { } retryAfter)
                {
                    context.Response.Headers.RetryAfter = ((long)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
                }

                await ApiResults.ErrorAsync(context, fault.StatusCode, fault.ErrorCode!, "Too many concurrent requests for your plan. Injected by the emulator.").ConfigureAwait(false);
                return false;
            default:
                await ApiResults.ErrorAsync(context, fault.StatusCode, fault.ErrorCode!, "Server error injected by the emulator.").ConfigureAwait(false);
                return false;
        }
    }

    /// <summary>
    /// Closes the connection with no response. Kestrel's abort alone resets the socket (the client sees
    /// "connection reset"); sending FIN first makes the client see the response end before any byte arrived.
    /// </summary>
    private static void DropConnection(HttpContext context)
    {
        try
        {
            context.Features.Get<IConnectionSocketFeature>()?.Socket.Shutdown(SocketShutdown.Send);
        }
        catch (SocketException)
        {
            // The connection is already gone; aborting below is all that is left to do.
        }
        catch (ObjectDisposedException)
        {
        }

        context.Abort();
    }
}
