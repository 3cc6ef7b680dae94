using Refit;

namespace ConvAi.Telephony;

/// <summary>Transport of the WhatsApp endpoints.</summary>
internal interface IWhatsAppApi
{
    [Post("/v1/convai/whatsapp/outbound-call")]
    Task<WhatsAppCallResult> StartCallAsync([Body] StartWhatsAppCallRequest request, [Property(RequestKinds.OptionName)] RequestKind kind, CancellationToken cancellationToken);

    [Post("/v1/convai/whatsapp/outbound-message")]
    Task<WhatsAppMessageResult> SendMessageAsync([Body] SendWhatsAppMessageRequest request, [Property(RequestKinds.OptionName)] RequestKind kind, CancellationToken cancellationToken);

    [Get("/v1/convai/whatsapp-accounts")]
    Task<WhatsAppAccountList> ListAccountsAsync([AliasAs("agent_id")] string? agentId, CancellationToken cancellationToken);

    [Get("/v1/convai/whatsapp-accounts/{phoneNumberId}")]
    Task<WhatsAppAccount> GetAccountAsync(string phoneNumberId, CancellationToken cancellationToken);

    // The answers of the update and the delete are untyped JSON (or empty) in the spec: they are not read.
    [Patch("/v1/convai/whatsapp-accounts/{phoneNumberId}")]
    Task UpdateAccountAsync(string phoneNumberId, [Body] UpdateWhatsAppAccountRequest request, CancellationToken cancellationToken);

    [Delete("/v1/convai/whatsapp-accounts/{phoneNumberId}")]
    Task DeleteAccountAsync(string phoneNumberId, CancellationToken cancellationToken);
}
