namespace ConvAi.Telephony;

/// <summary>The ElevenLabs Conversational AI telephony API, grouped by area.</summary>
public interface IConvAiTelephonyClient
{
    /// <summary>Gets the phone-number operations: import, list, get, update, delete.</summary>
    PhoneNumbersClient PhoneNumbers { get; }

    /// <summary>Gets the call operations: Twilio and SIP-trunk outbound calls, register-call.</summary>
    CallsClient Calls { get; }

    /// <summary>Gets the conversation operations: list, page, get, audio, delete, feedback.</summary>
    ConversationsClient Conversations { get; }

    /// <summary>Gets the batch-calling operations: submit, list, get, cancel, retry, export, delete.</summary>
    BatchCallsClient BatchCalls { get; }

    /// <summary>Gets the WhatsApp operations: outbound calls and messages, connected business accounts.</summary>
    WhatsAppClient WhatsApp { get; }

    /// <summary>Gets the workspace webhook operations: list (with delivery health), create, update, delete.</summary>
    WorkspaceWebhooksClient WorkspaceWebhooks { get; }
}
