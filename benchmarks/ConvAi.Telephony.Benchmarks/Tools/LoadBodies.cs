using System.Globalization;
using System.Text;
using ConvAi.Telephony.AspNetCore;

namespace ConvAi.Telephony.Benchmarks.Tools;

/// <summary>
/// <c>--make-load-bodies &lt;count&gt; &lt;file&gt;</c>: writes <c>count</c> signed 7.5 KB transcript webhooks, one per line
/// as <c>signature header TAB body</c>, each for its own conversation id (so each is a new delivery to the replay
/// store) and signed now (fresh for the 30-minute tolerance). <c>load.lua</c> sends them.
/// </summary>
public static class LoadBodies
{
    /// <summary>Writes the file; returns the process exit code.</summary>
    public static int Write(int count, string path)
    {
        var now = DateTimeOffset.UtcNow;
        var template = Encoding.UTF8.GetString(Payloads.TranscriptWebhook);
        var needle = $"\"{Payloads.FixtureConversationId}\"";
        using var writer = new StreamWriter(path, append: false, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
        for (var i = 0; i < count; i++)
        {
            var body = template.Replace(needle, $"\"conv_load_{i.ToString("D7", CultureInfo.InvariantCulture)}\"", StringComparison.Ordinal);
            var header = ConvAiWebhookSignature.CreateHeader(Payloads.WebhookSecret, Encoding.UTF8.GetBytes(body), now);
            writer.Write(header);
            writer.Write('\t');
            writer.Write(body);
            writer.Write('\n');
        }

        return 0;
    }
}
