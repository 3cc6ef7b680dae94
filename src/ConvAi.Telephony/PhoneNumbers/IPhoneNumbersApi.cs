using System.Text.Json;
using Refit;

namespace ConvAi.Telephony;

/// <summary>Transport of the phone-number endpoints.</summary>
internal interface IPhoneNumbersApi
{
    [Post("/v1/convai/phone-numbers")]
    Task<ImportPhoneNumberResult> ImportTwilioAsync([Body] ImportTwilioPhoneNumberRequest request, [Property(RequestKinds.OptionName)] RequestKind kind, CancellationToken cancellationToken);

    [Post("/v1/convai/phone-numbers")]
    Task<ImportPhoneNumberResult> ImportSipTrunkAsync([Body] ImportSipTrunkPhoneNumberRequest request, [Property(RequestKinds.OptionName)] RequestKind kind, CancellationToken cancellationToken);

    [Post("/v1/convai/phone-numbers")]
    Task<ImportPhoneNumberResult> ImportExotelAsync([Body] ImportExotelPhoneNumberRequest request, [Property(RequestKinds.OptionName)] RequestKind kind, CancellationToken cancellationToken);

    [Get("/v1/convai/phone-numbers")]
    Task<IReadOnlyList<PhoneNumber>> ListAsync(
        [AliasAs("provider")] string? provider,
        [AliasAs("agent_id")] string? agentId,
        [AliasAs("branch_id")] string? branchId,
        CancellationToken cancellationToken);

    [Get("/v1/convai/phone-numbers/{phoneNumberId}")]
    Task<PhoneNumber> GetAsync(string phoneNumberId, CancellationToken cancellationToken);

    [Patch("/v1/convai/phone-numbers/{phoneNumberId}")]
    Task<PhoneNumber> UpdateAsync(string phoneNumberId, [Body] UpdatePhoneNumberRequest request, CancellationToken cancellationToken);

    [Delete("/v1/convai/phone-numbers/{phoneNumberId}")]
    Task<JsonElement> DeleteAsync(string phoneNumberId, CancellationToken cancellationToken);

    [Get("/v1/convai/phone-numbers/{phoneNumberId}/sip-messages")]
    Task<SipMessagePage> ListSipMessagesAsync(
        string phoneNumberId,
        [AliasAs("page_size")] int? pageSize,
        [AliasAs("cursor")] string? cursor,
        CancellationToken cancellationToken);
}
