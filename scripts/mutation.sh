#!/usr/bin/env bash
# Mutation testing of the safety core with dotnet-stryker (a local tool, see dotnet-tools.json).
# Prints one line per file: the file, its mutation score (killed + timed out over all tested
# mutants, survivors and uncovered mutants included) and the counts behind it.
#
#   bash scripts/mutation.sh            # all files below (takes several minutes per project)
#   bash scripts/mutation.sh aspnetcore # only the add-on's files
#   bash scripts/mutation.sh core       # only the core files
#
# Not part of .ci/run. Reports (HTML and JSON, with every survivor) land in artifacts/mutation/<project>.
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

# name | project (as the test project references it) | test project | files to mutate | a VSTest filter used only
# with STRYKER_FAST=1 (the unit and endpoint tests of these files, without the slow Kestrel and Redis suites;
# not yet verified end to end). By default every test of the test project runs.
targets=(
  "aspnetcore|ConvAi.Telephony.AspNetCore.csproj|tests/ConvAi.Telephony.AspNetCore.Tests|Webhooks/ConvAiWebhookSignature.cs Inbound/TwilioRequestValidator.cs Inbound/SharedSecret.cs|FullyQualifiedName~ConvAiWebhookSignature|FullyQualifiedName~TwilioRequestValidator|FullyQualifiedName~ConversationInitiationEndpointTests|FullyQualifiedName~TwilioInboundEndpointTests"
  "core|ConvAi.Telephony.csproj|tests/ConvAi.Telephony.Tests|Resilience/ConvAiResiliencePipeline.cs Http/RequestKinds.cs Http/RetryAfter.cs|"
)
only="${1:-}"
concurrency="${STRYKER_CONCURRENCY:-1}"

dotnet tool restore >/dev/null

summaries=()
for target in "${targets[@]}"; do
  IFS='|' read -r name project tests files filter <<<"$target"
  [ -n "$only" ] && [ "$only" != "$name" ] && continue
  output="$PWD/artifacts/mutation/$name"
  rm -rf "$output"
  mutate=()
  for file in $files; do mutate+=(--mutate "**/$file"); done
  if [ -n "$filter" ] && [ -n "${STRYKER_FAST:-}" ]; then mutate+=(--test-case-filter "$filter"); fi
  echo "== $name: $files"
  (cd "$tests" && dotnet stryker --project "$project" --target-framework net10.0 --configuration Release \
    --concurrency "$concurrency" --reporter json --reporter html --reporter progress \
    --output "$output" --skip-version-check "${mutate[@]}")
  summaries+=("$output/reports/mutation-report.json")
done

echo
printf '%-34s %7s %7s %9s %11s %10s\n' file score killed survived no-coverage timeout
for report in "${summaries[@]}"; do
  python3 - "$report" <<'PY'
import json, os, sys
report = json.load(open(sys.argv[1]))
for path, data in sorted(report["files"].items()):
    counts = {}
    for mutant in data["mutants"]:
        counts[mutant["status"]] = counts.get(mutant["status"], 0) + 1
    killed, timeout = counts.get("Killed", 0), counts.get("Timeout", 0)
    survived, uncovered = counts.get("Survived", 0), counts.get("NoCoverage", 0)
    tested = killed + timeout + survived + uncovered
    score = 100.0 * (killed + timeout) / tested if tested else 100.0
    name = os.path.splitext(os.path.basename(path))[0]
    print(f"{name:<34} {score:6.1f}% {killed:7} {survived:9} {uncovered:11} {timeout:10}")
PY
done
