namespace ConvAi.Telephony;

/// <summary>A verified webhook delivery as an <see cref="IConvAiWebhookInbox"/> keeps it: the raw body and its envelope.</summary>
public sealed record ConvAiWebhookDelivery
{
    /// <summary>The delivery's identity in the <see cref="IConvAiWebhookDeliveryStore"/> (event type and conversation id, or body hash).</summary>
    public required string DeliveryKey { get; init; }

    /// <summary>The envelope's <c>type</c>.</summary>
    public ConvAiWebhookEventType EventType { get; init; } = ConvAiWebhookEventType.Empty;

    /// <summary>The <c>data.conversation_id</c>, when the event names one; the handler's idempotency key.</summary>
    public string? ConversationId { get; init; }

    /// <summary>The envelope's <c>event_timestamp</c>, when readable.</summary>
    public DateTimeOffset? EventTimestamp { get; init; }

    /// <summary>The raw, verified request body (UTF-8 JSON), exactly as signed.</summary>
    public ReadOnlyMemory<byte> Body { get; init; }

    /// <summary>When the receiver accepted the delivery.</summary>
    public DateTimeOffset ReceivedAt { get; init; }

    /// <summary>How many handler calls failed for this delivery so far (0 for a new delivery).</summary>
    public int Attempts { get; init; }

    /// <summary>Why the last attempt failed (an exception type name); null when none failed.</summary>
    public string? LastFailure { get; init; }

    /// <summary>When the last attempt failed; null when none failed.</summary>
    public DateTimeOffset? LastFailedAt { get; init; }
}

/// <summary>A delivery held by an <see cref="IConvAiWebhookInbox"/>, with the inbox's id for it.</summary>
public sealed record ConvAiWebhookInboxItem
{
    /// <summary>The inbox's id of the entry (e.g. a Redis stream entry id); used to end a lease or re-drive a dead letter.</summary>
    public required string Id { get; init; }

    /// <summary>The delivery.</summary>
    public required ConvAiWebhookDelivery Delivery { get; init; }
}
