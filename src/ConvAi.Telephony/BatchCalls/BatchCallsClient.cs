namespace ConvAi.Telephony;

/// <summary>Submits, lists, inspects, cancels, retries, exports and deletes batch calls. Methods are virtual so you can mock them.</summary>
public class BatchCallsClient
{
    /// <summary>The most recipients one batch may have.</summary>
    public const int MaxRecipients = 10_000;

    private readonly IBatchCallsApi _api = null!;
    private readonly ClientContext _context = null!;

    /// <summary>Initializes a new instance of the <see cref="BatchCallsClient"/> class for mocking.</summary>
    protected BatchCallsClient()
    {
    }

    internal BatchCallsClient(IBatchCallsApi api, ClientContext context)
    {
        _api = api;
        _context = context;
    }

    /// <summary>Submits a batch of outbound calls (<c>POST /v1/convai/batch-calling/submit</c>).</summary>
    /// <param name="request">The batch: name, agent, number and recipients.</param>
    /// <param name="cancellationToken">A token to cancel the request.</param>
    /// <returns>The created batch.</returns>
    /// <exception cref="ArgumentException">A recipient has neither a WhatsApp user id nor an E.164 number, the agent id or the name is missing, or the recipient list is empty or too long. Nothing was sent.</exception>
    /// <exception cref="ConvAiOutcomeUnknownException">The batch may or may not have been created.</exception>
    /// <exception cref="ConvAiApiException">The API refused the request (no batch was created).</exception>
    public virtual Task<BatchCall> SubmitAsync(SubmitBatchCallRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        Guard.RequireText(request.CallName, $"{nameof(request)}.{nameof(request.CallName)}");
        var recipientsName = $"{nameof(request)}.{nameof(request.Recipients)}";
        if (request.Recipients is null || request.Recipients.Count == 0)
        {
            throw new ArgumentException("A batch needs at least one recipient.", recipientsName);
        }

        if (request.Recipients.Count > MaxRecipients)
        {
            throw new ArgumentException($"A batch may have at most {MaxRecipients} recipients.", recipientsName);
        }

        var recipients = new List<BatchCallRecipient>(request.Recipients.Count);
        for (var i = 0; i < request.Recipients.Count; i++)
        {
            var recipient = request.Recipients[i] ?? throw new ArgumentException("Recipients must not be null.", $"{recipientsName}[{i}]");
            Guard.CheckClientData(recipient.ConversationInitiationClientData, $"{recipientsName}[{i}].{nameof(recipient.ConversationInitiationClientData)}");
            recipients.Add(recipient.PhoneNumber is null && recipient.WhatsAppUserId is not null
                ? recipient
                : recipient with { PhoneNumber = E164.Normalize(recipient.PhoneNumber, $"{recipientsName}[{i}].{nameof(recipient.PhoneNumber)}") });
        }

        var body = request with
        {
            AgentId = _context.ResolveAgentId(request.AgentId, $"{nameof(request)}.{nameof(request.AgentId)}"),
            // Optional in the API (elevenlabs-python 2.59 and elevenlabs-js 2.56 both type it so): a phone batch falls back to
            // the configured default, and without one the field is left out for the API to judge.
            AgentPhoneNumberId = request.WhatsAppParams is null && string.IsNullOrWhiteSpace(request.AgentPhoneNumberId)
                ? NullIfBlank(_context.Options.DefaultPhoneNumberId)
                : request.AgentPhoneNumberId,
            Recipients = recipients,
        };
        var placement = new CallPlacement("SubmitBatchCall", body.AgentId, body.AgentPhoneNumberId, null, null);
        return _context.PlaceCallAsync(placement, ct => _api.SubmitAsync(body, RequestKind.CallPlacing, ct), cancellationToken);
    }

    /// <summary>Reads one page of the workspace's batches (<c>GET /v1/convai/batch-calling/workspace</c>).</summary>
    /// <param name="options">Optional page size, cursor (<c>last_doc</c>) and agent filter.</param>
    /// <param name="cancellationToken">A token to cancel the request.</param>
    /// <returns>The page, with the cursor of the next one in <see cref="BatchCallPage.NextDoc"/>.</returns>
    /// <exception cref="ConvAiApiException">The API refused the request.</exception>
    public virtual Task<BatchCallPage> ListAsync(BatchCallListOptions? options = null, CancellationToken cancellationToken = default)
        => _api.ListAsync(options?.Limit, options?.LastDoc, options?.AgentId, cancellationToken);

    /// <summary>Enumerates every batch, following <c>next_doc</c> page by page; only one page is held in memory.</summary>
    /// <param name="options">Optional page size, starting cursor and agent filter.</param>
    /// <param name="cancellationToken">A token to stop the enumeration.</param>
    /// <returns>The batches in server order.</returns>
    /// <exception cref="ConvAiApiException">The API refused a page request.</exception>
    public virtual IAsyncEnumerable<BatchCall> ListAllAsync(
        BatchCallListOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        var first = options ?? new BatchCallListOptions();
        return CursorPaging.EnumerateAsync(
            first.LastDoc,
            (cursor, ct) => ListAsync(first with { LastDoc = cursor }, ct),
            page => (page.BatchCalls, page.HasMore, page.NextDoc),
            cancellationToken);
    }

    /// <summary>Gets a batch with its recipients (<c>GET /v1/convai/batch-calling/{batch_id}</c>).</summary>
    /// <param name="batchId">The batch id.</param>
    /// <param name="cancellationToken">A token to cancel the request.</param>
    /// <returns>The batch with <see cref="BatchCall.Recipients"/> filled in.</returns>
    /// <exception cref="ArgumentException">The id is empty.</exception>
    /// <exception cref="ConvAiApiException">The API refused the request.</exception>
    public virtual Task<BatchCall> GetAsync(string batchId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(batchId);
        return _api.GetAsync(batchId, cancellationToken);
    }

    /// <summary>
    /// Streams the status changes of a batch's recipients until the batch ends (<c>completed</c>, <c>failed</c> or
    /// <c>cancelled</c>), polling <c>GET /v1/convai/batch-calling/{batch_id}</c>: at once (every recipient is reported the
    /// first time it is seen), then with delays that grow while nothing changes and start over when something does.
    /// A 429's <c>Retry-After</c> stretches the next delay; transient failures are polled again later. Feeds a campaign dashboard.
    /// </summary>
    /// <param name="batchId">The batch id.</param>
    /// <param name="options">The polling interval and backoff; null uses the defaults.</param>
    /// <param name="cancellationToken">A token to stop watching.</param>
    /// <returns>Each recipient whose status changed, in the server's recipient order within a poll.</returns>
    /// <exception cref="ArgumentException">The id is empty or the options are out of range.</exception>
    /// <exception cref="ConvAiApiException">A poll was refused for good, e.g. 404 for an unknown batch.</exception>
    public virtual IAsyncEnumerable<BatchCallRecipientUpdate> WatchAsync(
        string batchId,
        BatchCallWatchOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(batchId);
        var backoff = (options ?? new BatchCallWatchOptions()).CreateBackoff(nameof(options));
        return BatchCallWatch.WatchAsync(ct => GetAsync(batchId, ct), backoff, _context.TimeProvider, cancellationToken);
    }

    /// <summary>Deletes a batch (<c>DELETE /v1/convai/batch-calling/{batch_id}</c>, answered with 204).</summary>
    /// <param name="batchId">The batch id.</param>
    /// <param name="cancellationToken">A token to cancel the request.</param>
    /// <returns>A task that completes when the batch is deleted.</returns>
    /// <exception cref="ArgumentException">The id is empty.</exception>
    /// <exception cref="ConvAiApiException">The API refused the request.</exception>
    public virtual Task DeleteAsync(string batchId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(batchId);
        return _api.DeleteAsync(batchId, cancellationToken);
    }

    /// <summary>Cancels a batch; calls in progress finish (<c>POST /v1/convai/batch-calling/{batch_id}/cancel</c>).</summary>
    /// <param name="batchId">The batch id.</param>
    /// <param name="cancellationToken">A token to cancel the request.</param>
    /// <returns>The batch.</returns>
    /// <exception cref="ArgumentException">The id is empty.</exception>
    /// <exception cref="ConvAiApiException">The API refused the request.</exception>
    public virtual Task<BatchCall> CancelAsync(string batchId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(batchId);
        return _api.CancelAsync(batchId, RequestKind.RetrySafe, cancellationToken);
    }

    /// <summary>Calls the failed and unanswered recipients of a batch again (<c>POST /v1/convai/batch-calling/{batch_id}/retry</c>).</summary>
    /// <param name="batchId">The batch id.</param>
    /// <param name="cancellationToken">A token to cancel the request.</param>
    /// <returns>The batch.</returns>
    /// <exception cref="ArgumentException">The id is empty.</exception>
    /// <exception cref="ConvAiOutcomeUnknownException">The retry may or may not have started.</exception>
    /// <exception cref="ConvAiApiException">The API refused the request.</exception>
    public virtual Task<BatchCall> RetryAsync(string batchId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(batchId);
        var placement = new CallPlacement("RetryBatchCall", null, null, null, null);
        return _context.PlaceCallAsync(placement, ct => _api.RetryAsync(batchId, RequestKind.CallPlacing, ct), cancellationToken);
    }

    /// <summary>Opens the CSV export of a finished batch as a stream read as it arrives (<c>GET /v1/convai/batch-calling/{batch_id}/export</c>).</summary>
    /// <param name="batchId">The batch id.</param>
    /// <param name="cancellationToken">A token to cancel the request.</param>
    /// <returns>The <c>text/csv</c> stream; dispose it to release the connection.</returns>
    /// <exception cref="ArgumentException">The id is empty.</exception>
    /// <exception cref="ConvAiApiException">The API refused the request, e.g. for a batch that is still running.</exception>
    public virtual async Task<Stream> ExportAsync(string batchId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(batchId);
        var response = await _api.ExportAsync(batchId, cancellationToken).ConfigureAwait(false);
        return await ResponseStream.CreateAsync(response, cancellationToken).ConfigureAwait(false);
    }

    private static string? NullIfBlank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}
