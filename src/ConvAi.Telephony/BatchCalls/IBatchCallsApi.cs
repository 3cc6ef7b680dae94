using Refit;

namespace ConvAi.Telephony;

/// <summary>Transport of the batch-calling endpoints.</summary>
internal interface IBatchCallsApi
{
    [Post("/v1/convai/batch-calling/submit")]
    Task<BatchCall> SubmitAsync([Body] SubmitBatchCallRequest request, [Property(RequestKinds.OptionName)] RequestKind kind, CancellationToken cancellationToken);

    [Get("/v1/convai/batch-calling/workspace")]
    Task<BatchCallPage> ListAsync(
        [AliasAs("limit")] int? limit,
        [AliasAs("last_doc")] string? lastDoc,
        [AliasAs("agent_id")] string? agentId,
        CancellationToken cancellationToken);

    [Get("/v1/convai/batch-calling/{batchId}")]
    Task<BatchCall> GetAsync(string batchId, CancellationToken cancellationToken);

    [Delete("/v1/convai/batch-calling/{batchId}")]
    Task DeleteAsync(string batchId, CancellationToken cancellationToken);

    [Post("/v1/convai/batch-calling/{batchId}/cancel")]
    Task<BatchCall> CancelAsync(string batchId, [Property(RequestKinds.OptionName)] RequestKind kind, CancellationToken cancellationToken);

    [Post("/v1/convai/batch-calling/{batchId}/retry")]
    Task<BatchCall> RetryAsync(string batchId, [Property(RequestKinds.OptionName)] RequestKind kind, CancellationToken cancellationToken);

    [Get("/v1/convai/batch-calling/{batchId}/export")]
    Task<HttpResponseMessage> ExportAsync(string batchId, CancellationToken cancellationToken);
}
