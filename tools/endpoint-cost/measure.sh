#!/usr/bin/env bash
# The dashboard endpoint's cost to the learner, as CPU per PPO update split by thread: steadier than throughput on a
# loaded host, though the torch threads' own CPU per update still rises with load (its intra-op workers wait on each
# other), so the endpoint is judged by the learner's other threads per wall second. Each arm starts a fresh central
# learner and 2 simulation nodes as cluster-bench does, lets them train UPDATES_WARM updates, then reads utime+stime
# of each process (/proc/PID/stat, the PIDs this script started, never a guess by name) at the update that crosses
# the threshold and again K updates later. Arms, interleaved ROUNDS times (the order flips every round):
#   off      the learner runs --no-dashboard
#   idle     the endpoint is up, no one watches
#   watched  one client holds /api/events open (curl, its own process, so its CPU is not the learner's)
#
#   tools/endpoint-cost/measure.sh                          # 3 rounds of off/idle/watched, 30 updates each
#   ROUNDS=2 UPDATES=20 ARMS="off watched" tools/endpoint-cost/measure.sh
#   BIN_before=old/msmano.dll BIN_after=new/msmano.dll ARMS="before/off before/watched after/off after/watched" ...
#
# Prints one Markdown row per arm and run: learner CPU s/update, the torch threads' share of it, the rest of the learner
# per wall second (Akka, Kestrel, GC, ...: where an endpoint's cost shows), sims CPU s/update, the learner's threads and
# context switches per update, status events received, load; each run's folder gets the learner's CPU per update by
# thread name (threads-ms-per-update.tsv). Run it from the repository root after
# `dotnet build src/Cli -c Release`; logs and status files go to runs/endpoint-cost/ (kept for a look afterwards).
set -euo pipefail
export LC_ALL=C
DLL=${DLL:-src/Cli/bin/Release/net10.0/msmano.dll}
ROUNDS=${ROUNDS:-3}
UPDATES=${UPDATES:-30}
UPDATES_WARM=${UPDATES_WARM:-4}
ARMS=${ARMS:-off idle watched}
BATCH=${BATCH:-16384}
OUT=${OUT:-runs/endpoint-cost/$(date -u +%Y%m%dT%H%M%S)}
[ -f "$DLL" ] || { echo "measure.sh: $DLL not found; build with dotnet build src/Cli -c Release (or set DLL)" >&2; exit 2; }
CLK=$(getconf CLK_TCK)
mkdir -p "$OUT"
PIDS=()
cleanup() {
  local p
  # The client's subshell holds a curl child: end both.
  for p in "${PIDS[@]}"; do pkill -TERM -P "$p" 2>/dev/null || true; kill -TERM "$p" 2>/dev/null || true; done
  sleep 2
  for p in "${PIDS[@]}"; do kill -KILL "$p" 2>/dev/null || true; done
  PIDS=()
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }           # utime + stime of a process (all its threads)
threads() { ls "/proc/$1/task" | wc -l; }
ctxt() { cat /proc/"$1"/task/*/status 2>/dev/null | awk '/ctxt_switches/ {s += $2} END {print s}'; }  # all threads
# utime+stime per thread name of a process ("Kestrel Timer", ".NET TP Worker", ...), one "name<TAB>ticks" a line.
thread_ticks() {
  local t
  for t in /proc/"$1"/task/*; do
    printf '%s\t%s\n' "$(cat "$t/comm" 2>/dev/null)" "$(sed 's/.*) //' "$t/stat" 2>/dev/null | awk '{print $12 + $13}')"
  done | awk -F'\t' '$2 != "" {s[$1] += $2} END {for (n in s) printf "%s\t%d\n", n, s[n]}' | sort
}
updates() { jq -r '.Updates // 0' "$1" 2>/dev/null || echo 0; }

# Waits until the learner's status file shows at least $2 updates; fails if a node process died or 300 s pass.
wait_updates() {
  local status=$1 want=$2 waited=0 p
  while (( $(updates "$status") < want )); do
    for p in "${NODES[@]}"; do
      kill -0 "$p" 2>/dev/null || { echo "measure.sh: node process $p exited; see $(dirname "$status")/*.log" >&2; return 1; }
    done
    sleep 0.1; waited=$((waited + 1))
    (( waited < 3000 )) || { echo "measure.sh: no update $want within 300 s; see $(dirname "$status")" >&2; return 1; }
  done
}

run_arm() {
  local arm=$1 round=$2 dir port dport status learner sim1 sim2 client="" dll=$DLL mode=$1 var
  # "before/off": mode off with the binary in $BIN_before; a plain mode runs $DLL.
  if [[ $arm == */* ]]; then var="BIN_${arm%%/*}"; dll=${!var:?"measure.sh: arm $arm needs $var (path of its msmano.dll)"}; mode=${arm#*/}; fi
  dir="$OUT/$round-${arm//\//-}"; mkdir -p "$dir"
  port=$(free_port); dport=$(free_port); status="$dir/learner-status.json"
  local common=(--hostname 127.0.0.1 --public-hostname 127.0.0.1 --seeds "akka.tcp://msmano@127.0.0.1:$port" --readiness-file "" --env idnet --learning central)
  local web=(--no-dashboard)
  [ "$mode" = off ] || web=(--dashboard-port "$dport" --dashboard-host 127.0.0.1)
  MSMANO__LOGGING__FILE="$dir/learner-full.log" dotnet exec "$dll" learner --port "$port" "${common[@]}" --checkpoints "" \
    --status-file "$status" --batch "$BATCH" --no-evaluate "${web[@]}" >"$dir/learner.log" 2>&1 &
  learner=$!; PIDS+=("$learner")
  for i in 1 2; do
    MSMANO__LOGGING__FILE="$dir/sim-$i-full.log" dotnet exec "$dll" sim --port 0 "${common[@]}" --node-id "sim-$i" --actors 1 --agents 64 \
      >"$dir/sim-$i.log" 2>&1 &
    PIDS+=("$!")
    [ "$i" = 1 ] && sim1=$! || sim2=$!
  done
  NODES=("$learner" "$sim1" "$sim2")
  if [ "$mode" = watched ]; then
    # Retries until the endpoint is up, then holds the stream open for the whole run, as a watching browser would.
    (until curl -sN "http://127.0.0.1:$dport/api/events" >>"$dir/events.txt" 2>/dev/null; do sleep 0.5; done) &
    client=$!; PIDS+=("$client")
  fi
  wait_updates "$status" "$UPDATES_WARM" || { cleanup; return 1; }
  local u0 l0 s0 c0 t0 w0 u1 l1 s1 c1 t1 w1 th
  u0=$(updates "$status"); w0=$(date +%s.%N)
  l0=$(ticks "$learner"); s0=$(( $(ticks "$sim1") + $(ticks "$sim2") )); c0=$(ctxt "$learner"); thread_ticks "$learner" >"$dir/threads-start.tsv"
  wait_updates "$status" $((u0 + UPDATES)) || { cleanup; return 1; }
  u1=$(updates "$status"); w1=$(date +%s.%N)
  l1=$(ticks "$learner"); s1=$(( $(ticks "$sim1") + $(ticks "$sim2") )); c1=$(ctxt "$learner"); th=$(threads "$learner")
  thread_ticks "$learner" >"$dir/threads-end.tsv"
  # CPU ms per update by thread name over the window (names present at both ends; threads that ended are missed).
  join -t $'\t' -o 0,1.2,2.2 "$dir/threads-start.tsv" "$dir/threads-end.tsv" \
    | awk -F'\t' -v k="$CLK" -v du=$((u1 - u0)) '{printf "%s\t%.1f\n", $1, ($3 - $2) * 1000 / k / du}' | sort -t $'\t' -k2 -rn >"$dir/threads-ms-per-update.tsv"
  # The torch threads (the engine's "learner-ppo" thread and the intra-op workers it spawns, which inherit its name)
  # against everything else in the process, per wall second: where an endpoint's cost would show.
  local torch; torch=$(awk -F'\t' '$1 == "learner-ppo" {print $2}' "$dir/threads-ms-per-update.tsv")
  local events; events=$(grep -c '^event: status' "$dir/events.txt" 2>/dev/null || true)
  cleanup
  awk -v arm="$arm" -v r="$round" -v du=$((u1 - u0)) -v dl=$((l1 - l0)) -v ds=$((s1 - s0)) -v dc=$((c1 - c0)) -v k="$CLK" -v torch="${torch:-0}" \
      -v w="$(awk -v a="$w0" -v b="$w1" 'BEGIN {print b - a}')" -v th="$th" -v ev="${events:-0}" -v load="$(cut -d' ' -f1 /proc/loadavg)" \
    'BEGIN { printf "| %s | %s | %d | %.3f | %.3f | %.0f | %.2f | %.3f | %d | %.0f | %s | %s |\n", r, arm, du, dl / k / du, torch / 1000, (dl / k / du - torch / 1000) * 1000 / (w / du), w / du, ds / k / du, th, dc / du, (arm ~ /watched/ ? ev : "-"), load }'
}

echo "| round | arm | updates | learner CPU s/update | of it torch threads | other learner threads, CPU ms/s | wall s/update | sims CPU s/update | learner threads | learner ctx switches/update | status events | load |"
echo "|---|---|---|---|---|---|---|---|---|---|---|---|"
read -r -a arms <<<"$ARMS"
for ((r = 1; r <= ROUNDS; r++)); do
  order=("${arms[@]}")
  if (( r % 2 == 0 )); then order=(); for ((i = ${#arms[@]} - 1; i >= 0; i--)); do order+=("${arms[$i]}"); done; fi
  # A run that dies (a node downed while the host was frozen, say) is repeated, up to twice.
  for arm in "${order[@]}"; do run_arm "$arm" "$r" || run_arm "$arm" "$r-retry" || run_arm "$arm" "$r-retry2"; done
done
