using System.Globalization;
using System.Text;
using ConvAi.Telephony;
using ConvAi.Telephony.AspNetCore;

namespace ConvAi.Telephony.Benchmarks.Tools;

/// <summary>
/// <c>--make-load-bodies &lt;bodies&gt; &lt;deliveries&gt; &lt;file&gt; [conversation id prefix]</c>: writes the signed 7.5 KB transcript webhooks
/// <c>load.lua</c> sends. There are <c>bodies</c> bodies, each for its own conversation id (<c>B TAB body</c> lines),
/// and <c>deliveries</c> signature headers (<c>H TAB body index TAB header</c> lines): delivery j signs body
/// <c>j % bodies</c> at <c>now - j / bodies</c> seconds. Every delivery therefore has its own signature and is new to
/// the replay store, every timestamp is inside the 30-minute tolerance, and the file stays small.
/// </summary>
public static class LoadBodies
{
    /// <summary>The most deliveries per body: 1,500 distinct seconds, 25 minutes, inside the 30-minute tolerance.</summary>
    public const int MaxDeliveriesPerBody = 1_500;

    /// <summary>Writes the file; returns the process exit code.</summary>
    public static int Write(int bodyCount, int deliveries, string path, string idPrefix)
    {
        if (bodyCount < 1 || deliveries < 1 || deliveries > bodyCount * MaxDeliveriesPerBody)
        {
            Console.Error.WriteLine($"need 1 <= deliveries <= bodies * {MaxDeliveriesPerBody}");
            return 2;
        }

        var now = DateTimeOffset.UtcNow;
        var bodies = Enumerable.Range(0, bodyCount)
            .Select(i => Payloads.TranscriptWebhookFor($"{idPrefix}{i.ToString("D5", CultureInfo.InvariantCulture)}"))
            .ToArray();
        using var writer = new StreamWriter(path, append: false, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false)) { NewLine = "\n" };
        foreach (var body in bodies)
        {
            writer.WriteLine($"B\t{Encoding.UTF8.GetString(body)}");
        }

        for (var j = 0; j < deliveries; j++)
        {
            var index = j % bodyCount;
            var header = ConvAiWebhookSignature.CreateHeader(Payloads.WebhookSecret, bodies[index], now.AddSeconds(-(j / bodyCount)));
            writer.WriteLine(string.Create(CultureInfo.InvariantCulture, $"H\t{index}\t{header}"));
        }

        return 0;
    }
}
