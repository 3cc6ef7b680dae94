namespace ConvAi.Telephony;

/// <summary>Reads, pages, deletes and rates conversations and downloads their audio. Methods are virtual so you can mock them.</summary>
public class ConversationsClient
{
    private readonly IConversationsApi _api = null!;
    private readonly ClientContext _context = null!;
    private readonly ConversationSessionConnector? _sessions;

    /// <summary>Initializes a new instance of the <see cref="ConversationsClient"/> class for mocking.</summary>
    protected ConversationsClient()
    {
    }

    internal ConversationsClient(IConversationsApi api, ClientContext context, ConversationSessionConnector? sessions = null)
    {
        _api = api;
        _context = context;
        _sessions = sessions;
    }

    /// <summary>Reads one page of conversations (<c>GET /v1/convai/conversations</c>).</summary>
    /// <param name="options">Optional filters, page size and cursor.</param>
    /// <param name="cancellationToken">A token to cancel the request.</param>
    /// <returns>The page, with the cursor of the next one.</returns>
    /// <exception cref="ConvAiApiException">The API refused the request.</exception>
    public virtual Task<ConversationPage> ListAsync(ConversationListOptions? options = null, CancellationToken cancellationToken = default)
        => _api.ListAsync(options, cancellationToken);

    /// <summary>
    /// Enumerates every matching conversation, following <c>next_cursor</c> page by page. Only one page is held
    /// in memory; the next page is requested when the previous one is consumed.
    /// </summary>
    /// <param name="options">Optional filters and page size; <see cref="ConversationListOptions.Cursor"/> sets where to start.</param>
    /// <param name="cancellationToken">A token to stop the enumeration.</param>
    /// <returns>The conversations in server order.</returns>
    /// <exception cref="ConvAiApiException">The API refused a page request.</exception>
    public virtual IAsyncEnumerable<ConversationSummary> ListAllAsync(
        ConversationListOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        var first = options ?? new ConversationListOptions();
        return CursorPaging.EnumerateAsync(
            first.Cursor,
            (cursor, ct) => ListAsync(first with { Cursor = cursor }, ct),
            page => (page.Conversations, page.HasMore, page.NextCursor),
            cancellationToken);
    }

    /// <summary>Gets a conversation with its transcript, metadata and analysis (<c>GET /v1/convai/conversations/{conversation_id}</c>).</summary>
    /// <param name="conversationId">The conversation id.</param>
    /// <param name="format">The format; null uses the server default (<see cref="ConversationFormat.Json"/>).</param>
    /// <param name="cancellationToken">A token to cancel the request.</param>
    /// <returns>The conversation.</returns>
    /// <exception cref="ArgumentException">The id is empty.</exception>
    /// <exception cref="ConvAiApiException">The API refused the request, e.g. 404 for an unknown id.</exception>
    public virtual Task<Conversation> GetAsync(string conversationId, ConversationFormat? format = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(conversationId);
        return _api.GetAsync(conversationId, format?.ToWire(), cancellationToken);
    }

    /// <summary>
    /// Finds an agent's conversation by an external reference, such as the URL of the Slack message or Zendesk ticket
    /// the conversation runs in (<c>GET /v1/convai/conversations/resolve</c>). The server turns the reference into the
    /// conversation id it derives for that agent, then answers with the conversation as <see cref="GetAsync"/> does.
    /// </summary>
    /// <param name="agentId">The agent (<c>agent_…</c>, or a speech engine id <c>seng_…</c>); null uses <see cref="ConvAiTelephonyOptions.DefaultAgentId"/>.</param>
    /// <param name="reference">The reference, for example a Slack message URL or a Zendesk ticket URL; it is sent as it is.</param>
    /// <param name="cancellationToken">A token to cancel the request.</param>
    /// <returns>The conversation.</returns>
    /// <exception cref="ArgumentException">The reference is empty, or no agent id is given or configured. Nothing was sent.</exception>
    /// <exception cref="ConvAiApiException">The API refused the request, e.g. 404 when the agent has no conversation for the reference.</exception>
    public virtual Task<Conversation> ResolveAsync(string? agentId, string reference, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(reference);
        var agent = _context.ResolveAgentId(agentId, nameof(agentId));
        return _api.ResolveAsync(agent, reference, cancellationToken);
    }

    /// <summary>
    /// Opens the recording of a conversation (<c>audio/mpeg</c>) as a stream read as it arrives from the network
    /// (<c>GET /v1/convai/conversations/{conversation_id}/audio</c>). Dispose the stream to release the connection.
    /// </summary>
    /// <param name="conversationId">The conversation id; check <see cref="Conversation.HasAudio"/> first.</param>
    /// <param name="cancellationToken">A token to cancel the request.</param>
    /// <returns>The MP3 stream.</returns>
    /// <exception cref="ArgumentException">The id is empty.</exception>
    /// <exception cref="ConvAiApiException">The API refused the request.</exception>
    public virtual async Task<Stream> GetAudioAsync(string conversationId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(conversationId);
        var response = await _api.GetAudioAsync(conversationId, cancellationToken).ConfigureAwait(false);
        return await ResponseStream.CreateAsync(response, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Deletes a conversation (<c>DELETE /v1/convai/conversations/{conversation_id}</c>).</summary>
    /// <param name="conversationId">The conversation id.</param>
    /// <param name="cancellationToken">A token to cancel the request.</param>
    /// <returns>A task that completes when the conversation is deleted.</returns>
    /// <exception cref="ArgumentException">The id is empty.</exception>
    /// <exception cref="ConvAiApiException">The API refused the request.</exception>
    public virtual async Task DeleteAsync(string conversationId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(conversationId);
        await _api.DeleteAsync(conversationId, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Likes or dislikes a conversation, or clears the feedback with null (<c>POST /v1/convai/conversations/{conversation_id}/feedback</c>).</summary>
    /// <param name="conversationId">The conversation id.</param>
    /// <param name="feedback">The feedback, or null to clear it.</param>
    /// <param name="cancellationToken">A token to cancel the request.</param>
    /// <returns>A task that completes when the feedback is stored.</returns>
    /// <exception cref="ArgumentException">The id is empty.</exception>
    /// <exception cref="ConvAiApiException">The API refused the request.</exception>
    public virtual async Task SendFeedbackAsync(string conversationId, ConversationFeedbackScore? feedback, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(conversationId);
        await _api.SendFeedbackAsync(conversationId, new ConversationFeedbackRequest { Feedback = feedback }, RequestKind.RetrySafe, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Reads one page of the SIP messages of a SIP-trunk call (<c>GET /v1/convai/conversations/{conversation_id}/sip-messages</c>).
    /// Messages are stored only when the number has <see cref="UpdatePhoneNumberRequest.StoreSipMessages"/> on.
    /// </summary>
    /// <param name="conversationId">The conversation id.</param>
    /// <param name="options">Optional page size and cursor.</param>
    /// <param name="cancellationToken">A token to cancel the request.</param>
    /// <returns>The page, with the cursor of the next one.</returns>
    /// <exception cref="ArgumentException">The id is empty.</exception>
    /// <exception cref="ConvAiApiException">The API refused the request.</exception>
    public virtual Task<SipMessagePage> ListSipMessagesAsync(string conversationId, SipMessageListOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(conversationId);
        return _api.ListSipMessagesAsync(conversationId, options?.PageSize, options?.Cursor, cancellationToken);
    }

    /// <summary>Enumerates every SIP message of a call, following <c>next_cursor</c> page by page; only one page is held in memory.</summary>
    /// <param name="conversationId">The conversation id.</param>
    /// <param name="options">Optional page size and starting cursor.</param>
    /// <param name="cancellationToken">A token to stop the enumeration.</param>
    /// <returns>The messages in server order.</returns>
    /// <exception cref="ArgumentException">The id is empty.</exception>
    /// <exception cref="ConvAiApiException">The API refused a page request.</exception>
    public virtual IAsyncEnumerable<SipMessage> ListAllSipMessagesAsync(string conversationId, SipMessageListOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(conversationId);
        return SipMessagePaging.EnumerateAsync(options, (page, ct) => ListSipMessagesAsync(conversationId, page, ct), cancellationToken);
    }

    /// <summary>
    /// Reads the SIP messages of a SIP-trunk call and returns why it failed, e.g. <c>486 Busy Here</c> (see <see cref="SipFailure.Find"/>).
    /// Use it with the conversation id of a <see cref="ConvAiCallRejectedException"/>, a failed call outcome or a
    /// <c>call_initiation_failure</c> webhook.
    /// </summary>
    /// <param name="conversationId">The conversation id.</param>
    /// <param name="cancellationToken">A token to cancel the requests.</param>
    /// <returns>The failure, or null when the messages show none (or none were stored).</returns>
    /// <exception cref="ArgumentException">The id is empty.</exception>
    /// <exception cref="ConvAiApiException">The API refused a page request.</exception>
    public virtual async Task<SipFailure?> GetSipFailureAsync(string conversationId, CancellationToken cancellationToken = default)
    {
        var messages = new List<SipMessage>();
        await foreach (var message in ListAllSipMessagesAsync(conversationId, null, cancellationToken).ConfigureAwait(false))
        {
            messages.Add(message);
        }

        return SipFailure.Find(messages);
    }

    /// <summary>Counts the conversations in progress now (<c>GET /v1/convai/analytics/live-count</c>).</summary>
    /// <param name="agentId">Count only this agent's conversations; null counts the whole workspace.</param>
    /// <param name="cancellationToken">A token to cancel the request.</param>
    /// <returns>The count.</returns>
    /// <exception cref="ConvAiApiException">The API refused the request.</exception>
    public virtual async Task<int> GetLiveCountAsync(string? agentId = null, CancellationToken cancellationToken = default)
    {
        var result = await _api.GetLiveCountAsync(string.IsNullOrWhiteSpace(agentId) ? null : agentId, cancellationToken).ConfigureAwait(false);
        return result.Count;
    }

    /// <summary>
    /// Gets a signed URL for a live conversation with a private agent (<c>GET /v1/convai/conversation/get-signed-url</c>): a
    /// <c>wss://</c> URL that authorizes one conversation without the API key, for example for a browser or a device.
    /// </summary>
    /// <param name="agentId">The agent.</param>
    /// <param name="branchId">The agent branch, or null for the default.</param>
    /// <param name="environment">The agent environment, or null for the default.</param>
    /// <param name="cancellationToken">A token to cancel the request.</param>
    /// <returns>The signed socket URL. Treat it as a secret until it is used.</returns>
    /// <exception cref="ArgumentException">The agent id is empty.</exception>
    /// <exception cref="ConvAiApiException">The API refused the request.</exception>
    public virtual async Task<Uri> GetSignedUrlAsync(string agentId, string? branchId = null, string? environment = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(agentId);
        var answer = await _api.GetSignedUrlAsync(agentId, branchId, environment, cancellationToken).ConfigureAwait(false);
        if (!Uri.TryCreate(answer.SignedUrl, UriKind.Absolute, out var uri))
        {
            throw new ConvAiException("The ElevenLabs API answered get-signed-url without a usable signed_url.");
        }

        return uri;
    }

    /// <summary>
    /// Opens the WebSocket of a live conversation with an agent without starting it: pings are answered from now on, and
    /// <see cref="ConversationSession.StartAsync"/> sends the initiation data when you have it (a bridge waits for the call's details).
    /// The URL is a signed URL fetched with the API key (the key never goes into the socket URL), or the plain agent URL when
    /// <see cref="ConversationSessionOptions.IsPublicAgent"/> is set; the host is the configured <c>ConvAi:BaseAddress</c> or
    /// <c>ConvAi:Environment</c> (residency) with <c>ws</c>/<c>wss</c>.
    /// </summary>
    /// <param name="agentId">The agent; null uses <c>ConvAi:DefaultAgentId</c>.</param>
    /// <param name="options">The session settings; the initiation fields in them are not sent by this method.</param>
    /// <param name="cancellationToken">A token to cancel the connection.</param>
    /// <returns>The open session; dispose it.</returns>
    /// <exception cref="ArgumentException">No agent id is given or configured.</exception>
    /// <exception cref="ConvAiApiException">The API refused the signed-URL request.</exception>
    /// <exception cref="ConversationSessionException">The socket could not be opened (<see cref="ConversationSessionError.ConnectFailed"/>).</exception>
    public virtual Task<ConversationSession> ConnectSessionAsync(string? agentId, ConversationSessionOptions? options = null, CancellationToken cancellationToken = default)
    {
        var connector = _sessions ?? throw new InvalidOperationException("This client cannot open live conversations: create it with AddConvAiTelephony or the ConvAiTelephonyClient constructor.");
        var resolved = connector.ResolveAgentId(agentId);
        var settings = options ?? new ConversationSessionOptions();
        return connector.ConnectAsync(resolved, settings, ct => GetSignedUrlAsync(resolved, settings.BranchId, settings.Environment, ct), cancellationToken);
    }

    /// <summary>
    /// Opens a live conversation with an agent and starts it: <see cref="ConnectSessionAsync"/>, then
    /// <see cref="ConversationSession.StartAsync"/> with the initiation data of <paramref name="options"/> (dynamic variables, user id,
    /// overrides, custom LLM body). When it returns, <see cref="ConversationSession.ConversationId"/> and the audio formats are set.
    /// </summary>
    /// <param name="agentId">The agent; null uses <c>ConvAi:DefaultAgentId</c>.</param>
    /// <param name="options">The initiation data and session settings, or null for none.</param>
    /// <param name="cancellationToken">A token to cancel connecting and starting; the session is then disposed.</param>
    /// <returns>The started session; dispose it.</returns>
    /// <exception cref="ArgumentException">No agent id is given or configured, or a dynamic variable name is empty or reserved.</exception>
    /// <exception cref="ConvAiApiException">The API refused the signed-URL request.</exception>
    /// <exception cref="ConversationSessionException">
    /// The socket could not be opened, or the agent closed it before the conversation started (for example 1008 for a missing dynamic variable).
    /// </exception>
    public virtual async Task<ConversationSession> StartSessionAsync(string? agentId, ConversationSessionOptions? options = null, CancellationToken cancellationToken = default)
    {
        var settings = options ?? new ConversationSessionOptions();
        var session = await ConnectSessionAsync(agentId, settings, cancellationToken).ConfigureAwait(false);
        try
        {
            await session.StartAsync(settings.ToInitiationData(), cancellationToken).ConfigureAwait(false);
            return session;
        }
        catch
        {
            await session.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }
}
