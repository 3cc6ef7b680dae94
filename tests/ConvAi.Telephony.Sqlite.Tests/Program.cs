using ConvAi.Telephony.Sqlite.Tests.Crash;

namespace ConvAi.Telephony.Sqlite.Tests;

/// <summary>
/// The test assembly doubles as the worker that the crash tests start as a child process and kill:
/// <c>ConvAi.Telephony.Sqlite.Tests crash-worker &lt;database file&gt;</c>, with the moment to stop at in
/// <c>CONVAI_CRASH_AT</c> (see <see cref="CrashWorker"/>).
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

        await CrashWorker.RunChildAsync(path);
        return 0;
    }
}
