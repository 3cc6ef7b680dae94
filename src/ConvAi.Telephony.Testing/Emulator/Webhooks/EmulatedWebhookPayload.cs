using System.Text;
using System.Text.Json.Nodes;

namespace ConvAi.Telephony.Testing;

/// <summary>
/// Builds the webhook bodies the emulator sends, for a conversation that never ran through the emulator: the same
/// <c>post_call_transcription</c>, <c>post_call_audio</c> and <c>call_initiation_failure</c> payloads, byte for byte in
/// shape, so a tool (such as <c>convai webhooks trigger</c>) can sign and send realistic deliveries to any receiver.
/// </summary>
public static class EmulatedWebhookPayload
{
    /// <summary>The <c>type</c> of the webhook sent when a call has ended and been analysed.</summary>
    public const string PostCallTranscription = "post_call_transcription";

    /// <summary>The <c>type</c> of the webhook that carries a call's recording as base64 MP3.</summary>
    public const string PostCallAudio = "post_call_audio";

    /// <summary>The <c>type</c> of the webhook sent when an outbound call never connects (here: the callee is busy).</summary>
    public const string CallInitiationFailure = "call_initiation_failure";

    /// <summary>Gets the webhook types <see cref="Create"/> builds, in the order a receiver usually meets them.</summary>
    public static IReadOnlyList<string> EventTypes { get; } = [PostCallTranscription, PostCallAudio, CallInitiationFailure];

    /// <summary>
    /// Builds the JSON body of one webhook about a finished outbound Twilio call from <c>+14155550100</c> to
    /// <c>+14155550123</c> (dynamic variable <c>customer_name</c> = <c>Ana</c>) that ends at <paramref name="eventTime"/>.
    /// The body is not signed; sign it with <c>ConvAiWebhookSignature.CreateHeader</c>.
    /// </summary>
    /// <param name="eventType">One of <see cref="EventTypes"/>.</param>
    /// <param name="conversationId">The conversation id the payload carries.</param>
    /// <param name="eventTime">The end of the call, which is also the <c>event_timestamp</c>.</param>
    /// <returns>The UTF-8 JSON body, exactly as the emulator would send it.</returns>
    /// <exception cref="ArgumentException">The conversation id is empty.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The event type is not one of <see cref="EventTypes"/>.</exception>
    public static byte[] Create(string eventType, string conversationId, DateTimeOffset eventTime)
    {
        ArgumentException.ThrowIfNullOrEmpty(eventType);
        ArgumentException.ThrowIfNullOrEmpty(conversationId);
        if (!EventTypes.Contains(eventType, StringComparer.Ordinal))
        {
            throw new ArgumentOutOfRangeException(nameof(eventType), eventType, "Expected one of: " + string.Join(", ", EventTypes) + ".");
        }

        var outcome = eventType == CallInitiationFailure ? EmulatedOutcome.Busy : EmulatedOutcome.Success;
        var step = TimeSpan.FromSeconds(TranscriptScript.CallDurationSecs / 3);
        var clientData = new JsonObject { ["dynamic_variables"] = new JsonObject { ["customer_name"] = "Ana" } };
        var conversation = new ConversationRecord
        {
            ConversationId = conversationId,
            Sequence = 0,
            AgentId = EmulatorIds.New("agent_"),
            AgentName = new ConvAiEmulatorOptions().AgentName,
            CallType = "twilio",
            Direction = "outbound",
            PhoneNumberId = EmulatorIds.New("phnum_"),
            AgentNumber = "+14155550100",
            ExternalNumber = "+14155550123",
            CallSid = EmulatorIds.TwilioCallSid(),
            ClientData = clientData,
            StartedAt = eventTime - (outcome == EmulatedOutcome.Busy ? step : step * 3),
            Step = step,
            Outcome = outcome,
            Script = TranscriptScript.Write(clientData),
        };
        var (type, data) = conversation.WebhookEvent(eventType);
        return Envelope(type, data, eventTime);
    }

    /// <summary>Wraps a webhook's <c>data</c> in its envelope (<c>type</c>, <c>event_timestamp</c>) and encodes it.</summary>
    internal static byte[] Envelope(string eventType, JsonObject data, DateTimeOffset eventTime) =>
        Encoding.UTF8.GetBytes(new JsonObject
        {
            ["type"] = eventType,
            ["event_timestamp"] = eventTime.ToUnixTimeSeconds(),
            ["data"] = data,
        }.ToJsonString());
}
