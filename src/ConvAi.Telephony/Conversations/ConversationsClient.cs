namespace ConvAi.Telephony;

/// <summary>Reads, pages, deletes and rates conversations and downloads their audio. Methods are virtual so you can mock them.</summary>
public class ConversationsClient
{
    private readonly IConversationsApi _api = null!;

    /// <summary>Initializes a new instance of the <see cref="ConversationsClient"/> class for mocking.</summary>
    protected ConversationsClient()
    {
    }

    internal ConversationsClient(IConversationsApi api) => _api = api;

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
}
