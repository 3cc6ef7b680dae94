namespace ConvAi.Telephony.Testing;

/// <summary>
/// A WhatsApp business account connected to the emulated workspace. Add the accounts the workspace starts with to
/// <see cref="ConvAiEmulatorOptions.WhatsAppAccounts"/>; read the current ones, after updates and removals through the API,
/// from <see cref="ConvAiEmulator.WhatsAppAccounts"/>.
/// </summary>
/// <param name="PhoneNumberId">The WhatsApp phone number id that calls and messages name.</param>
/// <param name="PhoneNumber">The business phone number.</param>
/// <param name="AssignedAgentId">The agent that answers on the number, if any.</param>
public sealed record EmulatedWhatsAppAccount(string PhoneNumberId, string PhoneNumber, string? AssignedAgentId = null)
{
    /// <summary>Gets a value indicating whether the agent answers text messages (<c>enable_messaging</c>); true unless set.</summary>
    public bool EnableMessaging { get; init; } = true;

    /// <summary>Gets a value indicating whether the agent answers voice messages with audio (<c>enable_audio_message_response</c>); false unless set.</summary>
    public bool EnableAudioMessageResponse { get; init; }

    /// <summary>Gets a value indicating whether a typing indicator is shown while the agent writes (<c>enable_typing_indicator</c>); false unless set.</summary>
    public bool EnableTypingIndicator { get; init; }
}
