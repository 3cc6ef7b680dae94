namespace ConvAi.Telephony;

/// <summary>When <c>MapConvAiWebhooks</c> answers a verified delivery (<c>ConvAi:Webhooks:Delivery:Mode</c>).</summary>
public enum ConvAiWebhookMode
{
    /// <summary>
    /// The handler runs before the answer: 200 after it returns. When it throws, the delivery is handed to the inbox
    /// for retries (still 200); only when the inbox refuses it the answer is 500 and the claim is released.
    /// </summary>
    Inline = 0,

    /// <summary>
    /// Verify, read the envelope, claim, append the raw delivery to the inbox and answer 200; a hosted processor
    /// dispatches to the handler with retries and moves the delivery to the dead-letter list after the last attempt.
    /// </summary>
    Queued = 1,
}
