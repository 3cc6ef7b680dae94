using System.Text;

namespace ConvAi.Telephony.Tests.Webhooks;

/// <summary>Fixture files, secrets and signing helpers shared by the webhook tests.</summary>
internal static class WebhookFixtures
{
    public const string Secret = "whsec_test_secret";
    public const string OtherSecret = "whsec_rotated_secret";

    /// <summary>The fixed "now" of the fake clock: 2025-02-14T12:48:17Z (1739537297), the docs' event timestamp.</summary>
    public static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeSeconds(1739537297);

    public static byte[] Load(string name) =>
        File.ReadAllBytes(Path.Combine(TestContext.CurrentContext.TestDirectory, "Resources", "Webhooks", name));

    public static string Sign(byte[] body, string secret = Secret, DateTimeOffset? at = null) =>
        ConvAiWebhookSignature.CreateHeader(secret, body, at ?? Now);

    public static byte[] Utf8(string json) => Encoding.UTF8.GetBytes(json);

    /// <summary>A post_call_audio body whose full_audio is the base64 of <paramref name="audio"/>.</summary>
    public static byte[] AudioBody(byte[] audio, string conversationId = "audio-conv") =>
        Utf8($$$"""{"type":"post_call_audio","event_timestamp":1739537297,"data":{"agent_id":"xyz","conversation_id":"{{{conversationId}}}","full_audio":"{{{Convert.ToBase64String(audio)}}}"}}""");

    /// <summary>A transcription whose envelope is fine but whose <c>data.transcript</c> does not fit the model (a string).</summary>
    public static byte[] MalformedTranscription(string conversationId = "bad1") => Utf8(
        $$$"""{"type":"post_call_transcription","event_timestamp":1739537297,"data":{"agent_id":"xyz","conversation_id":"{{{conversationId}}}","status":"done","transcript":"SECRET-TURN-TEXT"}}""");

    public static byte[] RandomBytes(int length, int seed)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }
}
