#!/usr/bin/env bash
# Shared helpers for the run and test scripts: install what is missing, start and stop Azurite.
set -euo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
AZURITE_HOST=127.0.0.1
AZURITE_TABLE_PORT="${AZURITE_TABLE_PORT:-10002}"
AZURITE_DATA="${AZURITE_DATA:-$REPO_ROOT/.azurite}"
AZURITE_PID=""

ensure_node_modules() {
  if [ ! -x "$REPO_ROOT/node_modules/.bin/azurite-table" ] \
     || [ "$REPO_ROOT/package-lock.json" -nt "$REPO_ROOT/node_modules/.package-lock.json" ]; then
    echo "==> npm ci (Azurite)"
    (cd "$REPO_ROOT" && npm ci --no-audit --no-fund --loglevel=error)
  fi
}

ensure_dotnet_restore() {
  echo "==> dotnet restore"
  dotnet restore "$REPO_ROOT/PostGate.sln" --verbosity quiet
}

port_open() {
  (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null && exec 3>&- 3<&-
}

start_azurite() {
  if port_open "$AZURITE_HOST" "$AZURITE_TABLE_PORT"; then
    echo "==> port $AZURITE_TABLE_PORT already answers; using the Azurite that is running there"
    return
  fi
  mkdir -p "$AZURITE_DATA"
  echo "==> starting Azurite table service on $AZURITE_HOST:$AZURITE_TABLE_PORT (data in $AZURITE_DATA)"
  # AZURITE_IN_MEMORY=1 keeps the tables in memory only (no periodic save to disk); AZURITE_EXTRA_ARGS adds options.
  local storage=(--location "$AZURITE_DATA")
  if [ "${AZURITE_IN_MEMORY:-}" = 1 ]; then storage=(--inMemoryPersistence); fi
  # shellcheck disable=SC2086
  "$REPO_ROOT/node_modules/.bin/azurite-table" \
    --tableHost "$AZURITE_HOST" --tablePort "$AZURITE_TABLE_PORT" \
    "${storage[@]}" --skipApiVersionCheck --silent --loose ${AZURITE_EXTRA_ARGS:-} \
    >"$AZURITE_DATA/azurite.log" 2>&1 &
  AZURITE_PID=$!
  for _ in $(seq 1 60); do
    if port_open "$AZURITE_HOST" "$AZURITE_TABLE_PORT"; then
      echo "==> Azurite is up (pid $AZURITE_PID)"
      return
    fi
    if ! kill -0 "$AZURITE_PID" 2>/dev/null; then
      echo "Azurite exited; see $AZURITE_DATA/azurite.log" >&2
      cat "$AZURITE_DATA/azurite.log" >&2 || true
      exit 1
    fi
    sleep 0.5
  done
  echo "Azurite did not answer on $AZURITE_HOST:$AZURITE_TABLE_PORT within 30 s" >&2
  exit 1
}

stop_azurite() {
  if [ -n "$AZURITE_PID" ] && kill -0 "$AZURITE_PID" 2>/dev/null; then
    echo "==> stopping Azurite (pid $AZURITE_PID)"
    kill "$AZURITE_PID" 2>/dev/null || true
    wait "$AZURITE_PID" 2>/dev/null || true
  fi
  AZURITE_PID=""
}

# A loopback port nothing answers on (random in 30000-49999; tried up to 50 times).
free_port() {
  local port
  for _ in $(seq 1 50); do
    port=$((30000 + RANDOM % 20000))
    if ! port_open 127.0.0.1 "$port"; then
      echo "$port"
      return
    fi
  done
  echo "no free port found" >&2
  exit 1
}

# Starts a published gate (path of its PostGate.Functions.dll) on 127.0.0.1:<port> from its own folder, as the
# Functions host starts it, in Production with one marketer API key for every account (named <key name>, given by
# its SHA-256) and its decision log at <connection string>; output to <log>, the process id in GATE_PID.
start_published_gate() { # dll port log key-name key-sha256 connection-string
  PostGate__Storage__ConnectionString="$6" \
  PostGate__Auth__Keys__0__Name="$4" \
  PostGate__Auth__Keys__0__Role=marketer \
  PostGate__Auth__Keys__0__Accounts__0='*' \
  PostGate__Auth__Keys__0__Sha256="$5" \
    bash -c 'cd "$(dirname "$1")" && exec dotnet "$1" --urls "$2"' _ "$1" "http://127.0.0.1:$2" >"$3" 2>&1 &
  GATE_PID=$!
}

# Waits up to 30 s for a gate started by start_published_gate to answer /api/health; when it exits or stays silent,
# shows its log and stops the script.
wait_for_gate() { # port pid log
  for _ in $(seq 1 60); do
    curl -fs "http://127.0.0.1:$1/api/health" >/dev/null 2>&1 && return
    if ! kill -0 "$2" 2>/dev/null; then
      echo "the gate on port $1 exited; its log:" >&2
      cat "$3" >&2
      exit 1
    fi
    sleep 0.5
  done
  echo "the gate on port $1 did not answer /api/health within 30 s; its log is $3" >&2
  exit 1
}
