using System.CommandLine;
using System.Text.Json;
using ConvAi.Telephony.Cli.Commands;

namespace ConvAi.Telephony.Cli;

/// <summary>Builds the <c>convai</c> command tree and runs one command line.</summary>
internal static class ConvAiCli
{
    /// <summary>Parses and runs <paramref name="args"/>.</summary>
    /// <returns>The exit code: see <see cref="ExitCodes"/>.</returns>
    public static async Task<int> RunAsync(string[] args, CliEnvironment environment, CancellationToken cancellationToken = default)
    {
        var redactor = SecretRedactor.From(args, environment);
        var root = CreateRootCommand(environment);
        var parseResult = root.Parse(args);
        if (parseResult.Errors.Count > 0)
        {
            // Usage errors exit 2 (System.CommandLine's own default is 1, which here means "a check failed").
            foreach (var error in parseResult.Errors)
            {
                await environment.Error.WriteLineAsync("error: " + redactor.Redact(error.Message));
            }

            await environment.Error.WriteLineAsync("Run 'convai --help' (or add --help to the command) for usage.");
            return ExitCodes.Usage;
        }

        var configuration = new InvocationConfiguration
        {
            Output = environment.Output,
            Error = environment.Error,
            EnableDefaultExceptionHandler = false,
            ProcessTerminationTimeout = environment.HandleTermination ? TimeSpan.FromSeconds(5) : null,
        };
        try
        {
            return await parseResult.InvokeAsync(configuration, cancellationToken);
        }
        catch (UsageException ex)
        {
            await environment.Error.WriteLineAsync("error: " + redactor.Redact(ex.Message));
            return ExitCodes.Usage;
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException or JsonException or ConvAiException
            or TaskCanceledException { InnerException: TimeoutException })
        {
            // Network, file and API failures: one line, never a stack trace, and never a header or secret (messages
            // of these exceptions carry URLs and status codes only).
            await environment.Error.WriteLineAsync("failed: " + redactor.Redact(ex.Message));
            return ExitCodes.CheckFailed;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested || environment.HandleTermination)
        {
            // Ctrl+C or SIGTERM before the command finished (the emulator treats them as its normal stop instead).
            await environment.Error.WriteLineAsync("interrupted.");
            return ExitCodes.Interrupted;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            await environment.Error.WriteLineAsync($"failed: {ex.GetType().Name}: {redactor.Redact(ex.Message)}");
            return ExitCodes.CheckFailed;
        }
    }

    /// <summary>Creates the root command with every subcommand.</summary>
    public static RootCommand CreateRootCommand(CliEnvironment environment)
    {
        var root = new RootCommand(
            "convai: the ConvAi.Telephony developer tool. Runs the ElevenLabs telephony emulator, sends and checks signed "
            + "webhooks, tests a conversation-initiation endpoint, calls the API and plays Twilio against a voice webhook and media stream. Exit codes: 0 ok, 1 a check failed, 2 usage.");
        root.Subcommands.Add(EmulatorCommand.Create(environment));
        root.Subcommands.Add(WebhookCommands.Create(environment));
        root.Subcommands.Add(InitiationCommand.Create(environment));
        root.Subcommands.Add(ApiCommands.CreateCalls(environment));
        root.Subcommands.Add(ApiCommands.CreateConversations(environment));
        root.Subcommands.Add(TwilioCommands.Create(environment));
        return root;
    }
}
