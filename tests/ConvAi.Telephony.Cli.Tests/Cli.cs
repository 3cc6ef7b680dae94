using System.Text;

namespace ConvAi.Telephony.Cli.Tests;

/// <summary>What one in-process run of <c>convai</c> printed and returned.</summary>
internal sealed record CliResult(int ExitCode, string Output, string Error)
{
    public string All => Output + Error;

    public override string ToString() => $"exit {ExitCode}\n--- stdout\n{Output}--- stderr\n{Error}";
}

/// <summary>Runs the CLI's root command in-process with captured stdout and stderr.</summary>
internal static class Cli
{
    public static Task<CliResult> RunAsync(params string[] args) => RunAsync(new Dictionary<string, string>(), TimeProvider.System, args);

    public static async Task<CliResult> RunAsync(IReadOnlyDictionary<string, string> variables, TimeProvider time, params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var environment = new CliEnvironment
        {
            Output = output,
            Error = error,
            GetVariable = name => variables.GetValueOrDefault(name),
            Time = time,
        };
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var exitCode = await ConvAiCli.RunAsync(args, environment, timeout.Token);
        return new CliResult(exitCode, output.ToString(), error.ToString());
    }

    /// <summary>Starts a long-running command (the emulator); the returned run ends when <c>Stop</c> cancels it.</summary>
    public static RunningCli Start(params string[] args)
    {
        var output = new SignallingWriter();
        var error = new StringWriter();
        var environment = new CliEnvironment { Output = TextWriter.Synchronized(output), Error = TextWriter.Synchronized(error) };
        var stop = new CancellationTokenSource();
        var task = Task.Run(() => ConvAiCli.RunAsync(args, environment, stop.Token));
        return new RunningCli(task, stop, output, error);
    }
}

internal sealed class RunningCli(Task<int> run, CancellationTokenSource stop, SignallingWriter output, StringWriter error) : IAsyncDisposable
{
    public string Output => output.Text;

    public string Error => error.ToString();

    /// <summary>Waits until stdout holds <paramref name="text"/>, failing early if the command ends first.</summary>
    public async Task WaitForOutputAsync(string text)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (!Output.Contains(text, StringComparison.Ordinal))
        {
            if (run.IsCompleted)
            {
                Assert.Fail($"the command ended (exit {await run}) before printing '{text}':\n{Output}\n{Error}");
            }

            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"no '{text}' within 30 s:\n{Output}\n{Error}");
            }

            await output.WaitForWriteAsync(TimeSpan.FromMilliseconds(100));
        }
    }

    /// <summary>Cancels the command as Ctrl+C does and returns its exit code.</summary>
    public async Task<int> StopAsync()
    {
        await stop.CancelAsync();
        return await run.WaitAsync(TimeSpan.FromSeconds(30));
    }

    public async ValueTask DisposeAsync()
    {
        if (!run.IsCompleted)
        {
            await StopAsync();
        }

        stop.Dispose();
    }
}

/// <summary>A string writer whose writes can be awaited, so tests wait for output without polling a clock-driven loop.</summary>
internal sealed class SignallingWriter : StringWriter
{
    private readonly SemaphoreSlim _written = new(0);

    public string Text
    {
        get
        {
            lock (this)
            {
                return ToString();
            }
        }
    }

    public override Encoding Encoding => Encoding.UTF8;

    public override void Write(char value)
    {
        lock (this)
        {
            base.Write(value);
        }

        _written.Release();
    }

    public override void Write(string? value)
    {
        lock (this)
        {
            base.Write(value);
        }

        _written.Release();
    }

    public override void WriteLine(string? value)
    {
        lock (this)
        {
            base.WriteLine(value);
        }

        _written.Release();
    }

    public Task WaitForWriteAsync(TimeSpan timeout) => _written.WaitAsync(timeout);

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _written.Dispose();
        }

        base.Dispose(disposing);
    }
}
