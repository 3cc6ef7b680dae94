using ConvAi.Telephony;
using ConvAi.Telephony.AspNetCore;
using ConvAi.Telephony.Sqlite;

namespace WebhookReceiver;

/// <summary>
/// Receives ElevenLabs' post-call webhooks after <c>MapConvAiWebhooks</c> has verified their signature and dropped
/// duplicates (in queued mode from the inbox processor, which retries a failed call), and reconciled transcriptions,
/// and stores what they carry with upserts keyed by the conversation id. With the SQLite delivery store the writes
/// enlist in the handler call's <see cref="SqliteWebhookTransaction"/> (the results live in the same file), so each
/// result commits together with its delivery's processed mark; with Redis there is none and the upserts stand alone.
/// </summary>
internal sealed class StoringWebhookHandler(
    CallResultStore store,
    ILogger<StoringWebhookHandler> logger,
    SqliteWebhookTransaction? transaction = null) : ConvAiWebhookHandler
{
    public override async Task OnPostCallTranscriptionAsync(PostCallTranscriptionEvent webhookEvent, CancellationToken cancellationToken = default)
    {
        store.SaveTranscription(webhookEvent, await EnlistAsync(cancellationToken));
        Log.TranscriptionStored(logger, webhookEvent.GetData().ConversationId);
    }

    public override async Task OnPostCallAudioAsync(PostCallAudioEvent webhookEvent, CancellationToken cancellationToken = default)
    {
        // The audio is decoded while it is copied; read it before returning. A real app would write it to blob storage.
        var counter = new CountingStream();
        await webhookEvent.CopyAudioToAsync(counter, cancellationToken);
        store.SaveAudioSize(webhookEvent.ConversationId!, counter.Length, await EnlistAsync(cancellationToken)); // after the slow part: the write lock is held from here to the commit
        Log.AudioStored(logger, webhookEvent.ConversationId, counter.Length);
    }

    public override async Task OnCallInitiationFailureAsync(CallInitiationFailureEvent webhookEvent, CancellationToken cancellationToken = default)
    {
        if (webhookEvent.Data.ConversationId is not null)
        {
            store.SaveFailure(webhookEvent.Data, await EnlistAsync(cancellationToken));
        }

        Log.CallNotConnected(logger, webhookEvent.ConversationId, webhookEvent.Data.FailureReason?.ToString());
    }

    /// <summary>The handler call's transaction on the webhook file (SQLite store), or null (Redis: the store writes on its own).</summary>
    private async Task<Microsoft.Data.Sqlite.SqliteTransaction?> EnlistAsync(CancellationToken cancellationToken) =>
        transaction is { IsAvailable: true } ? await transaction.GetTransactionAsync(cancellationToken) : null;

    /// <summary>A write-only stream that counts bytes, so the sample stores the audio's size without keeping it.</summary>
    private sealed class CountingStream : Stream
    {
        private long _length;

        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => _length;
        public override long Position { get => _length; set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => _length += count;
        public override void Write(ReadOnlySpan<byte> buffer) => _length += buffer.Length;
        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            _length += buffer.Length;
            return ValueTask.CompletedTask;
        }
    }
}

/// <summary>Ids only: never transcript text or secrets.</summary>
internal static partial class Log
{
    [LoggerMessage(1, LogLevel.Information, "Stored the transcription of {ConversationId}")]
    public static partial void TranscriptionStored(ILogger logger, string conversationId);

    [LoggerMessage(2, LogLevel.Information, "Stored {Bytes} bytes of audio for {ConversationId}")]
    public static partial void AudioStored(ILogger logger, string? conversationId, long bytes);

    [LoggerMessage(3, LogLevel.Warning, "Call {ConversationId} did not connect: {Reason}")]
    public static partial void CallNotConnected(ILogger logger, string? conversationId, string? reason);
}
