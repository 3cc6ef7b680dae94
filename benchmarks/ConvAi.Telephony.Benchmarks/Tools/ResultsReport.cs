using System.Globalization;
using System.Text.Json;

namespace ConvAi.Telephony.Benchmarks.Tools;

/// <summary>
/// <c>--report &lt;results dir&gt; [--cold-start &lt;tsv&gt;] [--assembly &lt;dll&gt;]</c>: reads BenchmarkDotNet's JSON
/// exports and prints one line per case with its ratio to the baseline (of medians, which shared machines disturb
/// less than means), its allocation and whether the target is met.
/// The cold-start file has one line per run: <c>mode wall-milliseconds max-rss-kilobytes</c>.
/// </summary>
public static class ResultsReport
{
    private const double OneMegabyte = 1_000_000;
    private const double ExtraAllocationLimit = 5 * 1024;

    /// <summary>Prints the report; returns 0 when every case has results, 1 when some are missing.</summary>
    public static int Print(string resultsDirectory, string[] extra)
    {
        var results = Load(resultsDirectory);
        var lines = new List<string>();
        var missing = false;

        void Add(Func<string> line)
        {
            try
            {
                lines.Add(line());
            }
            catch (KeyNotFoundException exception)
            {
                missing = true;
                lines.Add($"missing result: {exception.Message}");
            }
        }

        Add(() =>
        {
            var floor = results.Get("WebhookVerifyBenchmarks", "BareHmac");
            var verify = results.Get("WebhookVerifyBenchmarks", "Verify");
            var ratio = verify.Time / floor.Time;
            return $"verify 7.5KB: {Ratio(ratio)} floor, {Bytes(verify.Allocated)} allocated (target <=1.3x, 0 B): {Met(ratio <= 1.3 && verify.Allocated == 0)}";
        });
        Add(() =>
        {
            var floor = results.Get("WebhookVerifyBenchmarks", "BareHmac");
            var naive = results.Get("WebhookVerifyBenchmarks", "NaivePort");
            return $"verify 7.5KB naive port (string concat, hex, ==): {Ratio(naive.Time / floor.Time)} floor, {Bytes(naive.Allocated)} allocated (for comparison)";
        });
        Add(() =>
        {
            var floor = results.Get("WebhookAckPathBenchmarks", "BareHmac");
            var ack = results.Get("WebhookAckPathBenchmarks", "VerifyAndEnvelope");
            var inline = results.Get("WebhookAckPathBenchmarks", "VerifyAndParse");
            var ratio = ack.Time / floor.Time;
            return $"queued ack path (verify + envelope read + delivery key) 7.5KB: {Ratio(ratio)} the HMAC floor ({Micro(ack.Time)} vs {Micro(floor.Time)}), {Bytes(ack.Allocated)} allocated; "
                + $"inline verify + full parse {Ratio(inline.Time / floor.Time)} (target <=1.5x): {Met(ratio <= 1.5)}";
        });
        foreach (var (method, name) in new[] { ("NaiveTyped", "reflection into the typed model"), ("NaiveDictionary", "reflection into Dictionary<string,object>") })
        {
            Add(() =>
            {
                var naive = results.Get("WebhookParseBenchmarks", method);
                var library = results.Get("WebhookParseBenchmarks", "Library");
                var speedup = naive.Time / library.Time;
                var allocation = library.Allocated / naive.Allocated;
                return $"verify+parse 7.5KB vs naive ({name}): speed-up {Ratio(speedup)} (naive {Micro(naive.Time)} / library {Micro(library.Time)}; target >=2x): {Met(speedup >= 2)}; "
                    + $"allocations {Ratio(allocation)} ({Bytes(library.Allocated)} vs {Bytes(naive.Allocated)}; target <=0.5x): {Met(allocation <= 0.5)}";
            });
        }

        Add(() =>
        {
            const string type = "WebhookParseBreakdownBenchmarks";
            var whole = results.Get(type, "Whole");
            string Step(string method, string label)
            {
                var step = results.Get(type, method);
                return $"{label} {Micro(step.Time)} ({step.Time / whole.Time:P0}), {Bytes(step.Allocated)}";
            }

            return $"  where verify+parse goes: whole {Micro(whole.Time)}, {Bytes(whole.Allocated)}; " + string.Join("; ",
                Step("VerifyOnly", "Verify"),
                Step("ReaderPass", "one reader pass"),
                Step("BindSourceGenerated", "data->Conversation source-generated"),
                Step("BindReflection", "(same by reflection"),
                Step("BindWithoutRawFields", "same source-generated without the JsonElement-typed fields")) + ")";
        });
        Add(() =>
        {
            var naive = results.Get("WebhookAudioBenchmarks", "Naive");
            var library = results.Get("WebhookAudioBenchmarks", "Library");
            return $"post_call_audio 10MiB to Stream.Null: {Bytes(library.Allocated)} allocated beyond the body vs naive {Bytes(naive.Allocated)}, "
                + $"{Ratio(library.Time / naive.Time)} naive time (target <=1 MB): {Met(library.Allocated <= OneMegabyte)}";
        });
        foreach (var (label, baseline, method) in new[]
        {
            ("client Conversations.GetAsync", "HandWrittenGet", "LibraryGet"),
            ("client Calls.StartTwilioCallAsync", "HandWrittenStartCall", "LibraryStartCall"),
        })
        {
            var steps = method == "LibraryGet"
                ? new[] { ("HandWrittenGet", "hand-written"), ("PipelineGet", "+ library handlers"), ("RefitGet", "+ Refit"), ("LibraryGet", "+ client class") }
                : new[] { ("HandWrittenStartCall", "hand-written"), ("PipelineStartCall", "+ library handlers"), ("RefitStartCall", "+ Refit"), ("LibraryStartCall", "+ client class") };
            Add(() =>
            {
                var hand = results.Get("ClientOverheadBenchmarks", baseline);
                var library = results.Get("ClientOverheadBenchmarks", method);
                var ratio = library.Time / hand.Time;
                var extraBytes = library.Allocated - hand.Allocated;
                return $"{label}: {Ratio(ratio)} hand-written ({Micro(library.Time)} vs {Micro(hand.Time)}), {SignedBytes(extraBytes)} extra allocated per call "
                    + $"({Bytes(library.Allocated)} vs {Bytes(hand.Allocated)}) (target <=3x, <=5 KB): {Met(ratio <= 3 && extraBytes <= ExtraAllocationLimit)}";
            });
            Add(() => "  steps: " + string.Join(" -> ", steps.Select(step =>
            {
                var value = results.Get("ClientOverheadBenchmarks", step.Item1);
                return $"{step.Item2} {Micro(value.Time)}, {Bytes(value.Allocated)}";
            })));
        }

        Add(() =>
        {
            const int pageSize = Client.PagingBenchmarks.PageSize;
            var ten = results.Get("PagingBenchmarks", "ListAll", "Pages=10");
            var hundred = results.Get("PagingBenchmarks", "ListAll", "Pages=100");
            var handHundred = results.Get("PagingBenchmarks", "HandWritten", "Pages=100");
            var perItemTen = ten.Allocated / (10.0 * pageSize);
            var perItemHundred = hundred.Allocated / (100.0 * pageSize);
            var growth = perItemHundred / perItemTen;
            return $"ListAllAsync 10,000 conversations in 100 pages: {perItemHundred:0} B allocated per item (10 pages: {perItemTen:0} B/item, ratio {growth:0.00}); "
                + $"{Ratio(hundred.Time / handHundred.Time)} time and {Ratio(hundred.Allocated / handHundred.Allocated)} allocation of a hand-written cursor loop "
                + $"(target: per-item allocation independent of page count, within 5%): {Met(Math.Abs(growth - 1) <= 0.05)}";
        });

        var coldStart = Option(extra, "--cold-start");
        if (coldStart is not null)
        {
            // Targets of issue 13: through DI <= 1.5x wall and <= 1.2x peak; without DI <= 1.3x wall; native AOT <= 1.2x wall, <= 1.5x peak.
            Add(() => ColdStartLine(coldStart, "client", "handwritten", "client through DI (AddConvAiTelephony)", 1.5, 1.2));
            Add(() => ColdStartLine(coldStart, "client-noDI", "handwritten", "client new ConvAiTelephonyClient(options), no DI", 1.3, null));
            if (HasMode(coldStart, "stack"))
            {
                // Informational: what the stack costs (floor vs hand-written) and what the library adds on it (client vs floor).
                Add(() => ColdStartLine(coldStart, "stack", "handwritten", "stack floor (DI, IHttpClientFactory, Refit, Polly; no library code)", null, null));
                Add(() => ColdStartLine(coldStart, "client", "stack", "client through DI", null, null, "the stack floor"));
            }

            if (HasMode(coldStart, "r2r-client"))
            {
                Add(() => ColdStartLine(coldStart, "r2r-client", "r2r-handwritten", "client through DI, both ReadyToRun", 1.5, 1.2));
                Add(() => ColdStartLine(coldStart, "r2r-client-noDI", "r2r-handwritten", "client no DI, both ReadyToRun", 1.3, null));
            }

            if (HasMode(coldStart, "aot-client"))
            {
                Add(() => ColdStartLine(coldStart, "aot-client", "aot-handwritten", "client through DI, both native AOT", 1.2, 1.5));
                if (HasMode(coldStart, "aot-stack"))
                {
                    Add(() => ColdStartLine(coldStart, "aot-stack", "aot-handwritten", "stack floor, both native AOT", null, null));
                    Add(() => ColdStartLine(coldStart, "aot-client", "aot-stack", "client through DI, both native AOT", null, null, "the stack floor"));
                }
            }
        }

        var assembly = Option(extra, "--assembly");
        if (assembly is not null)
        {
            var size = new FileInfo(assembly).Length;
            lines.Add($"core assembly {Path.GetFileName(assembly)}: {size / 1024.0:0} KB (target well under 1 MB): {Met(size < 1024 * 1024)}");
        }

        foreach (var line in lines)
        {
            Console.WriteLine(line);
        }

        return missing ? 1 : 0;
    }

    private static bool HasMode(string path, string mode) =>
        File.ReadLines(path).Any(line => line.StartsWith(mode + " ", StringComparison.Ordinal));

    private static string ColdStartLine(string path, string mode, string baselineMode, string subject, double? wallTarget, double? rssTarget, string baselineName = "hand-written")
    {
        var runs = File.ReadAllLines(path)
            .Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Where(parts => parts.Length == 3)
            .Select(parts => (Mode: parts[0], Wall: double.Parse(parts[1], CultureInfo.InvariantCulture), Rss: double.Parse(parts[2], CultureInfo.InvariantCulture)))
            .ToList();
        double Median(string mode, Func<(string Mode, double Wall, double Rss), double> pick)
        {
            var values = runs.Where(run => run.Mode == mode).Select(pick).Order().ToArray();
            return values.Length == 0 ? throw new KeyNotFoundException($"cold start {mode}") : values[values.Length / 2];
        }

        var wall = Median(mode, run => run.Wall);
        var baselineWall = Median(baselineMode, run => run.Wall);
        var rss = Median(mode, run => run.Rss);
        var baselineRss = Median(baselineMode, run => run.Rss);
        var count = runs.Count(run => run.Mode == mode);
        static string Verdict(double ratio, double? target) => target is { } limit ? $"target <={limit:0.0#}x): {Met(ratio <= limit)}" : "informational)";
        return $"cold start, {subject} (1 outbound call + 1 conversation read, median of {count} processes vs {baselineName}): "
            + $"wall {Ratio(wall / baselineWall)} ({wall:0} ms vs {baselineWall:0} ms; {Verdict(wall / baselineWall, wallTarget)}; "
            + $"peak RSS {Ratio(rss / baselineRss)} ({rss / 1024:0.0} MB vs {baselineRss / 1024:0.0} MB; {Verdict(rss / baselineRss, rssTarget)}";
    }

    private static Results Load(string directory)
    {
        var results = new Results();
        foreach (var file in Directory.EnumerateFiles(directory, "*-report-full-compressed.json"))
        {
            using var document = JsonDocument.Parse(File.ReadAllBytes(file));
            foreach (var benchmark in document.RootElement.GetProperty("Benchmarks").EnumerateArray())
            {
                if (!benchmark.TryGetProperty("Statistics", out var statistics) || statistics.ValueKind != JsonValueKind.Object)
                {
                    continue;
                }

                var key = (
                    benchmark.GetProperty("Type").GetString()!,
                    benchmark.GetProperty("Method").GetString()!,
                    benchmark.GetProperty("Parameters").GetString() ?? string.Empty);
                results.Values[key] = (
                    statistics.GetProperty("Median").GetDouble(),
                    benchmark.GetProperty("Memory").GetProperty("BytesAllocatedPerOperation").GetDouble());
            }
        }

        return results;
    }

    private static string? Option(string[] args, string name)
    {
        var index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length ? args[index + 1] : null;
    }

    private static string Met(bool met) => met ? "met" : "NOT MET";

    private static string Ratio(double value) => $"{value.ToString("0.00", CultureInfo.InvariantCulture)}x";

    private static string Micro(double nanoseconds) => $"{(nanoseconds / 1000).ToString("0.0", CultureInfo.InvariantCulture)} us";

    private static string Bytes(double bytes) => bytes switch
    {
        < 10 * 1024 => $"{bytes.ToString("0", CultureInfo.InvariantCulture)} B",
        < 10 * 1024 * 1024 => $"{(bytes / 1024).ToString("0.0", CultureInfo.InvariantCulture)} KB",
        _ => $"{(bytes / (1024 * 1024)).ToString("0.0", CultureInfo.InvariantCulture)} MB",
    };

    private static string SignedBytes(double bytes) => bytes >= 0 ? $"+{Bytes(bytes)}" : $"-{Bytes(-bytes)}";

    private sealed class Results
    {
        public Dictionary<(string Type, string Method, string Parameters), (double Time, double Allocated)> Values { get; } = [];

        public (double Time, double Allocated) Get(string type, string method, string parameters = "") =>
            Values.TryGetValue((type, method, parameters), out var value)
                ? value
                : throw new KeyNotFoundException($"{type}.{method}{(parameters.Length > 0 ? $" ({parameters})" : string.Empty)}");
    }
}
