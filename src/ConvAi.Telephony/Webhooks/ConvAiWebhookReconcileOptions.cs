namespace ConvAi.Telephony;

/// <summary>
/// Settings of webhook reconciliation (<c>ConvAi:Webhooks:Reconcile</c>): which conversations the reconciler lists, how
/// often, and how long it waits for a webhook before it fetches the conversation itself.
/// </summary>
public sealed class ConvAiWebhookReconcileOptions
{
    /// <summary>The configuration section these options are bound from: <c>ConvAi:Webhooks:Reconcile</c>.</summary>
    public const string SectionName = "ConvAi:Webhooks:Reconcile";

    /// <summary>The agents whose conversations are reconciled (<c>ConvAi:Webhooks:Reconcile:AgentIds:0</c>, ...); every agent when empty.</summary>
    public IList<string> AgentIds { get; } = [];

    /// <summary>The time between two passes. Default 5 minutes.</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// How long after a conversation ended the webhook may still arrive before the reconciler fetches the conversation.
    /// Default 15 minutes; keep it above the time ElevenLabs takes to send the post-call webhook.
    /// </summary>
    public TimeSpan GracePeriod { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>
    /// How far back a pass lists conversations when the delivery store holds no checkpoint yet (the first pass ever, or
    /// after every pass with the in-memory store's restart), and the oldest start time any pass lists. Default 24 hours; keep it below <c>ConvAi:Webhooks:Deduplication:ProcessedHorizon</c>.
    /// </summary>
    public TimeSpan LookBack { get; set; } = TimeSpan.FromHours(24);
}
