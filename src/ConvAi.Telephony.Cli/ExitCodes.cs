namespace ConvAi.Telephony.Cli;

/// <summary>The process exit codes of <c>convai</c> (documented in docs/cli.md).</summary>
internal static class ExitCodes
{
    /// <summary>The command did what was asked and every check passed.</summary>
    public const int Ok = 0;

    /// <summary>A check failed: a delivery was refused, a signature does not verify, an endpoint answered wrongly, the API returned an error.</summary>
    public const int CheckFailed = 1;

    /// <summary>The command line is wrong: unknown command or option, missing or invalid value, missing API key, unreadable file.</summary>
    public const int Usage = 2;

    /// <summary>Ctrl+C or SIGTERM stopped the command before it finished (128 + SIGINT, the shell convention).</summary>
    public const int Interrupted = 130;
}

/// <summary>Thrown by a command when its input is unusable; the CLI prints the message and exits with <see cref="ExitCodes.Usage"/>.</summary>
internal sealed class UsageException(string message) : Exception(message);
