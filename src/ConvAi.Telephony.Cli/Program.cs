namespace ConvAi.Telephony.Cli;

/// <summary>The entry point of the <c>convai</c> tool.</summary>
internal static class Program
{
    public static Task<int> Main(string[] args) => ConvAiCli.RunAsync(args, CliEnvironment.System);
}
