#!/usr/bin/env bash
# Runs every test, the Azurite-backed ones included (they start their own Azurite on a free port).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

ensure_node_modules
ensure_dotnet_restore

log="$(mktemp)"
status=0
dotnet test "$REPO_ROOT/PostGate.sln" --no-restore "$@" 2>&1 | tee "$log" || status=$?

# One closing line for the whole run, summed over the test projects.
passed=$(grep -Eo 'Passed: +[0-9]+' "$log" | awk '{s+=$2} END {print s+0}')
failed=$(grep -Eo 'Failed: +[0-9]+' "$log" | awk '{s+=$2} END {print s+0}')
skipped=$(grep -Eo 'Skipped: +[0-9]+' "$log" | awk '{s+=$2} END {print s+0}')
rm -f "$log"
echo "$passed passed, $failed failed, $skipped skipped"
if [ "$status" -eq 0 ] && [ "$passed" -eq 0 ]; then
  echo "no test ran" >&2
  exit 1
fi
exit "$status"
