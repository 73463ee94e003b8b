#!/usr/bin/env bash
# Measures what one node process uses, for the manifests' resource requests: peak RSS (VmHWM) over the process's
# whole life and CPU (cores = CPU seconds / wall seconds over the measured window, after warm-up), for
#   central:        a learner (IDNet PPO, batch 16384, evaluation on, as deployed) and a sim node (4 actors x 64
#                   IDNet hands, as deployed);
#   data-parallel:  the coordinator and two sim nodes that each also train (4 actors x 64 hands, ring all-reduce).
# Real processes on loopback with static seeds, the same flags the manifests set. Prints a Markdown table.
#
#   deploy/measure-resources.sh [warm-up seconds (90)] [measured seconds (60)]
set -euo pipefail
cd "$(dirname "$0")/.."
DLL=$(realpath "${DLL:-src/Cli/bin/Release/net10.0/msmano.dll}")
WARMUP=${1:-90} MEASURE=${2:-60}
WORK=$(mktemp -d /tmp/msmano-resources.XXXXXX)
CLK=$(getconf CLK_TCK)
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill -TERM "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 MSMANO__LOGGING__FILE=""

cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
field_kb() { awk -v k="$2:" '$1 == k {print $2}' "/proc/$1/status"; }

# measure <label> <pid>: waits for warm-up, then reports peak RSS, CPU cores over the window and threads.
measure() {
  local label=$1 pid=$2 t0 c0 c1 hwm threads
  c0=$(cpu_ticks "$pid"); t0=$(date +%s.%N)
  sleep "$MEASURE"
  c1=$(cpu_ticks "$pid"); hwm=$(field_kb "$pid" VmHWM); threads=$(field_kb "$pid" Threads)
  awk -v l="$label" -v c=$((c1 - c0)) -v k="$CLK" -v t0="$t0" -v t1="$(date +%s.%N)" -v h="$hwm" -v n="$threads" \
    'BEGIN {printf "| %s | %.0f MiB | %.2f | %d |\n", l, h / 1024, c / k / (t1 - t0), n}'
}

run_case() { # run_case <learning mode> <sim count> <port>
  local mode=$1 sims=$2 port=$3 seed common i
  seed="akka.tcp://msmano@127.0.0.1:$port"
  common=(--hostname 127.0.0.1 --public-hostname 127.0.0.1 --seeds "$seed" --readiness-file "" --env idnet --learning "$mode")
  dotnet "$DLL" learner "${common[@]}" --port "$port" --checkpoints "$WORK/ckpt-$mode" >"$WORK/learner-$mode.log" 2>&1 &
  PIDS+=($!); local learner=$!
  local sim_pids=()
  for ((i = 1; i <= sims; i++)); do
    dotnet "$DLL" sim "${common[@]}" --port $((port + i)) --node-id "sim-$i" --actors 4 --agents 64 >"$WORK/sim-$mode-$i.log" 2>&1 &
    PIDS+=($!); sim_pids+=($!)
  done
  sleep "$WARMUP"
  for p in "$learner" "${sim_pids[@]}"; do kill -0 "$p" || { tail -20 "$WORK"/*"$mode"*.log; echo "a $mode node died" >&2; exit 1; }; done
  measure "$mode: learner$([ "$mode" = data-parallel ] && echo ' (coordinator)')" "$learner" >"$WORK/m-$mode-l" & local m1=$!
  measure "$mode: sim node (4 actors x 64 hands$([ "$mode" = data-parallel ] && echo ', trains'))" "${sim_pids[0]}" >"$WORK/m-$mode-s" & local m2=$!
  wait "$m1" "$m2"
  cat "$WORK/m-$mode-l" "$WORK/m-$mode-s"
  { grep -h "updates\|round" "$WORK/learner-$mode.log" "$WORK/sim-$mode-1.log" 2>/dev/null || true; } | tail -2 | sed "s/^/    /" >&2
  cleanup; PIDS=()
}

echo "| process | peak RSS | CPU cores used | threads |"
echo "|---|---|---|---|"
for c in ${CASES:-central data-parallel}; do
  if [ "$c" = central ]; then run_case central 1 25520; else run_case data-parallel 2 25530; fi
done
echo "(warm-up ${WARMUP} s, measured ${MEASURE} s on $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg); logs in $WORK)"
