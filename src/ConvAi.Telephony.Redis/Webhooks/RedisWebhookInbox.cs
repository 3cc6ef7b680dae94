using System.Collections.Concurrent;
using System.Globalization;
using StackExchange.Redis;

namespace ConvAi.Telephony.Redis;

/// <summary>
/// An <see cref="IConvAiWebhookInbox"/> on Redis Streams, shared by every instance that uses the same key prefix and
/// consumer group: a delivery taken by one instance is processed by whichever instance leases it, and a crashed
/// instance's deliveries are finished by another.
/// </summary>
/// <remarks>
/// <para>
/// <b>Layout.</b> Deliveries are entries of the stream <c>{prefix}inbox</c> (<c>XADD</c>), read through the consumer
/// group (<c>XREADGROUP</c>). <see cref="CompleteAsync"/> acknowledges and deletes the entry (<c>XACK</c> +
/// <c>XDEL</c> in one script), so the stream holds only deliveries that are not processed yet and is never trimmed.
/// A retry waits in the stream <c>{prefix}delayed</c>, indexed by due time in the sorted set <c>{prefix}due</c>, and
/// is moved back to the inbox when due. Dead letters are entries of the stream <c>{prefix}dead</c>, listed with
/// <c>XRANGE</c> and re-driven into the inbox. Every move between keys is one Lua script, so a delivery is never in
/// two places or in none.
/// </para>
/// <para>
/// <b>Crashes.</b> A leased entry stays in the group's pending list until its lease ends. A live instance renews its
/// leases (<c>XCLAIM</c> to itself) every third of <see cref="ConvAiWebhookRedisOptions.ClaimIdleTime"/>; an entry whose
/// consumer stopped renewing it for that long is reclaimed by another instance (<c>XAUTOCLAIM</c>) and processed again.
/// The processor checks the delivery store's processed mark first, so a second processing happens only when the
/// crash fell between the handler's return and its processed mark.
/// </para>
/// <para>
/// <b>Capacity.</b> At most <see cref="ConvAiWebhookRedisOptions.MaxLength"/> deliveries are held (in the inbox or
/// waiting for a retry); beyond it <see cref="TryEnqueueAsync"/> returns false and the receiver answers 503. Bodies are
/// stored whole (a 20 MiB <c>post_call_audio</c> is one entry); Redis must have the memory for what it holds.
/// </para>
/// </remarks>
public sealed class RedisWebhookInbox : IConvAiWebhookInbox, IAsyncDisposable
{
    private const string KeyField = "key";
    private const string TypeField = "type";
    private const string ConversationField = "conversation";
    private const string TimestampField = "timestamp";
    private const string ReceivedField = "received";
    private const string AttemptsField = "attempts";
    private const string FailureField = "failure";
    private const string FailedAtField = "failed_at";
    private const string BodyField = "body";

    // KEYS: inbox, due; ARGV: max length, fields...
    private const string EnqueueScript = """
        if redis.call('XLEN', KEYS[1]) + redis.call('ZCARD', KEYS[2]) >= tonumber(ARGV[1]) then return false end
        return redis.call('XADD', KEYS[1], '*', unpack(ARGV, 2))
        """;

    // KEYS: inbox, delayed, due; ARGV: group, consumer, now (ms), min idle (ms), XAUTOCLAIM cursor.
    // Moves due retries back into the inbox, then reclaims one idle entry of a silent consumer, else reads a new one.
    private const string LeaseScript = """
        local due = redis.call('ZRANGEBYSCORE', KEYS[3], '-inf', ARGV[3], 'LIMIT', 0, 100)
        for _, id in ipairs(due) do
          local waiting = redis.call('XRANGE', KEYS[2], id, id)
          if waiting[1] then
            redis.call('XADD', KEYS[1], '*', unpack(waiting[1][2]))
            redis.call('XDEL', KEYS[2], id)
          end
          redis.call('ZREM', KEYS[3], id)
        end
        local claimed = redis.call('XAUTOCLAIM', KEYS[1], ARGV[1], ARGV[2], ARGV[4], ARGV[5], 'COUNT', 1)
        local entry = claimed[2][1]
        if entry then return {claimed[1], entry[1], entry[2]} end
        local read = redis.call('XREADGROUP', 'GROUP', ARGV[1], ARGV[2], 'COUNT', 1, 'STREAMS', KEYS[1], '>')
        if read then
          entry = read[1][2][1]
          return {claimed[1], entry[1], entry[2]}
        end
        return {claimed[1]}
        """;

    // KEYS: inbox; ARGV: group, id.
    private const string CompleteScript = """
        redis.call('XACK', KEYS[1], ARGV[1], ARGV[2])
        return redis.call('XDEL', KEYS[1], ARGV[2])
        """;

    // KEYS: inbox, delayed, due; ARGV: group, id, due (ms), fields... Nothing happens when another consumer ended the lease.
    private const string RetryScript = """
        if redis.call('XACK', KEYS[1], ARGV[1], ARGV[2]) == 0 then return false end
        redis.call('XDEL', KEYS[1], ARGV[2])
        local id = redis.call('XADD', KEYS[2], '*', unpack(ARGV, 4))
        redis.call('ZADD', KEYS[3], ARGV[3], id)
        return id
        """;

    // KEYS: inbox, dead; ARGV: group, id, fields... Nothing happens when another consumer ended the lease.
    private const string DeadLetterScript = """
        if redis.call('XACK', KEYS[1], ARGV[1], ARGV[2]) == 0 then return false end
        redis.call('XDEL', KEYS[1], ARGV[2])
        return redis.call('XADD', KEYS[2], '*', unpack(ARGV, 3))
        """;

    // KEYS: dead, inbox; ARGV: id. Attempts start again at zero.
    private const string RedriveScript = """
        local dead = redis.call('XRANGE', KEYS[1], ARGV[1], ARGV[1])
        if not dead[1] then return false end
        local fields = dead[1][2]
        for i = 1, #fields, 2 do
          if fields[i] == 'attempts' then fields[i + 1] = '0' end
        end
        redis.call('XADD', KEYS[2], '*', unpack(fields))
        redis.call('XDEL', KEYS[1], ARGV[1])
        return 1
        """;

    private readonly RedisConnectionSource _connection;
    private readonly TimeProvider _timeProvider;
    private readonly RedisKey _inbox;
    private readonly RedisKey _delayed;
    private readonly RedisKey _due;
    private readonly RedisKey _dead;
    private readonly RedisValue _group;
    private readonly RedisValue _consumer;
    private readonly long _claimIdleMs;
    private readonly DurableInboxPolling _polling;
    private readonly int _maxLength;
    private readonly ConcurrentDictionary<string, byte> _leased = new(StringComparer.Ordinal);
    private readonly ITimer _renewal;
    private string _cursor = "0-0";
    private volatile bool _groupReady;
    private int _disposed;

    /// <summary>Creates an inbox over an existing connection, which the caller keeps owning.</summary>
    /// <param name="connection">The Redis connection.</param>
    /// <param name="options">The stream keys, consumer group and name, idle time and capacity.</param>
    /// <param name="timeProvider">The clock that makes retries due; <see cref="TimeProvider.System"/> when null. Polls and lease renewals run on real time, like Redis' idle times.</param>
    public RedisWebhookInbox(IConnectionMultiplexer connection, ConvAiWebhookRedisOptions options, TimeProvider? timeProvider = null)
        : this(new RedisConnectionSource(connection), options, timeProvider ?? TimeProvider.System)
    {
    }

    internal RedisWebhookInbox(RedisConnectionSource connection, ConvAiWebhookRedisOptions options, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(options);
        var validation = new ConvAiWebhookRedisOptionsValidator().Validate(null, options);
        if (validation.Failed)
        {
            throw new ArgumentException(validation.FailureMessage, nameof(options));
        }

        _connection = connection;
        _timeProvider = timeProvider;
        _inbox = options.KeyPrefix + "inbox";
        _delayed = options.KeyPrefix + "delayed";
        _due = options.KeyPrefix + "due";
        _dead = options.KeyPrefix + "dead";
        _group = options.ConsumerGroup;
        _consumer = options.ConsumerName;
        _claimIdleMs = Math.Max(1, (long)options.ClaimIdleTime.TotalMilliseconds);
        _polling = new DurableInboxPolling(options.PollInterval);
        _maxLength = options.MaxLength;
        var renewEvery = options.ClaimIdleTime / 3;
        // Redis measures idle time on its own clock: renewals and polls run on real time. Due times use the injected clock.
        _renewal = TimeProvider.System.CreateTimer(static state => _ = ((RedisWebhookInbox)state!).RenewLeasesAsync(), this, renewEvery, renewEvery);
    }

    /// <summary>The number of deliveries this instance holds leased right now.</summary>
    internal int LeasedCount => _leased.Count;

    /// <inheritdoc />
    public async ValueTask<bool> TryEnqueueAsync(ConvAiWebhookDelivery delivery, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(delivery);
        var fields = ToFields(delivery, prefix: [_maxLength]);
        var result = await EvaluateAsync(EnqueueScript, [_inbox, _due], fields, cancellationToken).ConfigureAwait(false);
        if (result.IsNull)
        {
            return false;
        }

        Signal();
        return true;
    }

    /// <inheritdoc />
    public ValueTask<ConvAiWebhookInboxItem> LeaseAsync(CancellationToken cancellationToken = default) =>
        _polling.LeaseAsync(TryLeaseAsync, cancellationToken);

    /// <inheritdoc />
    public async ValueTask CompleteAsync(ConvAiWebhookInboxItem item, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(item);
        await EvaluateAsync(CompleteScript, [_inbox], [_group, item.Id], cancellationToken).ConfigureAwait(false);
        _leased.TryRemove(item.Id, out _);
    }

    /// <inheritdoc />
    public async ValueTask RetryLaterAsync(ConvAiWebhookInboxItem item, DateTimeOffset dueAt, string? failure, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(item);
        var delivery = failure is null ? item.Delivery : Failed(item.Delivery, failure);
        var fields = ToFields(delivery, prefix: [_group, item.Id, dueAt.ToUnixTimeMilliseconds()]);
        await EvaluateAsync(RetryScript, [_inbox, _delayed, _due], fields, cancellationToken).ConfigureAwait(false);
        _leased.TryRemove(item.Id, out _);
        if (dueAt <= _timeProvider.GetUtcNow())
        {
            Signal();
        }
    }

    /// <inheritdoc />
    public async ValueTask DeadLetterAsync(ConvAiWebhookInboxItem item, string failure, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(item);
        ArgumentException.ThrowIfNullOrEmpty(failure);
        var fields = ToFields(Failed(item.Delivery, failure), prefix: [_group, item.Id]);
        await EvaluateAsync(DeadLetterScript, [_inbox, _dead], fields, cancellationToken).ConfigureAwait(false);
        _leased.TryRemove(item.Id, out _);
    }

    /// <inheritdoc />
    public async ValueTask<string> AddDeadLetterAsync(ConvAiWebhookDelivery delivery, string failure, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(delivery);
        ArgumentException.ThrowIfNullOrEmpty(failure);
        var database = await GetDatabaseAsync(cancellationToken).ConfigureAwait(false);
        var fields = ToFields(Failed(delivery, failure), prefix: []);
        var entries = new NameValueEntry[fields.Length / 2];
        for (var i = 0; i < entries.Length; i++)
        {
            entries[i] = new NameValueEntry(fields[2 * i], fields[(2 * i) + 1]);
        }

        return (await database.StreamAddAsync(_dead, entries).ConfigureAwait(false)).ToString();
    }

    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<ConvAiWebhookInboxItem>> ListDeadLettersAsync(CancellationToken cancellationToken = default)
    {
        var database = await GetDatabaseAsync(cancellationToken).ConfigureAwait(false);
        var entries = await database.StreamRangeAsync(_dead).ConfigureAwait(false);
        return entries
            .Where(entry => !entry.IsNull)
            .Select(entry => new ConvAiWebhookInboxItem
            {
                Id = entry.Id!,
                Delivery = FromFields(entry.Values.SelectMany(pair => new[] { pair.Name, pair.Value }).ToArray()),
            })
            .ToArray();
    }

    /// <inheritdoc />
    public async ValueTask<bool> RedriveAsync(string id, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(id);
        if (!IsStreamId(id))
        {
            return false;
        }

        var result = await EvaluateAsync(RedriveScript, [_dead, _inbox], [id], cancellationToken).ConfigureAwait(false);
        if (result.IsNull)
        {
            return false;
        }

        Signal();
        return true;
    }

    /// <summary>Stops renewing leases (what this instance still holds is reclaimed by another after the idle time) the caller keeps owning the connection.</summary>
    /// <returns>A task that completes when the inbox is closed.</returns>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _renewal.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>One attempt to lease: moves due retries, reclaims an idle entry or reads a new one; null when none is there.</summary>
    internal async Task<ConvAiWebhookInboxItem?> TryLeaseAsync(CancellationToken cancellationToken)
    {
        var now = _timeProvider.GetUtcNow().ToUnixTimeMilliseconds();
        var result = await EvaluateAsync(
            LeaseScript, [_inbox, _delayed, _due], [_group, _consumer, now, _claimIdleMs, Volatile.Read(ref _cursor)], cancellationToken).ConfigureAwait(false);
        var parts = (RedisResult[])result!;
        Volatile.Write(ref _cursor, (string)parts[0]!);
        if (parts.Length < 3)
        {
            return null;
        }

        var id = (string)parts[1]!;
        _leased[id] = 0;
        return new ConvAiWebhookInboxItem { Id = id, Delivery = FromFields((RedisValue[])parts[2]!) };
    }

    /// <summary>Resets the idle time of every entry this instance holds, so that no other instance reclaims it.</summary>
    internal async Task RenewLeasesAsync()
    {
        var ids = _leased.Keys.Select(id => (RedisValue)id).ToArray();
        if (ids.Length == 0 || Volatile.Read(ref _disposed) != 0)
        {
            return;
        }

        try
        {
            var database = await GetDatabaseAsync(CancellationToken.None).ConfigureAwait(false);
            await database.StreamClaimIdsOnlyAsync(_inbox, _group, _consumer, 0, ids).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // A failed renewal is retried at the next tick; at worst another instance processes the delivery too.
        catch (Exception)
#pragma warning restore CA1031
        {
        }
    }

    private static bool IsStreamId(string id)
    {
        var dash = id.IndexOf('-', StringComparison.Ordinal);
        return dash > 0
            && ulong.TryParse(id.AsSpan(0, dash), NumberStyles.None, CultureInfo.InvariantCulture, out _)
            && ulong.TryParse(id.AsSpan(dash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out _);
    }

    private static RedisValue[] ToFields(ConvAiWebhookDelivery delivery, RedisValue[] prefix)
    {
        var fields = new List<RedisValue>(prefix.Length + 18);
        fields.AddRange(prefix);
        fields.Add(KeyField);
        fields.Add(delivery.DeliveryKey);
        fields.Add(TypeField);
        fields.Add(delivery.EventType.Value ?? string.Empty);
        if (delivery.ConversationId is { } conversationId)
        {
            fields.Add(ConversationField);
            fields.Add(conversationId);
        }

        if (delivery.EventTimestamp is { } timestamp)
        {
            fields.Add(TimestampField);
            fields.Add(timestamp.ToUnixTimeMilliseconds());
        }

        fields.Add(ReceivedField);
        fields.Add(delivery.ReceivedAt.ToUnixTimeMilliseconds());
        fields.Add(AttemptsField);
        fields.Add(delivery.Attempts);
        if (delivery.LastFailure is { } failure)
        {
            fields.Add(FailureField);
            fields.Add(failure);
        }

        if (delivery.LastFailedAt is { } failedAt)
        {
            fields.Add(FailedAtField);
            fields.Add(failedAt.ToUnixTimeMilliseconds());
        }

        fields.Add(BodyField);
        fields.Add(delivery.Body);
        return fields.ToArray();
    }

    private static ConvAiWebhookDelivery FromFields(RedisValue[] fields)
    {
        string? key = null, type = null, conversation = null, failure = null;
        DateTimeOffset? timestamp = null, failedAt = null;
        var received = DateTimeOffset.UnixEpoch;
        var attempts = 0;
        byte[]? body = null;
        for (var i = 0; i + 1 < fields.Length; i += 2)
        {
            var value = fields[i + 1];
            switch ((string?)fields[i])
            {
                case KeyField: key = value; break;
                case TypeField: type = value; break;
                case ConversationField: conversation = value; break;
                case TimestampField: timestamp = DateTimeOffset.FromUnixTimeMilliseconds((long)value); break;
                case ReceivedField: received = DateTimeOffset.FromUnixTimeMilliseconds((long)value); break;
                case AttemptsField: attempts = (int)value; break;
                case FailureField: failure = value; break;
                case FailedAtField: failedAt = DateTimeOffset.FromUnixTimeMilliseconds((long)value); break;
                case BodyField: body = value; break;
            }
        }

        return new ConvAiWebhookDelivery
        {
            DeliveryKey = key ?? string.Empty,
            EventType = new ConvAiWebhookEventType(type ?? string.Empty),
            ConversationId = conversation,
            EventTimestamp = timestamp,
            Body = body ?? [],
            ReceivedAt = received,
            Attempts = attempts,
            LastFailure = failure,
            LastFailedAt = failedAt,
        };
    }

    private ConvAiWebhookDelivery Failed(ConvAiWebhookDelivery delivery, string failure) =>
        delivery with { Attempts = delivery.Attempts + 1, LastFailure = failure, LastFailedAt = _timeProvider.GetUtcNow() };

    /// <summary>Wakes this instance's waiting consumers (other instances find the entry at their next poll).</summary>
    private void Signal() => _polling.Signal();

    private async Task<IDatabase> GetDatabaseAsync(CancellationToken cancellationToken)
    {
        var database = await _connection.GetDatabaseAsync(cancellationToken).ConfigureAwait(false);
        if (!_groupReady)
        {
            try
            {
                await database.StreamCreateConsumerGroupAsync(_inbox, _group, StreamPosition.Beginning, createStream: true).ConfigureAwait(false);
            }
            catch (RedisServerException exception) when (exception.Message.StartsWith("BUSYGROUP", StringComparison.Ordinal))
            {
                // Another instance created it.
            }

            _groupReady = true;
        }

        return database;
    }

    private async Task<RedisResult> EvaluateAsync(string script, RedisKey[] keys, RedisValue[] values, CancellationToken cancellationToken)
    {
        var database = await GetDatabaseAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await database.ScriptEvaluateAsync(script, keys, values).ConfigureAwait(false);
        }
        catch (RedisServerException exception) when (exception.Message.Contains("NOGROUP", StringComparison.Ordinal))
        {
            // The stream was deleted (e.g. FLUSHDB): create the group again and retry once.
            _groupReady = false;
            database = await GetDatabaseAsync(cancellationToken).ConfigureAwait(false);
            return await database.ScriptEvaluateAsync(script, keys, values).ConfigureAwait(false);
        }
    }
}
