#!/usr/bin/env bash
# Session replication, side by side: Herdcat's two-node cluster against two stock Tomcat 11 nodes
# with the stock DeltaManager cluster (asynchronous, channelSendOptions=8, static membership).
#   1. durability: acknowledged session writes lost on kill -9 of the node that served them
#   2. replication cost: session-writing throughput with a replicating peer ÷ the same node alone, for
#      Herdcat and for stock Tomcat both asynchronous (8) and synchronous acknowledged (6)
#   3. failure detection and merge: crash (kill -9) and freeze (SIGSTOP) detection, merge after SIGCONT
# Usage: bench/cluster.sh   (RUNS=3 durability runs, DETECT_RUNS=5; results in bench/out/cluster.md)
#        SECTIONS="cost" bench/cluster.sh   runs only some of: durability cost detect
#        PIN=1 SECTIONS="cost" bench/cluster.sh   node 1 on CPU 0, node 2 and wrk on CPU 1 (in every
#          section run), as if node 1 had a host of its own: node 2's work no longer takes node 1's CPU
#        KEEP=1 bench/cluster.sh   keeps the nodes' folders and logs (the path is printed at the end)
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=bench/lib.sh
. bench/lib.sh
RUNS=${RUNS:-3}
DETECT_RUNS=${DETECT_RUNS:-5}
WRK_SECONDS=${WRK_SECONDS:-10}
SECTIONS=${SECTIONS:-durability cost detect}
PIN=${PIN:-0}
# pin_to CPU: the command prefix that keeps what follows on that CPU when PIN=1, nothing otherwise
# (a prefix, not a function, so that $! is the process itself)
pin_to() { if [ "$PIN" = 1 ]; then echo "taskset -c $1"; fi; }
want() { [[ " $SECTIONS " == *" $1 "* ]]; }
bench_prepare
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk; }

work=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill -9 "$p" 2>/dev/null || true; done; if [ -n "${KEEP:-}" ]; then echo "nodes' folders and logs kept in $work" >&2; else rm -rf "$work"; fi; }
trap cleanup EXIT

# herdcat_node NAME N: node NAME on HTTP 1808N, admin 1908N, one discovery folder; echoes its pid.
herdcat_node() {
  mkdir -p "$work/webapps"; cp -n "$WAR" "$work/webapps/" 2>/dev/null || true
  # shellcheck disable=SC2086
  $(pin_to $(( $2 == 1 ? 0 : 1 ))) java $NODE_FLAGS -jar "$JAR" --name "$1" --cluster bench --discovery-dir "$work/discovery" \
    --webapps "$work/webapps" --work-dir "$work/work-$1" --http-port "1808$2" --admin-port "1908$2" \
    --ajp-port 0 --tribes-port 0 --jgroups-port 0 --access-log false > "$work/$1.log" 2>&1 &
  echo $!
}

members() { curl -s "http://127.0.0.1:1908$1/status" | grep -o '"members":\[[^]]*\]' | tr -cd ',' | wc -c; }
wait_members() {  # wait_members N COUNT: until node N's view has COUNT members
  for _ in $(seq 1 3000); do [ "$(( $(members "$1") + 1 ))" = "$2" ] && return 0; sleep 0.01; done
  echo "node $1 never saw $2 members" >&2; return 1
}

# tomcat_node N [CLUSTER_ATTRS]: stock Tomcat with the default DeltaManager cluster, HTTP 1818N,
# Tribes 1400N; CLUSTER_ATTRS e.g. ' channelSendOptions="6"'.
tomcat_node() {
  local d="$work/tomcat$1" other=$(( 3 - $1 ))
  unpack_tomcat "$d"
  tomcat_cluster_xml "$1" "server$1" "1400$1" "${2:-}" false \
    "    <Connector port=\"1818$1\" protocol=\"HTTP/1.1\" connectionTimeout=\"20000\"/>" \
    "$(static_member "1400$other" "$other")" > "$d/conf/server.xml"
  JAVA_OPTS="$NODE_FLAGS" $(pin_to $(( $1 == 1 ? 0 : 1 ))) "$d/bin/catalina.sh" run > "$work/tomcat$1.log" 2>&1 &
  echo $!
}

durability() {  # durability herdcat|tomcat existing|new: one probe run; echoes "acknowledged=N lost=M"
  local a b url1 url2
  if [ "$1" = herdcat ]; then
    rm -rf "$work/discovery"
    a=$(herdcat_node a 1); b=$(herdcat_node b 2); pids+=("$a" "$b")
    url1="http://127.0.0.1:18081/session-demo/session.json"; url2="http://127.0.0.1:18082/session-demo/session.json"
    wait_url "$url1"; wait_url "$url2"; wait_members 1 2
  else
    a=$(tomcat_node 1); b=$(tomcat_node 2); pids+=("$a" "$b")
    url1="http://127.0.0.1:18181/session-demo/session.json"; url2="http://127.0.0.1:18182/session-demo/session.json"
    wait_url "$url1"; wait_url "$url2"
    # stock static membership: wait until node 1 says it sees node 2
    for _ in $(seq 1 600); do grep -q "memberAdded\|Replication member added" "$work/tomcat1.log" && break; sleep 0.1; done
  fi
  java bench/DurabilityProbe.java "$url1" "$url2" "$a" "$2" 300 200
  stop_pid "$b"; stop_pid "$a"
}

{
if want durability; then
echo "## Durability: acknowledged session writes lost on kill -9 (300 sessions, kill after the 200th answer)"
echo
echo "| system | sessions | run | acknowledged writes | lost |"
echo "|---|---|---|---|---|"
for mode in existing new; do
  for sys in herdcat tomcat; do
    for i in $(seq 1 "$RUNS"); do
      r=$(durability "$sys" "$mode")
      ack=${r#acknowledged=}; ack=${ack%% *}; lost=${r#*lost=}
      echo "| $sys | $mode | $i | $ack | $lost |"
    done
  done
done
echo
fi

if want cost; then
echo "## Replication cost: session-writing requests, wrk -t2 -c16 -d${WRK_SECONDS}s, 200 existing sessions$([ "$PIN" = 1 ] && echo "; node 1 on CPU 0, node 2 and wrk on CPU 1 (PIN=1)")"
echo
rps() { echo "$1" | awk '/Requests\/sec/ {print $2}'; }
lat() { echo "$1" | awk -v p="$2" '$1 == p {print $2}'; }
batching=""
# cost_rows SYSTEM PORT1 A B: 200 sessions on node 1 (HTTP PORT1), a warm-up, a run with node 2 (pid B)
# replicating, node 2 stopped, a run of node 1 alone; node 1 (pid A) stopped; table rows and the ratio.
cost_rows() {
  local base="http://127.0.0.1:$2" with alone
  for i in $(seq 1 200); do
    curl -s -D - -o /dev/null "$base/session-demo/session.json?name=k&value=$i" \
      | sed -n 's/^Set-Cookie: JSESSIONID=\([^;]*\).*/\1/p'
  done > "$work/ids.txt"
  run_wrk() { $(pin_to 1) wrk -t2 -c16 -d"${WRK_SECONDS}s" --latency -s bench/session-write.lua "$base" -- "$work/ids.txt"; }
  run_wrk > /dev/null   # warm-up
  with=$(run_wrk)
  if [ "$1" = herdcat ]; then   # changes replicated and the messages that carried them (warm-up and run)
    batching=$(curl -s http://127.0.0.1:19081/status | grep -o '"changesReplicated":[0-9]*,"changeMessages":[0-9]*' || true)
  fi
  stop_pid "$4"
  if [ "$1" = herdcat ]; then
    wait_members 1 1
  else
    for _ in $(seq 1 300); do grep -q "member disappeared" "$work/tomcat1.log" && break; sleep 0.1; done
  fi
  alone=$(run_wrk)
  stop_pid "$3"
  echo "| $1 | with node 2 replicating | $(rps "$with") | $(lat "$with" 50%) | $(lat "$with" 99%) | $(printf '%.2f' "$(echo "$(rps "$with") / $(rps "$alone")" | bc -l)") |"
  echo "| $1 | the same node alone | $(rps "$alone") | $(lat "$alone" 50%) | $(lat "$alone" 99%) | |"
}
echo "| system | run | requests/s | p50 | p99 | ratio (replicating ÷ alone) |"
echo "|---|---|---|---|---|---|"
rm -rf "$work/discovery"
a=$(herdcat_node a 1); b=$(herdcat_node b 2); pids+=("$a" "$b")
wait_url "http://127.0.0.1:18081/session-demo/hello"; wait_url "http://127.0.0.1:18082/session-demo/hello"
wait_members 1 2
cost_rows herdcat 18081 "$a" "$b"
for opts in 6 8; do
  a=$(tomcat_node 1 " channelSendOptions=\"$opts\""); b=$(tomcat_node 2 " channelSendOptions=\"$opts\""); pids+=("$a" "$b")
  wait_url "http://127.0.0.1:18181/session-demo/hello"; wait_url "http://127.0.0.1:18182/session-demo/hello"
  for _ in $(seq 1 600); do grep -q "Replication member added" "$work/tomcat1.log" && break; sleep 0.1; done
  cost_rows "tomcat, channelSendOptions=$opts" 18181 "$a" "$b"
done
echo
echo "Herdcat: synchronous, acknowledged after the member applied the change${batching:+ (node 1: $batching)}."
echo "Stock channelSendOptions=6: synchronous, acknowledged after the member applied it; 8: asynchronous."
echo
fi

if want detect; then
echo "## Failure detection and merge (median of $DETECT_RUNS)"
echo
crash=""; freeze=""; merge=""
for i in $(seq 1 "$DETECT_RUNS"); do
  rm -rf "$work/discovery"
  a=$(herdcat_node a 1); b=$(herdcat_node b 2); pids+=("$a" "$b")
  wait_url "http://127.0.0.1:19081/health"; wait_url "http://127.0.0.1:19082/health"; wait_members 1 2
  t0=$(date +%s%N); kill -STOP "$b"; wait_members 1 1; t1=$(date +%s%N)
  freeze+="$(( (t1 - t0) / 1000000 )) "
  t0=$(date +%s%N); kill -CONT "$b"; wait_members 1 2; wait_members 2 2; t1=$(date +%s%N)
  merge+="$(( (t1 - t0) / 1000000 )) "
  t0=$(date +%s%N); kill -9 "$b"; wait_members 1 1; t1=$(date +%s%N)
  crash+="$(( (t1 - t0) / 1000000 )) "
  stop_pid "$a"
done
echo "| event | median (ms) | runs (ms) | goal |"
echo "|---|---|---|---|"
echo "| kill -9 of a node → it leaves the other's view | $(echo "$crash" | median) | ${crash% } | ≤ 2000 |"
echo "| SIGSTOP (frozen JVM) → it leaves the view | $(echo "$freeze" | median) | ${freeze% } | ≤ 10000 |"
echo "| SIGCONT → both views whole again (merge) | $(echo "$merge" | median) | ${merge% } | |"
echo
fi
echo "JVM: $(java -version 2>&1 | head -1); $(nproc) cores; node flags: $NODE_FLAGS; $(date -u +%F)"
} | tee "$OUT/cluster.md"
