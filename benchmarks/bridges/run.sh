#!/usr/bin/env bash
# Bridge latency and cost (issue 26 "Targets"): N concurrent simulated Twilio calls (default 1, 50, 200) through each
# bridge process to the emulator's agent socket (benchmark echo mode, its own process), interleaved, and a table of
# per-frame added latency (up: driver -> bridge -> agent, down: agent -> bridge -> driver; p50 and p99 on one monotonic
# clock), the bridge process's CPU per call-second, RSS and live heap per call, bytes allocated per frame, and Twilio's
# start -> first agent audio split into the agent's share and the bridge's, beside the bare relay (the floor).
# Not part of the test suite. Network: npm ci fetches `ws` from the npm registry the first time.
#
#   bash benchmarks/bridges/run.sh [--calls 1,50,200] [--seconds 15] [--warmup 3] [--rounds 1] [--bridges relay,node,ours] [--ours "COMMAND LINE"|none]
#   bash benchmarks/bridges/run.sh --sequence 1000 [--bridges ours]   # N short calls one after another, then what is left behind
#
# Ours is samples/MediaStreamBridge (built Release here) unless --ours (or OURS_BRIDGE) names another command line: one that
# starts a bridge listening on 127.0.0.1:$BRIDGE_PORT serving POST /twilio/voice (TwiML with <Connect><Stream url>) and the
# stream's WebSocket, bridging to the agent socket at $AGENT_URL (or $EMULATOR_URL with agent id $AGENT_ID), verifying with
# $TWILIO_AUTH_TOKEN; GET /stats (and /stats?gc=1) adds the heap, allocation and leftover columns. See README.md.
set -euo pipefail
cd "$(dirname "$0")/../.."

(cd benchmarks/bridges/node && if [ -f package-lock.json ]; then npm ci --no-audit --no-fund --silent; else npm install --no-audit --no-fund --silent; fi)
dotnet build benchmarks/ConvAi.Telephony.Benchmarks.Servers -c Release -v q -nologo >/dev/null
dotnet build benchmarks/ConvAi.Telephony.Benchmarks -c Release -v q -nologo >/dev/null

args=("$@")
if [[ " $* " != *" --ours "* ]]; then
  if [ -n "${OURS_BRIDGE:-}" ]; then
    args+=(--ours "$OURS_BRIDGE")
  else
    dotnet build samples/MediaStreamBridge -c Release -v q -nologo >/dev/null
    # The sample as a user runs it against their agent: ConvAi:ApiKey set (so not its in-process emulator), the emulator's
    # address as ConvAi:BaseAddress, the agent public (no signed URL per call, as the Node bridges), the public base URL the
    # driver signs over, the default (server) GC, logs at Warning (per-call Information logs would measure the console).
    # Single quotes: the driver expands the variables when it starts each bridge process.
    args+=(--ours 'env ConvAi__ApiKey=bench ConvAi__BaseAddress=$EMULATOR_URL ConvAi__Twilio__AgentId=$AGENT_ID ConvAi__Twilio__PublicBaseUrl=http://127.0.0.1:$BRIDGE_PORT ConvAi__TwilioBridge__IsPublicAgent=true Logging__LogLevel__Default=Warning CONVAI_BENCH_STATS=1 dotnet samples/MediaStreamBridge/bin/Release/net10.0/MediaStreamBridge.dll --urls http://127.0.0.1:$BRIDGE_PORT')
  fi
fi

echo "uptime: $(uptime)"
dotnet benchmarks/ConvAi.Telephony.Benchmarks/bin/Release/net10.0/ConvAi.Telephony.Benchmarks.dll --bridge-load "${args[@]}"
echo "uptime: $(uptime)"
