#!/usr/bin/env bash
# Front outage after kill -9 of the node (or host processes) that runs the front, seen by one client
# (bench/OutageProbe.java: GET every 10 ms, a new connection each, 1 s connect/read timeouts), RUNS runs
# per scenario: median and max of the gap between successful responses that spans the kill, and the
# failed requests. Scenarios (SCENARIOS, in this order):
#   same-host   Herdcat: two nodes in one network namespace ("one host"), front on port 80; the client,
#               in that namespace, asks http://127.0.0.1:80/session-demo/hello; the node whose
#               GET /health/front answers 200 is killed.
#   vip         Herdcat: three namespaces on a bridge, one node each (static peers), --front-vip VIP/24
#               --front-port 80; a client namespace on the bridge knows only the VIP; the front's node is
#               killed. Skipped, with a line saying so, when the jar has no front.vip setting.
#   vip-graceful  the same, but the front's node gets SIGTERM (a graceful stop): the front is handed
#               over to another host; the failed requests are the measure here.
#   keepalived  keepalived 2.2 moving the VIP between three such namespaces (state BACKUP on all,
#               priorities 150/100/50, advert_int 1), with a web server answering 200 on port 80 in each
#               (python3 -m http.server, else bench/HelloServer.java); all the VIP holder's processes are
#               killed at once: keepalived (both processes) and its web server.
# The kill leaves the VIP configured in the dead holder's namespace, as it would on a real host (the
# client's ARP entry moves to the new holder with its gratuitous ARP); what is restarted there clears it
# (keepalived does at start in state BACKUP; a Herdcat node that is not elected does too). After each
# run the killed processes are started again, and the next run starts once everything is back and
# settled: every node up and in one view, exactly one front (and the VIP on its host only), unchanged
# for SETTLE_SECONDS. A restarted Herdcat node does not take the front back, so the kills alternate
# between nodes; keepalived preempts, so its restarted host 1 takes the VIP back (a move not measured)
# before the next run.
# Nodes run as NODE_USER (default nobody, through --user) when the jar can drop root (it has the
# allow.root setting); with NODE_USER empty they get --allow-root true; an older jar runs them as root.
# Needs root (namespaces, port 80), iproute2, iputils-arping, keepalived (installed when missing).
# Usage: bench/front-outage.sh      (results in bench/out/front-outage.md; logs of a failed scenario in
#                                    bench/out/front-outage-logs/)
#   knobs: RUNS=5, SCENARIOS="same-host vip vip-graceful keepalived", NODE_USER=nobody, MAX_OUTAGE=120 (seconds a run
#          waits for the front to answer again), SETTLE_SECONDS=8, HERDCAT_JAR
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=bench/lib.sh
. bench/lib.sh
# The flags below decide how the nodes treat root; an inherited setting would override them.
unset HERDCAT_ALLOW_ROOT HERDCAT_USER
RUNS=${RUNS:-5}
KILL_SIGNAL=KILL
SCENARIOS=${SCENARIOS:-same-host vip vip-graceful keepalived}
NODE_USER=${NODE_USER-nobody}
MAX_OUTAGE=${MAX_OUTAGE:-120}
SETTLE_SECONDS=${SETTLE_SECONDS:-8}
VIP=198.51.100.100
CLIENT_ADDRESS=198.51.100.20
PROBE_FLAGS="-XX:+UseSerialGC -Xmx64m"
say() { echo "[front-outage.sh $(date +%T)] $*" >&2; }

[ "$(id -u)" = 0 ] || { echo "front-outage.sh needs root (network namespaces, port 80)" >&2; exit 1; }
mkdir -p "$OUT"
if [ ! -f "$JAR" ] || [ ! -f "$WAR" ]; then mvn -B -q package -DskipTests; fi
if ! command -v keepalived >/dev/null || ! command -v arping >/dev/null || ! command -v ip >/dev/null; then
  apt-get update -qq
  apt-get install -y -qq keepalived iputils-arping iproute2
fi
PYTHON=""
if command -v python3 >/dev/null; then PYTHON=$(python3 -c 'import sys; print(sys.executable)'); fi

# Every namespace, bridge and veth of this run starts with $P (random per run): cleanup finds them by it.
P="hco$(od -An -N2 -tx2 /dev/urandom | tr -d ' ')"
work=$(mktemp -d)
chmod 755 "$work"
mkdir -p "$work/rows"

# ns_stop NS: SIGTERM to every process in namespace NS, up to 20 s to exit, then SIGKILL.
ns_stop() {
  local p
  for p in $(ip netns pids "$1" 2>/dev/null); do kill "$p" 2>/dev/null || true; done
  for _ in $(seq 1 200); do
    [ -z "$(ip netns pids "$1" 2>/dev/null)" ] && return 0
    sleep 0.1
  done
  for p in $(ip netns pids "$1" 2>/dev/null); do kill -9 "$p" 2>/dev/null || true; done
  for _ in $(seq 1 50); do
    [ -z "$(ip netns pids "$1" 2>/dev/null)" ] && return 0
    sleep 0.1
  done
}
# teardown: stops everything in this run's namespaces, deletes them and the bridges.
teardown() {
  local ns br
  for ns in $(ip netns list | awk '{print $1}' | grep "^$P" || true); do ns_stop "$ns"; ip netns del "$ns"; done
  for br in $(ip -o link show type bridge | awk -F': ' '{print $2}' | grep "^$P" || true); do ip link del "$br"; done
}
scenario_pid=""   # the scenario running now (a subshell)
# shellcheck disable=SC2317  # called through trap / stable
cleanup() {
  set +e
  [ -n "$scenario_pid" ] && kill "$scenario_pid" 2>/dev/null
  teardown
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Privilege: what the jar supports decides the flags.
help=$(java -jar "$JAR" --help 2>&1 || true)
PRIV_ARGS=()
RUN_AS="root (this jar cannot drop root)"
if grep -q -- '--allow-root' <<<"$help"; then
  if [ -n "$NODE_USER" ]; then
    id -u "$NODE_USER" >/dev/null 2>&1 || { echo "NODE_USER=$NODE_USER: no such user" >&2; exit 1; }
    PRIV_ARGS=(--user "$NODE_USER"); RUN_AS=$NODE_USER
  else PRIV_ARGS=(--allow-root true); RUN_AS="root (--allow-root true)"; fi
fi
HAS_VIP=0
grep -q -- '--front-vip' <<<"$help" && HAS_VIP=1

# ---- namespaces -------------------------------------------------------------------------------------
# ns_add NAME: a fresh namespace with loopback up.
ns_add() { ip netns add "$1"; ip -n "$1" link set lo up; }
# hosts_up TAG: bridge ${P}${TAG}b; hosts ${P}${TAG}1..3 at 198.51.100.11..13/24 and a client
# ${P}${TAG}c at $CLIENT_ADDRESS/24, each with eth0 on the bridge.
hosts_up() {
  local tag=$1 br="${P}${1}b" i
  ip link add "$br" type bridge
  ip link set "$br" up
  for i in 1 2 3 c; do
    local ns="${P}${tag}$i" addr="198.51.100.1$i"
    [ "$i" = c ] && addr=$CLIENT_ADDRESS
    ns_add "$ns"
    ip link add "${P}${tag}v$i" type veth peer name eth0 netns "$ns"
    ip link set "${P}${tag}v$i" master "$br" up
    ip -n "$ns" addr add "$addr/24" dev eth0
    ip -n "$ns" link set eth0 up
  done
}
# vip_holders TAG: the hosts (1..3) whose eth0 has the VIP, space-separated.
vip_holders() {
  local i out=""
  for i in 1 2 3; do
    [[ "$(ip -n "${P}${1}$i" -o addr show dev eth0)" == *" $VIP/"* ]] && out+="$i "
  done
  echo "${out% }"
}
# spawn LOG NS CMD...: starts CMD in namespace NS in the background, output appended to LOG; prints its
# pid. Started from a subshell, it is no job of this shell (no "Killed" notices when the probe kills it).
spawn() { local log=$1 ns=$2; shift 2; ip netns exec "$ns" "$@" >> "$log" 2>&1 & echo $!; }
# in_ns NS CMD...: runs CMD in namespace NS.
in_ns() { local ns=$1; shift; ip netns exec "$ns" "$@"; }
# http_code NS URL: the status code of GET URL from namespace NS (000: no answer within 1 s).
http_code() { in_ns "$1" curl -s -o /dev/null -w '%{http_code}' --max-time 1 "$2" || true; }
# shellcheck disable=SC2317  # called through await
# answers NS URL: GET URL from namespace NS answers 200.
answers() { [ "$(http_code "$1" "$2")" = 200 ]; }

# probe NS URL PIDS LOG: one measured run from namespace NS; prints the probe's result line.
probe() {
  local line
  # shellcheck disable=SC2086
  line=$(in_ns "$1" java $PROBE_FLAGS bench/OutageProbe.java "$2" --kill "$3" --signal "$KILL_SIGNAL" \
    --max "${MAX_OUTAGE}s" 2>>"$4") \
    || { echo "the probe failed (see above)" >&2; tail -n 5 "$4" >&2; return 1; }
  echo "$line" >> "$4"
  echo "$line"
}
field() { grep -o "$1=[^ ]*" <<<"$2" | cut -d= -f2; }

# result NAME LABEL OUTAGES FAILED LOST: writes the table row of a scenario, after each run (OUTAGES in
# ms and FAILED: one value per run so far, space-separated; LOST: runs without an answer within MAX_OUTAGE).
result() {
  local name=$1 label=$2 outages=$3 failed=$4 lost=$5 sorted each="" o note=""
  sorted=$(tr ' ' '\n' <<<"$outages" | sort -n)
  for o in $outages; do each+="${each:+, }$(secs "$o")"; done
  [ "$lost" -gt 0 ] && note=" ($lost without an answer within ${MAX_OUTAGE} s)"
  echo "| $label | $(wc -w <<<"$outages") | $(secs "$(median <<<"$sorted")") | $(secs "$(tail -1 <<<"$sorted")")$note" \
    "| ${failed// /, } | $each |" > "$work/rows/$name"
}
# secs MS: MS milliseconds as seconds, "3.61 s".
secs() { awk -v ms="$1" 'BEGIN { printf "%.2f s", ms / 1000 }'; }

# await WHAT SECONDS CMD...: until CMD succeeds (polled every 0.2 s); fails naming WHAT after SECONDS.
await() {
  local what=$1 end=$((SECONDS + $2)); shift 2
  until "$@"; do
    [ "$SECONDS" -gt "$end" ] && { say "timed out waiting for $what"; return 1; }
    sleep 0.2
  done
}
# stable SECONDS CMD...: until CMD prints the same non-empty line for SECONDS in a row (at most 180 s).
stable() {
  local want=$1 end=$((SECONDS + 180)) since=$SECONDS last="" now; shift
  while [ "$SECONDS" -le "$end" ]; do
    now=$("$@" || true)
    if [ -z "$now" ] || [ "$now" != "$last" ]; then since=$SECONDS; last=$now; fi
    if [ -n "$now" ] && [ $((SECONDS - since)) -ge "$want" ]; then echo "$now"; return 0; fi
    sleep 0.25
  done
  say "not settled within 180 s (last: '${last}')"
  return 1
}

# ---- Herdcat nodes ----------------------------------------------------------------------------------
# The current scenario's nodes: namespace, pid, folder, admin port; NODE_ARGS N: node N's own arguments
# (the scenario defines it; it fills the array args).
declare -a node_ns node_pid node_dir node_admin
# herdcat_start N: starts node N in its namespace.
herdcat_start() {
  local n=$1 ready="${node_dir[$1]}/ready.json" args=()
  NODE_ARGS "$n"
  rm -f "$ready"
  # shellcheck disable=SC2086
  node_pid[n]=$(spawn "${node_dir[$n]}/node.log" "${node_ns[$n]}" java $NODE_FLAGS -jar "$JAR" "${args[@]}" \
    --ready-file "$ready" --work-dir "${node_dir[$n]}/work" "${PRIV_ARGS[@]}")
}
# shellcheck disable=SC2317  # called through await
gone() { ! kill -0 "$1" 2>/dev/null; }
# herdcat_up N: node N answers /health (fails if it exited); its pid from the ready file.
herdcat_up() {
  local n=$1 ready="${node_dir[$1]}/ready.json" end=$((SECONDS + 180))
  until [ -s "$ready" ] && [ "$(http_code "${node_ns[$n]}" "http://127.0.0.1:${node_admin[$n]}/health")" = 200 ]; do
    if ! kill -0 "${node_pid[$n]}" 2>/dev/null || [ "$SECONDS" -gt "$end" ]; then
      say "node $n did not start; its log:"; tail -n 30 "${node_dir[$n]}/node.log" >&2; return 1
    fi
    sleep 0.2
  done
  node_pid[n]=$(grep -o '"pid":[0-9]*' "$ready" | cut -d: -f2)
  if [ "${PRIV_ARGS[0]:-}" = --user ]; then
    local uids want
    uids=$(awk '/^Uid:/ {print $2, $3, $4, $5}' "/proc/${node_pid[$n]}/status")
    want=$(id -u "$NODE_USER")
    [ "$uids" = "$want $want $want $want" ] || { say "node $n runs with uids $uids, not $NODE_USER's ($want)"; return 1; }
  fi
}
# shellcheck disable=SC2317  # called through trap / stable
members() {
  in_ns "${node_ns[$1]}" curl -s --max-time 1 "http://127.0.0.1:${node_admin[$1]}/status" \
    | grep -o '"members":\[[^]]*\]' | head -1 | grep -o '"[^"]*"' | grep -vc '^"members"$' || true
}
# shellcheck disable=SC2317  # called through trap / stable
# herdcat_front COUNT [TAG]: "N" when all COUNT nodes see COUNT members and only node N answers 200
# on /health/front (with TAG: and the VIP is on host N only); empty otherwise.
herdcat_front() {
  local count=$1 tag=${2:-} n fronts=""
  for n in $(seq 1 "$count"); do
    [ "$(members "$n")" = "$count" ] || return 0
    [ "$(http_code "${node_ns[$n]}" "http://127.0.0.1:${node_admin[$n]}/health/front")" = 200 ] && fronts+="$n "
  done
  fronts=${fronts% }
  [[ "$fronts" =~ ^[0-9]+$ ]] || return 0
  if [ -n "$tag" ] && [ "$(vip_holders "$tag")" != "$fronts" ]; then return 0; fi
  echo "$fronts"
}
# herdcat_state COUNT [TAG]: what each node sees, for a failure message.
herdcat_state() {
  local n out=""
  for n in $(seq 1 "$1"); do
    out+="node $n: $(members "$n") members, /health/front $(http_code "${node_ns[$n]}" \
      "http://127.0.0.1:${node_admin[$n]}/health/front"); "
  done
  [ -n "${2:-}" ] && out+="VIP on hosts '$(vip_holders "$2")'"
  echo "$out"
}
# herdcat_runs NAME LABEL COUNT URL CLIENT_NS [TAG]: RUNS kills of the front's node, each node
# restarted after its kill.
herdcat_runs() {
  local name=$1 label=$2 count=$3 url=$4 client=$5 tag=${6:-} run n front line outages="" failed="" lost=0
  for n in $(seq 1 "$count"); do herdcat_start "$n"; done
  for n in $(seq 1 "$count"); do herdcat_up "$n"; done
  for run in $(seq 1 "$RUNS"); do
    front=$(stable "$SETTLE_SECONDS" herdcat_front "$count" "$tag") \
      || { say "$name run $run: not settled: $(herdcat_state "$count" "$tag")"; return 1; }
    await "the front at $url" 60 answers "$client" "$url"
    say "$name run $run: SIG$KILL_SIGNAL to node $front (pid ${node_pid[$front]}), the front's node"
    line=$(probe "$client" "$url" "${node_pid[$front]}" "$work/$name-probe.log")
    say "$name run $run: $line${tag:+ (VIP now on: $(vip_holders "$tag"))}"
    outages+="$(field outage_ms "$line") "; failed+="$(field failed "$line") "
    [ "$(field recovered "$line")" = true ] || lost=$((lost + 1))
    result "$name" "$label" "${outages% }" "${failed% }" "$lost"
    await "node $front to exit" 60 gone "${node_pid[$front]}"
    herdcat_start "$front"
    herdcat_up "$front"
  done
}
# herdcat_layout NAME: webapps, secret and node folders under $work/NAME, owned by the nodes' user.
herdcat_layout() {
  local d="$work/$1"
  mkdir -p "$d/webapps" "$d/discovery"
  cp "$WAR" "$d/webapps/"
  echo "front-outage-secret-$P-0123456789" > "$d/cluster.secret"
  chmod 600 "$d/cluster.secret"
  echo "$d"
}
chown_for_nodes() { if [ "${PRIV_ARGS[0]:-}" = --user ]; then chown -R "$NODE_USER:" "$1"; fi; }

scenario_same_host() {
  local d ns="${P}s" n
  d=$(herdcat_layout same-host)
  ns_add "$ns"
  for n in 1 2; do
    node_ns[n]=$ns; node_dir[n]="$d/node$n"; node_admin[n]=$((9080 + n)); mkdir -p "${node_dir[$n]}"
  done
  NODE_ARGS() {
    args=(--name "host-n$1" --cluster "outage-$P" --discovery-dir "$d/discovery" --secret-file "$d/cluster.secret"
      --webapps "$d/webapps" --http-port $((8080 + $1)) --ajp-port $((8009 + $1)) --admin-port $((9080 + $1))
      --tribes-port 0 --jgroups-port 0 --front-port 80 --access-log false)
  }
  chown_for_nodes "$d"
  herdcat_runs same-host "herdcat, one host (two nodes, port 80)" 2 "http://127.0.0.1:80/session-demo/hello" "$ns"
}

scenario_vip() { scenario_vip_as vip "herdcat, VIP across namespaces (three nodes)" v; }
# The same, each node stopped with SIGTERM instead: the front is handed over to another host.
scenario_vip_graceful() {
  KILL_SIGNAL=TERM
  scenario_vip_as vip-graceful "herdcat, VIP across namespaces, SIGTERM of the front's node (graceful)" g
}
# scenario_vip_as NAME LABEL TAG (TAG names its namespaces: a deleted namespace's links go away late)
scenario_vip_as() {
  local name=$1 label=$2 tag=$3
  if [ "$HAS_VIP" = 0 ]; then
    say "vip: skipped: this herdcat.jar has no front.vip setting (java -jar $JAR --help lists no --front-vip)"
    echo "| $label | skipped: this jar has no \`front.vip\` setting | | | | |" > "$work/rows/$name"
    return 0
  fi
  local d n peers="198.51.100.11:7800,198.51.100.12:7800,198.51.100.13:7800"
  d=$(herdcat_layout "$name")
  hosts_up "$tag"
  for n in 1 2 3; do
    node_ns[n]="${P}$tag$n"; node_dir[n]="$d/node$n"; node_admin[n]=9080; mkdir -p "${node_dir[$n]}"
  done
  NODE_ARGS() {
    args=(--name "vip-n$1" --cluster "outage-$P" --cluster-address "198.51.100.1$1" --peers "$peers"
      --jgroups-port 7800 --secret-file "$d/cluster.secret" --webapps "$d/webapps" --front-port 80
      --front-vip "$VIP/24" --access-log false)
  }
  chown_for_nodes "$d"
  herdcat_runs "$name" "$label" 3 "http://$VIP:80/session-demo/hello" "${P}${tag}c" "$tag"
}

# ---- keepalived -------------------------------------------------------------------------------------
declare -a ka_pid web_pid
# keepalived_start N: host N's keepalived (VRRP only) and its web server on port 80.
keepalived_start() {
  local n=$1 d="$work/keepalived" ns="${P}k$1"
  rm -f "$d/ka$n.pid" "$d/ka$n.vrrp.pid"
  ka_pid[n]=$(spawn "$d/ka$n.log" "$ns" keepalived -n -l -P -f "$d/ka$n.conf" -p "$d/ka$n.pid" -r "$d/ka$n.vrrp.pid")
  if [ -n "$PYTHON" ]; then
    web_pid[n]=$(spawn "$d/web$n.log" "$ns" "$PYTHON" -m http.server 80 --bind 0.0.0.0 --directory "$d/www$n")
  else
    # shellcheck disable=SC2086
    web_pid[n]=$(spawn "$d/web$n.log" "$ns" java $PROBE_FLAGS bench/HelloServer.java 80 "host$n")
  fi
}
# keepalived_up N: host N's keepalived has its VRRP process and its web server answers.
keepalived_up() {
  local n=$1
  await "keepalived on host $n" 60 test -s "$work/keepalived/ka$n.vrrp.pid"
  ka_pid[n]=$(cat "$work/keepalived/ka$n.pid")
  await "the web server on host $n" 60 answers "${P}k$n" "http://198.51.100.1$n/"
}
# shellcheck disable=SC2317  # called through trap / stable
# keepalived_holder: "N" when exactly host N has the VIP and every keepalived runs.
keepalived_holder() {
  local n h
  for n in 1 2 3; do kill -0 "${ka_pid[$n]}" 2>/dev/null || return 0; done
  h=$(vip_holders k)
  [[ "$h" =~ ^[0-9]+$ ]] && echo "$h"
  return 0
}

scenario_keepalived() {
  local d="$work/keepalived" n prio run holder line pids url="http://$VIP:80/" outages="" failed="" lost=0 vrid
  mkdir -p "$d"
  hosts_up k
  vrid=$((RANDOM % 200 + 20))
  for n in 1 2 3; do
    prio=$(( n == 1 ? 150 : n == 2 ? 100 : 50 ))
    cat > "$d/ka$n.conf" <<CONF
global_defs {
  router_id outage-host$n
}
vrrp_instance outage {
  state BACKUP
  interface eth0
  virtual_router_id $vrid
  priority $prio
  advert_int 1
  virtual_ipaddress {
    $VIP/24 dev eth0
  }
}
CONF
    mkdir -p "$d/www$n"
    echo "hello from host$n" > "$d/www$n/index.html"
  done
  for n in 1 2 3; do keepalived_start "$n"; done
  for n in 1 2 3; do keepalived_up "$n"; done
  for run in $(seq 1 "$RUNS"); do
    holder=$(stable "$SETTLE_SECONDS" keepalived_holder) \
      || { say "keepalived run $run: not settled: VIP on hosts '$(vip_holders k)'"; return 1; }
    await "the VIP's web server" 60 answers "${P}kc" "$url"
    # the VRRP process first: it would react to its parent's death (and drop the VIP) if it outlived it
    pids="$(cat "$d/ka$holder.vrrp.pid"),${ka_pid[$holder]},${web_pid[$holder]}"
    say "keepalived run $run: killing host $holder's keepalived and web server (pids $pids), the VIP holder"
    line=$(probe "${P}kc" "$url" "$pids" "$work/keepalived-probe.log")
    say "keepalived run $run: $line (VIP now on: $(vip_holders k))"
    outages+="$(field outage_ms "$line") "; failed+="$(field failed "$line") "
    [ "$(field recovered "$line")" = true ] || lost=$((lost + 1))
    result keepalived "keepalived 2.2, VIP across namespaces (three hosts)" "${outages% }" "${failed% }" "$lost"
    keepalived_start "$holder"
    keepalived_up "$holder"
  done
}

# ---- run --------------------------------------------------------------------------------------------
say "scenarios: $SCENARIOS; $RUNS runs each; nodes run as $RUN_AS; namespaces $P*"
status=0
for s in $SCENARIOS; do
  case $s in same-host | vip | vip-graceful | keepalived) ;;
    *) echo "unknown scenario $s (same-host, vip, vip-graceful, keepalived)" >&2; exit 2 ;;
  esac
done
for s in $SCENARIOS; do
  say "scenario $s"
  # in a subshell, so that a failed scenario does not end the others; in the background, so that a
  # signal to this script reaches the trap (which stops it) at once
  case $s in
    same-host) ( set -e; scenario_same_host ) & ;;
    vip) ( set -e; scenario_vip ) & ;;
    vip-graceful) ( set -e; scenario_vip_graceful ) & ;;
    keepalived) ( set -e; scenario_keepalived ) & ;;
  esac
  scenario_pid=$!
  rc=0
  wait "$scenario_pid" || rc=$?
  scenario_pid=""
  if [ "$rc" != 0 ]; then
    status=1
    say "scenario $s failed; its logs are in $OUT/front-outage-logs/$s"
    mkdir -p "$OUT/front-outage-logs"
    rm -rf "$OUT/front-outage-logs/$s"
    cp -r "$work/$s" "$OUT/front-outage-logs/$s" 2>/dev/null || true
    cp "$work/$s-probe.log" "$OUT/front-outage-logs/$s/" 2>/dev/null || true
    echo "| $s | failed$([ -f "$work/rows/$s" ] && echo " after the runs above") (see $OUT/front-outage-logs/$s) | | | | |" \
      >> "$work/rows/$s"
  fi
  teardown
done

{
  echo "## Front outage after kill -9 (or SIGTERM) of the front's node"
  echo
  echo "One client sending GET every 10 ms on a new connection (1 s connect/read timeout); outage = the gap"
  echo "between the last success before the kill and the first success after it. Failed requests: from"
  echo "the kill until 3 s of uninterrupted successes, per run."
  echo
  echo "| scenario | runs | median | max | failed requests (each run) | outage (each run) |"
  echo "|---|---|---|---|---|---|"
  for s in $SCENARIOS; do cat "$work/rows/$s"; done
  echo
  echo "bench/front-outage.sh, $(date -u +%F), RUNS=$RUNS; nodes as $RUN_AS; $(keepalived --version 2>&1 | head -1);"
  echo "web servers behind keepalived: $([ -n "$PYTHON" ] && echo "python3 -m http.server" || echo bench/HelloServer.java);"
  echo "$(java -version 2>&1 | head -1); $(nproc) cores; median = the lower middle value for an even count;"
  echo "jar $JAR of $(date -u -r "$JAR" +%FT%TZ)"
} | tee "$OUT/front-outage.md"
exit "$status"
