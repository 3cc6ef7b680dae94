#!/usr/bin/env bash
# Mutation testing of the safety core with dotnet-stryker (a local tool, see dotnet-tools.json). Not part of .ci/run:
# each project takes several minutes (a build, then one test run per covered mutant).
#
#   bash scripts/mutation.sh                      # both projects, every file below
#   bash scripts/mutation.sh aspnetcore           # only the add-on's files (webhooks: the core's gate, tested over HTTP)
#   bash scripts/mutation.sh core RetryAfter.cs   # one project, only the named file(s)
#
# Prints the table of CONTRIBUTING.md ("Mutation testing"): per file the mutants Stryker tested, how many the
# tests killed (a timeout counts as killed), how many survived (no test covering the mutant counts as survived), and
# the score, then every survivor (line, mutator, replacement) so that each can be checked for equivalence.
# Reports (HTML and JSON) land in artifacts/mutation/<project>.
#
# Settings: coverage analysis perTest (each mutant runs only the tests that cover it), every test of the test project
# (no --test-case-filter: Stryker.NET 5.1.0 discovers the whole assembly, counts the tests a filtered run leaves out
# as hung, and stops with "Initial test run could not be completed"), concurrency STRYKER_CONCURRENCY (default 2: the
# machine is shared). Each file is restricted with --mutate; the files of one test project share one Stryker run (one
# build), which gives the same per-file counts as one run per file.
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
# Only net10.0 (the framework Stryker tests, --target-framework below) is built: see tests/Directory.Build.props.
export ConvAiTestFramework=net10.0

# name | project under test (as the test project references it) | test project | files to mutate
targets=(
  "aspnetcore|ConvAi.Telephony.AspNetCore.csproj|tests/ConvAi.Telephony.AspNetCore.Tests|Inbound/SharedSecret.cs"
  "core|ConvAi.Telephony.csproj|tests/ConvAi.Telephony.Tests|Resilience/ConvAiResiliencePipeline.cs Http/RequestKinds.cs Http/RetryAfter.cs Http/TransientStatus.cs Webhooks/ConvAiWebhookSignature.cs Webhooks/TwilioRequestValidator.cs Webhooks/WebhookClaimRenewal.cs Webhooks/InMemoryWebhookDeliveryStore.cs"
  "webhooks|ConvAi.Telephony.csproj|tests/ConvAi.Telephony.AspNetCore.Tests|Webhooks/WebhookAcknowledgementGate.cs"
)
only="${1:-}"
shift || true
concurrency="${STRYKER_CONCURRENCY:-2}"

dotnet tool restore >/dev/null
config="$PWD/artifacts/mutation/stryker-config.json"
mkdir -p "$(dirname "$config")"
echo '{ "stryker-config": { "coverage-analysis": "perTest" } }' >"$config"

reports=()
for target in "${targets[@]}"; do
  IFS='|' read -r name project tests files <<<"$target"
  [ -n "$only" ] && [ "$only" != "$name" ] && continue
  if [ $# -gt 0 ]; then
    picked=""
    for file in $files; do
      for wanted in "$@"; do [ "$(basename "$file")" = "$wanted" ] && picked="$picked $file"; done
    done
    files="$picked"
  fi
  [ -z "${files// /}" ] && continue
  output="$PWD/artifacts/mutation/$name"
  rm -rf "$output"
  mutate=()
  for file in $files; do mutate+=(--mutate "**/$file"); done
  echo "== $name:$files"
  (cd "$tests" && dotnet stryker --config-file "$config" --project "$project" --target-framework net10.0 --configuration Release \
    --concurrency "$concurrency" --reporter json --reporter html --reporter progress \
    --output "$output" --skip-version-check "${mutate[@]}")
  reports+=("$output/reports/mutation-report.json")
done

python3 - "${reports[@]}" <<'PY'
import json, os, sys
rows, survivors = [], []
for report_path in sys.argv[1:]:
    report = json.load(open(report_path))
    for path, data in sorted(report["files"].items()):
        name = os.path.splitext(os.path.basename(path))[0]
        lines = data["source"].splitlines()
        counts = {}
        for mutant in data["mutants"]:
            counts[mutant["status"]] = counts.get(mutant["status"], 0) + 1
            if mutant["status"] in ("Survived", "NoCoverage"):
                line = mutant["location"]["start"]["line"]
                survivors.append(f"{name}:{line} {mutant['mutatorName']} ({mutant['status']}): "
                                 f"{lines[line - 1].strip()[:90]}  ->  {mutant.get('replacement', '').strip()[:90]}")
        killed = counts.get("Killed", 0) + counts.get("Timeout", 0)
        survived = counts.get("Survived", 0) + counts.get("NoCoverage", 0)
        mutants = killed + survived
        if mutants == 0:
            continue  # a file of the project that --mutate left out
        score = 100.0 * killed / mutants if mutants else 100.0
        rows.append(f"| `{name}` | {mutants} | {killed} | {survived} | {score:.1f}% |")
print()
print("| file | mutants | killed | survived | score |")
print("|---|---:|---:|---:|---:|")
print("\n".join(rows))
print()
print("Survivors:" if survivors else "No survivors.")
for survivor in survivors:
    print("- " + survivor)
PY
