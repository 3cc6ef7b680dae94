using System.Net.Http.Json;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace ConvAi.Telephony.Benchmarks.Client;

/// <summary>
/// The baseline for the client cases: what a careful user writes by hand with <see cref="HttpClient"/> and
/// source-generated JSON. It reuses the library's models and JSON context, so the difference measured is the
/// client stack (DI, handlers, resilience, Refit, validation), not the models.
/// </summary>
public sealed class HandWrittenClient
{
    private static readonly JsonTypeInfo<Conversation> ConversationInfo = TypeInfo<Conversation>();
    private static readonly JsonTypeInfo<ConversationPage> PageInfo = TypeInfo<ConversationPage>();
    private static readonly JsonTypeInfo<StartTwilioCallRequest> CallRequestInfo = TypeInfo<StartTwilioCallRequest>();
    private static readonly JsonTypeInfo<TwilioCallResult> CallResultInfo = TypeInfo<TwilioCallResult>();
    private readonly HttpClient _http;

    /// <summary>Creates the client over <paramref name="handler"/>, with the base address and API key header set once.</summary>
    public HandWrittenClient(HttpMessageHandler handler, Uri baseAddress)
    {
        _http = new HttpClient(handler, disposeHandler: false) { BaseAddress = baseAddress };
        _http.DefaultRequestHeaders.Add("xi-api-key", Payloads.ApiKey);
    }

    /// <summary>Uses an already configured client (base address and key set by its handlers), e.g. the library's named client.</summary>
    public HandWrittenClient(HttpClient configured) => _http = configured;

    /// <summary>GET /v1/convai/conversations/{id}.</summary>
    public async Task<Conversation> GetConversationAsync(string conversationId, CancellationToken cancellationToken = default)
    {
        using var response = await _http.GetAsync($"v1/convai/conversations/{Uri.EscapeDataString(conversationId)}", cancellationToken);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync(ConversationInfo, cancellationToken))!;
    }

    /// <summary>POST /v1/convai/twilio/outbound-call.</summary>
    public async Task<TwilioCallResult> StartTwilioCallAsync(StartTwilioCallRequest request, CancellationToken cancellationToken = default)
    {
        using var content = JsonContent.Create(request, CallRequestInfo);
        using var response = await _http.PostAsync("v1/convai/twilio/outbound-call", content, cancellationToken);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync(CallResultInfo, cancellationToken))!;
    }

    /// <summary>Every conversation, following <c>next_cursor</c>.</summary>
    public async IAsyncEnumerable<ConversationSummary> ListAllConversationsAsync(
        int pageSize,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        string? cursor = null;
        while (true)
        {
            var uri = cursor is null
                ? $"v1/convai/conversations?page_size={pageSize}"
                : $"v1/convai/conversations?page_size={pageSize}&cursor={Uri.EscapeDataString(cursor)}";
            using var response = await _http.GetAsync(uri, cancellationToken);
            response.EnsureSuccessStatusCode();
            var page = (await response.Content.ReadFromJsonAsync(PageInfo, cancellationToken))!;
            foreach (var conversation in page.Conversations)
            {
                yield return conversation;
            }

            if (!page.HasMore || page.NextCursor is null)
            {
                yield break;
            }

            cursor = page.NextCursor;
        }
    }

    private static JsonTypeInfo<T> TypeInfo<T>() => (JsonTypeInfo<T>)ConvAiJson.Options.GetTypeInfo(typeof(T));
}
