namespace ConvAi.Telephony.AspNetCore;

/// <summary>Tells events that read from a pooled request buffer whether that buffer has been returned.</summary>
internal class WebhookBodyLease
{
    /// <summary>True once the buffer behind the events has been returned to the pool.</summary>
    public bool IsReleased { get; protected set; }
}
