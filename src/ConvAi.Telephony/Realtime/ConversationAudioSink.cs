namespace ConvAi.Telephony;

/// <summary>
/// Receives the agent's audio straight from the session's receive loop, as the base64 text of each <c>audio</c> message, without an
/// <see cref="AgentAudioEvent"/> being created: the pass-through path of a bridge that forwards the audio unchanged (for example to a
/// Twilio media stream). Set it in <see cref="ConversationSessionOptions.AudioSink"/>; the session then publishes no
/// <see cref="AgentAudioEvent"/>s (every other event still comes from <see cref="ConversationSession.ReadEventsAsync"/>).
/// </summary>
/// <remarks>
/// <para>
/// The methods are called on the receive loop, one at a time, in the order the messages arrived: the start, then audio and interruptions
/// interleaved as the agent sent them. They must return quickly and never block: the same loop answers the agent's pings. Copy what you
/// keep; the spans point into a pooled buffer that is reused as soon as the method returns.
/// </para>
/// <para>
/// Audio of an interrupted turn (an <c>event_id</c> at or below the last interruption's) is dropped before it reaches the sink, as for
/// <see cref="ConversationSession.ReadEventsAsync"/>. An exception thrown by a method is logged and the message is skipped; the session goes on.
/// </para>
/// </remarks>
public abstract class ConversationAudioSink
{
    /// <summary>
    /// Called when the agent's <c>conversation_initiation_metadata</c> arrives, before any audio and before
    /// <see cref="ConversationSession.StartAsync"/> completes: check the formats here (the same event is also published to
    /// <see cref="ConversationSession.ReadEventsAsync"/>).
    /// </summary>
    /// <param name="started">The conversation id and the audio formats.</param>
    public virtual void OnStarted(ConversationStartedEvent started)
    {
    }

    /// <summary>Called for each chunk of the agent's audio that is not part of an interrupted turn.</summary>
    /// <param name="audioBase64Utf8">The base64 text of the audio (<c>audio_base_64</c>) as UTF-8 bytes, in the agent's output format; valid only during the call.</param>
    /// <param name="eventId">The chunk's <c>event_id</c> (the turn it belongs to).</param>
    public abstract void OnAudio(ReadOnlySpan<byte> audioBase64Utf8, long eventId);

    /// <summary>
    /// Called when the agent sends an <c>interruption</c>: the user spoke over it, so audio already handed on should stop playing.
    /// Later audio of the interrupted turn never reaches <see cref="OnAudio"/>. The <see cref="InterruptionEvent"/> is also published.
    /// </summary>
    /// <param name="eventId">The interruption's <c>event_id</c>: audio with this id or a lower one belongs to the interrupted turn.</param>
    public virtual void OnInterruption(long eventId)
    {
    }
}
