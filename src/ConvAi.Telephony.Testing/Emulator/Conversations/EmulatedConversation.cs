using System.Text.Json.Nodes;

namespace ConvAi.Telephony.Testing;

/// <summary>A conversation held by the emulator, as seen by tests at the moment it was read.</summary>
/// <param name="ConversationId">The conversation id the API returned.</param>
/// <param name="AgentId">The agent that handled the call.</param>
/// <param name="Status">The wire status: <c>initiated</c>, <c>in-progress</c>, <c>processing</c>, <c>done</c> or <c>failed</c>.</param>
/// <param name="PhoneNumberId">The id of the agent's phone number, or <see langword="null"/> when the number is not imported.</param>
/// <param name="AgentNumber">The agent's phone number.</param>
/// <param name="ExternalNumber">The other party's phone number.</param>
/// <param name="Direction">The call direction: <c>outbound</c> or <c>inbound</c>.</param>
/// <param name="CallSid">The Twilio call SID or the SIP call id.</param>
/// <param name="UserId">The <c>user_id</c> sent with the call, if any.</param>
/// <param name="DynamicVariables">A copy of the dynamic variables sent with the call, if any.</param>
/// <param name="Transcript">The transcript so far.</param>
/// <param name="BatchCallId">The batch this call belongs to, or <see langword="null"/>.</param>
/// <param name="StartedAt">When the call was placed, by the emulator's clock.</param>
public sealed record EmulatedConversation(
    string ConversationId,
    string AgentId,
    string Status,
    string? PhoneNumberId,
    string AgentNumber,
    string ExternalNumber,
    string Direction,
    string CallSid,
    string? UserId,
    JsonObject? DynamicVariables,
    IReadOnlyList<TranscriptTurn> Transcript,
    string? BatchCallId,
    DateTimeOffset StartedAt);
