#!/usr/bin/env bash
# Bridge latency and cost (issue 26 "Targets"): N concurrent simulated Twilio calls (default 1, 50, 200) through each
# bridge process to the emulator's agent socket (benchmark echo mode, its own process), interleaved, and a table of
# per-frame added latency (up: driver -> bridge -> agent, down: agent -> bridge -> driver; p50 and p99 on one monotonic
# clock), the bridge process's CPU per call-second, RSS and heap per live call, beside the bare relay (the floor).
# Not part of the test suite. Network: npm install fetches `ws` from the npm registry the first time.
#
#   bash benchmarks/bridges/run.sh [--calls 1,50,200] [--seconds 15] [--warmup 3] [--rounds 1] [--ours "COMMAND LINE"]
#
# --ours (or OURS_BRIDGE) plugs in our bridge: a command line that starts it listening on 127.0.0.1:$BRIDGE_PORT and
# serving POST /twilio/voice (TwiML with <Connect><Stream url="ws://...">) and the stream's WebSocket, bridging to the
# agent socket at $AGENT_URL (or $EMULATOR_URL with agent id $AGENT_ID), verifying with $TWILIO_AUTH_TOKEN. See README.md.
set -euo pipefail
cd "$(dirname "$0")/../.."

(cd benchmarks/bridges/node && if [ -f package-lock.json ]; then npm ci --no-audit --no-fund --silent; else npm install --no-audit --no-fund --silent; fi)
dotnet build benchmarks/ConvAi.Telephony.Benchmarks.Servers -c Release -v q -nologo >/dev/null
dotnet build benchmarks/ConvAi.Telephony.Benchmarks -c Release -v q -nologo >/dev/null

args=("$@")
if [ -n "${OURS_BRIDGE:-}" ] && [[ " $* " != *" --ours "* ]]; then
  args+=(--ours "$OURS_BRIDGE")
fi

echo "uptime: $(uptime)"
dotnet benchmarks/ConvAi.Telephony.Benchmarks/bin/Release/net10.0/ConvAi.Telephony.Benchmarks.dll --bridge-load "${args[@]}"
echo "uptime: $(uptime)"
