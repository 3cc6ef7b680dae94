using ConvAi.Telephony.Redis.Tests.Crash;
using Microsoft.Extensions.Hosting;

namespace ConvAi.Telephony.Redis.Tests;

/// <summary>
/// The test assembly doubles as the receiver that the crash test starts as a child process and kills:
/// <c>ConvAi.Telephony.Redis.Tests crash-receiver &lt;redis&gt; &lt;key prefix&gt; &lt;consumer&gt; [stop-in-handler]</c>.
/// </summary>
public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        if (args is not [CrashReceiver.Command, var redis, var prefix, var consumer, .. var rest] || rest is not ([] or [CrashReceiver.StopInHandler]))
        {
            await Console.Error.WriteLineAsync($"usage: {CrashReceiver.Command} <redis> <key prefix> <consumer> [{CrashReceiver.StopInHandler}] (the tests run through dotnet test)");
            return 2;
        }

        var stopInHandler = rest.Length == 1;
        await using var app = await CrashReceiver.StartAsync(redis, prefix, consumer, stopInHandler ? ConvAiWebhookMode.Inline : ConvAiWebhookMode.Queued, stopInHandler);
        Console.WriteLine(CrashReceiver.ListeningPrefix + CrashReceiver.Address(app));
        await app.WaitForShutdownAsync();
        return 0;
    }
}
