using System.Collections.Concurrent;
using System.Net;

namespace ConvAi.Telephony.Testing.Tests;

/// <summary>
/// A webhook receiver in memory: records each request's body and signature header, answers a fixed status (once
/// <see cref="Hold"/>, when set, completes).
/// </summary>
internal sealed class CapturingHandler(HttpStatusCode status = HttpStatusCode.OK) : HttpMessageHandler
{
    public ConcurrentQueue<(Uri Url, string? ContentType, string? Signature, byte[] Body)> Requests { get; } = new();

    public TaskCompletionSource? Hold { get; init; }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var body = await request.Content!.ReadAsByteArrayAsync(cancellationToken);
        var signature = request.Headers.TryGetValues("ElevenLabs-Signature", out var values) ? values.Single() : null;
        Requests.Enqueue((request.RequestUri!, request.Content.Headers.ContentType?.MediaType, signature, body));
        if (Hold is { } hold)
        {
            await hold.Task;
        }

        return new HttpResponseMessage(status);
    }
}
