#!/usr/bin/env bash
# Issue 10's webhook delivery benchmarks, all in one process per scenario (ConvAi.Telephony.Benchmarks --webhook-load):
# Kestrel servers on 127.0.0.1 hosted by the benchmark program, targets interleaved per round, ratios from medians.
#   ack-latency  Queued (with and without the acknowledgement gate) vs Inline answer latency, handler taking 200 ms,
#                4 deliveries/s                                                                  (~1 minute)
#   burst        10,000 deliveries: bare endpoint vs Queued (memory inbox, memory inbox without the acknowledgement
#                gate: queued-nogate, Redis inbox), the verify floor
#                (body read + signature check, nothing kept) and the Redis floor (+ one XADD) as bounds (~5 minutes)
#   inline       bare vs hand-written endpoint vs the typed floor (verify + Parse) vs MapConvAiWebhooks Inline,
#                each reading the transcript                                                     (~3 minutes)
#   sqlite-ack   issue 24: Queued on SQLite vs the memory inbox, handler 200 ms then a write (enlisted in the webhook
#                file's transaction on SQLite), 4 deliveries/s, 40 s per target and round: answer p99, WAL checkpoints (~3 minutes)
#   sqlite-burst issue 24: 10,000 deliveries: bare, memory inbox, the SQLite floor (verify + one INSERT per delivery),
#                SQLite inbox and store (synchronous=NORMAL)                                     (~3 minutes)
#   sqlite-disk  issue 24: 100,000 deliveries through SQLite in chunks of 2,000; the file's size and pages (~3 minutes)
# and the BenchmarkDotNet ack-path case (verify + envelope read vs the HMAC floor, in process).
# Not part of .ci/run (too slow). Env: WEBHOOK_LOAD_ROUNDS (3; inline uses 5, sqlite-ack 2), WEBHOOK_LOAD_SCENARIOS
# ("ack-latency burst inline ack-path sqlite-ack sqlite-burst sqlite-disk").
# Tiered compilation is off (DOTNET_TieredCompilation=0) so every round measures optimized code: on a busy machine the
# background tier-1 compiler lags for minutes and the first rounds would measure tier-0 code.
# Server GC is on (DOTNET_gcServer=1), as in every app built on Microsoft.NET.Sdk.Web (samples/WebhookReceiver included);
# WEBHOOK_LOAD_GC=workstation measures the console default instead. A burst into the memory inbox keeps every body
# alive until it is processed, which the workstation GC's small gen0 budget copies from generation to generation.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
BENCH_PROJECT="$HERE/ConvAi.Telephony.Benchmarks"
ROUNDS="${WEBHOOK_LOAD_ROUNDS:-3}"
SCENARIOS="${WEBHOOK_LOAD_SCENARIOS:-ack-latency burst inline ack-path sqlite-ack sqlite-burst sqlite-disk}"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
if [ "${WEBHOOK_LOAD_GC:-server}" = server ]; then export DOTNET_gcServer=1; fi
dotnet build "$BENCH_PROJECT" -c Release -v quiet -nologo >/dev/null
BENCH_DLL="$BENCH_PROJECT/bin/Release/net10.0/ConvAi.Telephony.Benchmarks.dll"
for scenario in $SCENARIOS; do
  echo "== $scenario (load average $(cut -d' ' -f1-3 /proc/loadavg))"
  case "$scenario" in
    ack-path)
      OUT="$(mktemp -d "${TMPDIR:-/tmp}/convai-ackpath.XXXXXX")"
      (cd "$BENCH_PROJECT" && dotnet "$BENCH_DLL" --filter '*WebhookAckPath*' --inProcess --job short --iterationCount 10 \
        --exporters json --artifacts "$OUT" >"$OUT/bdn.log" 2>&1) || { tail -30 "$OUT/bdn.log"; exit 1; }
      dotnet "$BENCH_DLL" --report "$OUT/results" | grep 'ack path'
      ;;
    inline) DOTNET_TieredCompilation=0 dotnet "$BENCH_DLL" --webhook-load inline "$((ROUNDS > 5 ? ROUNDS : 5))" ;;
    sqlite-ack) DOTNET_TieredCompilation=0 dotnet "$BENCH_DLL" --webhook-load sqlite-ack "$((ROUNDS < 2 ? ROUNDS : 2))" ;;
    *) DOTNET_TieredCompilation=0 dotnet "$BENCH_DLL" --webhook-load "$scenario" "$ROUNDS" ;;
  esac
done
