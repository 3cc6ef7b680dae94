namespace ConvAi.Telephony;

/// <summary>Imports, lists, updates and deletes phone numbers (<c>/v1/convai/phone-numbers</c>). Methods are virtual so you can mock them.</summary>
public class PhoneNumbersClient
{
    private readonly IPhoneNumbersApi _api = null!;

    /// <summary>Initializes a new instance of the <see cref="PhoneNumbersClient"/> class for mocking.</summary>
    protected PhoneNumbersClient()
    {
    }

    internal PhoneNumbersClient(IPhoneNumbersApi api) => _api = api;

    /// <summary>Imports a Twilio number (<c>POST /v1/convai/phone-numbers</c> with <c>provider: twilio</c>).</summary>
    /// <param name="request">The number, label and Twilio credentials.</param>
    /// <param name="cancellationToken">A token to cancel the request.</param>
    /// <returns>The id of the imported number.</returns>
    /// <exception cref="ArgumentException">The number is not E.164, or a required field is empty.</exception>
    /// <exception cref="ConvAiApiException">The API refused the request.</exception>
    public virtual Task<ImportPhoneNumberResult> ImportTwilioAsync(ImportTwilioPhoneNumberRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var body = request with { PhoneNumber = E164.Normalize(request.PhoneNumber, $"{nameof(request)}.{nameof(request.PhoneNumber)}") };
        Guard.RequireText(request.Label, $"{nameof(request)}.{nameof(request.Label)}");
        Guard.RequireText(request.Sid, $"{nameof(request)}.{nameof(request.Sid)}");
        Guard.RequireText(request.Token, $"{nameof(request)}.{nameof(request.Token)}");
        return _api.ImportTwilioAsync(body, RequestKind.PhoneNumberImport, cancellationToken);
    }

    /// <summary>Imports a number reached through a SIP trunk (<c>POST /v1/convai/phone-numbers</c> with <c>provider: sip_trunk</c>).</summary>
    /// <param name="request">The number, label and trunk settings.</param>
    /// <param name="cancellationToken">A token to cancel the request.</param>
    /// <returns>The id of the imported number.</returns>
    /// <exception cref="ArgumentException">The number is not E.164, or a required field is empty.</exception>
    /// <exception cref="ConvAiApiException">The API refused the request.</exception>
    public virtual Task<ImportPhoneNumberResult> ImportSipTrunkAsync(ImportSipTrunkPhoneNumberRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var body = request with { PhoneNumber = E164.Normalize(request.PhoneNumber, $"{nameof(request)}.{nameof(request.PhoneNumber)}") };
        Guard.RequireText(request.Label, $"{nameof(request)}.{nameof(request.Label)}");
        if (request.OutboundTrunkConfig is { } outbound)
        {
            Guard.RequireText(outbound.Address, $"{nameof(request)}.{nameof(request.OutboundTrunkConfig)}.{nameof(outbound.Address)}");
        }

        return _api.ImportSipTrunkAsync(body, RequestKind.PhoneNumberImport, cancellationToken);
    }

    /// <summary>Imports an Exotel number (<c>POST /v1/convai/phone-numbers</c> with <c>provider: exotel</c>).</summary>
    /// <param name="request">The number, label and Exotel credentials.</param>
    /// <param name="cancellationToken">A token to cancel the request.</param>
    /// <returns>The id of the imported number.</returns>
    /// <exception cref="ArgumentException">The number is not E.164, or a required field is empty.</exception>
    /// <exception cref="ConvAiApiException">The API refused the request.</exception>
    public virtual Task<ImportPhoneNumberResult> ImportExotelAsync(ImportExotelPhoneNumberRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var body = request with { PhoneNumber = E164.Normalize(request.PhoneNumber, $"{nameof(request)}.{nameof(request.PhoneNumber)}") };
        Guard.RequireText(request.Label, $"{nameof(request)}.{nameof(request.Label)}");
        Guard.RequireText(request.AccountSid, $"{nameof(request)}.{nameof(request.AccountSid)}");
        Guard.RequireText(request.ApiKey, $"{nameof(request)}.{nameof(request.ApiKey)}");
        Guard.RequireText(request.ApiToken, $"{nameof(request)}.{nameof(request.ApiToken)}");
        Guard.RequireText(request.AppId, $"{nameof(request)}.{nameof(request.AppId)}");
        Guard.RequireText(request.ApiSubdomain, $"{nameof(request)}.{nameof(request.ApiSubdomain)}");
        return _api.ImportExotelAsync(body, RequestKind.PhoneNumberImport, cancellationToken);
    }

    /// <summary>Lists the imported numbers (<c>GET /v1/convai/phone-numbers</c>; the API does not page this list).</summary>
    /// <param name="options">Optional filters by provider, agent or branch.</param>
    /// <param name="cancellationToken">A token to cancel the request.</param>
    /// <returns>Every matching number.</returns>
    /// <exception cref="ConvAiApiException">The API refused the request.</exception>
    public virtual async Task<IReadOnlyList<PhoneNumber>> ListAsync(PhoneNumberListOptions? options = null, CancellationToken cancellationToken = default)
    {
        var numbers = await _api.ListAsync(options?.Provider?.Value, options?.AgentId, options?.BranchId, cancellationToken).ConfigureAwait(false);
        return numbers ?? [];
    }

    /// <summary>Gets one imported number (<c>GET /v1/convai/phone-numbers/{phone_number_id}</c>).</summary>
    /// <param name="phoneNumberId">The phone number id.</param>
    /// <param name="cancellationToken">A token to cancel the request.</param>
    /// <returns>The number.</returns>
    /// <exception cref="ArgumentException">The id is empty.</exception>
    /// <exception cref="ConvAiApiException">The API refused the request, e.g. 404 for an unknown id.</exception>
    public virtual Task<PhoneNumber> GetAsync(string phoneNumberId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(phoneNumberId);
        return _api.GetAsync(phoneNumberId, cancellationToken);
    }

    /// <summary>Updates a number, e.g. assigns an agent (<c>PATCH /v1/convai/phone-numbers/{phone_number_id}</c>). Unset properties are not sent.</summary>
    /// <param name="phoneNumberId">The phone number id.</param>
    /// <param name="request">The fields to change.</param>
    /// <param name="cancellationToken">A token to cancel the request.</param>
    /// <returns>The updated number.</returns>
    /// <exception cref="ArgumentException">The id is empty.</exception>
    /// <exception cref="ConvAiApiException">The API refused the request.</exception>
    public virtual Task<PhoneNumber> UpdateAsync(string phoneNumberId, UpdatePhoneNumberRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(phoneNumberId);
        ArgumentNullException.ThrowIfNull(request);
        return _api.UpdateAsync(phoneNumberId, request, cancellationToken);
    }

    /// <summary>Deletes an imported number (<c>DELETE /v1/convai/phone-numbers/{phone_number_id}</c>).</summary>
    /// <param name="phoneNumberId">The phone number id.</param>
    /// <param name="cancellationToken">A token to cancel the request.</param>
    /// <returns>A task that completes when the number is deleted.</returns>
    /// <exception cref="ArgumentException">The id is empty.</exception>
    /// <exception cref="ConvAiApiException">The API refused the request.</exception>
    public virtual async Task DeleteAsync(string phoneNumberId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(phoneNumberId);
        await _api.DeleteAsync(phoneNumberId, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Reads one page of the SIP messages of a SIP-trunk number (<c>GET /v1/convai/phone-numbers/{phone_number_id}/sip-messages</c>).
    /// Messages are stored only while <see cref="UpdatePhoneNumberRequest.StoreSipMessages"/> is on.
    /// </summary>
    /// <param name="phoneNumberId">The phone number id.</param>
    /// <param name="options">Optional page size and cursor.</param>
    /// <param name="cancellationToken">A token to cancel the request.</param>
    /// <returns>The page, with the cursor of the next one.</returns>
    /// <exception cref="ArgumentException">The id is empty.</exception>
    /// <exception cref="ConvAiApiException">The API refused the request.</exception>
    public virtual Task<SipMessagePage> ListSipMessagesAsync(string phoneNumberId, SipMessageListOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(phoneNumberId);
        return _api.ListSipMessagesAsync(phoneNumberId, options?.PageSize, options?.Cursor, cancellationToken);
    }

    /// <summary>Enumerates every SIP message of a number, following <c>next_cursor</c> page by page; only one page is held in memory.</summary>
    /// <param name="phoneNumberId">The phone number id.</param>
    /// <param name="options">Optional page size and starting cursor.</param>
    /// <param name="cancellationToken">A token to stop the enumeration.</param>
    /// <returns>The messages in server order.</returns>
    /// <exception cref="ArgumentException">The id is empty.</exception>
    /// <exception cref="ConvAiApiException">The API refused a page request.</exception>
    public virtual IAsyncEnumerable<SipMessage> ListAllSipMessagesAsync(string phoneNumberId, SipMessageListOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(phoneNumberId);
        return SipMessagePaging.EnumerateAsync(options, (page, ct) => ListSipMessagesAsync(phoneNumberId, page, ct), cancellationToken);
    }
}
