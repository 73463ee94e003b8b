#!/bin/bash
# cluster-bench throughput with the dashboard endpoint off / watched (one event-stream client) / idle (up, no client),
# interleaved: one round runs the three arms in an order that rotates through all six permutations, so a drifting
# load favours no arm. Then summarise-bench.py prints the per-round ratios and their geometric means.
#   ROUNDS=9 SECONDS_PER_RUN=40 OUT=runs/endpoint-cost-bench tools/endpoint-cost/bench-series.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
BIN=${BIN:-src/Cli/bin/Release/net10.0/msmano.dll}
ROUNDS=${ROUNDS:-9}; SECS=${SECONDS_PER_RUN:-40}; OUT=${OUT:-runs/endpoint-cost-bench}
orders=("off watched idle" "watched idle off" "idle off watched" "off idle watched" "idle watched off" "watched off idle")
for i in $(seq 1 "$ROUNDS"); do
  for arm in ${orders[$(( (i - 1) % 6 ))]}; do
    case $arm in off) flags=();; watched) flags=(--dashboard);; idle) flags=(--dashboard --dashboard-idle);; esac
    dir="$OUT/r$i-$arm"; mkdir -p "$dir"
    echo "$(date -u +%T) round $i $arm (load $(cut -d' ' -f1 /proc/loadavg))"
    dotnet "$BIN" cluster-bench --nodes 2 --modes train --seconds "$SECS" --rounds 1 --out "$dir/bench.png" "${flags[@]}" > "$dir/out.txt" 2>&1
  done
done
python3 tools/endpoint-cost/summarise-bench.py "$OUT"
