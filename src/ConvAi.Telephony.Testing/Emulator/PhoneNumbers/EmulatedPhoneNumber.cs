namespace ConvAi.Telephony.Testing;

/// <summary>A phone number held by the emulator, as seen by tests.</summary>
/// <param name="PhoneNumberId">The id the API returned on import.</param>
/// <param name="PhoneNumber">The E.164 number.</param>
/// <param name="Label">The label given on import or update.</param>
/// <param name="Provider">The provider: <c>twilio</c>, <c>sip_trunk</c> or <c>exotel</c>.</param>
/// <param name="AgentId">The assigned agent's id, or <see langword="null"/> when none is assigned.</param>
public sealed record EmulatedPhoneNumber(
    string PhoneNumberId,
    string PhoneNumber,
    string Label,
    string Provider,
    string? AgentId);
