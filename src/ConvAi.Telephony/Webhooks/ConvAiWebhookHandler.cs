namespace ConvAi.Telephony;

/// <summary>
/// Receives verified, parsed webhooks from <c>MapConvAiWebhooks</c>. Subclass it, override the events you need and
/// register it with <c>AddConvAiWebhooks().AddHandler&lt;THandler&gt;()</c> (scoped, so it
/// may take scoped services such as a DbContext). Each method defaults to doing nothing, so the delivery is
/// acknowledged with 200.
/// </summary>
/// <remarks>
/// A method that throws is called again for the same delivery: in <see cref="ConvAiWebhookMode.Queued"/> mode by the
/// inbox processor with backoff until <c>MaxAttempts</c>, then the delivery is dead-lettered; in
/// <see cref="ConvAiWebhookMode.Inline"/> mode the delivery is handed to the inbox for the same retries. Delivery is
/// at least once: write with an upsert keyed by <see cref="ConvAiWebhookEvent.ConversationId"/> (stable across
/// redeliveries, retries and reconciliation), so that a second call after a crash changes nothing.
/// </remarks>
public abstract class ConvAiWebhookHandler
{
    /// <summary>Handles a <c>post_call_transcription</c> webhook.</summary>
    /// <param name="webhookEvent">The event; <see cref="PostCallTranscriptionEvent.GetData"/> is the conversation.</param>
    /// <param name="cancellationToken">Signalled when the request is aborted or the app stops.</param>
    /// <returns>A task that completes when the event is handled.</returns>
    public virtual Task OnPostCallTranscriptionAsync(PostCallTranscriptionEvent webhookEvent, CancellationToken cancellationToken = default) =>
        Task.CompletedTask;

    /// <summary>Handles a <c>post_call_audio</c> webhook; read the audio before the returned task completes.</summary>
    /// <param name="webhookEvent">The event; use <see cref="PostCallAudioEvent.CopyAudioToAsync"/> or <see cref="PostCallAudioEvent.OpenAudioStream"/>.</param>
    /// <param name="cancellationToken">Signalled when the request is aborted or the app stops.</param>
    /// <returns>A task that completes when the event is handled.</returns>
    public virtual Task OnPostCallAudioAsync(PostCallAudioEvent webhookEvent, CancellationToken cancellationToken = default) =>
        Task.CompletedTask;

    /// <summary>Handles a <c>call_initiation_failure</c> webhook.</summary>
    /// <param name="webhookEvent">The event.</param>
    /// <param name="cancellationToken">Signalled when the request is aborted or the app stops.</param>
    /// <returns>A task that completes when the event is handled.</returns>
    public virtual Task OnCallInitiationFailureAsync(CallInitiationFailureEvent webhookEvent, CancellationToken cancellationToken = default) =>
        Task.CompletedTask;

    /// <summary>Handles a webhook whose type this version does not know.</summary>
    /// <param name="webhookEvent">The event with its whole payload.</param>
    /// <param name="cancellationToken">Signalled when the request is aborted or the app stops.</param>
    /// <returns>A task that completes when the event is handled.</returns>
    public virtual Task OnUnknownEventAsync(UnknownWebhookEvent webhookEvent, CancellationToken cancellationToken = default) =>
        Task.CompletedTask;

    /// <summary>Calls the method that matches the event's runtime type.</summary>
    internal Task DispatchAsync(ConvAiWebhookEvent webhookEvent, CancellationToken cancellationToken) => webhookEvent switch
    {
        PostCallTranscriptionEvent transcription => OnPostCallTranscriptionAsync(transcription, cancellationToken),
        PostCallAudioEvent audio => OnPostCallAudioAsync(audio, cancellationToken),
        CallInitiationFailureEvent failure => OnCallInitiationFailureAsync(failure, cancellationToken),
        UnknownWebhookEvent unknown => OnUnknownEventAsync(unknown, cancellationToken),
        _ => throw new ArgumentOutOfRangeException(nameof(webhookEvent)),
    };
}
