using ConvAi.Telephony;
using ConvAi.Telephony.AspNetCore;
using ConvAi.Telephony.Testing;

namespace ConvAi.Telephony.Cli.Tests;

/// <summary>No command prints a secret it was given, whatever the outcome; usage errors exit 2.</summary>
public class SecretsAndExitCodesTests
{
    private const string Secret = "RECOGNIZABLE_SECRET_7f3e9a";

    [Test]
    public async Task NoCommand_PrintsTheSecretItWasGiven()
    {
        await using var receiver = WebhookReceiverHost.Start();
        await using var emulator = await ConvAiEmulator.StartNewAsync(new ConvAiEmulatorOptions { ApiKey = Secret });
        var directory = Directory.CreateTempSubdirectory("convai-secrets").FullName;
        try
        {
            var body = Path.Combine(directory, "body.json");
            await File.WriteAllTextAsync(body, """{"type":"post_call_audio"}""");
            var header = ConvAiWebhookSignature.CreateHeader(Secret, "{}"u8, DateTimeOffset.UtcNow);
            var environment = new Dictionary<string, string> { ["ELEVENLABS_API_KEY"] = Secret, ["ELEVENLABS_BASE_URL"] = emulator.BaseAddress.ToString() };
            var webhook = receiver.WebhookUrl.ToString();
            string[][] commands =
            [
                ["webhooks", "trigger", "post_call_transcription", "--url", webhook, "--secret", Secret, "--redeliver", "1", "--redeliver-delay-ms", "0"],
                ["webhooks", "trigger", "post_call_audio", "--url", webhook, "--secret", Secret, "--tamper"],
                ["webhooks", "trigger", "call_initiation_failure", "--url", "http://127.0.0.1:1/", "--secret", Secret],
                ["webhooks", "verify", "--secret", Secret, "--header", header, "--body", body],
                ["webhooks", "verify", "--secret", Secret, "--header", "t=1", "--body", body],
                ["webhooks", "verify", "--secret", Secret, "--header", header, "--body", Path.Combine(directory, "missing.json")],
                ["initiation", "test", "--url", receiver.InitiationUrl.ToString(), "--secret", Secret],
                ["calls", "start", "--to", "+14155550123", "--agent-id", "agent_1", "--phone-number-id", "phnum_missing"],
                ["conversations", "list"],
                ["conversations", "get", "conv_missing"],
                ["conversations", "resolve", "https://acme.slack.com/archives/C1/p1", "--agent-id", "agent_1"],
                ["conversations", "audio", "conv_missing", "--output", Path.Combine(directory, "a.mp3")],
                ["conversations", "list", "--api-key", Secret + "_wrong", "--base-url", emulator.BaseAddress.ToString()],
                ["webhooks", "trigger", "post_call_audio", "--url", webhook, "--secret", Secret, "--unknown-option", Secret],
                ["twilio", "call", "--url", "http://127.0.0.1:1/twilio/voice", "--auth-token", Secret],
                ["twilio", "call", "--url", webhook, "--auth-token", Secret, "--no-pacing"],
            ];
            foreach (var args in commands)
            {
                var result = await Cli.RunAsync(environment, TimeProvider.System, args);
                Assert.That(result.All, Does.Not.Contain(Secret), $"convai {string.Join(' ', args.Select(a => a == Secret ? "<secret>" : a))} printed the secret");
            }

            await using var run = Cli.Start("emulator", "--webhook-secret", Secret, "--webhook-url", webhook);
            await run.WaitForOutputAsync("Press Ctrl+C to stop.");
            Assert.That(await run.StopAsync(), Is.EqualTo(0));
            Assert.That(run.Output + run.Error, Does.Not.Contain(Secret), "convai emulator printed the webhook secret");
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [TestCase("")]
    [TestCase("nonsense")]
    [TestCase("webhooks")]
    [TestCase("webhooks|trigger|post_call_transcription|--secret|s")]
    [TestCase("webhooks|trigger|transcript|--url|http://127.0.0.1/|--secret|s")]
    [TestCase("webhooks|trigger|post_call_audio|--url|ftp://x/|--secret|s")]
    [TestCase("webhooks|trigger|post_call_audio|--url|http://127.0.0.1/|--secret| ")]
    [TestCase("webhooks|trigger|post_call_audio|--url|http://127.0.0.1/|--secret|s|--redeliver|-1")]
    [TestCase("webhooks|verify|--secret|s|--header|t=1,v0=0")]
    [TestCase("initiation|test")]
    [TestCase("emulator|--port|70000")]
    [TestCase("emulator|--host|localhost-ish")]
    [TestCase("conversations|get")]
    [TestCase("conversations|resolve|https://acme.slack.com/archives/C1/p1")]
    [TestCase("conversations|resolve|--agent-id|agent_1")]
    [TestCase("twilio|call")]
    [TestCase("twilio|call|--url|ws://127.0.0.1/twilio/voice|--unsigned")]
    [TestCase("twilio|call|--url|http://127.0.0.1/twilio/voice|--unsigned|--dtmf|12x")]
    [TestCase("twilio|call|--url|http://127.0.0.1/twilio/voice|--unsigned|--bursts|-1")]
    [TestCase("twilio|call|--url|http://127.0.0.1/twilio/voice|--unsigned|--max-duration-secs|0")]
    [TestCase("twilio|call|--url|http://127.0.0.1/twilio/voice")]
    [TestCase("twilio|call|--url|http://127.0.0.1/twilio/voice|--unsigned|--audio|/nonexistent/file.wav")]
    public async Task UsageErrors_ExitTwo(string commandLine)
    {
        var result = await Cli.RunAsync(commandLine.Length == 0 ? [] : commandLine.Split('|'));

        Assert.That(result.ExitCode, Is.EqualTo(2), result.ToString());
        Assert.That(result.Error, Does.StartWith("error: "));
    }

    [TestCase(new[] { "--help" }, "Exit codes: 0 ok, 1 a check failed, 2 usage.")]
    [TestCase(new[] { "webhooks", "trigger", "--help" }, "--redeliver")]
    [TestCase(new[] { "emulator", "--help" }, "--seed")]
    [TestCase(new[] { "twilio", "call", "--help" }, "--auth-token")]
    public async Task Help_ExitsZeroAndDescribesTheCommand(string[] args, string expected)
    {
        var result = await Cli.RunAsync(args);

        Assert.That(result.ExitCode, Is.EqualTo(0), result.ToString());
        Assert.That(result.Output, Does.Contain(expected));
    }
}
