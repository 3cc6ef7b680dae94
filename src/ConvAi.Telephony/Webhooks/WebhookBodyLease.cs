namespace ConvAi.Telephony;

/// <summary>Tells events that read from a receipt's body (memory the caller reuses) whether that body is still valid.</summary>
internal sealed class WebhookBodyLease
{
    /// <summary>True once the body behind the events may have been reused.</summary>
    public bool IsReleased { get; private set; }

    public void Release() => IsReleased = true;
}
