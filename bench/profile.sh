#!/usr/bin/env bash
# Flame graphs of the three paths the performance work is about, under the benchmarks' own loads, with
# async-profiler 4.2 (tools.profiler:async-profiler from Maven Central) attached to the running JVMs:
#   front        two nodes, the front on node 1 (--dispatcher always), wrk -t2 -c32 GET /session-demo/hello
#                through the front (bench/front.sh's throughput load); node 1 profiled: cpu, alloc, wall
#   replication  two nodes, wrk -t2 -c16 session-writing requests to node a (bench/cluster.sh's cost load,
#                bench/session-write.lua over 200 sessions); a (sender) and b (receiver) profiled: cpu, alloc, wall
#   h2           the same two nodes with a TLS front offering h2 by ALPN on node 1, h2load -c32 -m10 -t1 GET
#                /session-demo/hello (bench/protocols.sh's HTTP/2 load); node 1 profiled: cpu, alloc, wall
#   startup      one node from process start to its first served GET /session-demo/ (bench/startup.sh's
#                measure, recommended flags, no archive): cpu and wall from the first instruction
#   startup25    the same on Java 25 (JAVA25) with the AOT cache the installer makes (train-cds with
#                -XX:AOTCacheOutput) and multicast discovery, exactly as bench/startup.sh's fastest row; cpu
#                and wall with every thread apart (the JIT's compiler threads among them)
# Each JVM under load is warmed for WARMUP seconds (90) first (the compilers take about that long to
# settle on two cores), then each event is recorded for PROFILE_SECONDS (20) while the load goes on.
# Usage: bench/profile.sh   (SECTIONS="front h2 replication startup startup25"; writes docs/profiles/*.html, and the same
#        profiles as collapsed stacks in bench/out/profiles/; about 9 minutes)
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=bench/lib.sh
. bench/lib.sh
SECTIONS=${SECTIONS:-front h2 replication startup startup25}
WARMUP=${WARMUP:-90}
PROFILE_SECONDS=${PROFILE_SECONDS:-20}
OUT_DIR=${OUT_DIR:-docs/profiles}
want() { [[ " $SECTIONS " == *" $1 "* ]]; }
say() { echo "[profile.sh $(date +%T)] $*" >&2; }

bench_prepare
command -v wrk >/dev/null || { apt-get update -qq; apt-get install -y -qq wrk; }
AP=bench/out/async-profiler
if [ ! -f "$AP/linux-x64/libasyncProfiler.so" ]; then
  mvn -B -q dependency:copy -Dartifact=tools.profiler:async-profiler:4.2 -DoutputDirectory="$AP"
  (cd "$AP" && unzip -q -o async-profiler-4.2.jar 'linux-x64/*')
fi
LIB=$(realpath "$AP/linux-x64/libasyncProfiler.so")
mkdir -p "$OUT_DIR" bench/out/profiles   # the same profiles as text (collapsed stacks) for reading by script
for port in 18100 18281 18282 18381 18382 18481 18482 18081 18082 19081 19082 18990; do
  port_free "$port" || { echo "port $port is in use (a previous run still going?)" >&2; exit 1; }
done

work=$(mktemp -d)
chmod 755 "$work"
pids=()
cleanup() { set +e; stop_all "${pids[@]}"; rm -rf "$work"; }
trap cleanup EXIT
trap 'exit 130' INT TERM
mkdir -p "$work/webapps"; cp "$WAR" "$work/webapps/"
echo "bench-cluster-secret-0123456789" > "$work/cluster.secret"

# profiler PID COMMAND: one async-profiler command to a running JVM (its options quoted, as jcmd wants them)
profiler() { jcmd "$1" JVMTI.agent_load "$LIB" "\"$2\"" > /dev/null; }
# record PID NAME: cpu, alloc and wall, one after the other, each PROFILE_SECONDS long, into OUT_DIR/NAME-EVENT.html
record() {
  local event
  for event in cpu alloc wall; do
    case $event in
      cpu) profiler "$1" "start,event=cpu,interval=1ms" ;;
      alloc) profiler "$1" "start,event=alloc" ;;
      wall) profiler "$1" "start,event=wall,interval=5ms" ;;
    esac
    sleep "$PROFILE_SECONDS"
    profiler "$1" "dump,collapsed,file=$(realpath bench/out)/profiles/$2-$event.collapsed"
    profiler "$1" "stop,file=$(realpath "$OUT_DIR")/$2-$event.html,title=$2 $event"
    say "$2-$event.html"
  done
}
# node NAME HTTP AJP ADMIN [ARGS...]: a node in the background on the bench's cluster; pid in last_pid
node() {
  local name=$1 http=$2 ajp=$3 admin=$4; shift 4
  # shellcheck disable=SC2086
  java $NODE_FLAGS -jar "$JAR" --name "$name" --cluster profile-bench --discovery-dir "$work/discovery" \
    --secret-file "$work/cluster.secret" --cluster-address 127.0.0.1 --ajp-secret bench-ajp-secret-0123456789 \
    --webapps "$work/webapps" --work-dir "$work/work-$name" --http-port "$http" --ajp-port "$ajp" \
    --admin-port "$admin" --tribes-port 0 --jgroups-port 0 --access-log false "$@" >> "$work/$name.log" 2>&1 &
  last_pid=$!
  pids+=("$last_pid")
}

# front_nodes SCHEME [ARGS...]: node1 running the front (with ARGS) and node2, both serving, the front
# answering on SCHEME://127.0.0.1:18100; pids in n1 and n2
front_nodes() {
  local scheme=$1; shift
  rm -rf "$work/discovery"
  node node1 18281 18381 18481 --front-port 18100 --front-address 127.0.0.1 --dispatcher always \
    --front-client-max-connections 0 --front-client-max-requests 0 "$@"; n1=$last_pid
  node node2 18282 18382 18482 --dispatcher never; n2=$last_pid
  wait_url http://127.0.0.1:18281/session-demo/hello 12000; wait_url http://127.0.0.1:18282/session-demo/hello 12000
  wait_url "$scheme://127.0.0.1:18100/session-demo/hello" 12000
}

if want front; then
  say "front: two nodes, the front on node 1"
  front_nodes http
  say "front: warming up $WARMUP s"
  wrk -t2 -c32 -d"${WARMUP}s" http://127.0.0.1:18100/session-demo/hello > /dev/null
  wrk -t2 -c32 -d"$((3 * PROFILE_SECONDS + 15))s" http://127.0.0.1:18100/session-demo/hello > "$work/front-wrk.txt" &
  load=$!
  sleep 2
  record "$n1" front
  wait "$load"
  say "front: $(awk '/Requests\/sec/ {print $2}' "$work/front-wrk.txt") requests/s while profiled"
  stop_all "$n1" "$n2"
fi

if want h2; then
  say "h2: two nodes, a TLS front offering h2 on node 1"
  command -v h2load >/dev/null || { apt-get update -qq; apt-get install -y -qq nghttp2-client; }
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 -subj /CN=localhost \
    -addext "subjectAltName=IP:127.0.0.1,DNS:localhost" -keyout "$work/front.key" -out "$work/front.crt" 2>/dev/null
  front_nodes https --front-tls-cert "$work/front.crt" --front-tls-key "$work/front.key"
  say "h2: warming up $WARMUP s"
  h2load -c32 -m10 -t1 -D "$WARMUP" https://127.0.0.1:18100/session-demo/hello > /dev/null
  h2load -c32 -m10 -t1 -D "$((3 * PROFILE_SECONDS + 15))" https://127.0.0.1:18100/session-demo/hello \
    > "$work/h2-load.txt" &
  load=$!
  sleep 2
  record "$n1" h2
  wait "$load"
  say "h2: $(awk '/^finished in/ {print $4}' "$work/h2-load.txt") requests/s while profiled"
  stop_all "$n1" "$n2"
fi

if want replication; then
  say "replication: two nodes, session writes to a"
  rm -rf "$work/discovery"
  node a 18081 0 19081 --dispatcher never; a=$last_pid
  node b 18082 0 19082 --dispatcher never; b=$last_pid
  wait_url http://127.0.0.1:18081/session-demo/hello 12000; wait_url http://127.0.0.1:18082/session-demo/hello 12000
  until [ "$(curl -s http://127.0.0.1:19081/status | grep -o '"members":\[[^]]*\]' | tr -cd ',' | wc -c)" = 1 ]; do
    sleep 0.05
  done
  for i in $(seq 1 200); do
    curl -s -D - -o /dev/null "http://127.0.0.1:18081/session-demo/session.json?name=k&value=$i" \
      | sed -n 's/^Set-Cookie: JSESSIONID=\([^;]*\).*/\1/p'
  done > "$work/ids.txt"
  say "replication: warming up $WARMUP s"
  wrk -t2 -c16 -d"${WARMUP}s" -s bench/session-write.lua http://127.0.0.1:18081 -- "$work/ids.txt" > /dev/null
  wrk -t2 -c16 -d"$((6 * PROFILE_SECONDS + 15))s" -s bench/session-write.lua http://127.0.0.1:18081 -- "$work/ids.txt" \
    > "$work/replication-wrk.txt" &
  load=$!
  sleep 2
  record "$a" replication-sender
  record "$b" replication-receiver
  wait "$load"
  say "replication: $(awk '/Requests\/sec/ {print $2}' "$work/replication-wrk.txt") requests/s while profiled"
  stop_all "$a" "$b"
fi

if want startup; then
  for event in cpu wall; do
    say "startup: $event"
    rm -rf "$work/discovery" "$work/work-s"
    interval=2ms
    start=$(date +%s%N)
    # shellcheck disable=SC2086
    java $NODE_FLAGS "-agentpath:$LIB=start,event=$event,interval=$interval" -jar "$JAR" --name s \
      --cluster profile-bench --discovery-dir "$work/discovery" --secret-file "$work/cluster.secret" \
      --cluster-address 127.0.0.1 --webapps "$work/webapps" --work-dir "$work/work-s" --http-port 18990 \
      --ajp-port 0 --admin-port 0 --tribes-port 0 --jgroups-port 0 --access-log false --dispatcher never \
      >> "$work/s.log" 2>&1 &
    s=$!; pids+=("$s")
    wait_url http://127.0.0.1:18990/session-demo/ 6000
    served=$(( ($(date +%s%N) - start) / 1000000 ))
    profiler "$s" "dump,collapsed,file=$(realpath bench/out)/profiles/startup-$event.collapsed"
    profiler "$s" "stop,file=$(realpath "$OUT_DIR")/startup-$event.html,title=startup $event (first response at $served ms)"
    say "startup-$event.html (first response at $served ms)"
    stop_all "$s"
  done
fi
if want startup25; then
  JAVA25=${JAVA25:-/usr/lib/jvm/temurin-25-jdk-amd64/bin/java}
  aot="$work/herdcat.aot"
  # shellcheck disable=SC2086
  "$JAVA25" $NODE_FLAGS -Xlog:aot=off -XX:AOTCacheOutput="$aot" -jar "$JAR" train-cds > "$work/train-aot.log" 2>&1
  for event in cpu wall; do
    say "startup25: $event"
    rm -rf "$work/work-s"
    start=$(date +%s%N)
    # shellcheck disable=SC2086
    "$JAVA25" $NODE_FLAGS -XX:AOTCache="$aot" "-agentpath:$LIB=start,event=$event,interval=1ms,threads" -jar "$JAR" \
      --name s --webapps "$work/webapps" --work-dir "$work/work-s" --http-port 18990 --ajp-port 0 --admin-port 0 \
      >> "$work/s.log" 2>&1 &
    s=$!; pids+=("$s")
    wait_url http://127.0.0.1:18990/session-demo/ 6000
    served=$(( ($(date +%s%N) - start) / 1000000 ))
    profiler "$s" "dump,collapsed,file=$(realpath bench/out)/profiles/startup25-$event.collapsed"
    profiler "$s" "stop,file=$(realpath "$OUT_DIR")/startup25-$event.html,title=startup on Java 25 with the AOT cache, $event (first response at $served ms)"
    say "startup25-$event.html (first response at $served ms)"
    stop_all "$s"
  done
fi
say "flame graphs in $OUT_DIR"
