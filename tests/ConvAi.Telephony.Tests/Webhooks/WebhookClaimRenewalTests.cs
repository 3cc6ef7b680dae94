using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;

namespace ConvAi.Telephony.Tests.Webhooks;

/// <summary>
/// The claim's lease kept alive while a handler runs: a renewal every third of the lease, one at a time, none after
/// the renewal is disposed (which waits for one in flight), and a lost or failed renewal logged.
/// </summary>
public class WebhookClaimRenewalTests
{
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(15);

    [Test]
    public async Task Start_RenewsForTheLeaseEveryThirdOfIt()
    {
        var (time, store, _, renewal) = Start();

        time.Advance(Lease / 3 - TimeSpan.FromMilliseconds(1));
        var beforeAThird = store.Renewals.Count;
        time.Advance(TimeSpan.FromMilliseconds(1));
        time.Advance(Lease / 3);
        time.Advance(Lease / 3);
        await renewal.DisposeAsync();

        Assert.Multiple(() =>
        {
            Assert.That(beforeAThird, Is.Zero);
            Assert.That(store.Renewals, Is.EqualTo(new[] { ("key_1", Lease), ("key_1", Lease), ("key_1", Lease) }), "three thirds, three renewals of the whole lease");
        });
    }

    [Test]
    public async Task DisposeAsync_StopsRenewing()
    {
        var (time, store, _, renewal) = Start();
        time.Advance(Lease / 3);

        await renewal.DisposeAsync();
        time.Advance(Lease * 3);

        Assert.That(store.Renewals, Has.Count.EqualTo(1));
    }

    [Test]
    public async Task DisposeAsync_RenewalInFlight_WaitsForIt_AndTicksMeanwhileStartNoOther()
    {
        var (time, store, _, renewal) = Start();
        store.Hold = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        time.Advance(Lease / 3);
        time.Advance(Lease / 3); // the first is still running: no second one

        var disposing = renewal.DisposeAsync().AsTask();
        var waited = !disposing.IsCompleted;
        store.Hold.SetResult(true);
        await disposing;

        Assert.Multiple(() =>
        {
            Assert.That(waited, Is.True, "disposing waits for the renewal in flight, so the caller's next write is the last");
            Assert.That(store.Renewals, Has.Count.EqualTo(1), "one renewal at a time");
        });
    }

    [Test]
    public async Task RenewalRefused_LoggedOnceAsLost()
    {
        var (time, store, logs, renewal) = Start();
        store.Answer = false; // another process holds the key now

        time.Advance(Lease / 3);
        time.Advance(Lease / 3);
        await renewal.DisposeAsync();

        var lost = logs.GetSnapshot().Where(r => r.Id.Id == 4021).ToArray();
        Assert.Multiple(() =>
        {
            Assert.That(store.Renewals, Has.Count.EqualTo(2));
            Assert.That(lost, Has.Length.EqualTo(1), "logged once, not at every tick");
            Assert.That(lost[0].Level, Is.EqualTo(LogLevel.Warning));
            Assert.That(lost[0].Message, Does.Contain("post_call_transcription").And.Contain("conv_1"));
        });
    }

    [Test]
    public async Task RenewalThrows_LoggedWithTheExceptionType_AndTheNextTickRenewsAgain()
    {
        var (time, store, logs, renewal) = Start();
        store.Throw = true;
        time.Advance(Lease / 3);
        store.Throw = false;
        time.Advance(Lease / 3);
        await renewal.DisposeAsync();

        var failed = logs.GetSnapshot().Where(r => r.Id.Id == 4022).ToArray();
        Assert.Multiple(() =>
        {
            Assert.That(store.Renewals, Has.Count.EqualTo(2));
            Assert.That(failed, Has.Length.EqualTo(1));
            Assert.That(failed[0].Message, Does.Contain(typeof(TimeoutException).FullName).And.Contain("conv_1"));
            Assert.That(logs.GetSnapshot().Any(r => r.Id.Id == 4021), Is.False, "a renewal that could not run did not lose the claim");
        });
    }

    private static (FakeTimeProvider Time, RecordingStore Store, FakeLogCollector Logs, WebhookClaimRenewal Renewal) Start()
    {
        var time = new FakeTimeProvider(WebhookFixtures.Now);
        var store = new RecordingStore();
        var logs = new FakeLogCollector();
        var renewal = WebhookClaimRenewal.Start(store, "key_1", Lease, ConvAiWebhookEventType.PostCallTranscription, "conv_1", time, new FakeLogger(logs));
        return (time, store, logs, renewal);
    }

    /// <summary>Records each renewal; answers <see cref="Answer"/>, throws while <see cref="Throw"/>, or waits for <see cref="Hold"/>.</summary>
    private sealed class RecordingStore : IConvAiWebhookDeliveryStore
    {
        private readonly object _lock = new();
        private readonly List<(string Key, TimeSpan Expiry)> _renewals = [];

        public bool Answer { get; set; } = true;

        public bool Throw { get; set; }

        public TaskCompletionSource<bool>? Hold { get; set; }

        public IReadOnlyList<(string Key, TimeSpan Expiry)> Renewals
        {
            get
            {
                lock (_lock)
                {
                    return [.. _renewals];
                }
            }
        }

        public async ValueTask<bool> RenewClaimAsync(string key, TimeSpan expiry, CancellationToken cancellationToken = default)
        {
            lock (_lock)
            {
                _renewals.Add((key, expiry));
            }

            if (Throw)
            {
                throw new TimeoutException();
            }

            return Hold is { } hold ? await hold.Task : Answer;
        }

        public ValueTask<bool> TryClaimAsync(string key, TimeSpan expiry, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public ValueTask ReleaseAsync(string key, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public ValueTask MarkProcessedAsync(string key, TimeSpan horizon, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public ValueTask<bool> IsProcessedAsync(string key, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public ValueTask<DateTimeOffset?> GetCheckpointAsync(string name, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public ValueTask SetCheckpointAsync(string name, DateTimeOffset value, CancellationToken cancellationToken = default) => throw new NotSupportedException();
    }
}
