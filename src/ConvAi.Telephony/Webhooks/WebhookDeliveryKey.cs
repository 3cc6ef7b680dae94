using System.Security.Cryptography;

namespace ConvAi.Telephony;

/// <summary>Builds a delivery's identity for the <see cref="IConvAiWebhookDeliveryStore"/>: never its signature, so a re-signed redelivery has the same key.</summary>
internal static class WebhookDeliveryKey
{
    /// <summary>
    /// <c>{prefix}{type}:{conversation id}</c> (one transcription, one audio, one initiation failure per conversation), or
    /// <c>{prefix}{type}:sha256:{hex}</c> of the body for an event that names no conversation.
    /// </summary>
    public static string For(string prefix, ConvAiWebhookEventType type, string? conversationId, ReadOnlySpan<byte> body)
    {
        if (!string.IsNullOrEmpty(conversationId))
        {
            return string.Concat(prefix, type.Value, ":", conversationId);
        }

        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(body, hash);
        return string.Concat(prefix, type.Value, ":sha256:", Convert.ToHexString(hash));
    }
}
