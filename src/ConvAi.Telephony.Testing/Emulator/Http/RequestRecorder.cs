using System.Text;
using Microsoft.AspNetCore.Http;

namespace ConvAi.Telephony.Testing;

/// <summary>Reads each request body once, keeps it for the handlers and records the request.</summary>
internal sealed class RequestRecorder
{
    private const string BodyKey = "ConvAi.Telephony.Testing.Body";
    private readonly object _gate = new();
    private readonly List<ReceivedRequest> _requests = [];

    public IReadOnlyList<ReceivedRequest> Snapshot()
    {
        lock (_gate)
        {
            return _requests.ToArray();
        }
    }

    public static byte[] BodyOf(HttpContext context) =>
        context.Items.TryGetValue(BodyKey, out var body) && body is byte[] bytes ? bytes : [];

    /// <summary>Records the request; <paramref name="readBody"/> false leaves the body alone (a WebSocket upgrade has none to read).</summary>
    public async Task RecordAsync(HttpContext context, bool readBody = true)
    {
        var bytes = Array.Empty<byte>();
        if (readBody)
        {
            using var buffer = new MemoryStream();
            await context.Request.Body.CopyToAsync(buffer, context.RequestAborted).ConfigureAwait(false);
            bytes = buffer.ToArray();
        }

        context.Items[BodyKey] = bytes;

        var request = context.Request;
        var recorded = new ReceivedRequest(
            request.Method,
            request.Path.Value ?? string.Empty,
            request.QueryString.Value ?? string.Empty,
            request.ContentType,
            Encoding.UTF8.GetString(bytes),
            request.Headers.ContainsKey(ApiKeyAuthentication.HeaderName),
            request.Headers.UserAgent.Count > 0 ? request.Headers.UserAgent.ToString() : null);
        lock (_gate)
        {
            _requests.Add(recorded);
        }
    }
}
