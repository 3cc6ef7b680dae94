using ConvAi.Telephony;
using Microsoft.Extensions.Configuration;

namespace Quickstart;

/// <summary>What the Quickstart runs against, read from environment variables (and <c>--key=value</c> arguments).</summary>
internal sealed record QuickstartSettings
{
    /// <summary>The route the webhook listener serves.</summary>
    public const string WebhookPath = "/webhooks/elevenlabs";

    /// <summary>True when no API key is set: the in-process emulator stands in for ElevenLabs.</summary>
    public bool UseEmulator { get; init; }

    public string AgentId { get; init; } = "";

    /// <summary>The Twilio number to import (or reuse), in E.164.</summary>
    public string PhoneNumber { get; init; } = "";

    public string? TwilioAccountSid { get; init; }

    public string? TwilioAuthToken { get; init; }

    /// <summary>Whom the Quickstart calls, in E.164.</summary>
    public string CallToNumber { get; init; } = "";

    /// <summary>Where ElevenLabs sends post-call webhooks (a tunnel to <see cref="WebhookListenUrl"/>); null: poll instead.</summary>
    public Uri? PublicWebhookUrl { get; init; }

    /// <summary>The local address the webhook listener binds (port 0: any free port).</summary>
    public string WebhookListenUrl { get; init; } = "";

    /// <summary>How long to wait for the call to end.</summary>
    public TimeSpan CallTimeout { get; init; }

    /// <summary>How often to read the conversation when polling.</summary>
    public TimeSpan PollInterval { get; init; }

    /// <summary>True when the call's end is learnt from the signed post-call webhook rather than by polling.</summary>
    public bool ReceivesWebhooks => UseEmulator || PublicWebhookUrl is not null;

    /// <summary>Reads the settings; a missing or malformed value is a <see cref="QuickstartException"/> naming the variable.</summary>
    public static QuickstartSettings Load(IConfiguration configuration)
    {
        var useEmulator = string.IsNullOrWhiteSpace(configuration["ELEVENLABS_API_KEY"])
            && string.IsNullOrWhiteSpace(configuration["ConvAi:ApiKey"]);

        // The emulator accepts any agent and any Twilio credentials; the real API needs yours.
        string? Read(string key, string emulatorDefault) =>
            Get(configuration, key) ?? (useEmulator ? emulatorDefault : null);

        var agentId = Read("ELEVENLABS_AGENT_ID", "agent_quickstart");
        var phoneNumber = Read("TWILIO_PHONE_NUMBER", "+14155550100");
        var callTo = Read("CALL_TO_NUMBER", "+447700900123");
        var missing = new[] { ("ELEVENLABS_AGENT_ID", agentId), ("TWILIO_PHONE_NUMBER", phoneNumber), ("CALL_TO_NUMBER", callTo) }
            .Where(entry => entry.Item2 is null)
            .Select(entry => entry.Item1)
            .ToList();
        if (missing.Count > 0)
        {
            throw new QuickstartException(
                $"ELEVENLABS_API_KEY is set, so the Quickstart calls the real API and needs {string.Join(", ", missing)} too (see samples/Quickstart/README.md).",
                QuickstartException.ConfigurationExitCode);
        }

        Uri? publicWebhookUrl = null;
        if (Get(configuration, "PUBLIC_WEBHOOK_URL") is { } publicUrl
            && (!Uri.TryCreate(publicUrl, UriKind.Absolute, out publicWebhookUrl) || publicWebhookUrl.Scheme is not ("https" or "http")))
        {
            throw new QuickstartException("PUBLIC_WEBHOOK_URL must be an absolute http(s) URL, e.g. https://example.ngrok.app/webhooks/elevenlabs.", QuickstartException.ConfigurationExitCode);
        }

        return new QuickstartSettings
        {
            UseEmulator = useEmulator,
            AgentId = agentId!,
            PhoneNumber = ToE164(phoneNumber!, "TWILIO_PHONE_NUMBER"),
            TwilioAccountSid = Read("TWILIO_ACCOUNT_SID", "AC00000000000000000000000000000000"),
            TwilioAuthToken = Read("TWILIO_AUTH_TOKEN", "emulator-twilio-token"),
            CallToNumber = ToE164(callTo!, "CALL_TO_NUMBER"),
            PublicWebhookUrl = useEmulator ? null : publicWebhookUrl,
            WebhookListenUrl = Get(configuration, "WEBHOOK_LISTEN_URL") ?? (useEmulator ? "http://127.0.0.1:0" : "http://127.0.0.1:5080"),
            CallTimeout = useEmulator ? TimeSpan.FromSeconds(30) : TimeSpan.FromMinutes(15),
            PollInterval = TimeSpan.FromSeconds(5),
        };
    }

    private static string? Get(IConfiguration configuration, string key) =>
        configuration[key] is { } value && !string.IsNullOrWhiteSpace(value) ? value.Trim() : null;

    private static string ToE164(string value, string key) =>
        PhoneNumberFormat.TryNormalizeE164(value, out var e164)
            ? e164
            : throw new QuickstartException($"{key} must be a phone number in E.164 form, such as +14155550100.", QuickstartException.ConfigurationExitCode);
}

/// <summary>A failure the Quickstart explains in one line, with the process exit code to use.</summary>
internal sealed class QuickstartException(string message, int exitCode = QuickstartException.StepFailedExitCode) : Exception(message)
{
    /// <summary>A step failed (the API refused it, the call did not connect, nothing arrived in time).</summary>
    public const int StepFailedExitCode = 1;

    /// <summary>The environment is incomplete or malformed.</summary>
    public const int ConfigurationExitCode = 2;

    public int ExitCode { get; } = exitCode;
}
