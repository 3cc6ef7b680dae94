// ConvAi.Telephony Quickstart: import a Twilio number, assign an agent, place an outbound call with dynamic
// variables, receive the signed post-call webhook, print the transcript and analysis, list recent conversations.
// With no ELEVENLABS_API_KEY it runs against the in-process emulator (ConvAi.Telephony.Testing); see README.md.
using ConvAi.Telephony;
using ConvAi.Telephony.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Quickstart;

// ELEVENLABS_*, TWILIO_*, ... and ConvAi:* keys (ConvAi__BaseAddress, ConvAi__ApiKey) from the environment.
var configuration = new ConfigurationBuilder().AddEnvironmentVariables().AddCommandLine(args).Build();
using var cancellation = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) => { e.Cancel = true; cancellation.Cancel(); };

string step = "start-up";
try
{
    var settings = QuickstartSettings.Load(configuration);
    Console.WriteLine("ConvAi.Telephony Quickstart");
    Console.WriteLine(settings.UseEmulator
        ? "No ELEVENLABS_API_KEY set: running against the in-process emulator (ConvAi.Telephony.Testing). No account, no real phone call."
        : $"API key set: running against the ElevenLabs API{(configuration["ConvAi:BaseAddress"] is { Length: > 0 } b ? $" at {b}" : "")}. This places a real call to {settings.CallToNumber}.");

    // The emulator signs its webhooks with its own secret and posts them to the listener, so the listener starts first.
    var emulatorOptions = settings.UseEmulator ? new ConvAiEmulatorOptions() : null;
    // One tracker for the listener (which publishes verified post-call events to it) and the client (whose
    // WaitForOutcomeAsync completes from them). An app that hosts both in one container gets this from AddConvAiTelephony.
    var outcomes = new CallOutcomeTracker();
    step = "starting the webhook listener";
    await using var listener = settings.ReceivesWebhooks
        ? await WebhookListener.StartAsync(settings.WebhookListenUrl, emulatorOptions?.WebhookSecret, outcomes, cancellation.Token)
        : null;
    if (listener is not null)
    {
        Console.WriteLine($"Webhook listener: {listener.Url}{(settings.PublicWebhookUrl is { } publicUrl ? $" (ElevenLabs posts to {publicUrl})" : "")}");
        listener.Stopping.Register(cancellation.Cancel); // its host takes SIGTERM and Ctrl+C: stop the flow too
    }

    if (emulatorOptions is not null)
    {
        emulatorOptions.WebhookUrl = listener?.Url;
    }

    await using var emulator = emulatorOptions is null ? null : new ConvAiEmulator(emulatorOptions);

    // The registered configuration is where the client reads ELEVENLABS_API_KEY when ConvAi:ApiKey is empty.
    var services = new ServiceCollection().AddLogging().AddSingleton<IConfiguration>(configuration).AddSingleton(outcomes);
    var telephony = services.AddConvAiTelephony(configuration.GetSection(ConvAiTelephonyOptions.SectionName));
    if (emulator is not null)
    {
        telephony.UseConvAiEmulator(emulator); // the emulator's handler and API key; started on the first request
    }

    await using var provider = services.BuildServiceProvider();
    var client = provider.GetRequiredService<IConvAiTelephonyClient>(); // validates the ConvAi options
    Console.WriteLine();

    var flow = new QuickstartFlow(client, settings, Console.Out);
    try
    {
        await flow.RunAsync(cancellation.Token);
    }
    finally
    {
        step = flow.CurrentStep;
    }

    Console.WriteLine("Done.");
    return 0;
}
catch (QuickstartException e)
{
    return Fail(e.ExitCode, e.Message);
}
catch (OptionsValidationException e)
{
    return Fail(QuickstartException.ConfigurationExitCode, $"Configuration: {string.Join(" ", e.Failures)}");
}
catch (ConvAiRateLimitException e)
{
    return Fail(1, $"{step}: rate limited by ElevenLabs ({e.ErrorCode ?? "429"}, {e.CurrentConcurrentRequests?.ToString() ?? "?"}/{e.MaximumConcurrentRequests?.ToString() ?? "?"} concurrent requests). Wait and run again.");
}
catch (ConvAiApiException e)
{
    return Fail(1, $"{step}: {e.Message}");
}
catch (ConvAiCallRejectedException e)
{
    return Fail(1, $"{step}: the API refused to place the call: {e.ServerMessage ?? "no reason given"}.");
}
catch (ConvAiOutcomeUnknownException e)
{
    return Fail(1, $"{step}: the call may or may not have been placed ({e.StatusCode?.ToString() ?? "no answer"}). Before retrying, look for user_id {e.UserId} in the recent conversations.");
}
catch (ArgumentException e)
{
    return Fail(QuickstartException.ConfigurationExitCode, $"{step}: {e.Message}");
}
catch (HttpRequestException e)
{
    return Fail(1, $"{step}: could not reach the API ({e.HttpRequestError}): {e.Message}");
}
catch (IOException e) when (step == "starting the webhook listener")
{
    return Fail(1, $"Could not start the webhook listener on {configuration["WEBHOOK_LISTEN_URL"] ?? "its default address"}: {e.Message} Set WEBHOOK_LISTEN_URL to a free address.");
}
catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
{
    return Fail(130, "Cancelled.");
}

static int Fail(int exitCode, string message)
{
    Console.Out.Flush();
    Console.Error.WriteLine($"error: {message.ReplaceLineEndings(" ")}");
    return exitCode;
}
