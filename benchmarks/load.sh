#!/usr/bin/env bash
# HTTP load on loopback: signed 7.5 KB post_call_transcription webhooks against the webhook receiver
# (samples/WebhookReceiver when present, else the stand-in in ConvAi.Telephony.Benchmarks.Servers that maps
# MapConvAiWebhooks the same way), then the same load against a bare minimal-API endpoint that answers 200.
# Prints requests/s, p99 latency, errors and the receiver/bare throughput ratio (target >= 0.6x, zero errors).
# Bounded: each run lasts at most LOAD_DURATION and sends at most LOAD_DELIVERIES requests; 127.0.0.1 only.
# The receiver gets each signed delivery once (the replay store would answer a repeat without work); the bare
# endpoint gets the same requests and starts them over if it runs out. If the receiver run reaches the delivery
# count before the duration, its rate is understated (wrk divides by the whole duration) and the script says so.
# Env: LOAD_DURATION (15s) LOAD_CONNECTIONS (32) LOAD_THREADS (2) LOAD_DELIVERIES (450000) LOAD_PORT (5792)
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$HERE/.."
BENCH_PROJECT="$HERE/ConvAi.Telephony.Benchmarks"
SERVERS_PROJECT="$HERE/ConvAi.Telephony.Benchmarks.Servers"
SAMPLE_PROJECT="$ROOT/samples/WebhookReceiver"
DURATION="${LOAD_DURATION:-15s}"
CONNECTIONS="${LOAD_CONNECTIONS:-32}"
THREADS="${LOAD_THREADS:-2}"
DELIVERIES="${LOAD_DELIVERIES:-450000}"
BODIES=$(((DELIVERIES + 1499) / 1500))
PORT="${LOAD_PORT:-5792}"
WEBHOOK_PATH="${LOAD_PATH:-/webhooks/elevenlabs}"
OUT="$(mktemp -d "${TMPDIR:-/tmp}/convai-load.XXXXXX")"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

if ! command -v wrk >/dev/null 2>&1; then
  echo "installing wrk (Debian package)" >&2
  if [ "$(id -u)" -ne 0 ]; then SUDO=sudo; else SUDO=; fi
  $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq wrk >/dev/null
fi

echo "== build (Release)" >&2
dotnet build "$BENCH_PROJECT" -c Release -v quiet -nologo >"$OUT/build.log" 2>&1 || { cat "$OUT/build.log"; exit 1; }
dotnet build "$SERVERS_PROJECT" -c Release -v quiet -nologo >>"$OUT/build.log" 2>&1 || { cat "$OUT/build.log"; exit 1; }
SERVERS_DLL="$SERVERS_PROJECT/bin/Release/net10.0/ConvAi.Telephony.Benchmarks.Servers.dll"
if [ -f "$SAMPLE_PROJECT/WebhookReceiver.csproj" ]; then
  dotnet build "$SAMPLE_PROJECT" -c Release -v quiet -nologo >>"$OUT/build.log" 2>&1 || { cat "$OUT/build.log"; exit 1; }
  RECEIVER=(dotnet "$SAMPLE_PROJECT/bin/Release/net10.0/WebhookReceiver.dll")
  RECEIVER_NAME="samples/WebhookReceiver"
else
  RECEIVER=(dotnet "$SERVERS_DLL" --target receiver)
  RECEIVER_NAME="stand-in receiver (MapConvAiWebhooks; samples/WebhookReceiver not on this branch)"
fi

SERVER_PID=
stop_server() { if [ -n "$SERVER_PID" ]; then kill "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true; SERVER_PID=; fi; }
trap stop_server EXIT

# name, wrap (0|1), command... : starts the server, sends fresh signed bodies with wrk, prints "RESULT ..." into $OUT/<name>.txt
run_load() {
  local name="$1" wrap="$2"; shift 2
  # The sample also maps the conversation-initiation webhook, which needs its own secret to start.
  WEBHOOK_SECRET=whsec_benchmark_secret ConvAi__ConversationInitiation__Secret=load-test-initiation-secret \
    Logging__LogLevel__Default=Warning ASPNETCORE_ENVIRONMENT=Production \
    "$@" --urls "http://127.0.0.1:$PORT" >"$OUT/$name-server.log" 2>&1 &
  SERVER_PID=$!
  for _ in $(seq 1 150); do
    (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null && break
    sleep 0.1
  done
  if ! kill -0 "$SERVER_PID" 2>/dev/null; then
    echo "the $name server did not start:" >&2; tail -20 "$OUT/$name-server.log" >&2; exit 1
  fi
  # Signed just now, so every timestamp is fresh; each delivery has its own signature.
  dotnet "$BENCH_PROJECT/bin/Release/net10.0/ConvAi.Telephony.Benchmarks.dll" --make-load-bodies "$BODIES" "$DELIVERIES" "$OUT/bodies.txt"
  # Warm-up (JIT, connection pools) with a small separate set of deliveries, then the measured run.
  dotnet "$BENCH_PROJECT/bin/Release/net10.0/ConvAi.Telephony.Benchmarks.dll" --make-load-bodies 4 2000 "$OUT/warmup.txt" conv_warmup_
  LOAD_BODIES="$OUT/warmup.txt" LOAD_THREADS="$THREADS" \
    wrk -t"$THREADS" -c"$CONNECTIONS" -d3s -s "$HERE/load.lua" "http://127.0.0.1:$PORT$WEBHOOK_PATH" >"$OUT/$name-warmup.txt"
  LOAD_BODIES="$OUT/bodies.txt" LOAD_THREADS="$THREADS" LOAD_WRAP="$wrap" \
    wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --timeout 5s -s "$HERE/load.lua" "http://127.0.0.1:$PORT$WEBHOOK_PATH" >"$OUT/$name.txt"
  stop_server
}

echo "== load: $RECEIVER_NAME" >&2
run_load receiver 0 "${RECEIVER[@]}"
echo "== load: bare minimal-API endpoint" >&2
run_load bare 1 dotnet "$SERVERS_DLL" --target bare

field() { grep -o "$2=[0-9]*" "$OUT/$1.txt" | cut -d= -f2; }
rps() { echo "$(field "$1" requests) $(field "$1" duration_us)" | awk '{ printf "%.0f", $1 / ($2 / 1e6) }'; }
line() {
  echo "$1: $(rps "$2") req/s, p50 $(awk "BEGIN { printf \"%.2f\", $(field "$2" p50_us) / 1000 }") ms, p99 $(awk "BEGIN { printf \"%.2f\", $(field "$2" p99_us) / 1000 }") ms, $(field "$2" requests) requests, $(field "$2" socket_errors) socket errors, $(field "$2" non2xx) non-2xx"
}
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), .NET $(dotnet --version) SDK; wrk -t$THREADS -c$CONNECTIONS -d$DURATION on 127.0.0.1 (same machine)"
line "receiver ($RECEIVER_NAME), signed 7.5 KB transcripts" receiver
line "bare endpoint (200, no work), same bodies" bare
if [ "$(field receiver requests)" -ge "$DELIVERIES" ]; then
  echo "note: the receiver run used all $DELIVERIES deliveries before the time was up; its rate is understated (raise LOAD_DELIVERIES)"
fi
RATIO=$(awk "BEGIN { printf \"%.2f\", $(rps receiver) / $(rps bare) }")
ERRORS=$(($(field receiver socket_errors) + $(field receiver non2xx) + $(field bare socket_errors) + $(field bare non2xx)))
VERDICT=$(awk "BEGIN { print ($RATIO >= 0.6 && $ERRORS == 0) ? \"met\" : \"NOT MET\" }")
echo "webhook receiver throughput: ${RATIO}x the bare endpoint, $ERRORS errors (target >=0.6x, 0 errors): $VERDICT"
echo "details: $OUT" >&2
