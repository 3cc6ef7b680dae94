namespace ConvAi.Telephony.AspNetCore;

/// <summary>The bridge's pooled arrays (frames from Twilio, messages to Twilio, held caller audio), counted so tests can check every one came back.</summary>
internal sealed class MediaStreamBuffers : CountedBuffers<MediaStreamBuffers>
{
    private MediaStreamBuffers()
    {
    }
}
