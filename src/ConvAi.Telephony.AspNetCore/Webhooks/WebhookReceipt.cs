using System.Buffers;

namespace ConvAi.Telephony.AspNetCore;

/// <summary>
/// The outcome of receiving one webhook request: either a status to answer without dispatching (rejected or
/// duplicate) or an accepted event with its delivery claim. Owns the pooled body buffer until disposed.
/// </summary>
internal sealed class WebhookReceipt : WebhookBodyLease, IDisposable
{
    private byte[]? _buffer;

    private WebhookReceipt(int statusCode)
    {
        StatusCode = statusCode;
    }

    /// <summary>The status to answer when <see cref="Event"/> is null (4xx, or 200 for a duplicate).</summary>
    public int StatusCode { get; }

    /// <summary>The accepted event to dispatch; null when the request is answered with <see cref="StatusCode"/> alone.</summary>
    public ConvAiWebhookEvent? Event { get; private set; }

    /// <summary>The delivery-store key claimed for <see cref="Event"/>.</summary>
    public string? ClaimKey { get; private set; }

    public static WebhookReceipt Answer(int statusCode) => new(statusCode);

    /// <summary>Creates a receipt that owns <paramref name="buffer"/> (rented from the shared pool).</summary>
    public static WebhookReceipt ForBody(byte[] buffer) => new(0) { _buffer = buffer };

    public WebhookReceipt Accept(ConvAiWebhookEvent webhookEvent, string claimKey)
    {
        Event = webhookEvent;
        ClaimKey = claimKey;
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
