namespace ConvAi.Telephony;

/// <summary>
/// A <c>post_call_audio</c> webhook: the conversation's MP3 audio. The audio is decoded from the request's base64 on
/// demand, in chunks, without a base64 string or a second full-size copy. When received through the ASP.NET Core
/// endpoint or middleware, read the audio before the handler returns: the request buffer is reused afterwards.
/// </summary>
public sealed record PostCallAudioEvent : ConvAiWebhookEvent
{
    private readonly ReadOnlyMemory<byte> _base64;
    private readonly byte[]? _decoded;
    private readonly WebhookBodyLease? _lease;

    internal PostCallAudioEvent(ReadOnlyMemory<byte> base64, byte[]? decoded, WebhookBodyLease? lease)
    {
        _base64 = base64;
        _decoded = decoded;
        _lease = lease;
    }

    /// <summary>The agent that took the call.</summary>
    public string? AgentId { get; init; }

    /// <summary>The length of the decoded audio in bytes.</summary>
    public long AudioLength => _decoded?.Length ?? Base64AudioStream.DecodedLength(_base64.Span);

    /// <summary>Opens a read-only stream of the decoded MP3 bytes; each call starts from the beginning.</summary>
    /// <returns>A non-seekable stream that decodes as it is read.</returns>
    /// <exception cref="ObjectDisposedException">The request that carried the event has completed.</exception>
    public Stream OpenAudioStream()
    {
        ThrowIfReleased();
        return _decoded is not null
            ? new MemoryStream(_decoded, writable: false)
            : new Base64AudioStream(_base64, _lease);
    }

    /// <summary>Decodes the MP3 audio into <paramref name="sink"/> (a file, blob upload or other stream).</summary>
    /// <param name="sink">The writable destination.</param>
    /// <param name="cancellationToken">Cancels the copy.</param>
    /// <returns>A task that completes when every byte has been written.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="sink"/> is null.</exception>
    /// <exception cref="ObjectDisposedException">The request that carried the event has completed.</exception>
    public async Task CopyAudioToAsync(Stream sink, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sink);
        var audio = OpenAudioStream();
        await using (audio.ConfigureAwait(false))
        {
            await audio.CopyToAsync(sink, Base64AudioStream.ChunkSize, cancellationToken).ConfigureAwait(false);
        }
    }

    private void ThrowIfReleased() =>
        ObjectDisposedException.ThrowIf(_lease?.IsReleased == true, typeof(PostCallAudioEvent));
}
