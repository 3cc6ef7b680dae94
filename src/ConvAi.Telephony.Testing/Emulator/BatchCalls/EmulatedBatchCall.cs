namespace ConvAi.Telephony.Testing;

/// <summary>A batch call held by the emulator, as seen by tests at the moment it was read.</summary>
/// <param name="Id">The batch id the API returned.</param>
/// <param name="Name">The batch's <c>call_name</c>.</param>
/// <param name="AgentId">The agent that makes the calls.</param>
/// <param name="Status">The wire status: <c>pending</c>, <c>in_progress</c>, <c>completed</c>, <c>failed</c> or <c>cancelled</c>.</param>
/// <param name="Recipients">The recipients in submission order.</param>
public sealed record EmulatedBatchCall(
    string Id,
    string Name,
    string AgentId,
    string Status,
    IReadOnlyList<EmulatedBatchRecipient> Recipients);

/// <summary>One recipient of an <see cref="EmulatedBatchCall"/>.</summary>
/// <param name="Id">The recipient id.</param>
/// <param name="PhoneNumber">The number called.</param>
/// <param name="Status">The wire status, for example <c>pending</c>, <c>in_progress</c>, <c>completed</c> or <c>failed</c>.</param>
/// <param name="ConversationId">The conversation of the latest call to this recipient, or <see langword="null"/> before dispatch.</param>
public sealed record EmulatedBatchRecipient(string Id, string PhoneNumber, string Status, string? ConversationId);
