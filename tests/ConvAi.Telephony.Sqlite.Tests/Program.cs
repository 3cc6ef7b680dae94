using ConvAi.Telephony.Sqlite.Tests.Crash;
using Microsoft.Extensions.Hosting;

namespace ConvAi.Telephony.Sqlite.Tests;

/// <summary>
/// The test assembly doubles as the worker that the crash test starts as a child process and kills:
/// <c>ConvAi.Telephony.Sqlite.Tests crash-worker &lt;database file&gt;</c>.
/// </summary>
public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        if (args is not [CrashWorker.Command, var path])
        {
            await Console.Error.WriteLineAsync($"usage: {CrashWorker.Command} <database file> (the tests run through dotnet test)");
            return 2;
        }

        using var host = CrashWorker.Build(path);
        await host.StartAsync();
        Console.WriteLine(CrashWorker.ReadyLine);
        await host.WaitForShutdownAsync();
        return 0;
    }
}
