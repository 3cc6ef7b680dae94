using System.Diagnostics.Metrics;
using System.Text.Json.Nodes;
using ConvAi.Telephony;
using ConvAi.Telephony.AspNetCore;

namespace MediaStreamBridge;

/// <summary>
/// <c>GET /stats</c> for benchmarks/bridges/run.sh, mapped only when <c>CONVAI_BENCH_STATS=1</c>: the calls bridged now
/// (<see cref="ILiveCalls.Count"/>), this app's agent sessions open (the library's <c>convai.telephony.session.active</c> metric), the
/// managed bytes allocated since the process started and the heap as it is; with <c>?gc=1</c> also the live heap: the heap size
/// less fragmentation after a full blocking, compacting collection. Not part of the sample's job and not for production: a request can force a full collection.
/// </summary>
internal static class BenchmarkStats
{
    public static void MapBenchmarkStatsIfEnabled(this WebApplication app)
    {
        if (app.Configuration["CONVAI_BENCH_STATS"] != "1")
        {
            return;
        }

        // Only this app's meter: the library's meter comes from the app's IMeterFactory.
        var meters = app.Services.GetRequiredService<IMeterFactory>();
        long sessions = 0;
        var listener = new MeterListener
        {
            InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Scope == meters && instrument.Meter.Name == ConvAiTelephonyDiagnostics.MeterName
                    && instrument.Name == ConvAiTelephonyDiagnostics.SessionsActiveInstrument)
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<long>((_, change, _, _) => Interlocked.Add(ref sessions, change));
        listener.Start();
        app.Lifetime.ApplicationStopped.Register(listener.Dispose);

        app.MapGet("/stats", (HttpRequest request, ILiveCalls calls) =>
        {
            var stats = new JsonObject
            {
                ["liveCalls"] = calls.Count,
                ["sessions"] = Interlocked.Read(ref sessions),
                ["allocatedBytes"] = GC.GetTotalAllocatedBytes(precise: true),
                ["heapUsed"] = GC.GetTotalMemory(forceFullCollection: false),
                ["gen0"] = GC.CollectionCount(0),
                ["gen1"] = GC.CollectionCount(1),
                ["gen2"] = GC.CollectionCount(2),
            };
            if (request.Query["gc"] == "1")
            {
                // What survives a full blocking, compacting collection, from that collection's own record. Not
                // GC.GetTotalMemory(true): under the regions GC it can under-count gen0, even below zero (dotnet/runtime#106712).
                GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
                GC.WaitForPendingFinalizers();
                GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
                var collection = GC.GetGCMemoryInfo(GCKind.FullBlocking);
                stats["liveHeap"] = collection.HeapSizeBytes - collection.FragmentedBytes;
                stats["totalMemory"] = GC.GetTotalMemory(forceFullCollection: false);
            }

            return Results.Text(stats.ToJsonString(), "application/json");
        });
    }
}
