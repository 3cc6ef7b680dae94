using System.Globalization;
using System.Text.Json;

namespace ConvAi.Telephony.Benchmarks.Tools;

/// <summary>
/// <c>--report &lt;results dir&gt; [--cold-start &lt;tsv&gt;] [--assembly &lt;dll&gt;]</c>: reads BenchmarkDotNet's JSON
/// exports and prints one line per case with its ratio to the baseline (of medians, which shared machines disturb
/// less than means), its allocation and whether the target is met.
/// The cold-start file has one line per run: <c>mode wall-milliseconds max-rss-kilobytes [cpu-milliseconds]</c>.
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
            // Issue 28: the library's own share over the stack it is built on. Through DI, JIT, whole process:
            // <= 1.25x the stack floor's wall time and <= 1.15x its peak RSS. The other lines are informational
            // (issue 13's ratios to a hand-written program are kept for comparison; native AOT reports the same ratio).
            if (HasMode(coldStart, "stack"))
            {
                Add(() => ColdStartLine(coldStart, "client", "stack", "client through DI (AddConvAiTelephony)", 1.25, 1.15, "the stack floor"));
            }

            if (HasMode(coldStart, "handwritten"))
            {
                if (HasMode(coldStart, "stack"))
                {
                    Add(() => ColdStartLine(coldStart, "stack", "handwritten", "stack floor (DI, IHttpClientFactory, Refit, Polly; no library code)", null, null));
                }

                Add(() => ColdStartLine(coldStart, "client", "handwritten", "client through DI (AddConvAiTelephony)", null, null));
            }

            if (HasMode(coldStart, "client-noDI") && HasMode(coldStart, "handwritten"))
            {
                Add(() => ColdStartLine(coldStart, "client-noDI", "handwritten", "client new ConvAiTelephonyClient(options), no DI", null, null));
            }

            if (HasMode(coldStart, "r2r-client"))
            {
                if (HasMode(coldStart, "r2r-stack"))
                {
                    Add(() => ColdStartLine(coldStart, "r2r-client", "r2r-stack", "client through DI, both ReadyToRun", null, null, "the stack floor"));
                }

                if (HasMode(coldStart, "r2r-handwritten"))
                {
                    Add(() => ColdStartLine(coldStart, "r2r-client", "r2r-handwritten", "client through DI, both ReadyToRun", null, null));
                }
            }

            if (HasMode(coldStart, "aot-client"))
            {
                if (HasMode(coldStart, "aot-stack"))
                {
                    Add(() => ColdStartLine(coldStart, "aot-client", "aot-stack", "client through DI, both native AOT", null, null, "the stack floor"));
                    Add(() => ColdStartLine(coldStart, "aot-stack", "aot-handwritten", "stack floor, both native AOT", null, null));
                }

                Add(() => ColdStartLine(coldStart, "aot-client", "aot-handwritten", "client through DI, both native AOT", null, null));
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

    /// <summary>
    /// One cold-start comparison: the medians of both modes with their range, and the median (with range) of the ratios
    /// of runs taken in the same round (run.sh runs the modes in turn, so the n-th run of each mode is one pair).
    /// </summary>
    private static string ColdStartLine(string path, string mode, string baselineMode, string subject, double? wallTarget, double? rssTarget, string baselineName = "hand-written")
    {
        var runs = File.ReadAllLines(path)
            .Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Where(parts => parts.Length is 3 or 4)
            .Select(parts => (
                Mode: parts[0],
                Wall: double.Parse(parts[1], CultureInfo.InvariantCulture),
                Rss: double.Parse(parts[2], CultureInfo.InvariantCulture),
                Cpu: parts.Length == 4 ? double.Parse(parts[3], CultureInfo.InvariantCulture) : (double?)null))
            .ToList();
        var subjectRuns = runs.Where(run => run.Mode == mode).ToArray();
        var baselineRuns = runs.Where(run => run.Mode == baselineMode).ToArray();
        if (subjectRuns.Length == 0 || baselineRuns.Length == 0)
        {
            throw new KeyNotFoundException($"cold start {(subjectRuns.Length == 0 ? mode : baselineMode)}");
        }

        var pairs = Math.Min(subjectRuns.Length, baselineRuns.Length);
        static double Median(IEnumerable<double> values)
        {
            var sorted = values.Order().ToArray();
            return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
        }

        static string Range(IEnumerable<double> values, Func<double, string> format)
        {
            var sorted = values.Order().ToArray();
            return $"{format(sorted[0])}-{format(sorted[^1])}";
        }

        static string Ms(double value) => value.ToString("0", CultureInfo.InvariantCulture);
        static string Mb(double kilobytes) => (kilobytes / 1024).ToString("0.0", CultureInfo.InvariantCulture);
        static string Plain(double ratio) => ratio.ToString("0.00", CultureInfo.InvariantCulture);
        static string Verdict(double ratio, double? target) => target is { } limit ? $"target <={limit:0.0#}x: {Met(ratio <= limit)}" : "informational";

        var wallRatios = Enumerable.Range(0, pairs).Select(i => subjectRuns[i].Wall / baselineRuns[i].Wall).ToArray();
        var rssRatios = Enumerable.Range(0, pairs).Select(i => subjectRuns[i].Rss / baselineRuns[i].Rss).ToArray();
        var wallRatio = Median(wallRatios);
        var rssRatio = Median(rssRatios);

        // CPU (user + system) when recorded: the load disturbs it less than wall time. Ratios of pairs, with their interquartile range.
        var cpu = string.Empty;
        if (subjectRuns.Take(pairs).Concat(baselineRuns.Take(pairs)).All(run => run.Cpu is > 0))
        {
            var cpuRatios = Enumerable.Range(0, pairs).Select(i => subjectRuns[i].Cpu!.Value / baselineRuns[i].Cpu!.Value).Order().ToArray();
            var quartile = (Low: cpuRatios[(cpuRatios.Length - 1) / 4], High: cpuRatios[(3 * (cpuRatios.Length - 1) + 3) / 4]);
            cpu = $"; CPU {Ratio(Median(cpuRatios))} [IQR {Plain(quartile.Low)}-{Plain(quartile.High)}] "
                + $"({Ms(Median(subjectRuns.Select(r => r.Cpu!.Value)))} ms vs {Ms(Median(baselineRuns.Select(r => r.Cpu!.Value)))} ms)";
        }

        return $"cold start, {subject} vs {baselineName} (1 outbound call + 1 conversation read, {pairs} interleaved pairs; medians, range in brackets): "
            + $"wall {Ratio(wallRatio)} [{Range(wallRatios, Plain)}] ({Ms(Median(subjectRuns.Select(r => r.Wall)))} ms [{Range(subjectRuns.Select(r => r.Wall), Ms)}] vs "
            + $"{Ms(Median(baselineRuns.Select(r => r.Wall)))} ms [{Range(baselineRuns.Select(r => r.Wall), Ms)}]; {Verdict(wallRatio, wallTarget)}); "
            + $"peak RSS {Ratio(rssRatio)} [{Range(rssRatios, Plain)}] ({Mb(Median(subjectRuns.Select(r => r.Rss)))} MB vs {Mb(Median(baselineRuns.Select(r => r.Rss)))} MB; "
            + $"{Verdict(rssRatio, rssTarget)}){cpu}";
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
