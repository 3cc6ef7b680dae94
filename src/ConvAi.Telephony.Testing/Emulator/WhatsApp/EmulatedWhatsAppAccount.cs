namespace ConvAi.Telephony.Testing;

/// <summary>A WhatsApp business account connected to the emulated workspace (see <see cref="ConvAiEmulatorOptions.WhatsAppAccounts"/>).</summary>
/// <param name="PhoneNumberId">The WhatsApp phone number id that calls and messages name.</param>
/// <param name="PhoneNumber">The business phone number.</param>
/// <param name="AssignedAgentId">The agent that answers on the number, if any.</param>
public sealed record EmulatedWhatsAppAccount(string PhoneNumberId, string PhoneNumber, string? AssignedAgentId = null);
