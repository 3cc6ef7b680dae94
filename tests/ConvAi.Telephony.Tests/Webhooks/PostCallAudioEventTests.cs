using System.Text;

namespace ConvAi.Telephony.Tests.Webhooks;

public class PostCallAudioEventTests
{
    [Test]
    public void Parse_DocsAudioExample_DecodesMp3Header()
    {
        var webhookEvent = (PostCallAudioEvent)ConvAiWebhookEvent.Parse(WebhookFixtures.Load("post_call_audio.json"));

        using var audio = new MemoryStream();
        webhookEvent.OpenAudioStream().CopyTo(audio);
        Assert.Multiple(() =>
        {
            Assert.That(webhookEvent.Type, Is.EqualTo(ConvAiWebhookEventType.PostCallAudio));
            Assert.That(webhookEvent.AgentId, Is.EqualTo("xyz"));
            Assert.That(webhookEvent.ConversationId, Is.EqualTo("abc"));
            Assert.That(Encoding.ASCII.GetString(audio.ToArray(), 0, 3), Is.EqualTo("ID3"));
            Assert.That(webhookEvent.AudioLength, Is.EqualTo(audio.Length));
        });
    }

    private static IEnumerable<TestCaseData> SizesAndReads()
    {
        foreach (var size in new[] { 0, 1, 2, 3, 4, 5, 100, 65_537, 1_000_003 })
        {
            foreach (var read in new[] { 1, 2, 3, 4, 7, 4096, 100_000 })
            {
                yield return new TestCaseData(size, read).SetName($"OpenAudioStream_Size{size}_Read{read}_DecodesExactly");
            }
        }
    }

    [TestCaseSource(nameof(SizesAndReads))]
    public void OpenAudioStream_AnySizeAnyReadSize_DecodesExactly(int size, int readSize)
    {
        var audio = WebhookFixtures.RandomBytes(size, seed: size);
        var webhookEvent = (PostCallAudioEvent)ConvAiWebhookEvent.Parse(WebhookFixtures.AudioBody(audio));

        using var stream = webhookEvent.OpenAudioStream();
        var decoded = new MemoryStream();
        var buffer = new byte[readSize];
        int read;
        while ((read = stream.Read(buffer, 0, buffer.Length)) > 0)
        {
            decoded.Write(buffer, 0, read);
        }

        Assert.Multiple(() =>
        {
            Assert.That(decoded.ToArray(), Is.EqualTo(audio));
            Assert.That(webhookEvent.AudioLength, Is.EqualTo(size));
        });
    }

    [Test]
    public async Task CopyAudioToAsync_CalledTwice_WritesWholeAudioEachTime()
    {
        var audio = WebhookFixtures.RandomBytes(300_001, seed: 3);
        var webhookEvent = (PostCallAudioEvent)ConvAiWebhookEvent.Parse(WebhookFixtures.AudioBody(audio));
        using var first = new MemoryStream();
        using var second = new MemoryStream();

        await webhookEvent.CopyAudioToAsync(first);
        await webhookEvent.CopyAudioToAsync(second);

        Assert.Multiple(() =>
        {
            Assert.That(first.ToArray(), Is.EqualTo(audio));
            Assert.That(second.ToArray(), Is.EqualTo(audio));
        });
    }

    [Test]
    public void Parse_EscapedBase64_DecodesThroughFallback()
    {
        var audio = WebhookFixtures.RandomBytes(3000, seed: 11);
        var escaped = Convert.ToBase64String(audio).Replace("/", "\\/", StringComparison.Ordinal);
        var body = Encoding.UTF8.GetBytes($$$"""{"type":"post_call_audio","data":{"conversation_id":"c","full_audio":"{{{escaped}}}"}}""");

        var webhookEvent = (PostCallAudioEvent)ConvAiWebhookEvent.Parse(body);
        using var decoded = new MemoryStream();
        webhookEvent.OpenAudioStream().CopyTo(decoded);

        Assert.That(decoded.ToArray(), Is.EqualTo(audio));
    }

    [Test]
    public void Parse_LargeAudio_ReadsAudioFromInputWithoutCopying()
    {
        var audio = WebhookFixtures.RandomBytes(4 * 1024 * 1024, seed: 5);
        var body = WebhookFixtures.AudioBody(audio);
        var before = GC.GetAllocatedBytesForCurrentThread();

        var webhookEvent = (PostCallAudioEvent)ConvAiWebhookEvent.Parse(body);
        using var sink = new MemoryStream(audio.Length);
        webhookEvent.CopyAudioToAsync(sink).GetAwaiter().GetResult();

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before - sink.Capacity;
        Assert.Multiple(() =>
        {
            Assert.That(sink.ToArray(), Is.EqualTo(audio));
            // No base64 string (11 MB as UTF-16) and no second copy: only small, constant-size buffers.
            Assert.That(allocated, Is.LessThan(256 * 1024));
        });
    }

    [Test]
    public void CopyAudioToAsync_NullSink_ThrowsArgumentNullException()
    {
        var webhookEvent = (PostCallAudioEvent)ConvAiWebhookEvent.Parse(WebhookFixtures.Load("post_call_audio.json"));

        var exception = Assert.ThrowsAsync<ArgumentNullException>(() => webhookEvent.CopyAudioToAsync(null!));

        Assert.That(exception!.ParamName, Is.EqualTo("sink"));
    }
}
