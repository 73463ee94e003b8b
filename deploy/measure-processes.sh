#!/usr/bin/env bash
# Per-process CPU and memory of every msmano node a command starts (typically `msmano cluster-bench`), for the
# manifests' resource requests. Samples /proc once a second: for each node process (learner, sim; found by its
# command line), CPU seconds (utime + stime), the seconds it was alive and its peak RSS (VmHWM). Node processes are
# grouped by the directory of their log file (cluster-bench gives each configuration its own), so one run can
# measure central and data-parallel side by side. Prints a Markdown table (whole life of each process, start-up included).
#
#   deploy/measure-processes.sh dotnet src/Cli/bin/Release/net10.0/msmano.dll cluster-bench --modes train \
#       --learning central,data-parallel --nodes 2 --seconds 30
#
# CPU seconds per unit of work (per trained transition, per agent-step) do not depend much on how loaded the machine
# is; "cores" (CPU seconds / wall seconds) is what the process got on this machine, which on shared cores is less
# than it would take.
set -euo pipefail
[ $# -gt 0 ] || { echo "usage: $0 <command...>" >&2; exit 2; }
CLK=$(getconf CLK_TCK)
declare -A START LAST CPU HWM LABEL

"$@" &
ROOT_PID=$!

descendants() { # all processes under $1
  local p
  for p in $(pgrep -P "$1"); do echo "$p"; descendants "$p"; done
}
sample() {
  local p cmd role log ticks hwm now
  now=$(cut -d' ' -f1 /proc/uptime)
  for p in $(descendants "$ROOT_PID"); do
    [ -r "/proc/$p/cmdline" ] || continue
    cmd=$(tr '\0' ' ' <"/proc/$p/cmdline" 2>/dev/null) || continue
    case " $cmd " in
      *"msmano.dll learner "*) role=learner ;;
      *"msmano.dll sim "*) role=sim ;;
      *) continue ;;
    esac
    # utime + stime, and the start time (ticks since boot); the command name holds no spaces (dotnet).
    read -r ticks started < <(awk '{print $14 + $15, $22}' "/proc/$p/stat" 2>/dev/null) || continue
    hwm=$(awk '$1 == "VmHWM:" {print $2}' "/proc/$p/status" 2>/dev/null) || continue
    [ -n "$ticks" ] && [ -n "$hwm" ] || continue
    if [ -z "${START[$p]:-}" ]; then
      log=$(tr '\0' '\n' <"/proc/$p/environ" 2>/dev/null | sed -n 's/^MSMANO__LOGGING__FILE=//p')
      LABEL[$p]="$(basename "$(dirname "${log:-./x}")") $role $(basename "${log:-?}" | sed 's/-full\.log$//')"
      START[$p]=$(awk -v s="$started" -v k="$CLK" 'BEGIN {print s / k}')
    fi
    LAST[$p]=$now CPU[$p]=$ticks
    if ((hwm > ${HWM[$p]:-0})); then HWM[$p]=$hwm; fi
  done
}
while kill -0 "$ROOT_PID" 2>/dev/null; do sample; sleep 1; done
rc=0; wait "$ROOT_PID" || rc=$?

echo
echo "| configuration | process | alive s | CPU s | cores (CPU s / alive s) | peak RSS |"
echo "|---|---|---|---|---|---|"
for p in "${!START[@]}"; do
  awk -v l="${LABEL[$p]}" -v c="${CPU[$p]}" -v k="$CLK" -v a="${START[$p]}" -v b="${LAST[$p]}" -v h="${HWM[$p]}" \
    'BEGIN { split(l, f, " "); printf "| %s | %s %s | %.0f | %.1f | %.2f | %.0f MiB |\n", f[1], f[2], f[3], b - a, c / k, (b > a ? c / k / (b - a) : 0), h / 1024 }'
done | sort
echo "($(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg) at the end; whole process lives from start, sampled each second, so up to 1 s of the end is missed)"
exit "$rc"
