namespace ConvAi.Telephony.Cli;

/// <summary>
/// What a command reads from and writes to outside its arguments: the output streams, environment variables, the clock
/// and the current directory. Tests pass their own, so every command runs in-process with captured output.
/// </summary>
internal sealed class CliEnvironment
{
    /// <summary>Gets the environment of the real process.</summary>
    public static CliEnvironment System { get; } = new()
    {
        Output = Console.Out,
        Error = Console.Error,
        GetVariable = Environment.GetEnvironmentVariable,
        HandleTermination = true,
    };

    /// <summary>Gets where results go (stdout).</summary>
    public required TextWriter Output { get; init; }

    /// <summary>Gets where diagnostics and problems go (stderr).</summary>
    public required TextWriter Error { get; init; }

    /// <summary>Gets the lookup of environment variables such as <c>ELEVENLABS_API_KEY</c>.</summary>
    public Func<string, string?> GetVariable { get; init; } = _ => null;

    /// <summary>Gets the clock behind signing times, staleness and latencies.</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>Gets a value indicating whether Ctrl+C and SIGTERM cancel the running command (off in tests, which cancel it themselves).</summary>
    public bool HandleTermination { get; init; }
}
