using System.Buffers;

namespace ConvAi.Telephony.AspNetCore;

/// <summary>
/// The outcome of receiving one webhook request: either a status to answer without dispatching (rejected or
/// duplicate) or an accepted event with its delivery claim. Owns the pooled body buffer until disposed.
/// </summary>
internal sealed class WebhookReceipt : WebhookBodyLease, IDisposable
{
    private byte[]? _buffer;
    private int _length;

    private WebhookReceipt(int statusCode)
    {
        StatusCode = statusCode;
    }

    /// <summary>The status to answer when <see cref="Event"/> is null (4xx, or 200 for a duplicate).</summary>
    public int StatusCode { get; }

    /// <summary>The accepted event to dispatch; null when the request is answered with <see cref="StatusCode"/> alone.</summary>
    public ConvAiWebhookEvent? Event { get; private set; }

    /// <summary>The delivery-store key claimed for the delivery; null until claimed.</summary>
    public string? ClaimKey { get; private set; }

    /// <summary>The envelope of the claimed delivery.</summary>
    public WebhookEnvelope Envelope { get; private set; }

    /// <summary>The request body (empty once disposed).</summary>
    public ReadOnlyMemory<byte> Body => _buffer is { } buffer ? buffer.AsMemory(0, _length) : default;

    public static WebhookReceipt Answer(int statusCode) => new(statusCode);

    /// <summary>A read-only stream over the verified body (valid until disposed), so that the app's own binding reads the bytes that were verified.</summary>
    public Stream OpenBody() => _buffer is { } buffer ? new MemoryStream(buffer, 0, _length, writable: false) : Stream.Null;

    /// <summary>Creates a receipt that owns <paramref name="buffer"/> (rented from the shared pool) holding <paramref name="length"/> body bytes.</summary>
    public static WebhookReceipt ForBody(byte[] buffer, int length) => new(0) { _buffer = buffer, _length = length };

    public void Claim(string claimKey, WebhookEnvelope envelope)
    {
        ClaimKey = claimKey;
        Envelope = envelope;
    }

    public WebhookReceipt Accept(ConvAiWebhookEvent webhookEvent)
    {
        Event = webhookEvent;
        return this;
    }

    /// <summary>Returns the body buffer; events that read from it stop working.</summary>
    public void Dispose()
    {
        IsReleased = true;
        if (_buffer is { } buffer)
        {
            _buffer = null;
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
