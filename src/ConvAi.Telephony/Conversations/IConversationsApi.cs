using System.Text.Json;
using Refit;

namespace ConvAi.Telephony;

/// <summary>Transport of the conversation endpoints.</summary>
internal interface IConversationsApi
{
    [Get("/v1/convai/conversations")]
    Task<ConversationPage> ListAsync([Query, QueryConverter(typeof(ConversationListQuery))] ConversationListOptions? options, CancellationToken cancellationToken);

    [Get("/v1/convai/conversations/resolve")]
    Task<Conversation> ResolveAsync([AliasAs("agent_id")] string agentId, [AliasAs("reference")] string reference, CancellationToken cancellationToken);

    [Get("/v1/convai/conversations/{conversationId}")]
    Task<Conversation> GetAsync(string conversationId, [AliasAs("format")] string? format, CancellationToken cancellationToken);

    [Delete("/v1/convai/conversations/{conversationId}")]
    Task<JsonElement> DeleteAsync(string conversationId, CancellationToken cancellationToken);

    [Get("/v1/convai/conversations/{conversationId}/audio")]
    Task<HttpResponseMessage> GetAudioAsync(string conversationId, CancellationToken cancellationToken);

    [Post("/v1/convai/conversations/{conversationId}/feedback")]
    Task<JsonElement> SendFeedbackAsync(string conversationId, [Body] ConversationFeedbackRequest request, [Property(RequestKinds.OptionName)] RequestKind kind, CancellationToken cancellationToken);

    [Get("/v1/convai/conversations/{conversationId}/sip-messages")]
    Task<SipMessagePage> ListSipMessagesAsync(
        string conversationId,
        [AliasAs("page_size")] int? pageSize,
        [AliasAs("cursor")] string? cursor,
        CancellationToken cancellationToken);

    [Get("/v1/convai/analytics/live-count")]
    Task<LiveCallCount> GetLiveCountAsync([AliasAs("agent_id")] string? agentId, CancellationToken cancellationToken);

    [Get("/v1/convai/conversation/get-signed-url")]
    Task<ConversationSignedUrl> GetSignedUrlAsync(
        [AliasAs("agent_id")] string agentId,
        [AliasAs("branch_id")] string? branchId,
        [AliasAs("environment")] string? environment,
        CancellationToken cancellationToken);
}
