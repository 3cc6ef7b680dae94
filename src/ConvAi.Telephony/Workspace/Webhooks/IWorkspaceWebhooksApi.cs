using System.Text.Json;
using Refit;

namespace ConvAi.Telephony;

/// <summary>Transport of the workspace webhook endpoints.</summary>
internal interface IWorkspaceWebhooksApi
{
    [Get("/v1/workspace/webhooks")]
    Task<WorkspaceWebhookList> ListAsync([AliasAs("include_usages")] string? includeUsages, CancellationToken cancellationToken);

    [Post("/v1/workspace/webhooks")]
    Task<CreateWorkspaceWebhookResult> CreateAsync([Body] CreateWorkspaceWebhookBody body, [Property(RequestKinds.OptionName)] RequestKind kind, CancellationToken cancellationToken);

    [Patch("/v1/workspace/webhooks/{webhookId}")]
    Task<JsonElement> UpdateAsync(string webhookId, [Body] UpdateWorkspaceWebhookRequest request, CancellationToken cancellationToken);

    [Delete("/v1/workspace/webhooks/{webhookId}")]
    Task<JsonElement> DeleteAsync(string webhookId, CancellationToken cancellationToken);
}
