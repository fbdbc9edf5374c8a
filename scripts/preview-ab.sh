#!/usr/bin/env bash
# Paired preview comparison of two commits on loopback: each is published from a clean export (Release, linux-x64,
# ReadyToRun), both gates run at the same time on one Azurite (in memory), and wrk drives them in alternating short
# bursts, so minute-to-minute swings of the machine fall on both alike. Before the bursts, logged checks through the
# first gate fill the 64 accounts' timelines (both gates read them), so the previews run the cadence rules on real
# entries, as in scripts/load.sh. Prints each burst's previews per second and the gate's CPU per preview, then means.
#
#   scripts/preview-ab.sh <commit A> <commit B> [rounds (default 12)] [seconds per burst (default 4)]
#
# Needs wrk (Debian's package). Results in artifacts/preview-ab/<time>/.
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

[ $# -ge 2 ] || { sed -n 2,9p "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }
command -v wrk >/dev/null || { echo "wrk is not installed (apt-get install wrk)" >&2; exit 1; }
A_REF="$1"; B_REF="$2"; ROUNDS="${3:-12}"; SECONDS_PER_BURST="${4:-4}"
DEV_KEY="Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=="
OUT="$REPO_ROOT/artifacts/preview-ab/$(date -u +%Y%m%dT%H%M%SZ)"
BUILD_DIR="$REPO_ROOT/artifacts/preview-ab/build"
mkdir -p "$OUT" "$BUILD_DIR"

publish() { # ref → path of the published dll
  local ref="$1" sha dir
  sha="$(git -C "$REPO_ROOT" rev-parse --short "$ref^{commit}")"
  dir="$BUILD_DIR/$sha"
  if [ ! -f "$dir/out/PostGate.Functions.dll" ]; then
    echo "==> publishing $ref ($sha)" >&2
    rm -rf "$dir/src" && mkdir -p "$dir/src"
    git -C "$REPO_ROOT" archive "$sha" | tar -x -C "$dir/src"
    dotnet publish "$dir/src/functions/PostGate.Functions/PostGate.Functions.csproj" -c Release -r linux-x64 \
      --self-contained false -o "$dir/out" --nologo --verbosity quiet >&2
  fi
  echo "$dir/out/PostGate.Functions.dll"
}

A_DLL="$(publish "$A_REF")"
B_DLL="$(publish "$B_REF")"
dotnet build "$REPO_ROOT/tools/PostGate.Load/PostGate.Load.csproj" -c Release --artifacts-path "$BUILD_DIR/tool" --nologo --verbosity quiet >/dev/null
dotnet "$BUILD_DIR/tool/bin/PostGate.Load/release/PostGate.Load.dll" bodies >"$OUT/bodies.jsonl"

ensure_node_modules
AZURITE_DATA="$(mktemp -d)"
AZURITE_TABLE_PORT="$(free_port)"
AZURITE_IN_MEMORY=1 start_azurite
CONNECTION_STRING="DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=$DEV_KEY;TableEndpoint=http://127.0.0.1:$AZURITE_TABLE_PORT/devstoreaccount1;"
API_KEY="ab-$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')"
API_KEY_SHA256="$(printf %s "$API_KEY" | sha256sum | cut -d' ' -f1)"

PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  stop_azurite
  rm -rf "$AZURITE_DATA"
}
trap cleanup EXIT

A_PORT="$(free_port)"; B_PORT="$(free_port)"
while [ "$B_PORT" = "$A_PORT" ]; do B_PORT="$(free_port)"; done
start_published_gate "$A_DLL" "$A_PORT" "$OUT/a.log" preview-ab "$API_KEY_SHA256" "$CONNECTION_STRING"; A_PID=$GATE_PID; PIDS+=("$A_PID")
start_published_gate "$B_DLL" "$B_PORT" "$OUT/b.log" preview-ab "$API_KEY_SHA256" "$CONNECTION_STRING"; B_PID=$GATE_PID; PIDS+=("$B_PID")
wait_for_gate "$A_PORT" "$A_PID" "$OUT/a.log"
wait_for_gate "$B_PORT" "$B_PID" "$OUT/b.log"

export WRK_BODIES="$OUT/bodies.jsonl" WRK_API_KEY="$API_KEY"
drive() { # port seconds [path] → wrk's output
  WRK_PATH="${3:-/api/posts/check?mode=preview}" wrk -t1 -c16 -d"$2s" -s "$REPO_ROOT/scripts/wrk-check.lua" "http://127.0.0.1:$1"
}

echo "==> filling the timelines: logged checks through A for 12 s"
drive "$A_PORT" 12 /api/posts/check | grep -E "Requests/sec|Non-2xx" | tee "$OUT/fill.txt"
echo "==> warming both gates' previews (15 s each)"
drive "$A_PORT" 15 >/dev/null; drive "$B_PORT" 15 >/dev/null

ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
burst() { # name pid port
  local before after out rps non2xx
  before="$(ticks "$2")"
  out="$(drive "$3" "$SECONDS_PER_BURST")"
  after="$(ticks "$2")"
  rps="$(awk '/Requests\/sec/ {print $2}' <<<"$out")"
  non2xx="$(awk '/Non-2xx/ {print $NF}' <<<"$out")"
  python3 -c 'import sys; n, rps, t, tck, s, bad = sys.argv[1], float(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), float(sys.argv[5]), sys.argv[6]
note = " non-2xx " + bad if bad else ""
print(f"{n} {rps:8.0f}/s {t / tck * 1e6 / (rps * s):6.1f} us{note}")' \
    "$1" "$rps" "$((after - before))" "$(getconf CLK_TCK)" "$SECONDS_PER_BURST" "${non2xx:-}"
}

echo "==> $ROUNDS rounds of $SECONDS_PER_BURST s bursts, A = $A_REF, B = $B_REF (uptime: $(uptime | sed 's/^ *//'))"
for round in $(seq 1 "$ROUNDS"); do
  if [ $((round % 2)) = 1 ]; then
    echo "$round $(burst A "$A_PID" "$A_PORT") | $(burst B "$B_PID" "$B_PORT")"
  else
    echo "$round $(burst B "$B_PID" "$B_PORT") | $(burst A "$A_PID" "$A_PORT")"
  fi
done | tee "$OUT/bursts.txt"
python3 - "$OUT/bursts.txt" <<'PY' | tee "$OUT/summary.txt"
import re, sys
runs = {"A": [], "B": []}
for line in open(sys.argv[1]):
    for name, rps, us in re.findall(r"([AB])\s+(\d+)/s\s+([\d.]+) us", line):
        runs[name].append((float(rps), float(us)))
for name, values in runs.items():
    rps = sum(v[0] for v in values) / len(values)
    us = sum(v[1] for v in values) / len(values)
    print(f"{name}: mean {rps:,.0f} previews/s, {us:.1f} us of gate CPU per preview over {len(values)} bursts")
PY
