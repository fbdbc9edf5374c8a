#!/usr/bin/env bash
# Bounded load run, loopback only: publishes the gate (Release, linux-x64, ReadyToRun), starts a fresh Azurite (temp
# data folder) and the gate on free ports, then drives `insert` (bare AddEntityAsync: the storage ceiling),
# `transaction` (bare five-row transactions shaped like a check's: its storage work without the gate), `check` and
# `preview` for at most 30 s each with tools/PostGate.Load, prints the figures and stops everything. Not part of CI or
# scripts/test.sh: run it by hand.
# Preview is driven by wrk (Debian's `wrk` package) when it is installed, with the load tool's check bodies
# (scripts/wrk-check.lua): at 20,000 requests a second the client's own CPU counts on two cores, and wrk's is about a
# third of the load tool's. LOAD_PREVIEW_CLIENT=tool keeps the load tool for preview too.
#
#   scripts/load.sh                                   # 16 connections, 10 s warm-up + 20 s measured per mode
#   LOAD_SECONDS=10 LOAD_MODES="check" scripts/load.sh
#   Logging__LogLevel__Default=Warning scripts/load.sh   # any PostGate__* / Logging__* variable reaches the gate
#   LOAD_TRACE=preview scripts/load.sh                 # also samples the gate's CPU in that mode with dotnet-trace
#
# Results (the tool's output per mode, JSON, app and Azurite logs) land in artifacts/load/<timestamp>/.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

LOAD_SECONDS="${LOAD_SECONDS:-20}"
LOAD_WARMUP="${LOAD_WARMUP:-10}"
LOAD_CONNECTIONS="${LOAD_CONNECTIONS:-16}"
LOAD_MODES="${LOAD_MODES:-insert transaction check preview}"
BUILD_DIR="$REPO_ROOT/artifacts/load/build"
OUT="$REPO_ROOT/artifacts/load/$(date -u +%Y%m%dT%H%M%SZ)"
# Azurite's well-known development account key (public, documented by Microsoft).
DEV_KEY="Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=="

if [ $((LOAD_SECONDS + LOAD_WARMUP)) -gt 30 ]; then
  echo "LOAD_WARMUP + LOAD_SECONDS must be at most 30 (was $LOAD_WARMUP + $LOAD_SECONDS)" >&2
  exit 2
fi

# utime + stime of a process in clock ticks (0 when it is gone).
cpu_ticks() {
  awk '{ print $14 + $15 }' "/proc/$1/stat" 2>/dev/null || echo 0
}

APP_PID=""
LOAD_DATA=""
cleanup() {
  trap - INT TERM EXIT
  if [ -n "$APP_PID" ] && kill -0 "$APP_PID" 2>/dev/null; then
    echo "==> stopping the gate (pid $APP_PID)"
    kill "$APP_PID" 2>/dev/null || true
    wait "$APP_PID" 2>/dev/null || true
  fi
  APP_PID=""
  stop_azurite
  if [ -n "$LOAD_DATA" ] && [ -d "$LOAD_DATA" ]; then
    cp "$LOAD_DATA/azurite.log" "$OUT/azurite.log" 2>/dev/null || true
    rm -rf "$LOAD_DATA"
  fi
}
trap cleanup INT TERM EXIT

ensure_node_modules

# NOTE: a separate artifacts path keeps this Release build out of the bin/ and obj/ folders that tests and editors use.
# The gate is published as it is deployed (linux-x64, ReadyToRun: see README); the load tool is built.
echo "==> dotnet publish -c Release -r linux-x64 (into $BUILD_DIR/gate)"
dotnet publish "$REPO_ROOT/functions/PostGate.Functions/PostGate.Functions.csproj" -c Release -r linux-x64 --self-contained false \
  --artifacts-path "$BUILD_DIR" -o "$BUILD_DIR/gate" --nologo --verbosity quiet
dotnet build "$REPO_ROOT/tools/PostGate.Load/PostGate.Load.csproj" -c Release --artifacts-path "$BUILD_DIR" --nologo --verbosity quiet
APP_DLL="$BUILD_DIR/gate/PostGate.Functions.dll"
LOAD_DLL="$BUILD_DIR/bin/PostGate.Load/release/PostGate.Load.dll"
mkdir -p "$OUT"

LOAD_DATA="$(mktemp -d)"
AZURITE_DATA="$LOAD_DATA"
AZURITE_TABLE_PORT="$(free_port)"
start_azurite
if [ -z "$AZURITE_PID" ]; then
  echo "port $AZURITE_TABLE_PORT was taken by another Azurite; run again" >&2
  exit 1
fi
CONNECTION_STRING="DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=$DEV_KEY;TableEndpoint=http://127.0.0.1:$AZURITE_TABLE_PORT/devstoreaccount1;"

# The gate runs in Production with one marketer key for every account, made up for this run, from its own folder
# as the Functions host starts it (so its appsettings.json and policies/ are the ones beside it).
APP_PORT="$(free_port)"
API_KEY="load-$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')"
API_KEY_SHA256="$(printf %s "$API_KEY" | sha256sum | cut -d' ' -f1)"
echo "==> starting the gate (Release) on http://127.0.0.1:$APP_PORT"
start_published_gate "$APP_DLL" "$APP_PORT" "$OUT/app.log" load-run "$API_KEY_SHA256" "$CONNECTION_STRING"
APP_PID=$GATE_PID
wait_for_gate "$APP_PORT" "$APP_PID" "$OUT/app.log"

CLK_TCK="$(getconf CLK_TCK)"
{
  echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'), .NET SDK $(dotnet --version)"
} | tee "$OUT/machine.txt"

# NOTE: wrk's bodies are written before any mode starts, so nothing but the load runs inside a measured part.
if [ "${LOAD_PREVIEW_CLIENT:-wrk}" = wrk ] && command -v wrk >/dev/null; then
  dotnet "$LOAD_DLL" bodies >"$OUT/bodies.jsonl"
fi

for mode in $LOAD_MODES; do
  echo
  echo "==> $mode   (uptime: $(uptime | sed 's/^ *//'))" | tee -a "$OUT/uptime.txt"
  # CPU is sampled over the measured part only: the warm-up (JIT, first reads of each account) is left out.
  (sleep "$LOAD_WARMUP"; echo "$(cpu_ticks "$APP_PID") $(cpu_ticks "$AZURITE_PID") $(date +%s.%N)" >"$OUT/$mode.cpu-start") &
  sampler=$!
  if [ "${LOAD_TRACE:-}" = "$mode" ]; then
    # CPU samples of the gate over the measured part of this mode (needs `dotnet tool install -g dotnet-trace`).
    (sleep "$LOAD_WARMUP"; dotnet-trace collect -p "$APP_PID" --profile dotnet-sampled-thread-time --duration "00:00:$(printf %02d "$LOAD_SECONDS")" \
      -o "$OUT/$mode.nettrace" >"$OUT/$mode.trace.log" 2>&1) &
  fi
  if [ "$mode" = preview ] && [ "${LOAD_PREVIEW_CLIENT:-wrk}" = wrk ] && command -v wrk >/dev/null; then
    export WRK_BODIES="$OUT/bodies.jsonl" WRK_API_KEY="$API_KEY" WRK_MODE=preview WRK_CONNECTIONS="$LOAD_CONNECTIONS"
    echo "==> preview with wrk: $LOAD_CONNECTIONS connections, $LOAD_WARMUP s warm-up + $LOAD_SECONDS s measured"
    if [ "$LOAD_WARMUP" -gt 0 ]; then
      wrk -t1 -c"$LOAD_CONNECTIONS" -d"${LOAD_WARMUP}s" --timeout 10s -s "$REPO_ROOT/scripts/wrk-check.lua" "http://127.0.0.1:$APP_PORT" >"$OUT/$mode.warmup.txt"
    fi
    wrk -t1 -c"$LOAD_CONNECTIONS" -d"${LOAD_SECONDS}s" --timeout 10s --latency -s "$REPO_ROOT/scripts/wrk-check.lua" \
      "http://127.0.0.1:$APP_PORT" | tee "$OUT/$mode.txt"
  else
    dotnet "$LOAD_DLL" "$mode" \
      --url "http://127.0.0.1:$APP_PORT" --connections "$LOAD_CONNECTIONS" --seconds "$LOAD_SECONDS" --warmup "$LOAD_WARMUP" \
      --connection-string "$CONNECTION_STRING" --api-key "$API_KEY" | tee "$OUT/$mode.txt"
  fi
  app_after=$(cpu_ticks "$APP_PID"); azurite_after=$(cpu_ticks "$AZURITE_PID"); ended=$(date +%s.%N)
  wait "$sampler" 2>/dev/null || true
  read -r app_before azurite_before started <"$OUT/$mode.cpu-start"
  grep '^{' "$OUT/$mode.txt" | tail -1 >"$OUT/$mode.json"
  python3 - "$OUT/$mode.json" "$((app_after - app_before))" "$((azurite_after - azurite_before))" "$CLK_TCK" "$started" "$ended" <<'PY' | tee "$OUT/$mode.cpu.txt"
import json, sys
r = json.load(open(sys.argv[1]))
gate, azurite, tck, wall = int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), float(sys.argv[6]) - float(sys.argv[5])
ops = r["requests"]
print(f"    server CPU over the measured part ({wall:.1f} s): gate {gate / tck / wall * 100:.0f}%, Azurite {azurite / tck / wall * 100:.0f}% of one core;"
      f" per operation: gate {gate / tck * 1000 / ops:.2f} ms, Azurite {azurite / tck * 1000 / ops:.2f} ms")
PY
done

echo
echo "==> results ($OUT)"
cat "$OUT/machine.txt" "$OUT/uptime.txt"
python3 - "$OUT" $LOAD_MODES <<'PY'
import json, pathlib, sys
out, modes = pathlib.Path(sys.argv[1]), sys.argv[2:]
runs = {m: json.loads((out / f"{m}.json").read_text()) for m in modes}
print("| mode | connections | seconds | requests | req/s | p50 ms | p90 ms | p99 ms | max ms | errors |")
print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
for m, r in runs.items():
    errors = str(r["errors"]) if not r["errors"] else f'{r["errors"]} ({", ".join(f"{k}: {v}" for k, v in r["errorsByStatus"].items())})'
    print(f'| {m} | {r["connections"]} | {r["seconds"]:.1f} | {r["requests"]:,} | {r["perSecond"]:,.0f} | {r["p50Ms"]:.2f} | {r["p90Ms"]:.2f} | {r["p99Ms"]:.2f} | {r["maxMs"]:.1f} | {errors} |')
print()
if "check" in runs and "insert" in runs:
    ratio = runs["check"]["perSecond"] / runs["insert"]["perSecond"]
    print(f'checks/s / bare inserts/s = {runs["check"]["perSecond"]:,.0f} / {runs["insert"]["perSecond"]:,.0f} = {ratio:.2f}  (target >= 0.50: {"met" if ratio >= 0.5 else "missed"})')
if "transaction" in runs and "insert" in runs:
    bound = runs["transaction"]["perSecond"] / runs["insert"]["perSecond"]
    print(f'check-shaped transactions/s / bare inserts/s = {runs["transaction"]["perSecond"]:,.0f} / {runs["insert"]["perSecond"]:,.0f} = {bound:.2f}  (the storage work of a check alone, no gate)')
if "check" in runs:
    p99 = runs["check"]["p99Ms"]
    print(f'check p99 = {p99:.2f} ms  (target <= 25 ms: {"met" if p99 <= 25 else "missed"})')
if "preview" in runs:
    rate = runs["preview"]["perSecond"]
    print(f'preview = {rate:,.0f} checks/s  (target >= 20,000: {"met" if rate >= 20000 else "missed"})')
for m in modes:
    print(f'{m}:' + (out / f"{m}.cpu.txt").read_text().rstrip().removeprefix("   "))
for m, r in runs.items():
    print(f'{m}: completed per measured second: {" ".join(str(n) for n in r["completedBySecond"])}')
for m, r in runs.items():
    if r.get("flagged"):
        print(f'note: {m}: {r["flagged"]} answers were idempotent replays')
PY
