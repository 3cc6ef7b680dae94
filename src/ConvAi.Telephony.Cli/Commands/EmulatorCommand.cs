using System.CommandLine;
using System.Net;
using ConvAi.Telephony.Testing;

namespace ConvAi.Telephony.Cli.Commands;

/// <summary><c>convai emulator</c>: runs ConvAi.Telephony.Testing's emulator as a standalone server until Ctrl+C or SIGTERM.</summary>
internal static class EmulatorCommand
{
    private static readonly TimeSpan DeliveryPollInterval = TimeSpan.FromMilliseconds(200);

    public static Command Create(CliEnvironment environment)
    {
        var port = new Option<int>("--port", "-p") { Description = "TCP port to listen on (0 picks a free one).", DefaultValueFactory = _ => 0 };
        var host = new Option<string>("--host") { Description = "Address to listen on: 127.0.0.1 (default), or 0.0.0.0 in a container.", DefaultValueFactory = _ => "127.0.0.1" };
        var apiKey = new Option<string?>("--api-key") { Description = "The API key clients must send in xi-api-key (default: emulator-key)." };
        var webhookUrl = CliOptions.Url("--webhook-url", "Where to POST signed post-call webhooks when calls end.");
        var webhookSecret = new Option<string?>("--webhook-secret") { Description = "The secret that signs the webhooks (default: emulator-webhook-secret)." };
        var audio = new Option<bool>("--audio-webhooks") { Description = "Also send a post_call_audio webhook after each post_call_transcription." };
        var stepDelay = new Option<int>("--step-delay-ms") { Description = "Milliseconds each call spends in each status before done.", DefaultValueFactory = _ => 2000 };
        var seed = new Option<FileInfo?>("--seed") { Description = "A JSON seed file: phone numbers, busy/no-answer numbers and calls to place (see docs/cli.md)." };
        port.Validators.Add(r => { if (r.GetValueOrDefault<int>() is < 0 or > 65535) { r.AddError("--port must be between 0 and 65535."); } });
        stepDelay.Validators.Add(r => { if (r.GetValueOrDefault<int>() < 0) { r.AddError("--step-delay-ms must not be negative."); } });

        var command = new Command("emulator", "Run the ElevenLabs telephony API emulator as a server (Ctrl+C stops it).")
        {
            port, host, apiKey, webhookUrl, webhookSecret, audio, stepDelay, seed,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            if (!IPAddress.TryParse(parse.GetValue(host), out var address))
            {
                throw new UsageException("--host must be an IP address such as 127.0.0.1 or 0.0.0.0.");
            }

            var url = parse.GetValue(webhookUrl);
            var seedFile = parse.GetValue(seed);
            var seedData = seedFile is null ? null : EmulatorSeed.Load(seedFile.FullName);
            var options = new ConvAiEmulatorOptions
            {
                Port = parse.GetValue(port),
                ListenAddress = address,
                WebhookUrl = url,
                SendAudioWebhook = parse.GetValue(audio),
                StepDelay = TimeSpan.FromMilliseconds(parse.GetValue(stepDelay)),
            };
            options.ApiKey = parse.GetValue(apiKey) is { Length: > 0 } key ? key : options.ApiKey;
            var secretGiven = parse.GetValue(webhookSecret) is { Length: > 0 };
            options.WebhookSecret = secretGiven ? parse.GetValue(webhookSecret)! : options.WebhookSecret;
            seedData?.ApplyTo(options);

            await using var emulator = new ConvAiEmulator(options);
            await emulator.StartAsync(cancellationToken);
            var output = environment.Output;
            await output.WriteLineAsync($"ConvAi emulator listening on {emulator.BaseAddress}");
            await output.WriteLineAsync($"API key: {emulator.ApiKey}   (send it in the xi-api-key header; set ELEVENLABS_API_KEY to it for SDKs)");
            await output.WriteLineAsync($"Agent socket: ws://{emulator.BaseAddress.Authority}/v1/convai/conversation?agent_id=...   (signed URLs from GET /v1/convai/conversation/get-signed-url)");
            await output.WriteLineAsync(url is null
                ? "Webhooks: built and signed, not sent (pass --webhook-url to deliver them)"
                : $"Webhooks: POST {url} signed with " + (secretGiven ? "the --webhook-secret given" : "the default secret emulator-webhook-secret"));
            if (seedData is not null)
            {
                await using var connection = ApiConnection.ForEmulator(emulator);
                var (numbers, conversations) = await seedData.ApplyAsync(connection.Client, cancellationToken);
                await output.WriteLineAsync($"Seeded from {seedFile!.Name}: {numbers.Count} phone number(s), {conversations.Count} call(s)");
                foreach (var (number, id) in numbers)
                {
                    await output.WriteLineAsync($"  phone number {number}  {id}");
                }

                foreach (var conversationId in conversations)
                {
                    await output.WriteLineAsync($"  conversation {conversationId}");
                }
            }

            await output.WriteLineAsync("Press Ctrl+C to stop.");
            await output.FlushAsync(cancellationToken);
            await ReportDeliveriesUntilStoppedAsync(emulator, environment, cancellationToken);
            await output.WriteLineAsync("Emulator stopped.");
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>Prints each webhook delivery as it happens, until the command is cancelled.</summary>
    private static async Task ReportDeliveriesUntilStoppedAsync(ConvAiEmulator emulator, CliEnvironment environment, CancellationToken cancellationToken)
    {
        var reported = 0;
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(DeliveryPollInterval, environment.Time, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }

            var deliveries = emulator.WebhookDeliveries;
            for (; reported < deliveries.Count; reported++)
            {
                var d = deliveries[reported];
                var result = d.Url is null ? "not sent" : d.StatusCode is { } status ? $"HTTP {status}" : "failed: " + d.Error;
                await environment.Output.WriteLineAsync($"webhook {d.EventType} {d.ConversationId} -> {result}");
            }
        }
    }
}
