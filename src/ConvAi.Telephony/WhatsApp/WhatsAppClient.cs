namespace ConvAi.Telephony;

/// <summary>
/// Calls and writes to WhatsApp users through a connected WhatsApp business account, and lists, updates and removes those accounts.
/// Methods are virtual so you can mock them.
/// </summary>
/// <remarks>
/// The call and the message are never repeated once they may have reached the server: an ambiguous failure raises
/// <see cref="ConvAiOutcomeUnknownException"/>, like the phone outbound calls.
/// </remarks>
public class WhatsAppClient
{
    private readonly IWhatsAppApi _api = null!;
    private readonly ClientContext _context = null!;

    /// <summary>Initializes a new instance of the <see cref="WhatsAppClient"/> class for mocking.</summary>
    protected WhatsAppClient()
    {
    }

    internal WhatsAppClient(IWhatsAppApi api, ClientContext context)
    {
        _api = api;
        _context = context;
    }

    /// <summary>Calls a WhatsApp user (<c>POST /v1/convai/whatsapp/outbound-call</c>).</summary>
    /// <param name="request">The business number, the user, the permission-request template and the agent.</param>
    /// <param name="cancellationToken">A token to cancel the request.</param>
    /// <returns>The conversation id.</returns>
    /// <exception cref="ArgumentException">A required field is empty, the agent id is missing, or a dynamic variable uses a reserved name. Nothing was sent.</exception>
    /// <exception cref="ConvAiCallRejectedException">The server answered <c>success: false</c>.</exception>
    /// <exception cref="ConvAiOutcomeUnknownException">The call may or may not have been placed.</exception>
    /// <exception cref="ConvAiApiException">The API refused the request (the call was not placed).</exception>
    public virtual async Task<WhatsAppCallResult> StartCallAsync(StartWhatsAppCallRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        Guard.RequireText(request.WhatsAppPhoneNumberId, $"{nameof(request)}.{nameof(request.WhatsAppPhoneNumberId)}");
        Guard.RequireText(request.WhatsAppUserId, $"{nameof(request)}.{nameof(request.WhatsAppUserId)}");
        Guard.RequireText(request.PermissionTemplateName, $"{nameof(request)}.{nameof(request.PermissionTemplateName)}");
        Guard.RequireText(request.PermissionTemplateLanguageCode, $"{nameof(request)}.{nameof(request.PermissionTemplateLanguageCode)}");
        Guard.CheckClientData(request.ConversationInitiationClientData, $"{nameof(request)}.{nameof(request.ConversationInitiationClientData)}");
        var body = request with { AgentId = _context.ResolveAgentId(request.AgentId, $"{nameof(request)}.{nameof(request.AgentId)}") };
        var placement = new CallPlacement("StartWhatsAppCall", body.AgentId, body.WhatsAppPhoneNumberId, body.WhatsAppUserId, body.ConversationInitiationClientData?.UserId);
        return await _context.StartCallAsync(placement, ct => _api.StartCallAsync(body, RequestKind.CallPlacing, ct), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Sends a template message that opens a conversation with the agent (<c>POST /v1/convai/whatsapp/outbound-message</c>).</summary>
    /// <param name="request">The business number, the user, the template with its values, and the agent.</param>
    /// <param name="cancellationToken">A token to cancel the request.</param>
    /// <returns>The conversation id.</returns>
    /// <exception cref="ArgumentException">A required field is empty, the agent id is missing, or a dynamic variable uses a reserved name. Nothing was sent.</exception>
    /// <exception cref="ConvAiOutcomeUnknownException">The message may or may not have been sent.</exception>
    /// <exception cref="ConvAiApiException">The API refused the request (no message was sent).</exception>
    public virtual Task<WhatsAppMessageResult> SendMessageAsync(SendWhatsAppMessageRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        Guard.RequireText(request.WhatsAppPhoneNumberId, $"{nameof(request)}.{nameof(request.WhatsAppPhoneNumberId)}");
        Guard.RequireText(request.WhatsAppUserId, $"{nameof(request)}.{nameof(request.WhatsAppUserId)}");
        Guard.RequireText(request.TemplateName, $"{nameof(request)}.{nameof(request.TemplateName)}");
        Guard.RequireText(request.TemplateLanguageCode, $"{nameof(request)}.{nameof(request.TemplateLanguageCode)}");
        Guard.CheckClientData(request.ConversationInitiationClientData, $"{nameof(request)}.{nameof(request.ConversationInitiationClientData)}");
        var body = request with
        {
            AgentId = _context.ResolveAgentId(request.AgentId, $"{nameof(request)}.{nameof(request.AgentId)}"),
            TemplateParams = request.TemplateParams ?? [],
        };
        var placement = new CallPlacement("SendWhatsAppMessage", body.AgentId, body.WhatsAppPhoneNumberId, body.WhatsAppUserId, body.ConversationInitiationClientData?.UserId);
        return _context.PlaceCallAsync(placement, ct => _api.SendMessageAsync(body, RequestKind.CallPlacing, ct), cancellationToken);
    }

    /// <summary>Lists the WhatsApp business accounts connected to the workspace (<c>GET /v1/convai/whatsapp-accounts</c>).</summary>
    /// <param name="agentId">Only the accounts assigned to this agent; null lists all.</param>
    /// <param name="cancellationToken">A token to cancel the request.</param>
    /// <returns>The accounts.</returns>
    /// <exception cref="ConvAiApiException">The API refused the request.</exception>
    public virtual async Task<IReadOnlyList<WhatsAppAccount>> ListAccountsAsync(string? agentId = null, CancellationToken cancellationToken = default)
    {
        var list = await _api.ListAccountsAsync(string.IsNullOrWhiteSpace(agentId) ? null : agentId, cancellationToken).ConfigureAwait(false);
        return list.Items ?? [];
    }

    /// <summary>Gets a WhatsApp business account by its phone number id (<c>GET /v1/convai/whatsapp-accounts/{phone_number_id}</c>).</summary>
    /// <param name="phoneNumberId">The WhatsApp phone number id.</param>
    /// <param name="cancellationToken">A token to cancel the request.</param>
    /// <returns>The account.</returns>
    /// <exception cref="ArgumentException">The id is empty.</exception>
    /// <exception cref="ConvAiApiException">The API refused the request, e.g. 404 for an unknown id.</exception>
    public virtual Task<WhatsAppAccount> GetAccountAsync(string phoneNumberId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(phoneNumberId);
        return _api.GetAccountAsync(phoneNumberId, cancellationToken);
    }

    /// <summary>
    /// Changes a WhatsApp business account's settings, e.g. assigns another agent or turns text replies off
    /// (<c>PATCH /v1/convai/whatsapp-accounts/{phone_number_id}</c>). Only the properties set on <paramref name="request"/> are sent;
    /// the others keep their current values.
    /// </summary>
    /// <param name="phoneNumberId">The WhatsApp phone number id.</param>
    /// <param name="request">The settings to change.</param>
    /// <param name="cancellationToken">A token to cancel the request.</param>
    /// <returns>A task that completes when the account is updated; read it again with <see cref="GetAccountAsync"/>.</returns>
    /// <exception cref="ArgumentException">The id is empty. Nothing was sent.</exception>
    /// <exception cref="ConvAiApiException">The API refused the request, e.g. 404 for an unknown id.</exception>
    public virtual async Task UpdateAccountAsync(string phoneNumberId, UpdateWhatsAppAccountRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(phoneNumberId);
        ArgumentNullException.ThrowIfNull(request);
        await _api.UpdateAccountAsync(phoneNumberId, request, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Disconnects a WhatsApp business account from the workspace (<c>DELETE /v1/convai/whatsapp-accounts/{phone_number_id}</c>).
    /// Calls and messages from its number fail afterwards until it is connected again in the dashboard.
    /// </summary>
    /// <param name="phoneNumberId">The WhatsApp phone number id.</param>
    /// <param name="cancellationToken">A token to cancel the request.</param>
    /// <returns>A task that completes when the account is removed.</returns>
    /// <exception cref="ArgumentException">The id is empty. Nothing was sent.</exception>
    /// <exception cref="ConvAiApiException">The API refused the request, e.g. 404 for an unknown id.</exception>
    public virtual async Task DeleteAccountAsync(string phoneNumberId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(phoneNumberId);
        await _api.DeleteAccountAsync(phoneNumberId, cancellationToken).ConfigureAwait(false);
    }
}
