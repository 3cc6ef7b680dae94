using System.Diagnostics.Metrics;
using System.Text.Json.Nodes;
using ConvAi.Telephony;
using ConvAi.Telephony.AspNetCore;

namespace MediaStreamBridge;

/// <summary>
/// <c>GET /stats</c> for benchmarks/bridges/run.sh, mapped only when <c>CONVAI_BENCH_STATS=1</c>: the calls bridged now
/// (<see cref="ILiveCalls.Count"/>), the agent sessions open (the library's <c>convai.telephony.session.active</c> metric), the
/// managed bytes allocated since the process started and the heap as it is; with <c>?gc=1</c> also the live heap, after a full
/// blocking collection. Not part of the sample's job and not for production: a request can force a full collection.
/// </summary>
internal static class BenchmarkStats
{
    private static readonly MeterListener Sessions = new();
    private static long _sessions;

    public static void MapBenchmarkStatsIfEnabled(this WebApplication app)
    {
        if (app.Configuration["CONVAI_BENCH_STATS"] != "1")
        {
            return;
        }

        Sessions.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == ConvAiTelephonyDiagnostics.MeterName && instrument.Name == ConvAiTelephonyDiagnostics.SessionsActiveInstrument)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        Sessions.SetMeasurementEventCallback<long>((_, change, _, _) => Interlocked.Add(ref _sessions, change));
        Sessions.Start();

        app.MapGet("/stats", (HttpRequest request, ILiveCalls calls) =>
        {
            var stats = new JsonObject
            {
                ["liveCalls"] = calls.Count,
                ["sessions"] = Interlocked.Read(ref _sessions),
                ["allocatedBytes"] = GC.GetTotalAllocatedBytes(precise: true),
                ["heapUsed"] = GC.GetTotalMemory(forceFullCollection: false),
                ["gen0"] = GC.CollectionCount(0),
                ["gen1"] = GC.CollectionCount(1),
                ["gen2"] = GC.CollectionCount(2),
            };
            if (request.Query["gc"] == "1")
            {
                stats["liveHeap"] = GC.GetTotalMemory(forceFullCollection: true);
            }

            return Results.Text(stats.ToJsonString(), "application/json");
        });
    }
}
