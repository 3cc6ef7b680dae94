using System.Runtime.CompilerServices;
using BenchmarkDotNet.Running;
using ConvAi.Telephony.Benchmarks.Tools;

// Tool modes run without touching BenchmarkDotNet, so the cold-start processes load only what they use.
return args switch
{
    ["--cold-start", var mode, var baseAddress] => await ColdStart.RunAsync(mode, new Uri(baseAddress)),
    ["--make-load-bodies", var bodies, var deliveries, var path] => LoadBodies.Write(Number(bodies), Number(deliveries), path, "conv_load_"),
    ["--make-load-bodies", var bodies, var deliveries, var path, var idPrefix] => LoadBodies.Write(Number(bodies), Number(deliveries), path, idPrefix),
    ["--outcome-memory"] => await OutcomeMemory.RunAsync(),
    ["--webhook-load", var scenario] => await WebhookLoad.RunAsync(scenario, rounds: 3),
    ["--webhook-load", var scenario, var rounds] => await WebhookLoad.RunAsync(scenario, Number(rounds)),
    ["--wire-bytes"] => await WireBytes.RunAsync(),
    ["--sessions", var sessions] => await ManySessions.RunAsync(Number(sessions), sequential: false),
    ["--sessions", var sessions, "sequential"] => await ManySessions.RunAsync(Number(sessions), sequential: true),
    ["--bridge-load", .. var options] => await BridgeLoad.RunAsync(options),
    ["--bridge-frames", .. var bridgeFrames] => await ConvAi.Telephony.Benchmarks.Bridge.BridgeHotPath.RunFramesAsync(
        bridgeFrames.Length > 0 ? Number(bridgeFrames[0]) : 20_000, bridgeFrames.Length > 1 ? Number(bridgeFrames[1]) : 5),
    ["--bridge-memory", .. var bridgeCalls] => await ConvAi.Telephony.Benchmarks.Bridge.BridgeHotPath.RunMemoryAsync(bridgeCalls.Length > 0 ? Number(bridgeCalls[0]) : 200),
    ["--bridge-host"] => await ConvAi.Telephony.Benchmarks.Bridge.BridgeProcessHost.RunAsync(),
    ["--report", var resultsDirectory, .. var extra] => ResultsReport.Print(resultsDirectory, extra),
    _ => RunBenchmarks(args),
};

[MethodImpl(MethodImplOptions.NoInlining)]
static int RunBenchmarks(string[] args)
{
    BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
    return 0;
}

static int Number(string text) => int.Parse(text, System.Globalization.CultureInfo.InvariantCulture);
