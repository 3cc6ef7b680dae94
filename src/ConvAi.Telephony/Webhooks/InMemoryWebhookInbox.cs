using System.Collections.Concurrent;
using System.Globalization;
using System.Threading.Channels;

namespace ConvAi.Telephony;

/// <summary>
/// The default <see cref="IConvAiWebhookInbox"/>: a bounded in-process queue for one instance. Deliveries it holds are
/// lost when the process exits (a crash, or a shutdown that could not drain it); reconciliation recovers the
/// transcriptions among them. Use a shared inbox (Redis Streams) when several instances receive webhooks.
/// </summary>
/// <remarks>
/// <para>
/// At most <see cref="Capacity"/> deliveries (default 10,000) are held at once, due or waiting for a retry; when it is
/// full <see cref="TryEnqueueAsync"/> returns false and the receiver answers 503, so the sender learns that the delivery
/// was not taken. Dead letters do not count against the capacity.
/// </para>
/// <para>
/// Bodies larger than the spool threshold (default 1 MiB, e.g. <c>post_call_audio</c>, which reaches tens of MB) are
/// written to a file in the spool directory and read back when leased, so waiting audio does not sit in memory; the
/// file is deleted when the delivery completes. Listed dead letters carry their body only when it is held in memory.
/// </para>
/// </remarks>
public sealed class InMemoryWebhookInbox : IConvAiWebhookInbox, IDisposable
{
    /// <summary>The default <see cref="Capacity"/>: 10,000 deliveries.</summary>
    public const int DefaultCapacity = 10_000;

    /// <summary>The default size above which a body is spooled to a file: 1 MiB.</summary>
    public const int DefaultSpoolThreshold = 1024 * 1024;

    private readonly Channel<Entry> _ready = Channel.CreateUnbounded<Entry>(new UnboundedChannelOptions { SingleReader = false, SingleWriter = false });
    private readonly ConcurrentDictionary<string, Entry> _leased = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, ITimer> _waiting = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Entry> _deadLetters = new(StringComparer.Ordinal);
    private readonly TimeProvider _timeProvider;
    private readonly int _spoolThreshold;
    private readonly string _spoolDirectory;
    private int _held;
    private long _nextId;

    /// <summary>Creates an empty inbox.</summary>
    /// <param name="timeProvider">The clock that makes retries due; <see cref="TimeProvider.System"/> when null.</param>
    /// <param name="capacity">The most deliveries held at once (dead letters excluded).</param>
    /// <param name="spoolThreshold">Bodies longer than this many bytes are kept in a file instead of memory.</param>
    /// <param name="spoolDirectory">Where spooled bodies go; a new folder under the temp path when null.</param>
    public InMemoryWebhookInbox(
        TimeProvider? timeProvider = null,
        int capacity = DefaultCapacity,
        int spoolThreshold = DefaultSpoolThreshold,
        string? spoolDirectory = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(capacity);
        ArgumentOutOfRangeException.ThrowIfNegative(spoolThreshold);
        _timeProvider = timeProvider ?? TimeProvider.System;
        Capacity = capacity;
        _spoolThreshold = spoolThreshold;
        _spoolDirectory = spoolDirectory
            ?? Path.Combine(Path.GetTempPath(), "convai-webhooks", Guid.NewGuid().ToString("N"));
    }

    /// <summary>The most deliveries held at once, due or waiting for a retry; dead letters excluded.</summary>
    public int Capacity { get; }

    /// <summary>The number of deliveries held (due, leased or waiting for a retry); dead letters excluded.</summary>
    public int Count => Volatile.Read(ref _held);

    /// <inheritdoc />
    public async ValueTask<bool> TryEnqueueAsync(ConvAiWebhookDelivery delivery, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(delivery);
        if (Interlocked.Increment(ref _held) > Capacity)
        {
            Interlocked.Decrement(ref _held);
            return false;
        }

        try
        {
            var id = Interlocked.Increment(ref _nextId).ToString("D20", CultureInfo.InvariantCulture);
            var entry = new Entry(id, delivery with { Body = default });
            if (delivery.Body.Length > _spoolThreshold)
            {
                Directory.CreateDirectory(_spoolDirectory);
                entry.SpoolPath = Path.Combine(_spoolDirectory, id + ".json");
                var file = new FileStream(entry.SpoolPath, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, useAsync: true);
                await using (file.ConfigureAwait(false))
                {
                    await file.WriteAsync(delivery.Body, cancellationToken).ConfigureAwait(false);
                }
            }
            else
            {
                entry.Body = delivery.Body.ToArray();
            }

            _ready.Writer.TryWrite(entry);
            return true;
        }
        catch
        {
            Interlocked.Decrement(ref _held);
            throw;
        }
    }

    /// <inheritdoc />
    public async ValueTask<ConvAiWebhookInboxItem> LeaseAsync(CancellationToken cancellationToken = default)
    {
        var entry = await _ready.Reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        return await LeaseCoreAsync(entry).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public ValueTask CompleteAsync(ConvAiWebhookInboxItem item, CancellationToken cancellationToken = default)
    {
        var entry = EndLease(item);
        DeleteSpool(entry);
        Interlocked.Decrement(ref _held);
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public ValueTask RetryLaterAsync(ConvAiWebhookInboxItem item, DateTimeOffset dueAt, string? failure, CancellationToken cancellationToken = default)
    {
        var entry = EndLease(item);
        if (failure is not null)
        {
            entry.Delivery = Failed(entry.Delivery, failure);
        }

        var delay = dueAt - _timeProvider.GetUtcNow();
        if (delay <= TimeSpan.Zero)
        {
            _ready.Writer.TryWrite(entry);
            return ValueTask.CompletedTask;
        }

        // The timer is kept until it fires: an unreferenced timer may be collected before it does.
        _waiting[entry.Id] = _timeProvider.CreateTimer(
            state =>
            {
                var waiting = (Entry)state!;
                if (_waiting.TryRemove(waiting.Id, out var timer))
                {
                    timer.Dispose();
                    _ready.Writer.TryWrite(waiting);
                }
            },
            entry,
            delay,
            Timeout.InfiniteTimeSpan);
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public ValueTask DeadLetterAsync(ConvAiWebhookInboxItem item, string failure, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(failure);
        var entry = EndLease(item);
        entry.Delivery = Failed(entry.Delivery, failure);
        _deadLetters[entry.Id] = entry;
        Interlocked.Decrement(ref _held);
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public ValueTask<string> AddDeadLetterAsync(ConvAiWebhookDelivery delivery, string failure, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(delivery);
        ArgumentException.ThrowIfNullOrEmpty(failure);

        // Dead letters are never spooled (as a leased delivery that is dead-lettered keeps its spool file, an added one keeps its bytes).
        var id = Interlocked.Increment(ref _nextId).ToString("D20", CultureInfo.InvariantCulture);
        var entry = new Entry(id, Failed(delivery with { Body = default }, failure)) { Body = delivery.Body.ToArray() };
        _deadLetters[id] = entry;
        return ValueTask.FromResult(id);
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<ConvAiWebhookInboxItem>> ListDeadLettersAsync(CancellationToken cancellationToken = default)
    {
        IReadOnlyList<ConvAiWebhookInboxItem> list = _deadLetters.Values
            .OrderBy(entry => entry.Id, StringComparer.Ordinal)
            .Select(entry => new ConvAiWebhookInboxItem { Id = entry.Id, Delivery = entry.Delivery with { Body = entry.Body } })
            .ToArray();
        return ValueTask.FromResult(list);
    }

    /// <inheritdoc />
    public ValueTask<bool> RedriveAsync(string id, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(id);
        if (!_deadLetters.TryRemove(id, out var entry))
        {
            return ValueTask.FromResult(false);
        }

        // A re-drive is an operator's decision: it is taken even when the inbox is full.
        entry.Delivery = entry.Delivery with { Attempts = 0 };
        Interlocked.Increment(ref _held);
        _ready.Writer.TryWrite(entry);
        return ValueTask.FromResult(true);
    }

    /// <summary>Deletes the spooled bodies of deliveries still held: an in-memory inbox cannot outlive its process.</summary>
    public void Dispose()
    {
        _ready.Writer.TryComplete();
        foreach (var timer in _waiting.Values)
        {
            timer.Dispose();
        }

        try
        {
            if (Directory.Exists(_spoolDirectory))
            {
                Directory.Delete(_spoolDirectory, recursive: true);
            }
        }
        catch (IOException)
        {
            // Best effort: the temp folder is cleaned by the system eventually.
        }
        catch (UnauthorizedAccessException)
        {
            // As above.
        }
    }

    /// <summary>Leases a delivery that is due now, without waiting; false when none is (used to drain at shutdown).</summary>
    internal bool TryLeaseDue(out ValueTask<ConvAiWebhookInboxItem> item)
    {
        if (_ready.Reader.TryRead(out var entry))
        {
            item = LeaseCoreAsync(entry);
            return true;
        }

        item = default;
        return false;
    }

    private ConvAiWebhookDelivery Failed(ConvAiWebhookDelivery delivery, string failure) =>
        delivery with { Attempts = delivery.Attempts + 1, LastFailure = failure, LastFailedAt = _timeProvider.GetUtcNow() };

    private async ValueTask<ConvAiWebhookInboxItem> LeaseCoreAsync(Entry entry)
    {
        _leased[entry.Id] = entry;
        var body = entry.SpoolPath is { } path
            ? await File.ReadAllBytesAsync(path).ConfigureAwait(false)
            : entry.Body;
        return new ConvAiWebhookInboxItem { Id = entry.Id, Delivery = entry.Delivery with { Body = body } };
    }

    private Entry EndLease(ConvAiWebhookInboxItem item)
    {
        ArgumentNullException.ThrowIfNull(item);
        return _leased.TryRemove(item.Id, out var entry)
            ? entry
            : throw new InvalidOperationException($"The inbox item '{item.Id}' is not leased.");
    }

    private void DeleteSpool(Entry entry)
    {
        if (entry.SpoolPath is { } path)
        {
            File.Delete(path);
        }
    }

    private sealed class Entry(string id, ConvAiWebhookDelivery delivery)
    {
        public string Id { get; } = id;

        public ConvAiWebhookDelivery Delivery { get; set; } = delivery;

        public ReadOnlyMemory<byte> Body { get; set; }

        public string? SpoolPath { get; set; }
    }
}
