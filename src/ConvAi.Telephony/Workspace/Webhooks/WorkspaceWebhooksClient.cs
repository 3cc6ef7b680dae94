namespace ConvAi.Telephony;

/// <summary>
/// Lists, creates, updates and deletes the workspace's webhooks (<c>/v1/workspace/webhooks</c>), e.g. to check that the
/// post-call webhook still delivers or to turn on retries. Methods are virtual so you can mock them.
/// </summary>
public class WorkspaceWebhooksClient
{
    private readonly IWorkspaceWebhooksApi _api = null!;

    /// <summary>Initializes a new instance of the <see cref="WorkspaceWebhooksClient"/> class for mocking.</summary>
    protected WorkspaceWebhooksClient()
    {
    }

    internal WorkspaceWebhooksClient(IWorkspaceWebhooksApi api) => _api = api;

    /// <summary>Lists the workspace's webhooks with their delivery health (<c>GET /v1/workspace/webhooks</c>).</summary>
    /// <param name="includeUsages">True to fill in <see cref="WorkspaceWebhook.Usage"/> and <see cref="WorkspaceWebhook.Events"/> (<c>include_usages=true</c>).</param>
    /// <param name="cancellationToken">A token to cancel the request.</param>
    /// <returns>The webhooks.</returns>
    /// <exception cref="ConvAiApiException">The API refused the request.</exception>
    public virtual async Task<IReadOnlyList<WorkspaceWebhook>> ListAsync(bool includeUsages = false, CancellationToken cancellationToken = default)
    {
        var list = await _api.ListAsync(includeUsages ? "true" : "false", cancellationToken).ConfigureAwait(false);
        return list.Webhooks ?? [];
    }

    /// <summary>Creates a webhook (<c>POST /v1/workspace/webhooks</c>); an HMAC webhook's secret is returned only here.</summary>
    /// <param name="request">The name, URL, authentication and extra headers.</param>
    /// <param name="cancellationToken">A token to cancel the request.</param>
    /// <returns>The id and the signing secret.</returns>
    /// <exception cref="ArgumentException">The name or URL is empty, or the URL is not absolute HTTPS. Nothing was sent.</exception>
    /// <exception cref="ConvAiApiException">The API refused the request.</exception>
    /// <remarks>A create is not repeated after an ambiguous failure (it could create a second webhook): list the webhooks to check.</remarks>
    public virtual Task<CreateWorkspaceWebhookResult> CreateAsync(CreateWorkspaceWebhookRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        Guard.RequireText(request.Name, $"{nameof(request)}.{nameof(request.Name)}");
        Guard.RequireText(request.WebhookUrl, $"{nameof(request)}.{nameof(request.WebhookUrl)}");
        if (!Uri.TryCreate(request.WebhookUrl, UriKind.Absolute, out var url) || url.Scheme != Uri.UriSchemeHttps)
        {
            throw new ArgumentException("The webhook URL must be an absolute https:// URL.", $"{nameof(request)}.{nameof(request.WebhookUrl)}");
        }

        // Not repeated after a 5xx or a timeout: a second create would make a second webhook.
        return _api.CreateAsync(new CreateWorkspaceWebhookBody(request), RequestKind.ResourceCreation, cancellationToken);
    }

    /// <summary>Updates a webhook (<c>PATCH /v1/workspace/webhooks/{webhook_id}</c>): enable or disable it, rename it, turn retries on.</summary>
    /// <param name="webhookId">The webhook id.</param>
    /// <param name="request">The new settings; the API requires the name and the disabled flag every time.</param>
    /// <param name="cancellationToken">A token to cancel the request.</param>
    /// <returns>A task that completes when the webhook is updated.</returns>
    /// <exception cref="ArgumentException">The id or the name is empty. Nothing was sent.</exception>
    /// <exception cref="ConvAiApiException">The API refused the request.</exception>
    public virtual async Task UpdateAsync(string webhookId, UpdateWorkspaceWebhookRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(webhookId);
        ArgumentNullException.ThrowIfNull(request);
        Guard.RequireText(request.Name, $"{nameof(request)}.{nameof(request.Name)}");
        await _api.UpdateAsync(webhookId, request, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Deletes a webhook (<c>DELETE /v1/workspace/webhooks/{webhook_id}</c>).</summary>
    /// <param name="webhookId">The webhook id.</param>
    /// <param name="cancellationToken">A token to cancel the request.</param>
    /// <returns>A task that completes when the webhook is deleted.</returns>
    /// <exception cref="ArgumentException">The id is empty.</exception>
    /// <exception cref="ConvAiApiException">The API refused the request.</exception>
    public virtual async Task DeleteAsync(string webhookId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(webhookId);
        await _api.DeleteAsync(webhookId, cancellationToken).ConfigureAwait(false);
    }
}
