#!/usr/bin/env bash
# Network-fault scenarios for the real cluster: a learner and two simulation nodes, each a separate msmano process
# in its own network namespace, joined by veth pairs to a bridge that lives in a namespace of its own (the host's
# interfaces are never touched). The cluster forms by Cluster Bootstrap over config discovery (no seeds). Faults:
# a partition sets a node's veth link down at the bridge; healing sets it up. Every scenario is bounded in time;
# the namespaces and processes are removed on exit, whatever happens. Needs root and iproute2 (`ip`).
#
#   tests/netns/network-faults.sh [path/to/msmano.dll]     (default: src/Cli/bin/Release/net10.0/msmano.dll)
#
# Only addresses this script creates (10.213.0.0/24, inside its namespaces) are used.
set -euo pipefail
cd "$(dirname "$0")/../.."
DLL=${1:-src/Cli/bin/Release/net10.0/msmano.dll}
[ -f "$DLL" ] || { echo "network-faults: $DLL not found; build src/Cli -c Release first" >&2; exit 2; }
DLL=$(realpath "$DLL")
[ "$(id -u)" = 0 ] || { echo "network-faults: needs root (network namespaces)" >&2; exit 2; }
if ! command -v ip >/dev/null; then
  apt-get install -y iproute2 >/dev/null 2>&1 || { apt-get update >/dev/null && apt-get install -y iproute2 >/dev/null; }
fi

P=msmano-nf$$                       # namespace prefix, unique per run
BR=$P-br
NODES=(l s1 s2)                     # learner, sim 1, sim 2
declare -A IP=([l]=10.213.0.1 [s1]=10.213.0.2 [s2]=10.213.0.3)
WORK=$(mktemp -d /tmp/msmano-netfaults.XXXXXX)
CONTACTS="${IP[l]}:8558,${IP[s1]}:8558,${IP[s2]}:8558"
declare -A LOOP=()
START=$SECONDS
RESULT="$WORK/result.md"

log() { printf '[netfaults %4ds] %s\n' $((SECONDS - START)) "$*"; }
fail() { log "FAIL: $*"; echo "FAIL: $*" >>"$RESULT"; exit 1; }

cleanup() {
  set +e
  for n in "${!LOOP[@]}"; do kill "${LOOP[$n]}" 2>/dev/null; done
  for n in "${NODES[@]}"; do ip netns pids "$P-$n" 2>/dev/null | xargs -r kill -TERM 2>/dev/null; done
  sleep 2
  for n in "${NODES[@]}"; do ip netns pids "$P-$n" 2>/dev/null | xargs -r kill -KILL 2>/dev/null; done
  for n in "${NODES[@]}"; do ip netns del "$P-$n" 2>/dev/null; done
  ip netns del "$BR" 2>/dev/null
  [ -f "$RESULT" ] && cat "$RESULT"
  log "namespaces removed; logs in $WORK"
}
trap cleanup EXIT

# --- topology -----------------------------------------------------------------------------------------------------
ip netns add "$BR"
ip -n "$BR" link add br0 type bridge
ip -n "$BR" link set br0 up
ip -n "$BR" link set lo up
for n in "${NODES[@]}"; do
  ip netns add "$P-$n"
  ip -n "$BR" link add "v$n" type veth peer name eth0 netns "$P-$n"
  ip -n "$BR" link set "v$n" master br0
  ip -n "$BR" link set "v$n" up
  ip -n "$P-$n" link set lo up
  ip -n "$P-$n" addr add "${IP[$n]}/24" dev eth0
  ip -n "$P-$n" link set eth0 up
done
log "namespaces up: learner ${IP[l]}, sims ${IP[s1]} ${IP[s2]} on bridge br0 in $BR"

# --- nodes --------------------------------------------------------------------------------------------------------
# Each node runs under a restart loop, as a StatefulSet would restart a pod whose process exited (a downed node
# exits 1). Short SBR/bootstrap timings keep each scenario within its bound.
export MSMANO__CLUSTER__REQUIREDCONTACTPOINTS=2 MSMANO__CLUSTER__BOOTSTRAPSTABLEMARGIN=2s
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
common=(--port 4053 --formation config --management-port 8558 --contact-points "$CONTACTS" --stable-after 5s
        --readiness-file "" --shutdown-timeout 20s --env synthetic)
# GET http://<ip>:8558<path> from inside namespace $1 (bash /dev/tcp: no curl needed). Prints the body; status in $STATUS.
http() {
  local out
  out=$(ip netns exec "$P-$1" timeout 5 bash -c "exec 3<>/dev/tcp/$2/8558 && printf 'GET $3 HTTP/1.0\r\nHost: x\r\n\r\n' >&3 && cat <&3" 2>/dev/null || true)
  STATUS=$(printf '%s' "$out" | head -1 | awk '{print $2}')
  printf '%s' "$out" | sed '1,/^\r$/d'
}
metric() { http "$1" "${IP[$1]}" /metrics | awk -v m="$2" '$1 ~ "^"m"(\\{|$)" {print $2; exit}'; }
members_up() { metric "$1" msmano_cluster_members; }
updates() { local u; u=$(metric l msmano_learner_updates_total); echo "${u:-0}"; }
until_true() { # until_true <seconds> <description> <command...>
  local limit=$1 what=$2; shift 2
  local deadline=$((SECONDS + limit))
  while ((SECONDS < deadline)); do "$@" && return 0; sleep 1; done
  fail "$what (not within ${limit}s)"
}
ready() { http "$1" "${IP[$1]}" /health/ready >/dev/null; [ "$STATUS" = 200 ]; }
live() { http "$1" "${IP[$1]}" /health/live >/dev/null; [ "$STATUS" = 200 ]; }
exited() { grep -q . "$WORK/$1.exits" 2>/dev/null; }
sees() { local m; m=$(members_up "$1"); [ "${m:-0}" = "$2" ] && [ "$(metric "$1" msmano_cluster_unreachable_members)" = 0 ]; }
trains() { local u; u=$(updates); [ "${u%.*}" -gt "$1" ]; }
link() { ip -n "$BR" link set "v$1" "$2"; }

start_node() {
  local n=$1 role args
  if [ "$n" = l ]; then
    role=learner; args=(--batch 2048 --checkpoints "$WORK/checkpoints" --checkpoint-every 1 --no-evaluate)
  else
    role=sim; args=(--node-id "sim-$n")
  fi
  (
    for run in 1 2 3 4 5 6; do
      MSMANO__LOGGING__FILE="$WORK/$n-.log" ip netns exec "$P-$n" dotnet "$DLL" "$role" --hostname "${IP[$n]}" \
        --public-hostname "${IP[$n]}" "${common[@]}" "${args[@]}" >>"$WORK/$n.console" 2>&1 &
      pid=$! fails=0
      sleep 25
      # The kubelet's liveness probe: 3 failures of /health/live in a row and the container is killed and restarted.
      while kill -0 "$pid" 2>/dev/null; do
        if live "$n"; then fails=0; else fails=$((fails + 1)); fi
        echo "$(date +%T) live-status=${STATUS:-none} fails=$fails" >>"$WORK/$n.watch"
        if ((fails >= 3)); then
          echo "liveness failed 3 times: killed (run $run)" >>"$WORK/$n.exits"
          kill -TERM "$pid" 2>/dev/null; sleep 5; kill -KILL "$pid" 2>/dev/null
        fi
        sleep 2
      done
      rc=0; wait "$pid" || rc=$?
      echo "exit $rc (run $run)" >>"$WORK/$n.exits"
      sleep 1
    done
  ) &
  LOOP[$n]=$!
}

echo "# Network-fault scenarios ($(date -u +%F))" >"$RESULT"
for n in "${NODES[@]}"; do start_node "$n"; done
until_true 120 "one cluster of 3 formed by bootstrap" sees l 3
until_true 90 "learner ready (Up and reporting)" ready l
until_true 120 "training started" trains 0
log "formed: 3 members, learner ready, $(updates) updates"
echo "- formation: 3 nodes, no seeds, one cluster at $((SECONDS - START)) s; learner ready" >>"$RESULT"

# --- scenario: partition one sim ----------------------------------------------------------------------------------
t0=$SECONDS; u0=$(updates); u0=${u0%.*}
link s2 down
log "partition: sim s2 cut off"
until_true 60 "SBR removed s2 from the majority" sees l 2
until_true 90 "s2 downed itself and exited (or was restarted by its liveness probe)" exited s2
u1=$(updates); u1=${u1%.*}
((u1 > u0)) || until_true 30 "training went on during the partition" trains "$u0"
link s2 up
until_true 120 "restarted s2 rejoined: one cluster of 3" sees l 3
until_true 60 "s2 sees one cluster of 3" sees s2 3
u2=$(updates); u2=${u2%.*}
log "sim partition: removed, restarted, rejoined in $((SECONDS - t0)) s; updates $u0 -> $u1 (partitioned) -> $u2"
echo "- partition one sim: SBR downed it (exit $(tail -1 "$WORK/s2.exits")), it restarted and rejoined in $((SECONDS - t0)) s; learner updates $u0 -> $u1 while cut off -> $u2 after (never stalled)" >>"$RESULT"

# --- scenario: partition the learner from the majority -------------------------------------------------------------
t0=$SECONDS; before=$(ls "$WORK/checkpoints" 2>/dev/null | grep -c . || true)
uL=$(updates); uL=${uL%.*}
link l down
log "partition: learner cut off from both sims"
until_true 60 "the sims (majority) removed the learner" sees s1 2
until_true 90 "the learner (minority) downed itself and exited (or was restarted by its liveness probe)" exited l
learners_training=$(for n in s1 s2; do metric "$n" msmano_learner_updates_total; done | awk '$1 > 0' | wc -l)
((learners_training == 0)) || fail "a learner trained on the majority side while the learner was cut off"
link l up
until_true 150 "restarted learner rejoined: one cluster of 3" sees s1 3
until_true 120 "learner ready again" ready l
until_true 120 "training resumed from the checkpoint" trains "$uL"
grep -q "ckpt\|heckpoint" "$WORK/l-"*.log || fail "no checkpoint lines in the learner log"
uR=$(updates); uR=${uR%.*}
log "learner partition: downed, restarted, resumed at update $uR (was $uL) in $((SECONDS - t0)) s"
echo "- partition the learner: keep-majority downed the learner side (exit $(tail -1 "$WORK/l.exits")); no learner on the sims' side (singleton needs role learner), rollouts paused; after healing the restarted learner resumed from its checkpoint ($uL updates before, $uR after) in $((SECONDS - t0)) s" >>"$RESULT"

# --- scenario: heal -> one cluster ----------------------------------------------------------------------------------
for n in "${NODES[@]}"; do until_true 60 "$n sees one cluster of 3" sees "$n" 3; done
leaders=$(for n in "${NODES[@]}"; do http "$n" "${IP[$n]}" /bootstrap/seed-nodes; echo; done | grep -o '"SelfNode":"[^"]*"' | sort -u | wc -l)
echo "- heal: every node sees the same 3 Up members, none unreachable (checked on all 3 nodes' /metrics)" >>"$RESULT"
log "healed: one cluster of 3 ($leaders distinct nodes answer bootstrap)"
echo "PASS ($((SECONDS - START)) s)" >>"$RESULT"
