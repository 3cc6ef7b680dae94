using System.Text;
using Microsoft.Extensions.Time.Testing;

namespace ConvAi.Telephony.Tests.Webhooks;

/// <summary>Seeded random and mutated headers and bodies: the verifier never throws and never accepts a wrong signature.</summary>
public class ConvAiWebhookSignatureFuzzTests
{
    private const int Cases = 5_000;
    private const string Alphabet = "t=v0,1234567890abcdefABCDEF ,=;\t-+xyz\u00e9\u0000";

    [Test]
    public void Verify_RandomAndMutatedInput_NeverThrowsNeverAcceptsWrongSignature()
    {
        var random = new Random(20261125);
        var time = new FakeTimeProvider(WebhookFixtures.Now);
        var verifier = new ConvAiWebhookSignature(WebhookFixtures.Secret, time);
        var accepted = 0;
        var results = new Dictionary<ConvAiWebhookSignatureResult, int>();

        for (var i = 0; i < Cases; i++)
        {
            var body = WebhookFixtures.RandomBytes(random.Next(0, 2048), random.Next());
            var validHeader = ConvAiWebhookSignature.CreateHeader(WebhookFixtures.Secret, body, WebhookFixtures.Now.AddSeconds(random.Next(-600, 60)));
            var (header, candidateBody, shouldBeValid) = Mutate(random, validHeader, body);

            ConvAiWebhookSignatureResult result;
            try
            {
                result = verifier.Verify(candidateBody, header);
            }
            catch (Exception exception)
            {
                Assert.Fail($"Case {i} threw {exception.GetType().Name} for header '{header}'.");
                return;
            }

            results[result] = results.GetValueOrDefault(result) + 1;
            if (result == ConvAiWebhookSignatureResult.Valid)
            {
                accepted++;
                Assert.That(shouldBeValid, Is.True, $"Case {i} accepted a wrong signature: header '{header}'.");
            }
            else
            {
                Assert.That(shouldBeValid, Is.False, $"Case {i} rejected a valid signature ({result}): header '{header}'.");
            }
        }

        // The generator must exercise every outcome, or the test proves little.
        Assert.Multiple(() =>
        {
            Assert.That(accepted, Is.GreaterThan(Cases / 10));
            foreach (var outcome in Enum.GetValues<ConvAiWebhookSignatureResult>())
            {
                Assert.That(results.GetValueOrDefault(outcome), Is.GreaterThan(0), outcome.ToString());
            }
        });
    }

    private static (string? Header, byte[] Body, bool ShouldBeValid) Mutate(Random random, string validHeader, byte[] body)
    {
        switch (random.Next(9))
        {
            case 0:
                return (validHeader, body, true);
            case 1: // flip one character of the header (a digest or timestamp change can never stay valid)
            {
                var chars = validHeader.ToCharArray();
                var index = random.Next(chars.Length);
                var replacement = Alphabet[random.Next(Alphabet.Length)];
                var unchanged = chars[index] == replacement
                    || (chars[index] is >= 'a' and <= 'f' && char.ToUpperInvariant(chars[index]) == replacement && index > validHeader.IndexOf("v0=", StringComparison.Ordinal) + 2)
                    || (char.IsWhiteSpace(replacement) && (index == 0 || index == chars.Length - 1 || chars[index] == ','));
                chars[index] = replacement;
                return (new string(chars), body, unchanged && IsOnlyCosmetic(validHeader, new string(chars)));
            }

            case 2 when body.Length > 0: // flip one bit of the body
            {
                var copy = (byte[])body.Clone();
                copy[random.Next(copy.Length)] ^= (byte)(1 << random.Next(8));
                return (validHeader, copy, false);
            }

            case 3: // random garbage header
            {
                var builder = new StringBuilder();
                var length = random.Next(0, 120);
                for (var i = 0; i < length; i++)
                {
                    builder.Append(Alphabet[random.Next(Alphabet.Length)]);
                }

                return (builder.ToString(), body, false);
            }

            case 4: // signed with another secret
                return (ConvAiWebhookSignature.CreateHeader("whsec_attacker", body, WebhookFixtures.Now), body, false);
            case 5: // reordered, padded, with extra wrong v0 entries: still valid
            {
                var parts = validHeader.Split(',');
                var wrong = "v0=" + Convert.ToHexString(WebhookFixtures.RandomBytes(32, random.Next())).ToLowerInvariant();
                var entries = new List<string> { parts[0], parts[1], wrong };
                entries = entries.OrderBy(_ => random.Next()).ToList();
                return (string.Join(" , ", entries), body, true);
            }

            case 6: // truncated header
                return (validHeader[..random.Next(validHeader.Length)], body, false);
            case 7: // stale or far future timestamp
                return (ConvAiWebhookSignature.CreateHeader(WebhookFixtures.Secret, body, WebhookFixtures.Now.AddSeconds(random.Next(2) == 0 ? -1801 - random.Next(100000) : 301 + random.Next(100000))), body, false);
            default: // missing
                return (random.Next(2) == 0 ? null : string.Empty, body, false);
        }
    }

    /// <summary>True when a single-character change only altered hex case or white space at an entry boundary.</summary>
    private static bool IsOnlyCosmetic(string original, string mutated) =>
        string.Equals(
            string.Join(",", original.Split(',').Select(part => part.Trim().ToLowerInvariant())),
            string.Join(",", mutated.Split(',').Select(part => part.Trim().ToLowerInvariant())),
            StringComparison.Ordinal)
        && !mutated.Split(',').Any(part => part.Trim().StartsWith("T=", StringComparison.Ordinal) || part.Trim().StartsWith("V0=", StringComparison.Ordinal));
}
