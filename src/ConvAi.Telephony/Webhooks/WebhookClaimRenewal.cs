using Microsoft.Extensions.Logging;

namespace ConvAi.Telephony;

/// <summary>
/// Keeps a claim alive while its handler runs: renews it for <see cref="ConvAiWebhookDeduplicationOptions.ClaimLease"/>
/// every third of the lease, until disposed. A process that dies stops renewing, so its claim ends within one lease and
/// the delivery can be processed by a restart, another process or the reconciler.
/// </summary>
internal sealed class WebhookClaimRenewal : IAsyncDisposable
{
    private readonly IConvAiWebhookDeliveryStore _store;
    private readonly string _key;
    private readonly TimeSpan _lease;
    private readonly ConvAiWebhookEventType _type;
    private readonly string? _conversationId;
    private readonly ILogger _logger;
    private readonly ITimer _timer;
    private readonly object _lock = new();
    private Task _inFlight = Task.CompletedTask;
    private bool _stopped;
    private bool _lost;

    private WebhookClaimRenewal(IConvAiWebhookDeliveryStore store, string key, TimeSpan lease, ConvAiWebhookEventType type, string? conversationId, TimeProvider timeProvider, ILogger logger)
    {
        _store = store;
        _key = key;
        _lease = lease;
        _type = type;
        _conversationId = conversationId;
        _logger = logger;
        var every = lease / 3;
        _timer = timeProvider.CreateTimer(static state => ((WebhookClaimRenewal)state!).Tick(), this, every, every);
    }

    /// <summary>Starts renewing the claim of <paramref name="key"/>, which the caller has just made for <paramref name="lease"/>.</summary>
    public static WebhookClaimRenewal Start(
        IConvAiWebhookDeliveryStore store, string key, TimeSpan lease, ConvAiWebhookEventType type, string? conversationId, TimeProvider timeProvider, ILogger logger) =>
        new(store, key, lease, type, conversationId, timeProvider, logger);

    /// <summary>
    /// Stops renewing and waits for a renewal in flight, so that the caller's next write to the claim (a mark, a
    /// release, the hand-over to the inbox) is the last one. The claim lasts until its last expiry unless changed.
    /// </summary>
    /// <returns>A task that completes when no renewal runs any more.</returns>
    public async ValueTask DisposeAsync()
    {
        Task inFlight;
        lock (_lock)
        {
            _stopped = true;
            inFlight = _inFlight;
        }

        await _timer.DisposeAsync().ConfigureAwait(false);
        await inFlight.ConfigureAwait(false);
    }

    private void Tick()
    {
        lock (_lock)
        {
            // One renewal at a time (a slow store must not pile them up), none once stopped.
            if (!_stopped && _inFlight.IsCompleted)
            {
                _inFlight = RenewAsync();
            }
        }
    }

    private async Task RenewAsync()
    {
        try
        {
            if (!await _store.RenewClaimAsync(_key, _lease, CancellationToken.None).ConfigureAwait(false) && !_lost)
            {
                _lost = true;
                WebhookLog.ClaimLost(_logger, _type.Value, _conversationId);
            }
        }
#pragma warning disable CA1031 // A failed renewal is logged; the next one tries again within the lease.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            WebhookLog.ClaimRenewalFailed(_logger, _type.Value, _conversationId, exception.GetType().FullName!);
        }
    }
}
