using System.Globalization;
using System.Net;
using System.Net.Http.Headers;

namespace ConvAi.Telephony.Benchmarks.Client;

/// <summary>
/// An in-memory stand-in for the ElevenLabs API: reads the request body like a socket handler would, then answers
/// with canned bytes. The library and the hand-written baselines run over the same instance.
/// </summary>
public sealed class CannedApiHandler : HttpMessageHandler
{
    private static readonly MediaTypeHeaderValue Json = new("application/json");
    private readonly byte[][] _pages;

    /// <summary>Creates the handler; <paramref name="pages"/> are the conversation-list pages, cursor <c>page_{i}</c> selects page i.</summary>
    public CannedApiHandler(byte[][]? pages = null) => _pages = pages ?? [];

    /// <inheritdoc/>
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (request.Content is not null)
        {
            await request.Content.CopyToAsync(Stream.Null, cancellationToken);
        }

        var path = request.RequestUri!.AbsolutePath;
        byte[] body;
        if (path == "/v1/convai/twilio/outbound-call")
        {
            body = Payloads.OutboundCallResponse;
        }
        else if (path == "/v1/convai/conversations")
        {
            body = _pages[PageIndex(request.RequestUri.Query)];
        }
        else if (path.StartsWith("/v1/convai/conversations/", StringComparison.Ordinal))
        {
            body = Payloads.ConversationResponse;
        }
        else
        {
            return new HttpResponseMessage(HttpStatusCode.NotFound) { RequestMessage = request };
        }

        var content = new ByteArrayContent(body);
        content.Headers.ContentType = Json;
        return new HttpResponseMessage(HttpStatusCode.OK) { Content = content, RequestMessage = request };
    }

    private static int PageIndex(string query)
    {
        const string key = "cursor=page_";
        var at = query.IndexOf(key, StringComparison.Ordinal);
        if (at < 0)
        {
            return 0;
        }

        var digits = query.AsSpan(at + key.Length);
        var end = digits.IndexOf('&');
        return int.Parse(end < 0 ? digits : digits[..end], CultureInfo.InvariantCulture);
    }
}
