#!/usr/bin/env bash
# Runs every benchmark case beside its baseline (BenchmarkDotNet short job, Release) plus the cold-start check,
# then prints one line per case with its ratio, allocation and whether the target is met.
# Usage: benchmarks/run.sh            (about 5 minutes on 2 cores)
# Env:   BENCH_FILTER  BenchmarkDotNet filter (default '*')   COLD_RUNS  processes per cold-start mode (default 10)
#        BENCH_PORT    loopback port of the local API server (default 5791)
#        COLD_START_R2R=1  also time the cold start of a ReadyToRun publish of the same program (adds ~2 minutes)
#        COLD_START_AOT=1  also time the cold start of the native AOT publish of ConvAi.Telephony.AotConsumer (the same
#                          cold-start source; through DI vs hand-written; adds ~3 minutes)
#        COLD_START_ONLY=1 skip BenchmarkDotNet (the report then lists its cases as missing)
#        COLD_START_MODES  JIT/ReadyToRun cold-start modes, run in turn each round (default 'client client-noDI handwritten stack';
#                          'client stack' is the issue-28 pair alone)
# Cold-start modes: client (AddConvAiTelephony), client-noDI, handwritten (HttpClient + a small JSON context: the
# baseline), stack (the same requests on DI + IHttpClientFactory + Refit + Polly without the library: the floor of the
# stack the library is built on: issue 28's targets are the library through DI against it).
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
BENCH_PROJECT="$HERE/ConvAi.Telephony.Benchmarks"
SERVERS_PROJECT="$HERE/ConvAi.Telephony.Benchmarks.Servers"
FILTER="${BENCH_FILTER:-*}"
COLD_RUNS="${COLD_RUNS:-10}"
PORT="${BENCH_PORT:-5791}"
OUT="$(mktemp -d "${TMPDIR:-/tmp}/convai-bench.XXXXXX")"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

if [ ! -x /usr/bin/time ]; then
  echo "installing GNU time (Debian package 'time') for peak-memory measurement" >&2
  if [ "$(id -u)" -ne 0 ]; then SUDO=sudo; else SUDO=; fi
  $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq time >/dev/null
fi

echo "== build (Release)" >&2
dotnet build "$BENCH_PROJECT" -c Release -v quiet -nologo >"$OUT/build.log" 2>&1 || { cat "$OUT/build.log"; exit 1; }
dotnet build "$SERVERS_PROJECT" -c Release -v quiet -nologo >>"$OUT/build.log" 2>&1 || { cat "$OUT/build.log"; exit 1; }
BENCH_DLL="$BENCH_PROJECT/bin/Release/net10.0/ConvAi.Telephony.Benchmarks.dll"
SERVERS_DLL="$SERVERS_PROJECT/bin/Release/net10.0/ConvAi.Telephony.Benchmarks.Servers.dll"
CORE_DLL="$HERE/../src/ConvAi.Telephony/bin/Release/net10.0/ConvAi.Telephony.dll"

if [ "${COLD_START_ONLY:-0}" = "1" ]; then
  mkdir -p "$OUT/bdn/results"
else
  echo "== BenchmarkDotNet (job short, memory diagnoser); full log in $OUT/bdn.log" >&2
  (cd "$BENCH_PROJECT" && dotnet "$BENCH_DLL" --filter "$FILTER" --job short --iterationCount 10 --exporters json --artifacts "$OUT/bdn" >"$OUT/bdn.log" 2>&1) \
    || { tail -50 "$OUT/bdn.log"; exit 1; }
fi

echo "== cold start: $COLD_RUNS processes per mode against a local API server on 127.0.0.1:$PORT" >&2
dotnet "$SERVERS_DLL" --target api --urls "http://127.0.0.1:$PORT" >"$OUT/api-server.log" 2>&1 &
SERVER_PID=$!
trap 'kill "$SERVER_PID" 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do
  (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null && break
  sleep 0.1
done
COLD="$OUT/cold-start.tsv"
: >"$COLD"
# "max_rss_kb cpu_ms" of the last timed process (CPU = user + system, which a loaded machine disturbs less than wall time)
rss_cpu() { tail -1 "$OUT/rss" | awk '{ printf "%s %.0f", $1, ($2 + $3) * 1000 }'; }
run_cold() {  # mode -> appends "mode wall_ms max_rss_kb cpu_ms"
  local start end
  start=$(date +%s%N)
  /usr/bin/time -f "%M %U %S" -o "$OUT/rss" dotnet "$BENCH_DLL" --cold-start "$1" "http://127.0.0.1:$PORT/" >/dev/null
  end=$(date +%s%N)
  echo "$1 $(((end - start) / 1000000)) $(rss_cpu)" >>"$COLD"
}
# One unrecorded run of each warms the disk cache; then alternate the modes so drift hits both alike.
read -r -a MODES <<<"${COLD_START_MODES:-client client-noDI handwritten stack}"
LOAD_BEFORE="$(cut -d' ' -f1-3 /proc/loadavg)"
for mode in "${MODES[@]}"; do dotnet "$BENCH_DLL" --cold-start "$mode" "http://127.0.0.1:$PORT/" >/dev/null; done
for _ in $(seq 1 "$COLD_RUNS"); do
  for mode in "${MODES[@]}"; do run_cold "$mode"; done
done
run_cold_exe() {  # label executable mode -> appends "label-mode wall_ms max_rss_kb cpu_ms"
  local start end
  start=$(date +%s%N)
  /usr/bin/time -f "%M %U %S" -o "$OUT/rss" "$2" --cold-start "$3" "http://127.0.0.1:$PORT/" >/dev/null
  end=$(date +%s%N)
  echo "$1-$3 $(((end - start) / 1000000)) $(rss_cpu)" >>"$COLD"
}
if [ "${COLD_START_R2R:-0}" = "1" ]; then
  echo "== cold start, ReadyToRun publish (every assembly precompiled, as 'dotnet publish -p:PublishReadyToRun=true' ships it)" >&2
  dotnet publish "$BENCH_PROJECT" -c Release -r linux-x64 --self-contained false -p:PublishReadyToRun=true -o "$OUT/r2r" \
    -v quiet -nologo >>"$OUT/build.log" 2>&1 || { tail -30 "$OUT/build.log"; exit 1; }
  for mode in "${MODES[@]}"; do "$OUT/r2r/ConvAi.Telephony.Benchmarks" --cold-start "$mode" "http://127.0.0.1:$PORT/" >/dev/null; done
  for _ in $(seq 1 "$COLD_RUNS"); do
    for mode in "${MODES[@]}"; do run_cold_exe r2r "$OUT/r2r/ConvAi.Telephony.Benchmarks" "$mode"; done
  done
fi
if [ "${COLD_START_AOT:-0}" = "1" ]; then
  echo "== cold start, native AOT publish of ConvAi.Telephony.AotConsumer (DI vs hand-written)" >&2
  dotnet publish "$HERE/ConvAi.Telephony.AotConsumer" -c Release -r linux-x64 -o "$OUT/aot" \
    -v quiet -nologo >>"$OUT/build.log" 2>&1 || { tail -30 "$OUT/build.log"; exit 1; }
  for mode in client handwritten stack; do "$OUT/aot/ConvAi.Telephony.AotConsumer" --cold-start "$mode" "http://127.0.0.1:$PORT/" >/dev/null; done
  for _ in $(seq 1 "$COLD_RUNS"); do
    for mode in client handwritten stack; do run_cold_exe aot "$OUT/aot/ConvAi.Telephony.AotConsumer" "$mode"; done
  done
fi
kill "$SERVER_PID" 2>/dev/null || true
LOAD_AFTER="$(cut -d' ' -f1-3 /proc/loadavg)"

echo "== results (ratios from one run; absolute times are informational)" >&2
echo "machine: $(nproc) cores, load average before/after the cold starts $LOAD_BEFORE / $LOAD_AFTER, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), .NET $(dotnet --version) SDK"
dotnet "$BENCH_DLL" --report "$OUT/bdn/results" --cold-start "$COLD" --assembly "$CORE_DLL"
dotnet "$BENCH_DLL" --wire-bytes
echo "BenchmarkDotNet tables: $OUT/bdn/results/*-report-github.md" >&2
