#!/usr/bin/env bash
# Runs the gate on http://localhost:7071 with Azurite's table service as its storage. Ctrl-C stops both.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

ensure_node_modules
ensure_dotnet_restore
start_azurite

APP_PID=""
cleanup() {
  trap - INT TERM EXIT
  if [ -n "$APP_PID" ] && kill -0 "$APP_PID" 2>/dev/null; then
    echo "==> stopping the gate"
    kill "$APP_PID" 2>/dev/null || true
    wait "$APP_PID" 2>/dev/null || true
  fi
  stop_azurite
}
trap cleanup INT TERM EXIT

echo "==> starting the gate on http://localhost:7071 (routes under /api; the compliance console at http://localhost:7071/console)"
export PostGate__Storage__ConnectionString="${PostGate__Storage__ConnectionString:-UseDevelopmentStorage=true}"
# Open mode: no API keys needed, every caller is marketer and compliance (the gate logs a warning). Configured keys
# (PostGate__Auth__Keys__0__…) switch it off; PostGate__Auth__Mode=enforce turns it off even without keys.
export PostGate__Auth__Mode="${PostGate__Auth__Mode:-open}"
dotnet run --project "$REPO_ROOT/functions/PostGate.Functions" --no-restore &
APP_PID=$!
wait "$APP_PID"
