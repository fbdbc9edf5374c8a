#!/usr/bin/env bash
# Runs every test, the Azurite-backed ones included (they start their own Azurite on a free port), then the compliance
# console's browser tests (tests/e2e: the gate, Azurite and Debian's chromium driven by playwright-core).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

ensure_node_modules
ensure_dotnet_restore

log="$(mktemp)"
status=0
dotnet test "$REPO_ROOT/PostGate.sln" --no-restore "$@" 2>&1 | tee "$log" || status=$?

# The browser tests need a chromium; CHROMIUM_PATH names another one. POSTGATE_SKIP_BROWSER_TESTS=1 leaves them out.
browser="${CHROMIUM_PATH:-/usr/bin/chromium}"
e2e_log="$(mktemp)"
e2e_status=0
if [ "${POSTGATE_SKIP_BROWSER_TESTS:-}" = "1" ]; then
  echo "==> browser tests skipped (POSTGATE_SKIP_BROWSER_TESTS=1)"
  echo "# skipped 1" >"$e2e_log"
elif [ ! -x "$browser" ]; then
  echo "no browser at $browser for the console's tests: apt-get install -y chromium (or set CHROMIUM_PATH)" >&2
  echo "# fail 1" >"$e2e_log"
  e2e_status=1
else
  echo "==> browser tests (node --test tests/e2e, $browser)"
  (cd "$REPO_ROOT" && node --test --test-reporter=spec --test-reporter-destination=stdout \
      --test-reporter=tap --test-reporter-destination="$e2e_log" tests/e2e/) || e2e_status=$?
fi

# One closing line for the whole run, summed over the test projects and the browser tests.
passed=$(grep -Eo 'Passed: +[0-9]+' "$log" | awk '{s+=$2} END {print s+0}')
failed=$(grep -Eo 'Failed: +[0-9]+' "$log" | awk '{s+=$2} END {print s+0}')
skipped=$(grep -Eo 'Skipped: +[0-9]+' "$log" | awk '{s+=$2} END {print s+0}')
e2e_passed=$(awk '/^# pass [0-9]+$/ {s+=$3} END {print s+0}' "$e2e_log")
e2e_failed=$(awk '/^# fail [0-9]+$/ {s+=$3} END {print s+0}' "$e2e_log")
e2e_skipped=$(awk '/^# skipped [0-9]+$/ {s+=$3} END {print s+0}' "$e2e_log")
rm -f "$log" "$e2e_log"
echo "dotnet: $passed passed, $failed failed, $skipped skipped; browser: $e2e_passed passed, $e2e_failed failed, $e2e_skipped skipped"
passed=$((passed + e2e_passed)); failed=$((failed + e2e_failed)); skipped=$((skipped + e2e_skipped))
echo "$passed passed, $failed failed, $skipped skipped"
if [ "$status" -eq 0 ] && [ "$passed" -eq 0 ]; then
  echo "no test ran" >&2
  exit 1
fi
if [ "$status" -eq 0 ] && [ "$e2e_status" -ne 0 ]; then
  status=$e2e_status
fi
if [ "$status" -eq 0 ] && [ "$failed" -ne 0 ]; then
  status=1
fi
exit "$status"
